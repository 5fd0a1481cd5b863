"""Fairness under differential privacy: who pays for the noise, and which fairness survives it.

Chapter 8 trains lookup-table predictors on Laplace-noised counts (the
Laplace mechanism of :mod:`book.objectives.privacy`, sensitivity 2: one record
replaced; the chapter's simulation adds the scaled noise itself, so that curves
over :math:`\\varepsilon` share their draws) and asks what the noise does to
each *group*. Everything here works on one array, the population table

.. math:: T[a, x, y] = P(A = a,\\ X = x,\\ Y = y)

over the groups ``a`` of a binary attribute, the cells ``x`` of the features
a predictor reads *besides* the attribute, and the binary label ``y``
(:func:`group_table`). A (randomised) decision is an array ``h`` of approval
probabilities, of shape ``(2, cells)`` when it reads the attribute and
``(cells,)`` when it does not, possibly with leading repetition axes.

* :func:`policy_rates` gives each group's exact accuracy, true positive rate and
  approval rate of a decision; averaged over training sets they are the
  expected rates, because every rate is linear in ``h``;
* :func:`majority_vote_probability` is the closed form of the probability that
  the noisy majority vote of one cell approves, over training sets of ``n``
  records and the Laplace noise (:func:`laplace_difference_sf`), so
  :func:`expected_group_accuracy` is exact, not sampled;
* :func:`equal_opportunity_policy` sets group thresholds on an ordered feature
  from (noisy) counts of positives, so that each group's *estimated* true
  positive rate is a target (equal opportunity, Hardt et al., 2016);
* :func:`switch_gap` is the path-specific decision change of a decision array
  over a switch coupling (:func:`book.objectives.fairness.switch_coupling`);
* :func:`rate_release_error` is the exact mean absolute error of a DP release of
  group rates, given public group sizes: it grows as the group shrinks.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import binom

from book.objectives.privacy import SENSITIVITY
from book.scm import DiscreteSCM

__all__ = [
    "GroupPolicyRates",
    "equal_opportunity_policy",
    "expected_group_accuracy",
    "group_table",
    "laplace_difference_sf",
    "majority_vote_probability",
    "policy_rates",
    "rate_release_error",
    "switch_gap",
]


def _epsilon(epsilon: float) -> float:
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float | np.floating) or not epsilon > 0:
        raise ValueError(f"epsilon must be a positive number (or math.inf for no noise), got {epsilon!r}")
    return float(epsilon)


def _size(n: int, name: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")
    return int(n)


# ---------------------------------------------------------------------------- the population table
def group_table(scm: DiscreteSCM, attribute: str, features: Sequence[str], label: str) -> np.ndarray:
    """The table :math:`T[a, x, y] = P(A = a, X = x, Y = y)`, shape ``(2, cells, 2)``.

    Cells enumerate the states of ``features`` (which must not include
    ``attribute``) in :func:`itertools.product` order; an empty ``features``
    gives one cell.

    Examples
    --------
    >>> from book.models.lending import lending
    >>> T = group_table(lending(), "A", ["Q"], "Y")
    >>> T.shape, round(float(T.sum()), 6), round(float(T[1].sum()), 3)
    ((2, 4, 2), 1.0, 0.1)
    """
    features = tuple(features)
    if attribute in features or label in features:
        raise ValueError(f"features {features!r} must not contain the attribute {attribute!r} or the label {label!r}")
    a_states, y_states = scm.binary_states(attribute), scm.binary_states(label)
    cells = list(itertools.product(*(scm.states(f) for f in features)))
    joint = scm.joint([attribute, *features, label])
    table = np.zeros((2, len(cells), 2))
    index = {c: k for k, c in enumerate(cells)}
    for key, p in joint.items():
        table[a_states.index(key[0]), index[tuple(key[1:-1])], y_states.index(key[-1])] += p
    return table


def _table(table: np.ndarray) -> np.ndarray:
    table = np.asarray(table, dtype=float)
    if table.ndim != 3 or table.shape[0] != 2 or table.shape[2] != 2:
        raise ValueError(f"the population table must have shape (2, cells, 2), got {table.shape}")
    for a in (0, 1):
        if not table[a].sum() > 0:
            raise ValueError(f"group {a} is empty: the population table gives it probability 0")
    return table


# ---------------------------------------------------------------------------- rates of a decision
@dataclass(frozen=True)
class GroupPolicyRates:
    """Each group's exact rates under a decision; arrays whose last axis is the group (0, 1).

    Attributes
    ----------
    accuracy, tpr, approval : numpy.ndarray
        :math:`P(\\hat Y = Y \\mid A = a)`, :math:`P(\\hat Y = 1 \\mid Y = 1, A = a)`
        and :math:`P(\\hat Y = 1 \\mid A = a)`.
    overall : numpy.ndarray
        :math:`P(\\hat Y = Y)`.
    """

    accuracy: np.ndarray
    tpr: np.ndarray
    approval: np.ndarray
    overall: np.ndarray

    @property
    def opportunity_gap(self) -> np.ndarray:
        """Equal opportunity's gap :math:`|\\mathrm{TPR}_1 - \\mathrm{TPR}_0|`."""
        return np.abs(self.tpr[..., 1] - self.tpr[..., 0])

    @property
    def parity_gap(self) -> np.ndarray:
        """Demographic parity's gap :math:`|P(\\hat Y = 1 \\mid A = 1) - P(\\hat Y = 1 \\mid A = 0)|`."""
        return np.abs(self.approval[..., 1] - self.approval[..., 0])


