"""The records model of chapter 5: two causes of the outcome and many non-causal effects of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from book.models._parameters import bernoulli
from book.scm import DiscreteSCM

__all__ = ["CAUSES", "TARGET", "draw", "feature_names", "outcome_after", "records"]

TARGET = "Y"
#: The causes of Y: what the causal predictor reads.
CAUSES = ("C1", "C2")


def records(
    n_noncausal: int = 10,
    *,
    p_cause: float = 0.5,
    label_noise: float = 0.15,
    informative_noise: tuple[float, ...] = (0.1, 0.2),
    weak_noise: float = 0.4,
    shifted_noise: float = 0.5,
    p_environment: float = 0.0,
) -> DiscreteSCM:
    """Chapter 5: sensitive records with two causes of the outcome and many effects of it.

    Two binary causes ``C1, C2`` of the outcome ``Y`` (say, two risk factors
    of a diagnosis) and ``d = n_noncausal`` binary *non-causal* features
    ``N1, ..., Nd``: noisy effects of ``Y`` (symptoms, test results, billing
    codes), each with its own noise. The environment ``E`` sets the noise of
    every non-causal mechanism; it never touches ``C1, C2`` or ``Y``'s own
    mechanism.

    .. math::

        C_i &:= U_{C_i}, \\qquad U_{C_i} \\sim \\mathrm{Bernoulli}(p_{\\text{cause}}), \\quad i = 1, 2\\\\
        Y &:= (C_1 \\lor C_2) \\oplus U_Y, \\qquad U_Y \\sim \\mathrm{Bernoulli}(\\text{label noise})\\\\
        E &:= U_E\\\\
        N_j &:= Y \\oplus U_{N_j, E}, \\qquad U_{N_j, 0} \\sim \\mathrm{Bernoulli}(q_j),\\quad
              U_{N_j, 1} \\sim \\mathrm{Bernoulli}(q')

    with :math:`q_j` the ``informative_noise`` values for the first features
    and ``weak_noise`` for the rest, and :math:`q'` = ``shifted_noise``. With
    :math:`q = 0.5` a feature is pure noise.

    The joint distribution has :math:`2^{d + 4}` rows: sample it
    (:meth:`~book.scm.DiscreteSCM.sample`) rather than query it exactly when
    ``d`` is large.

    Parameters
    ----------
    n_noncausal : int
        ``d``, the number of non-causal features (0 to 16).
    p_cause : float
        :math:`P(C_i = 1)`.
    label_noise : float
        :math:`P(U_Y = 1)`: the Bayes-optimal predictor on the causes is
        right with probability ``1 - label_noise``.
    informative_noise : tuple of float
        Noise of the first non-causal features in environment 0 (the
        training population); small values make them genuinely predictive.
    weak_noise : float
        Noise of the remaining non-causal features in environment 0.
    shifted_noise : float
        Noise of every non-causal feature in environment 1 (the shift).
    p_environment : float
        :math:`P(E = 1)`; by default every record comes from environment 0
        and environment 1 is reached by ``do={"E": 1}``.

    Examples
    --------
    >>> m = records(2)
    >>> round(m.query("Y")[1], 3)
    0.675
    >>> sorted(m.sample(3, __import__("numpy").random.default_rng(0)).columns)[:5]
    ['C1', 'C2', 'E', 'N1', 'N2']
    """
    if isinstance(n_noncausal, bool) or not isinstance(n_noncausal, int) or not 0 <= n_noncausal <= 16:
        raise ValueError(f"n_noncausal must be an integer between 0 and 16, got {n_noncausal!r}")
    noise = [*informative_noise[:n_noncausal], *[weak_noise] * max(0, n_noncausal - len(informative_noise))]
    exogenous = {
        "U_C1": bernoulli(p_cause, "p_cause"),
        "U_C2": bernoulli(p_cause, "p_cause"),
        "U_Y": bernoulli(label_noise, "label_noise"),
        "U_E": bernoulli(p_environment, "p_environment"),
    }
    equations = {
        "C1": (["U_C1"], lambda U_C1: U_C1),
        "C2": (["U_C2"], lambda U_C2: U_C2),
        "Y": (["C1", "C2", "U_Y"], lambda C1, C2, U_Y: (C1 | C2) ^ U_Y),
        "E": (["U_E"], lambda U_E: U_E),
    }
    for j, q in enumerate(noise, start=1):
        exogenous[f"U_N{j}_0"] = bernoulli(q, f"noise of N{j}")
        exogenous[f"U_N{j}_1"] = bernoulli(shifted_noise, "shifted_noise")
        equations[f"N{j}"] = (["Y", "E", f"U_N{j}_0", f"U_N{j}_1"], _effect_of_y(f"U_N{j}_0", f"U_N{j}_1"))
    return DiscreteSCM(exogenous, equations)


def _effect_of_y(noise_0: str, noise_1: str) -> Callable[..., int]:
    # A factory, so that each feature's equation reads its own noise (a loop lambda would share one).
    def equation(Y: int, E: int, **noise: int) -> int:
        return Y ^ noise[noise_1 if E else noise_0]

    return equation


def feature_names(n_noncausal: int) -> tuple[str, ...]:
    """``("C1", "C2", "N1", ..., "Nd")``: every feature of the records model, in order.

    Examples
    --------
    >>> feature_names(2)
    ('C1', 'C2', 'N1', 'N2')
    """
    return (*CAUSES, *(f"N{j}" for j in range(1, n_noncausal + 1)))


def draw(
    n_noncausal: int, n: int, rng: np.random.Generator, *, shifted: bool = False, **model: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Sample ``n`` records: features ``X`` (columns as :func:`feature_names`) and labels ``y``.

    ``shifted=True`` samples the environment ``do(E = 1)``, in which every
    non-causal feature has the shifted noise; ``model`` passes keyword
    arguments to :func:`records`.

    Examples
    --------
    >>> X, y = draw(3, 5, np.random.default_rng(0))
    >>> X.shape, y.shape
    ((5, 5), (5,))
    """
    frame = records(n_noncausal, **model).sample(n, rng, do={"E": 1} if shifted else None)
    return frame[list(feature_names(n_noncausal))].to_numpy(np.int64), frame[TARGET].to_numpy(np.int64)


def outcome_after(X: np.ndarray, y: np.ndarray, X_new: np.ndarray) -> np.ndarray:
    """Each unit's outcome had its features been set to ``X_new``: the unit-level counterfactual.

    In the records model :math:`Y := (C_1 \\lor C_2) \\oplus U_Y`, so one
    unit's noise is recovered exactly from its record (abduction),
    :math:`U_Y = Y \\oplus (C_1 \\lor C_2)`, and the action
    :math:`do(X := x')` gives

    .. math:: Y_{do(X := x')} = (C'_1 \\lor C'_2) \\oplus U_Y .

    The non-causal features are effects of :math:`Y`: setting them changes
    nothing upstream, whatever values ``X_new`` gives them. Columns are those
    of :func:`feature_names` (``C1, C2`` first).

    Examples
    --------
    >>> X = np.array([[1, 0, 1], [1, 0, 1]])
    >>> outcome_after(X, np.array([1, 1]), np.array([[0, 0, 1], [1, 0, 0]])).tolist()
    [0, 1]
    """
    X, X_new, y = np.asarray(X), np.asarray(X_new), np.asarray(y)
    if X.ndim != 2 or X.shape[1] < len(CAUSES) or X_new.shape != X.shape or y.shape != (len(X),):
        raise ValueError(f"X and X_new must be (n, k >= 2) arrays of one shape with y of shape (n,): "
                         f"got {X.shape}, {X_new.shape}, {y.shape}")
    for name, a in (("X", X), ("X_new", X_new), ("y", y)):
        bad = (a != 0) & (a != 1)
        if bad.any():
            raise ValueError(f"{name} must be binary (0/1), found the value {a[bad].flat[0]!r}")
    noise = y ^ (X[:, 0] | X[:, 1])
    return ((X_new[:, 0] | X_new[:, 1]) ^ noise).astype(np.int64)
