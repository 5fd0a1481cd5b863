"""Recourse by enumeration: what should a refused individual change?

Two answers (Karimi, Schölkopf & Valera, 2021):

* the *nearest counterfactual point* (Wachter, Mittelstadt & Russell, 2017):
  the cheapest feature vector :math:`x'` that the predictor accepts, each
  feature edited independently of the others,
  :math:`\\min_{x'} c(x, x')` subject to :math:`h(x') = 1`;
* the *minimal causal intervention*: the cheapest action
  :math:`a = do(X_A = \\theta)` on actionable features such that the
  individual's decision flips *in the SCM*, where the individual's
  exogenous noise is kept (abduction on the observed features) and every
  feature downstream of the action moves with it,
  :math:`\\min_a c(x, a)` subject to
  :math:`P(\\hat Y_{a} = 1 \\mid X = x) \\ge \\tau`.

An advice is judged by acting on it: :func:`evaluate` intervenes on the
features the advice changes, lets the SCM move everything else, and reports
the cost and two validities, computed exactly on the twin network:

* decision validity :math:`P(\\hat Y_{a} = 1 \\mid X = x)`: does the model
  then accept?
* outcome validity :math:`P(Y_{a} = 1 \\mid X = x)`: would the individual
  then actually repay?

The two validities separate *gaming* from *improvement* (Miller, Milli &
Hardt, 2020, who read adaptation as an intervention and tell the two apart
by whether the outcome moves): an action with high decision validity and
unchanged outcome validity games the model. Improvement-focused recourse
(König, Freiesleben & Grosse-Wentrup, 2023) asks for the outcome to move;
:func:`causal_recourse` searches for it when its ``prediction`` argument
names the outcome instead of the decision.

The threshold :math:`\\tau` on a probability of success follows Karimi, von
Kügelgen, Schölkopf & Valera (2020), who ask for recourse that succeeds with
high probability because, with the structural equations unknown, it cannot be
guaranteed. Here the setting differs: the SCM, equations included, is known,
and the remaining uncertainty is the individual's exogenous noise, which the
observed features need not pin down.

Costs are weighted L1 distances over the features an action sets,
:math:`c(x, a) = \\sum_{j \\in A} w_j |\\theta_j - x_j|`: the effort of the
actions taken, not of the changes they cause downstream.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from book.predictors import Predictor
from book.scm import TOLERANCE, DiscreteSCM

__all__ = ["Plan", "action_cost", "causal_recourse", "evaluate", "hypercube_counterfactuals", "nearest_counterfactual"]


@dataclass(frozen=True)
class Plan:
    """An advice and what happens when the individual acts on it.

    Attributes
    ----------
    method : str
        Which search produced it.
    action : dict
        The features to set and their new values (empty: no feasible advice).
    cost : float
        :math:`c(x, a)`.
    decision_validity : float
        :math:`P(\\hat Y_a = \\text{desired} \\mid X = x)` after acting.
    outcome_validity : float
        :math:`P(Y_a = \\text{desired} \\mid X = x)` after acting.
    """

    method: str
    action: Mapping[str, Any]
    cost: float
    decision_validity: float
    outcome_validity: float

    @property
    def advice(self) -> str:
        """The action in words, e.g. ``"set X1 to 2"``."""
        if not self.action:
            return "no feasible action"
        return ", ".join(f"set {k} to {v}" for k, v in self.action.items())

    def __repr__(self) -> str:
        return (
            f"{self.method}: {self.advice}; cost {self.cost:.2f}; model accepts with probability "
            f"{self.decision_validity:.3f}; repays with probability {self.outcome_validity:.3f}"
        )


def _numeric(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"feature {name!r} has the non-numeric value {value!r}: costs need ordered numbers")
    return float(value)


def action_cost(x: Mapping[str, Any], action: Mapping[str, Any], weights: Mapping[str, float]) -> float:
    """Weighted L1 cost of an action: :math:`\\sum_{j \\in A} w_j |\\theta_j - x_j|`.

    Examples
    --------
    >>> action_cost({"X1": 0, "X2": 1}, {"X1": 2}, {"X1": 1.5, "X2": 1.0})
    3.0
    """
    total = 0.0
    for name, value in action.items():
        if name not in weights:
            raise ValueError(f"no cost weight for feature {name!r}: it is not actionable")
        if name not in x:
            raise ValueError(f"the individual gives no value for feature {name!r}")
        if not (math.isfinite(weights[name]) and weights[name] >= 0):
            raise ValueError(f"cost weight of {name!r} must be a finite non-negative number, got {weights[name]!r}")
        if value == x[name]:
            # Holding a feature at its value would be priced at 0 although preventing change is not free.
            raise ValueError(f"the action sets {name!r} to its current value {value!r}; leave it out")
        total += weights[name] * abs(_numeric(value, name) - _numeric(x[name], name))
    return total


def _candidate_actions(
    states: Mapping[str, Sequence[Any]], x: Mapping[str, Any], weights: Mapping[str, float]
) -> list[dict[str, Any]]:
    # Every non-empty action on the actionable features, cheapest (then smallest) first, so a search
    # can stop at the first acceptable one. Remaining ties keep itertools.product's order with "no
    # change" first for each feature: an action on a later-declared feature comes first.
    names = list(weights)
    options = [[None, *(v for v in states[n] if v != x[n])] for n in names]
    out = []
    for k, combo in enumerate(itertools.product(*options)):
        action = {n: v for n, v in zip(names, combo, strict=True) if v is not None}
        if action:
            out.append((round(action_cost(x, action, weights), 12), len(action), k, action))
    out.sort(key=lambda t: t[:3])
    return [a for *_, a in out]


def _check(scm: DiscreteSCM, x: Mapping[str, Any], weights: Mapping[str, float]) -> None:
    if not weights:
        raise ValueError("no actionable feature: give at least one cost weight")
    for name in weights:
        if name not in x:
            raise ValueError(f"actionable feature {name!r} is not among the individual's features {list(x)!r}")
    for name, value in x.items():
        if value not in scm.states(name):
            raise ValueError(f"value {value!r} of {name!r} is not among its states {scm.states(name)!r}")


def evaluate(
    scm: DiscreteSCM,
    x: Mapping[str, Any],
    action: Mapping[str, Any],
    *,
    weights: Mapping[str, float],
    prediction: str = "Yhat",
    outcome: str = "Y",
    desired: Any = 1,
    method: str = "plan",
) -> Plan:
    """Act on ``action`` for the individual ``x`` in the SCM and report cost and validity.

    Abduction conditions the exogenous noise on the observed features ``x``;
    the action intervenes on its features only, so the features downstream of
    it move as the individual's own mechanisms dictate.

    .. math:: \\text{validity} = P(V_{do(a)} = \\text{desired} \\mid X = x),
              \\quad V \\in \\{\\hat Y, Y\\}

    An empty action means "do nothing" (validities of the factual world).
    """
    _check(scm, x, weights)
    cost = action_cost(x, action, weights)
    if action:
        decision = scm.counterfactual(prediction, evidence=dict(x), do=dict(action))[desired]
        real = scm.counterfactual(outcome, evidence=dict(x), do=dict(action))[desired]
    else:
        decision = scm.query(prediction, evidence=dict(x))[desired]
        real = scm.query(outcome, evidence=dict(x))[desired]
    return Plan(method, dict(action), cost, decision, real)


def nearest_counterfactual(
    predictor: Predictor,
    x: Mapping[str, Any],
    *,
    states: Mapping[str, Sequence[Any]],
    weights: Mapping[str, float],
    desired: Any = 1,
) -> dict[str, Any]:
    """The cheapest independent edit of the features that the predictor accepts.

    .. math:: \\arg\\min_{x'} \\sum_j w_j |x'_j - x_j| \\quad\\text{s.t.}\\quad h(x') = \\text{desired},
              \\; x'_j = x_j \\text{ for non-actionable } j

    It needs no causal model: every feature is edited as if it could move
    alone. Ties go to fewer changed features, then to the action on the later-declared
    features (with ``X1`` and ``X2`` at equal cost, ``X2`` is edited).

    Parameters
    ----------
    predictor : Predictor
        The deployed decision rule (feature tuple -> label).
    x : mapping
        The individual's feature values (at least the predictor's features).
    states : mapping of str to sequence
        The values each actionable feature can take.
    weights : mapping of str to float
        Cost per unit change of each actionable feature.

    Returns
    -------
    dict
        The features to change and their new values; empty if none works.

    Examples
    --------
    >>> h = Predictor(("X1", "X2"), {(a, b): int(a + b >= 2) for a in range(3) for b in range(3)}, (0, 1))
    >>> nearest_counterfactual(h, {"X1": 0, "X2": 1}, states={"X1": range(3), "X2": range(3)},
    ...                        weights={"X1": 2.0, "X2": 1.0})
    {'X2': 2}
    """
    if not weights:
        raise ValueError("no actionable feature: give at least one cost weight")
    for name in predictor.features:
        if name not in x:
            raise ValueError(f"the individual gives no value for feature {name!r}")
    for name in weights:
        if name not in states:
            raise ValueError(f"no states given for actionable feature {name!r}")
        if x.get(name) not in list(states[name]):
            raise ValueError(f"value {x.get(name)!r} of {name!r} is not among its states {list(states[name])!r}")
    for position, name in enumerate(predictor.features):
        # A feature the search never edits keeps the individual's value: it must be one the predictor knows.
        known = {key[position] for key in predictor.table}
        if name not in weights and x[name] not in known:
            raise ValueError(f"value {x[name]!r} of {name!r} is not among the predictor's states {sorted(known)!r}")
    for action in _candidate_actions(states, x, weights):
        point = {**x, **action}
        if predictor(**{f: point[f] for f in predictor.features}) == desired:
            return action
    return {}


def causal_recourse(
    scm: DiscreteSCM,
    x: Mapping[str, Any],
    *,
    weights: Mapping[str, float],
    prediction: str = "Yhat",
    desired: Any = 1,
    min_validity: float = 1.0,
) -> dict[str, Any]:
    """The cheapest intervention on actionable features that flips the decision in the SCM.

    .. math:: \\arg\\min_{a = do(X_A = \\theta)} \\sum_{j \\in A} w_j |\\theta_j - x_j|
              \\quad\\text{s.t.}\\quad P(\\hat Y_{a} = \\text{desired} \\mid X = x) \\ge \\tau

    Actions are enumerated from the cheapest; each is checked on the twin
    network (abduction on ``x``, the action, prediction), so features downstream
    of the action move with it. ``min_validity`` is :math:`\\tau` (1 = the
    decision flips for certain, up to rounding); the probability is taken over
    the individual's exogenous noise given ``x``, in a model whose equations are
    known. With ``prediction`` set to the outcome (e.g. ``"Y"``) the search
    targets outcome validity instead: the cheapest action under which the
    individual *improves* with probability at least :math:`\\tau`.

    Returns
    -------
    dict
        The action; empty if no action reaches ``min_validity``.
    """
    if not 0.0 < min_validity <= 1.0:
        raise ValueError(f"min_validity must lie in (0, 1], got {min_validity!r}")
    _check(scm, x, weights)
    for action in _candidate_actions({n: scm.states(n) for n in weights}, x, weights):
        validity = scm.counterfactual(prediction, evidence=dict(x), do=action)[desired]
        if validity >= min_validity - TOLERANCE:
            return action
    return {}


def hypercube_counterfactuals(decisions: Any, desired: int = 0) -> tuple[Any, Any]:
    """For every cell of ``k`` binary features: the nearest cell with the desired decision, and its distance.

    The nearest counterfactual point of :func:`nearest_counterfactual` with unit
    costs, for a decision tabulated over all :math:`2^k` cells (cells as in
    :func:`book.objectives.privacy.cells`), computed for every cell at once:

    .. math:: x'(x) = \\arg\\min_{c \\,:\\, h(c) = \\text{desired}} \\lVert c - x \\rVert_0

    with ties going to the smallest cell index. One pass per feature of the
    separable distance transform on the hypercube,
    :math:`D(c) \\leftarrow \\min(D(c), D(c \\oplus e_j) + 1)`, makes it exact
    in :math:`O(k\\, 2^k)`.

    Parameters
    ----------
    decisions : array of shape (2**k,)
        The decision (0/1) of every cell.
    desired : int
        The decision the counterfactual must have.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The Hamming distance to the nearest cell with the desired decision
        (``inf`` when no cell has it) and that cell's index (``-1`` then).

    Examples
    --------
    >>> d, c = hypercube_counterfactuals([1, 1, 0, 1], desired=0)
    >>> d.tolist(), c.tolist()
    ([1.0, 2.0, 0.0, 1.0], [2, 2, 2, 2])
    """
    table = np.asarray(decisions)
    k = round(math.log2(len(table))) if table.ndim == 1 and len(table) else -1
    if k < 0 or 2**k != len(table):
        raise ValueError(f"decisions must tabulate 2**k cells, got an array of shape {table.shape}")
    if ((table != 0) & (table != 1)).any():
        raise ValueError(f"decisions must be 0/1, found {table[(table != 0) & (table != 1)].flat[0].item()!r}")
    if desired not in (0, 1):
        raise ValueError(f"desired must be 0 or 1, got {desired!r}")
    size = 2**k
    index = np.arange(size, dtype=np.int64)
    # key = distance * 2**k + cell: the minimum key is the nearest cell, ties to the smallest index.
    big = np.int64((k + 1) * size * 2)
    key = np.where(table == desired, index, big)
    for j in range(k):
        key = np.minimum(key, np.minimum(key[index ^ (1 << j)] + size, big))
    found = key < big
    return np.where(found, key // size, np.inf).astype(float), np.where(found, key % size, -1)