def policy_rates(table: np.ndarray, h: np.ndarray) -> GroupPolicyRates:
    """Exact per-group rates of the decision ``h`` (approval probability per group and cell, or per cell).

    .. math:: \\mathrm{acc}_a = \\frac{\\sum_x T[a, x, 1]\\, h_a(x) + T[a, x, 0]\\,(1 - h_a(x))}{\\sum_{x,y} T[a, x, y]}

    .. math:: \\mathrm{TPR}_a = \\frac{\\sum_x T[a, x, 1]\\, h_a(x)}{\\sum_x T[a, x, 1]}

    ``h`` has shape ``(..., 2, cells)`` (reads the attribute) or
    ``(..., cells)`` (does not); leading axes are kept. Each rate is linear in
    ``h``, so the rates of the *expected* decision are the expected rates.

    Raises
    ------
    ValueError
        For a table of the wrong shape, an empty group, a group without
        positives, or approval probabilities outside [0, 1].

    Examples
    --------
    >>> T = np.array([[[0.3, 0.2], [0.1, 0.2]], [[0.1, 0.0], [0.0, 0.1]]])
    >>> r = policy_rates(T, np.array([0.0, 1.0]))  # approve cell 1 only, whatever the group
    >>> r.accuracy.round(3).tolist(), r.tpr.round(3).tolist()
    ([0.625, 1.0], [0.5, 1.0])
    """
    table = _table(table)
    h = np.asarray(h, dtype=float)
    if np.any((h < 0) | (h > 1)):
        raise ValueError(f"approval probabilities must lie in [0, 1], found {h[(h < 0) | (h > 1)].flat[0]!r}")
    cells = table.shape[1]
    if h.shape[-1] != cells:
        raise ValueError(f"h has {h.shape[-1]} cells, the table {cells}")
    if h.ndim == 1 or h.shape[-2:] != (2, cells):
        h = np.stack([h, h], axis=-2)  # the decision does not read the attribute
    positives, negatives = table[:, :, 1], table[:, :, 0]
    if not np.all(positives.sum(axis=1) > 0):
        raise ValueError("a group has no positives: its true positive rate is undefined")
    size = table.sum(axis=(1, 2))
    right = (positives * h + negatives * (1.0 - h)).sum(axis=-1)
    return GroupPolicyRates(
        accuracy=right / size,
        tpr=(positives * h).sum(axis=-1) / positives.sum(axis=1),
        approval=(table.sum(axis=2) * h).sum(axis=-1) / size,
        overall=right.sum(axis=-1),
    )


