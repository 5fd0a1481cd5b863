"""Partial identification: sharp bounds by linear programming over response functions.

A binary attribute ``A`` causes a binary variable ``X`` (a feature, or an
outcome). Whatever the hidden background, every unit is one of eight *atoms*
:math:`(a, r_0, r_1)`: its attribute :math:`a` and its *response function*
:math:`r`, the value :math:`r_{a'}` that ``X`` would take were ``A`` set to
:math:`a'` (never, compliant, defiant, always). Any SCM over ``A -> X``, with
any hidden common cause, is a distribution :math:`q` over the atoms, and every
such :math:`q` is an SCM (:func:`response_scm`); so the bounds below, the
minimum and maximum of a linear target over every :math:`q` that reproduces the
data, are *sharp* (Balke and Pearl 1994).

The data are linear constraints on :math:`q`:

.. math::

    P(A = a, X = x) &= \\sum_{r:\\ r_a = x} q(a, r) && \\text{(observational)}\\\\
    P(X_{A \\leftarrow a'} = 1) &= \\sum_{a} \\sum_{r:\\ r_{a'} = 1} q(a, r) && \\text{(interventional)}

and a sensitivity assumption bounds the confounding by :math:`\\delta`:
:math:`|P(X_{a'} = 1 \\mid A = 1) - P(X_{a'} = 1 \\mid A = 0)| \\le \\delta` for
each :math:`a'` (linear once multiplied by the known :math:`P(A = a)`).
:math:`\\delta = 0` is "no confounding of the marginals", :math:`\\delta = 1`
assumes nothing.

The two targets (:data:`TARGETS`):

* ``"flip"``, the counterfactual-fairness gap of the predictor
  :math:`\\hat Y = X`: :math:`P(X_{A \\leftarrow 1 - A} \\ne X) = \\sum_{r_0 \\ne r_1} q`;
* ``"effect"``, the effect of ``A`` on ``X`` along the edge (the unfair-path
  gap when the edge is declared unfair):
  :math:`P(X_{A \\leftarrow 1} = 1) - P(X_{A \\leftarrow 0} = 1)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import linprog

from book.objectives.fairness import decision_change, edges_out_of, switch_coupling
from book.predictors import Predictor
from book.scm import TOLERANCE, DiscreteSCM

__all__ = [
    "ATOMS",
    "TARGETS",
    "Bounds",
    "data_of",
    "optimal_weights",
    "random_weights",
    "response_bounds",
    "response_scm",
    "true_value",
]

#: The atoms ``(a, r0, r1)``: the attribute and the response function of ``X``.
ATOMS: tuple[tuple[int, int, int], ...] = tuple((a, r0, r1) for a in (0, 1) for r0 in (0, 1) for r1 in (0, 1))
Target = Literal["flip", "effect"]
#: The targets :func:`response_bounds` bounds.
TARGETS: tuple[str, ...] = ("flip", "effect")


@dataclass(frozen=True)
class Bounds:
    """A sharp interval ``[low, high]`` for a target."""

    low: float
    high: float

    @property
    def width(self) -> float:
        """``high - low``."""
        return self.high - self.low

    def contains(self, value: float, tolerance: float = 1e-7) -> bool:
        """Whether ``low - tolerance <= value <= high + tolerance``."""
        return self.low - tolerance <= value <= self.high + tolerance


def _objective(target: str) -> np.ndarray:
    if target == "flip":
        return np.array([float(r0 != r1) for _, r0, r1 in ATOMS])
    if target == "effect":
        return np.array([float(r1 - r0) for _, r0, r1 in ATOMS])
    raise ValueError(f"target must be one of {TARGETS}, got {target!r}")


def _check_probability(value: float, what: str) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{what} must be a probability, got {value!r}")
    return value


def response_bounds(
    observed: Mapping[tuple[int, int], float],
    target: Target = "flip",
    *,
    interventional: Mapping[int, float] | None = None,
    confounding: float = 1.0,
) -> Bounds:
    """Sharp bounds on ``target`` over every SCM ``A -> X`` that reproduces the data.

    .. math:: \\min_q / \\max_q\\ c^\\top q \\quad \\text{s.t.}\\quad q \\ge 0,\\
              \\text{observational, interventional and confounding constraints}

    (see the module docstring), solved with :func:`scipy.optimize.linprog`.

    Parameters
    ----------
    observed : mapping
        ``(a, x) -> P(A = a, X = x)`` for the four cells; sums to one.
    target : {"flip", "effect"}
        The counterfactual-fairness gap of :math:`\\hat Y = X`, or the effect of ``A`` on ``X``.
    interventional : mapping, optional
        ``a -> P(X = 1 | do(A = a))`` for the arms an experiment measured (one or both).
    confounding : float
        :math:`\\delta` in [0, 1]; 1 (the default) assumes nothing.

    Raises
    ------
    ValueError
        For an unknown target, a missing or negative cell, marginals that do
        not sum to one, an arm other than 0 or 1, a value outside [0, 1],
        ``confounding < 1`` when a group has probability 0 (nothing to compare),
        or data no SCM reproduces (inconsistent observational and interventional
        marginals, or data that contradict the confounding assumption, which the
        message then names).

    Examples
    --------
    >>> obs = {(0, 0): 0.35, (0, 1): 0.15, (1, 0): 0.15, (1, 1): 0.35}
    >>> b = response_bounds(obs, "effect")
    >>> round(b.low, 3), round(b.high, 3)
    (-0.3, 0.7)
    >>> b = response_bounds(obs, "effect", interventional={0: 0.3, 1: 0.7})
    >>> round(b.low, 3), round(b.high, 3)
    (0.4, 0.4)
    """
    (low, _), (high, _) = _optimise(observed, target, interventional, confounding)
    return Bounds(low, high)


def optimal_weights(
    observed: Mapping[tuple[int, int], float],
    target: Target,
    end: Literal["low", "high"],
    *,
    interventional: Mapping[int, float] | None = None,
    confounding: float = 1.0,
) -> dict[tuple[int, int, int], float]:
    """The atom distribution at which :func:`response_bounds` attains its ``end`` (a witness of sharpness).

    ``response_scm(optimal_weights(...))`` is an SCM that reproduces the data and
    whose :func:`true_value` is the bound; the arguments and errors are those of
    :func:`response_bounds`, plus ``end`` in ``{"low", "high"}``.

    Examples
    --------
    >>> obs = {(0, 0): 0.35, (0, 1): 0.15, (1, 0): 0.15, (1, 1): 0.35}
    >>> q = optimal_weights(obs, "flip", "high", interventional={0: 0.3, 1: 0.7})
    >>> round(true_value(response_scm(q), "flip"), 3)
    1.0
    """
    if end not in ("low", "high"):
        raise ValueError(f"end must be 'low' or 'high', got {end!r}")
    low, high = _optimise(observed, target, interventional, confounding)
    x = (low if end == "low" else high)[1]
    return {atom: float(max(v, 0.0)) for atom, v in zip(ATOMS, x, strict=True)}


def _optimise(
    observed: Mapping[tuple[int, int], float],
    target: str,
    interventional: Mapping[int, float] | None,
    confounding: float,
) -> tuple[tuple[float, np.ndarray], tuple[float, np.ndarray]]:
    c = _objective(target)
    cells = [(a, x) for a in (0, 1) for x in (0, 1)]
    if set(observed) != set(cells):
        raise ValueError(f"observed must have exactly the cells {cells}, got {sorted(observed)!r}")
    p = {cell: _check_probability(observed[cell], f"P(A, X) at {cell}") for cell in cells}
    if abs(sum(p.values()) - 1.0) > TOLERANCE:
        raise ValueError(f"observed probabilities must sum to 1, got {sum(p.values())!r}")
    delta = _check_probability(confounding, "confounding")
    rows, rhs = [], []
    for a, x in cells:
        rows.append([float(aa == a and (r0, r1)[a] == x) for aa, r0, r1 in ATOMS])
        rhs.append(p[(a, x)])
    for arm, value in (interventional or {}).items():
        if arm not in (0, 1):
            raise ValueError(f"interventional arms must be 0 or 1, got {arm!r}")
        rows.append([float((r0, r1)[arm] == 1) for _, r0, r1 in ATOMS])
        rhs.append(_check_probability(value, f"P(X = 1 | do(A = {arm}))"))
    upper, upper_rhs = [], []
    pa = (p[(0, 0)] + p[(0, 1)], p[(1, 0)] + p[(1, 1)])
    if delta < 1.0 and min(pa) == 0:
        raise ValueError(f"confounding={delta!r} compares the two groups, but P(A = {pa.index(min(pa))}) = 0; "
                         "use confounding=1.0")
    if delta < 1.0:
        for arm in (0, 1):
            # P(X_arm = 1, A = 1) / P(A = 1) - P(X_arm = 1, A = 0) / P(A = 0), within +-delta
            d = [float((r0, r1)[arm] == 1) * (1 / pa[1] if aa == 1 else -1 / pa[0]) for aa, r0, r1 in ATOMS]
            upper += [d, [-v for v in d]]
            upper_rhs += [delta, delta]
    out = []
    for sign in (1.0, -1.0):
        res = linprog(sign * c, A_ub=np.array(upper) if upper else None, b_ub=upper_rhs or None,
                      A_eq=np.array(rows), b_eq=np.array(rhs), bounds=(0, 1), method="highs")
        if res.status != 0:
            assumption = (f" under the confounding assumption delta = {delta!r} (the groups' potential "
                          "pass rates differ by at most delta)") if delta < 1.0 else ""
            raise ValueError(
                f"no SCM reproduces these data{assumption} (observed={dict(observed)!r}, "
                f"interventional={dict(interventional or {})!r}, confounding={delta!r}): {res.message}"
            )
        out.append((float(np.round(sign * res.fun, 12)) + 0.0, res.x))  # no solver dust, no -0.0
    return out[0], out[1]


def response_scm(weights: Mapping[tuple[int, int, int], float]) -> DiscreteSCM:
    """The SCM of an atom distribution: :math:`U \\sim q`, :math:`A := a(U)`, :math:`X := r_A(U)`.

    The hidden ``U`` is a common cause of ``A`` and ``X`` unless ``q`` factorises.

    Examples
    --------
    >>> m = response_scm({(0, 0, 1): 0.5, (1, 0, 1): 0.5})  # everyone complies
    >>> m.query("X")[1]
    0.5
    """
    if set(weights) - set(ATOMS):
        raise ValueError(f"unknown atoms {sorted(set(weights) - set(ATOMS))!r}; atoms are {ATOMS}")
    noise = {i: float(weights.get(atom, 0.0)) for i, atom in enumerate(ATOMS)}
    return DiscreteSCM(
        exogenous={"U": noise},
        equations={
            "A": (["U"], lambda U: ATOMS[U][0]),
            "X": (["A", "U"], lambda A, U: ATOMS[U][1 + A]),
        },
    )


def data_of(scm: DiscreteSCM, attribute: str = "A", variable: str = "X") -> tuple[dict, dict]:
    """What data can show of an SCM: ``P(A, X)`` and ``P(X = 1 | do(A = a))`` for both arms.

    Examples
    --------
    >>> obs, exp = data_of(response_scm({(0, 0, 1): 0.5, (1, 0, 1): 0.5}))
    >>> obs[(1, 1)], exp
    (0.5, {0: 0.0, 1: 1.0})
    """
    joint = scm.joint([attribute, variable])
    observed = {(a, x): float(joint.get((a, x), 0.0)) for a in (0, 1) for x in (0, 1)}
    experiment = {a: float(scm.do({attribute: a}).query(variable)[1]) for a in (0, 1)}
    return observed, experiment


def true_value(scm: DiscreteSCM, target: Target, attribute: str = "A", variable: str = "X") -> float:
    """The target computed on the SCM itself (rung 3 for ``"flip"``, rung 2 for ``"effect"``).

    ``"flip"`` is :func:`book.objectives.fairness.decision_change` of the
    predictor :math:`\\hat Y = X` under the full counterfactual switch of ``A``.

    Examples
    --------
    >>> round(true_value(response_scm({(0, 0, 1): 0.5, (1, 1, 0): 0.5}), "flip"), 3)
    1.0
    """
    if target == "effect":
        return float(scm.do({attribute: 1}).query(variable)[1] - scm.do({attribute: 0}).query(variable)[1])
    if target != "flip":
        raise ValueError(f"target must be one of {TARGETS}, got {target!r}")
    identity = Predictor((variable,), {(0,): 0, (1,): 1}, (0, 1))
    coupling = switch_coupling(scm, [variable], attribute, edges_out_of(scm, attribute))
    return float(decision_change(identity, coupling))


def random_weights(rng: np.random.Generator) -> dict[tuple[int, int, int], float]:
    """A random atom distribution (flat Dirichlet), i.e. a random SCM over ``A -> X`` with confounding.

    Examples
    --------
    >>> w = random_weights(np.random.default_rng(0))
    >>> round(sum(w.values()), 6)
    1.0
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {rng!r}")
    return dict(zip(ATOMS, (float(v) for v in rng.dirichlet(np.ones(len(ATOMS)))), strict=True))