# ---------------------------------------------------------------------------- the noisy majority vote
def laplace_difference_sf(z: np.ndarray | float, scale: float) -> np.ndarray:
    """:math:`P(L_1 - L_0 > z)` for independent :math:`L_0, L_1 \\sim \\mathrm{Laplace}(b)`, :math:`b` = ``scale``.

    The difference has density :math:`\\frac{1}{4b}(1 + |z|/b)\\, e^{-|z|/b}`, so

    .. math:: P(L_1 - L_0 > z) = \\tfrac14 (2 + z/b)\\, e^{-z/b} \\quad (z \\ge 0),

    and :math:`1 - P(L_1 - L_0 > -z)` for :math:`z < 0`.

    Examples
    --------
    >>> laplace_difference_sf(np.array([0.0, 2.0]), 2.0).round(4).tolist()
    [0.5, 0.2759]
    """
    if not (isinstance(scale, int | float | np.floating) and math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive finite number, got {scale!r}")
    z = np.asarray(z, dtype=float)
    a = np.abs(z) / scale
    tail = 0.25 * (2.0 + a) * np.exp(-a)
    return np.where(z >= 0, tail, 1.0 - tail)


def majority_vote_probability(
    n: int, p_negative: float, p_positive: float, epsilon: float, *, sensitivity: float = SENSITIVITY
) -> float:
    """Probability that one cell's noisy majority vote approves, over training sets and noise.

    A training set of ``n`` i.i.d. records puts :math:`N_1` positives and
    :math:`N_0` negatives in the cell (probabilities ``p_positive`` and
    ``p_negative`` per record); the Laplace mechanism releases
    :math:`N_y + L_y`, :math:`L_y \\sim \\mathrm{Laplace}(\\Delta / \\varepsilon)`, and
    the cell approves when :math:`N_1 + L_1 > N_0 + L_0`. With
    :math:`D = N_1 - N_0`,

    .. math:: P(\\text{approve}) = \\sum_d P(D = d)\\, P(L_1 - L_0 > -d)

    (:func:`laplace_difference_sf`); :math:`D` is computed exactly from
    :math:`M = N_0 + N_1 \\sim \\mathrm{Bin}(n, p_0 + p_1)` and
    :math:`N_1 \\mid M \\sim \\mathrm{Bin}(M, p_1 / (p_0 + p_1))` (binomial tails
    below :math:`10^{-15}` are dropped). Without noise (``epsilon = math.inf``)
    a tie, including an empty cell, denies.

    Examples
    --------
    >>> round(majority_vote_probability(10, 0.3, 0.7, math.inf), 4)  # P(Bin(10, 0.7) > 5)
    0.8497
    >>> round(majority_vote_probability(10, 0.0, 0.0, 1.0), 4)  # an empty cell: a coin
    0.5
    """
    n, epsilon = _size(n), _epsilon(epsilon)
    for name, p in (("p_negative", p_negative), ("p_positive", p_positive)):
        if not (isinstance(p, int | float | np.floating) and 0.0 <= p <= 1.0):
            raise ValueError(f"{name} must be a probability, got {p!r}")
    mass = p_negative + p_positive
    if mass > 1.0 + 1e-12:
        raise ValueError(f"p_negative + p_positive must be at most 1, got {mass!r}")
    if mass <= 0.0:
        d_values, d_probs = np.array([0.0]), np.array([1.0])
    else:
        m_dist = binom(n, min(mass, 1.0))
        lo, hi = int(m_dist.ppf(1e-15)), int(m_dist.isf(1e-15)) + 1
        ms = np.arange(max(lo - 1, 0), min(hi + 1, n) + 1)
        k = np.arange(ms.max() + 1)
        pk = binom.pmf(k[None, :], ms[:, None], p_positive / mass) * m_dist.pmf(ms)[:, None]  # P(M = m, N1 = k)
        d = 2 * k[None, :] - ms[:, None]
        d_values, d_probs = d.ravel().astype(float), pk.ravel()
    if math.isinf(epsilon):
        return float(min(d_probs[d_values > 0].sum(), 1.0))
    return float(np.clip(np.sum(d_probs * laplace_difference_sf(-d_values, sensitivity / epsilon)), 0.0, 1.0))


def expected_group_accuracy(table: np.ndarray, n: int, epsilon: float, *, reads_attribute: bool) -> np.ndarray:
    """Exact expected accuracy of each group for the noisy majority-vote lookup table.

    The predictor counts the training records of each (cell, label), releases
    the counts with the Laplace mechanism and approves a cell when its noisy
    positives exceed its noisy negatives. Its cells are ``(a, x)`` when it
    reads the attribute and ``x`` (pooling the groups) when it does not. The
    expected accuracy over training sets of ``n`` records and the noise is
    :func:`policy_rates` of the approval probabilities
    :func:`majority_vote_probability`, because accuracy is linear in the decision.

    Returns
    -------
    numpy.ndarray
        ``[accuracy of group 0, accuracy of group 1]``.

    Examples
    --------
    >>> from book.models.lending import lending
    >>> T = group_table(lending(), "A", ["Q"], "Y")
    >>> expected_group_accuracy(T, 200, 0.5, reads_attribute=True).round(3).tolist()
    [0.715, 0.574]
    """
    table = _table(table)
    if reads_attribute:
        h = np.array([[majority_vote_probability(n, *table[a, x], epsilon) for x in range(table.shape[1])]
                      for a in (0, 1)])
    else:
        pooled = table.sum(axis=0)
        h = np.array([majority_vote_probability(n, *pooled[x], epsilon) for x in range(table.shape[1])])
    return policy_rates(table, h).accuracy


# ---------------------------------------------------------------------------- equal opportunity by thresholds
def equal_opportunity_policy(positives: np.ndarray, target: float) -> np.ndarray:
    """Group thresholds on an ordered feature that give each group the estimated TPR ``target``.

    ``positives[..., a, q]`` are (noisy) counts of positives of group ``a`` at
    level ``q`` (clipped at 0 here). Each group approves the levels above a
    threshold :math:`t_a` and the level :math:`t_a` itself with probability
    :math:`\\theta_a`, chosen so that

    .. math:: \\widehat{\\mathrm{TPR}}_a
              = \\frac{\\sum_{q > t_a} m_{a,q} + \\theta_a\\, m_{a,t_a}}{\\sum_q m_{a,q}} = \\tau .

    A group whose clipped counts are all 0 gets the lottery :math:`h = \\tau`
    at every level. On the true counts of the population the result has equal
    true positive rates exactly (Hardt et al.'s post-processing, for one ordered score).

    Examples
    --------
    >>> equal_opportunity_policy(np.array([[10.0, 30.0, 60.0], [50.0, 30.0, 20.0]]), 0.8).round(3).tolist()
    [[0.0, 0.667, 1.0], [0.6, 1.0, 1.0]]
    """
    if not (isinstance(target, int | float) and 0.0 < target < 1.0):
        raise ValueError(f"target must be a true positive rate strictly between 0 and 1, got {target!r}")
    m = np.maximum(np.asarray(positives, dtype=float), 0.0)
    if m.ndim < 2 or m.shape[-2] != 2:
        raise ValueError(f"positives must have shape (..., 2, levels), got {m.shape}")
    total = m.sum(axis=-1, keepdims=True)
    share = np.divide(m, total, out=np.zeros_like(m), where=total > 0)
    above = np.flip(np.cumsum(np.flip(share, -1), -1), -1) - share  # estimated TPR of approving levels > q
    # (target - above) / share is >= 1 for levels whose approval keeps the estimate <= target (approved in
    # full), <= 0 for levels below the threshold, and theta in between; a level without positives is
    # approved exactly when the levels above it fall short of the target.
    theta = np.divide(target - above, share, out=np.zeros_like(share), where=share > 0)
    h = np.where(share > 0, np.clip(theta, 0.0, 1.0), (above < target).astype(float))
    return np.where(total > 0, h, target)


# ---------------------------------------------------------------------------- the path-specific gap
def switch_gap(h: np.ndarray, coupling: Mapping[tuple[Any, Any], float], cells: Sequence[Any]) -> np.ndarray:
    """Path-specific decision change of a decision array: :math:`\\sum_{x, x'} w(x, x')\\, |h(x) - h(x')|`.

    ``h[..., k]`` is the approval probability of ``cells[k]`` (the feature
    values of :func:`book.objectives.fairness.switch_coupling`'s coupling,
    including the attribute when the decision reads it); leading axes are kept.
    With a shared lottery this is :func:`book.objectives.fairness.decision_change`,
    vectorised over repetitions.

    Examples
    --------
    >>> w = {((0,), (1,)): 0.25, ((1,), (1,)): 0.75}
    >>> float(switch_gap(np.array([0.0, 1.0]), w, [(0,), (1,)]))
    0.25
    """
    index = {tuple(c): k for k, c in enumerate(cells)}
    h = np.asarray(h, dtype=float)
    if h.shape[-1] != len(index):
        raise ValueError(f"h has {h.shape[-1]} cells, but {len(index)} cells were named")
    missing = [x for pair in coupling for x in pair if tuple(x) not in index]
    if missing:
        raise ValueError(f"the coupling has feature values {missing[0]!r} that are not among the cells")
    pairs = [(index[tuple(x)], index[tuple(x2)], w) for (x, x2), w in coupling.items() if w > 0]
    i, j, w = (np.array(v) for v in zip(*pairs, strict=True))
    return np.sum(w * np.abs(h[..., i] - h[..., j]), axis=-1)


# ---------------------------------------------------------------------------- the audit's release
def rate_release_error(group_size: int, epsilon: float) -> float:
    """Mean absolute error of an :math:`\\varepsilon`-DP release of one group's rate (Laplace mechanism).

    A rate over a group of size :math:`n_a` (an approval rate, a true positive
    rate over the group's positives) moves by at most :math:`1/n_a` when one
    member's record is replaced by another with the same group (and, for a true
    positive rate, the same label), so the Laplace mechanism adds noise of scale
    :math:`b = 1/(\\varepsilon n_a)`, whose mean absolute value is :math:`b`:

    .. math:: E\\,|\\hat r_a - r_a| = \\frac{1}{\\varepsilon\\, n_a}

    This assumes that :math:`n_a` is public and that neighbouring data sets keep
    every record's group and label: it protects neither. Under ordinary
    replace-one neighbours a record can move between groups, changing both rates
    and both denominators. Under the stated neighbours the groups are disjoint,
    so releasing every group's rate this way is
    :math:`\\varepsilon`-DP (parallel composition), and the error of the released
    gap :math:`\\hat r_1 - \\hat r_0` is
    :math:`E|L_1 - L_0| = (b_0^2 + b_0 b_1 + b_1^2)/(b_0 + b_1)`, at least the larger
    of the two scales: the small group sets it.

    Examples
    --------
    >>> rate_release_error(50, 1.0), rate_release_error(500, 1.0)
    (0.02, 0.002)
    """
    return 1.0 / (_epsilon(epsilon) * _size(group_size, "group_size"))
