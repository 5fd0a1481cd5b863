"""Fairness as invariance to a sensitive attribute, measured and optimised exactly.

A predictor of a binary label from features :math:`X_F` is fair in the
book's causal sense when its decision does not change if a unit's sensitive
attribute :math:`A` is switched along the paths declared *unfair* (and, for
counterfactual fairness, along every path). Everything here rests on one
object, the *switch coupling*

.. math:: w(x, x') = \\sum_a P(A = a)\\, P(X_F = x,\\; X_F^{A \\leftarrow a' \\text{ along unfair}} = x' \\mid A = a),

the joint law of a unit's features in the factual world and in the world
where its attribute is switched along the unfair edges (computed exactly on
the twin-style network of :meth:`book.scm.DiscreteSCM.path_specific_joint`).
With it, the probability that a unit's decision changes is a sum over
:math:`w`, for deterministic and for randomised predictors alike; the most
accurate predictor with zero change is a Bayes-optimal predictor on the
classes of feature values the switch connects (:func:`switch_classes`); and
the best accuracy under a bound on the change is a small linear program.

Every function takes a :class:`~book.predictors.Predictor` or a
:class:`~book.predictors.RandomizedPredictor`; write :math:`h(x)` for its
probability of the positive decision
(:func:`book.predictors.positive_probabilities`). By default its randomisation
is part of the unit's background (a lottery ticket the unit keeps in every
world), so the unit's decision changes with probability :math:`|h(x) - h(x')|`
when its features move from :math:`x` to :math:`x'`;
:func:`decision_change` also computes the larger change under a fresh draw in
each world.

Two more causal readings of fairness live here: counterfactually fair
predictors built from background variables the attribute does not cause and
inferred from the record (:func:`background_predictor`, :func:`abduce`;
Kusner et al., 2017), and the decomposition of a disparity into counterfactual
direct, indirect and spurious effects (:func:`causal_decomposition`; Plečko
and Bareinboim, 2024).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from book.metrics import expected_risk
from book.objectives.frontiers import FrontierPoint
from book.predictors import (
    AnyPredictor,
    Cell,
    Predictor,
    RandomizedPredictor,
    bayes_optimal,
    most_likely,
    positive_probabilities,
    randomized,
)
from book.scm import DiscreteSCM, Edge

__all__ = [
    "CONSTRAINTS",
    "GAPS",
    "LOTTERIES",
    "CausalDecomposition",
    "Constraint",
    "Coupling",
    "FaceRange",
    "Gap",
    "GroupRates",
    "Lottery",
    "abduce",
    "accuracy_against",
    "background_predictor",
    "causal_decomposition",
    "chouldechova_fpr",
    "decision_change",
    "edges_out_of",
    "fairness_frontier",
    "group_fair_everywhere",
    "group_rate_differences",
    "group_rates",
    "invariant_predictor",
    "odds_difference",
    "optimal_face_range",
    "parity_difference",
    "switch_classes",
    "switch_coupling",
    "switch_edges",
]

Coupling = Mapping[tuple[Cell, Cell], float]
Constraint = Literal["path-specific", "counterfactual", "demographic parity", "equalised odds"]
CONSTRAINTS: tuple[str, ...] = get_args(Constraint)
Lottery = Literal["shared", "independent"]
LOTTERIES: tuple[str, ...] = get_args(Lottery)


def _joint(scm: DiscreteSCM, names: Sequence[str], evidence: Mapping[str, Any] | None = None) -> dict:
    # Memoised on the model: a frontier, the selective predictor and the explorer frames ask the same
    # few questions many times. Internal: callers here only read it.
    key = ("fairness joint", tuple(names), tuple(sorted((evidence or {}).items())))
    return scm.memo(key, lambda: scm.joint(list(names), evidence=evidence))


def _features(scm: DiscreteSCM, features: Sequence[str]) -> tuple[str, ...]:
    if isinstance(features, str):
        raise ValueError(f"features must be a sequence of names, got the string {features!r}")
    features = tuple(features)
    if not features:
        raise ValueError("at least one feature is needed")
    for f in features:
        scm.states(f)  # raises ValueError naming an unknown variable
    return features


def _policy(predictor: AnyPredictor, cells: Iterable[Cell] = ()) -> dict[Cell, float]:
    """:math:`h(x)` for every feature value, positive = the predictor's second label; ``cells`` must be covered."""
    if not isinstance(predictor, Predictor | RandomizedPredictor):
        raise ValueError(f"expected a Predictor or RandomizedPredictor, got {type(predictor).__name__}")
    if len(predictor.labels) != 2:
        raise ValueError(f"a fairness decision must be binary; the predictor's labels are {predictor.labels!r}")
    h = positive_probabilities(predictor, predictor.labels[1])
    for cell in cells:
        if cell not in h:
            raise ValueError(f"the predictor has no decision for the feature values {cell!r}")
    return h


def _cells(scm: DiscreteSCM, features: Sequence[str]) -> list[Cell]:
    return list(itertools.product(*(scm.states(f) for f in features)))


def switch_edges(scm: DiscreteSCM, attribute: str, unfair_edges: Iterable[Edge]) -> list[Edge]:
    """The edges along which a switched attribute travels: the unfair edges out of it, then everything downstream.

    Every edge that does not leave ``attribute`` carries the switched world's
    values on; edges out of ``attribute`` that are not listed are *allowed*
    and keep the unit's own value. Listing every edge out of ``attribute``
    gives the full counterfactual switch.

    Examples
    --------
    >>> from book.models import hiring
    >>> sorted(e for e in switch_edges(hiring(), "A", [("A", "P")]) if e[0] == "A")
    [('A', 'P')]
    """
    unfair = [tuple(e) for e in unfair_edges]
    all_edges = scm.edges(include_exogenous=True)
    for edge in unfair:
        if len(edge) != 2 or edge[0] != attribute or edge not in all_edges:
            raise ValueError(f"unfair edge {edge!r} is not an edge out of {attribute!r}")
    return unfair + [e for e in all_edges if e[0] != attribute]


def edges_out_of(scm: DiscreteSCM, attribute: str) -> list[Edge]:
    """Every edge out of ``attribute``: declaring all of them unfair is counterfactual fairness."""
    scm.states(attribute)
    return [e for e in scm.edges() if e[0] == attribute]


def switch_coupling(
    scm: DiscreteSCM, features: Sequence[str], attribute: str, unfair_edges: Iterable[Edge]
) -> dict[tuple[Cell, Cell], float]:
    """Joint law of the features before and after switching the attribute along the unfair edges.

    .. math:: w(x, x') = \\sum_a P(A = a)\\,
              P(X_F = x,\\ X_F^{A \\leftarrow a' \\text{ along unfair}} = x' \\mid A = a)

    If ``attribute`` is itself a feature, its switched copy is the other
    value: a predictor that reads the attribute sees it switched (direct
    discrimination always counts as unfair, as in
    :func:`book.objectives.ledger.path_specific_fairness`).

    Returns
    -------
    dict
        ``(x, x') -> probability`` over pairs of feature-state tuples with
        positive probability; the values sum to one.

    Examples
    --------
    >>> from book.models import hiring
    >>> w = switch_coupling(hiring(), ["Q"], "A", [("A", "P")])  # Q is reached only along A -> Q
    >>> sum(p for (x, x2), p in w.items() if x != x2)
    0
    """
    features = _features(scm, features)
    a0, a1 = scm.binary_states(attribute)
    edges = switch_edges(scm, attribute, unfair_edges)
    key = ("coupling", features, attribute, frozenset(edges))
    return dict(scm.memo(key, lambda: _coupling(scm, features, attribute, edges, (a0, a1))))  # a copy


def _coupling(
    scm: DiscreteSCM, features: tuple[str, ...], attribute: str, edges: list[Edge], states: tuple[Any, Any]
) -> dict[tuple[Cell, Cell], float]:
    a0, a1 = states
    out: dict[tuple[Cell, Cell], float] = {}
    weights = scm.query(attribute)
    k = len(features)
    for a, other in ((a0, a1), (a1, a0)):
        if weights[a] <= 0:
            continue
        joint = scm.path_specific_joint(
            list(features), intervention={attribute: other}, baseline={attribute: a},
            edges=edges, evidence={attribute: a},
        )
        for key, p in joint.items():
            if p > 0:
                pair = (tuple(key[:k]), tuple(key[k:]))
                out[pair] = out.get(pair, 0) + weights[a] * p
    return out


def decision_change(predictor: AnyPredictor, coupling: Coupling, *, lottery: Lottery = "shared") -> float:
    """Probability that a unit's decision changes under the switch.

    With a ``"shared"`` lottery (the book's convention, and the frontier's) a
    randomised predictor's draw is part of the unit's background: the unit holds
    one ticket :math:`T \\sim \\mathrm{Uniform}(0, 1)` and is accepted when
    :math:`T < h(x)`, in the factual and in the switched world alike, so

    .. math:: \\text{gap}(h) = \\sum_{x, x'} w(x, x')\\, |h(x) - h(x')|.

    With an ``"independent"`` lottery each world draws afresh:

    .. math:: \\text{gap}_{\\text{ind}}(h) = \\sum_{x, x'} w(x, x')\\,
              \\big[h(x)\\,(1 - h(x')) + h(x')\\,(1 - h(x))\\big],

    which exceeds the shared gap pair by pair by
    :math:`2 \\min(h, h')\\,(1 - \\max(h, h'))`: the two agree exactly when
    every pair the switch connects has a decision of 0 or 1 on at least one side
    (in particular for deterministic predictors).

    For a deterministic predictor this is the gap of
    :func:`book.objectives.ledger.path_specific_fairness` (or of
    :func:`book.objectives.ledger.counterfactual_fairness` when every edge out
    of the attribute is unfair).

    Raises
    ------
    ValueError
        For an unknown ``lottery``, a predictor that is not binary, or a
        coupling with a feature value the predictor has no decision for.

    Examples
    --------
    >>> h = Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1))
    >>> decision_change(h, {((0,), (1,)): 0.25, ((1,), (1,)): 0.75})
    0.25
    >>> coin = RandomizedPredictor(("Q",), {(0,): {0: 0.5, 1: 0.5}, (1,): {0: 0.5, 1: 0.5}}, (0, 1))
    >>> decision_change(coin, {((0,), (1,)): 1.0}), decision_change(coin, {((0,), (1,)): 1.0}, lottery="independent")
    (0.0, 0.5)
    """
    if lottery not in LOTTERIES:
        raise ValueError(f"lottery must be one of {LOTTERIES}, got {lottery!r}")
    h = _policy(predictor, (x for pair in coupling for x in pair))
    total = 0.0
    for (x, x2), w in coupling.items():
        if lottery == "shared":
            total += w * abs(h[x] - h[x2])
        else:
            total += w * (h[x] * (1.0 - h[x2]) + h[x2] * (1.0 - h[x]))
    return total


def accuracy_against(scm: DiscreteSCM, predictor: AnyPredictor, label: str) -> float:
    """Exact accuracy of any (randomised) predictor against any label variable, e.g. ``Y`` or ``Yfair``.

    .. math:: P(\\hat Y = L) = 1 - R(f) = \\sum_{x, l} P(X_F = x, L = l)\\, f(l \\mid x)

    (:func:`book.metrics.expected_risk`); the predictor's labels must be the
    label variable's states.

    Examples
    --------
    >>> from book.models import hiring
    >>> round(accuracy_against(hiring(), Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1)), "Yfair"), 3)
    0.8
    """
    features = _features(scm, predictor.features)
    _policy(predictor, _cells(scm, features))
    if tuple(predictor.labels) != scm.states(label):
        raise ValueError(f"the predictor's labels {predictor.labels!r} are not the states of {label!r}: "
                         f"{scm.states(label)!r}")
    return 1.0 - expected_risk(_joint(scm, (*features, label)), predictor)


def parity_difference(scm: DiscreteSCM, predictor: AnyPredictor, attribute: str) -> float:
    """Exact demographic parity difference of a (randomised) predictor (two groups).

    .. math:: |P(\\hat Y = 1 \\mid A = a_1) - P(\\hat Y = 1 \\mid A = a_0)|,
              \\qquad P(\\hat Y = 1 \\mid A = a) = \\sum_x P(x \\mid A = a)\\, h(x)

    For a deterministic predictor this equals
    :func:`book.metrics.demographic_parity_difference` on the population.

    Examples
    --------
    >>> from book.models import hiring
    >>> round(parity_difference(hiring(), Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1)), "A"), 3)
    0.18
    """
    features = _features(scm, predictor.features)
    h = _policy(predictor, _cells(scm, features))  # every feature value needs a decision
    rates = []
    for a in scm.binary_states(attribute):
        joint = _joint(scm, features, {attribute: a})
        rates.append(sum(p * h[cell] for cell, p in joint.items() if p > 0))
    return abs(rates[1] - rates[0])


def odds_difference(scm: DiscreteSCM, predictor: AnyPredictor, attribute: str, label: str) -> float:
    """Exact equalised odds difference of a (randomised) predictor (two groups, binary label).

    .. math:: \\max_{y} \\big|P(\\hat Y = 1 \\mid Y = y, A = a_1) - P(\\hat Y = 1 \\mid Y = y, A = a_0)\\big|,
              \\qquad P(\\hat Y = 1 \\mid Y = y, A = a) = \\sum_x P(x \\mid Y = y, A = a)\\, h(x)

    the larger of the gaps in true- and in false-positive rates, fairlearn's
    ``equalized_odds_difference`` on the population. Zero is *separation*,
    :math:`\\hat Y \\perp A \\mid Y`; zero :func:`parity_difference` is
    *independence*, :math:`\\hat Y \\perp A`.

    Raises
    ------
    ValueError
        If ``label`` is one of the predictor's features or is not binary, or if
        no unit of a group has some label value (the evidence has probability zero).

    Examples
    --------
    >>> from book.models import hiring
    >>> round(odds_difference(hiring(), Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1)), "A", "Yfair"), 3)
    0.119
    """
    features = _features(scm, predictor.features)
    if label in features:
        raise ValueError(f"the label {label!r} cannot also be a feature of the predictor")
    h = _policy(predictor, _cells(scm, features))
    gaps = []
    for y in scm.binary_states(label):
        rates = []
        for a in scm.binary_states(attribute):
            joint = _joint(scm, features, {label: y, attribute: a})  # raises if no unit has (y, a)
            rates.append(sum(p * h[cell] for cell, p in joint.items() if p > 0))
        gaps.append(abs(rates[1] - rates[0]))
    return max(gaps)


def invariant_predictor(
    scm: DiscreteSCM, target: str, features: Sequence[str], attribute: str, unfair_edges: Iterable[Edge]
) -> Predictor:
    """The most accurate predictor whose decisions never change under the switch.

    A zero change means :math:`h(x) = h(x')` whenever :math:`w(x, x') > 0`, so
    :math:`h` is constant on each class :math:`C` of feature values the switch
    connects (the connected components of :math:`w`); the best such predictor
    is Bayes-optimal on the classes:

    .. math:: h^*(x) = \\arg\\max_y P(Y = y,\\ X_F \\in C(x))

    With the unfair edges of the scenario this is the *selective* predictor;
    with every edge out of the attribute it is the best counterfactually fair
    one. Ties go to the first label, as in :func:`book.predictors.bayes_optimal`.

    Examples
    --------
    >>> from book.models import hiring
    >>> h = invariant_predictor(hiring(), "Y", ["A", "Q", "P"], "A", [("A", "P"), ("A", "Y")])
    >>> sorted(set(h.table.values())), h(A=1, Q=0, P=1), h(A=0, Q=1, P=0)
    ([0, 1], 0, 1)
    """
    features = _features(scm, features)
    if target in features:
        raise ValueError(f"the target {target!r} cannot also be a feature")
    labels = scm.states(target)
    joint = _joint(scm, (*features, target))
    table: dict[Cell, Any] = {}
    for members in switch_classes(scm, features, attribute, unfair_edges):
        scores = [sum(joint[(*c, y)] for c in members) for y in labels]
        best = most_likely(scores, labels)
        table.update((c, best) for c in members)
    return Predictor(features, {c: table[c] for c in _cells(scm, features)}, labels)


def switch_classes(
    scm: DiscreteSCM, features: Sequence[str], attribute: str, unfair_edges: Iterable[Edge]
) -> list[tuple[Cell, ...]]:
    """The classes of feature values the switch connects: the connected components of :math:`w`.

    Two feature values are linked when the switch moves some unit from one to
    the other, :math:`w(x, x') > 0` (:func:`switch_coupling`); a class is a set
    of values joined by a chain of links. A predictor whose decision never
    changes under the switch must be constant on every class, so a single
    class leaves only constant predictors, whatever the graph says about which
    features descend from the attribute.

    Returns
    -------
    list of tuple
        Each class as a tuple of feature-state tuples, in the order of the
        states (as :meth:`book.scm.DiscreteSCM.states` lists them); the classes
        in the order of their first members. Every value of the features
        belongs to exactly one class (a value no unit has forms a class of its
        own).

    Examples
    --------
    >>> from book.models import hiring
    >>> [len(c) for c in switch_classes(hiring(), ["A", "Q", "P"], "A", [("A", "P"), ("A", "Y")])]
    [4, 4]
    >>> len(switch_classes(hiring(), ["A", "Q", "P"], "A", [("A", "P"), ("A", "Q"), ("A", "Y")]))
    1
    """
    features = _features(scm, features)
    coupling = switch_coupling(scm, features, attribute, unfair_edges)
    cells = _cells(scm, features)
    parent = {c: c for c in cells}

    def root(c: Cell) -> Cell:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for (x, x2), w in coupling.items():
        if w > 0:
            parent[root(x)] = root(x2)
    classes: dict[Cell, list[Cell]] = {}
    for c in cells:
        classes.setdefault(root(c), []).append(c)
    return [tuple(members) for members in classes.values()]  # in the order of the feature values


@dataclass(frozen=True)
class _TrainingLP:
    """:func:`fairness_frontier`'s programme: min ``cost @ z`` s.t. ``a_ub @ z <= fixed_ub + tau * rhs_bound``."""

    neg: Any
    pos: Any
    cells: list[Cell]
    gain: np.ndarray
    base: float
    n: int
    cost: np.ndarray
    a_ub: np.ndarray
    fixed_ub: np.ndarray
    rhs_bound: np.ndarray
    limits: list[tuple[float, float | None]]


def _training_lp(
    scm: DiscreteSCM, target: str, features: tuple[str, ...], attribute: str, constraint: str,
    unfair_edges: tuple[Edge, ...],
) -> _TrainingLP:
    neg, pos = scm.binary_states(target)
    cells = _cells(scm, features)
    index = {c: i for i, c in enumerate(cells)}
    joint = _joint(scm, (*features, target))
    gain = np.array([joint[(*c, pos)] - joint[(*c, neg)] for c in cells])
    base = sum(joint[(*c, neg)] for c in cells)  # accuracy of deciding "negative" everywhere
    n = len(cells)
    if constraint in ("demographic parity", "equalised odds"):
        diffs = group_rate_differences(scm, features, attribute, target if constraint == "equalised odds" else None)
        a_ub = np.vstack([row for diff in diffs for row in (diff, -diff)])
        fixed_ub = np.zeros(2 * len(diffs))
        rhs_bound = np.ones(2 * len(diffs))
        n_aux = 0
    else:
        edges = unfair_edges if constraint == "path-specific" else edges_out_of(scm, attribute)
        pairs = [(index[x], index[x2], w) for (x, x2), w in switch_coupling(scm, features, attribute, edges).items()
                 if x != x2 and w > 0]
        n_aux = len(pairs)
        a_ub = np.zeros((1 + 2 * n_aux, n + n_aux))
        for k, (i, j, w) in enumerate(pairs):
            a_ub[0, n + k] = w  # sum_k w_k t_k <= tau
            for r, sign in ((1 + 2 * k, 1.0), (2 + 2 * k, -1.0)):  # t_k >= |h_i - h_j|
                a_ub[r, i], a_ub[r, j], a_ub[r, n + k] = sign, -sign, -1.0
        fixed_ub = np.zeros(1 + 2 * n_aux)
        rhs_bound = np.zeros(1 + 2 * n_aux)
        rhs_bound[0] = 1.0
    cost = np.concatenate([-gain, np.zeros(n_aux)])
    limits = [(0.0, 1.0)] * n + [(0.0, None)] * n_aux
    return _TrainingLP(neg, pos, cells, gain, base, n, cost, a_ub, fixed_ub, rhs_bound, limits)


def fairness_frontier(
    scm: DiscreteSCM,
    target: str,
    features: Sequence[str],
    attribute: str,
    bounds: Iterable[float],
    *,
    constraint: Constraint = "path-specific",
    unfair_edges: Iterable[Edge] = (),
) -> list[FrontierPoint]:
    """Best accuracy of any randomised predictor on ``features`` as a fairness bound tightens.

    For each bound :math:`\\tau`, solves exactly (a linear program, HiGHS)

    .. math:: \\max_{h: \\mathcal X_F \\to [0, 1]} P(\\hat Y = Y) \\quad \\text{s.t.} \\quad g(h) \\le \\tau

    where :math:`g` is the probability that a unit's decision changes when
    ``attribute`` is switched along ``unfair_edges`` (``"path-specific"``) or
    along every edge out of it (``"counterfactual"``), both linearised with one
    auxiliary variable per pair of the switch coupling; or the demographic
    parity difference (``"demographic parity"``, :func:`parity_difference`); or
    the equalised odds difference (``"equalised odds"``, :func:`odds_difference`:
    the gaps in true- and false-positive rates, each bounded by :math:`\\tau`).

    The gaps assume one lottery ticket per unit (the ``"shared"`` lottery of
    :func:`decision_change`). With a fresh draw in each world no predictor's
    gap is smaller, so each bound admits no more predictors and this frontier
    lies on or above the fresh-draw one.

    Parameters
    ----------
    scm : DiscreteSCM
    target : str
        A binary label; its second state is the positive decision.
    features : sequence of str
        What the predictors may read (the attribute included, if listed).
    attribute : str
        The binary sensitive attribute.
    bounds : iterable of float
        Non-negative bounds :math:`\\tau`, in the order to report them.
    constraint : str
        One of ``"path-specific"``, ``"counterfactual"``, ``"demographic parity"``,
        ``"equalised odds"``.
    unfair_edges : iterable of edges
        For ``"path-specific"`` (required, non-empty): the edges out of
        ``attribute`` that are unfair.

    Raises
    ------
    ValueError
        For an unknown constraint, a negative or non-finite bound, a target
        that is also a feature, or a path-specific constraint without
        unfair edges.

    Returns
    -------
    list of FrontierPoint
        One per bound: the optimal randomised predictor and its ``"accuracy"``.

    Examples
    --------
    >>> from book.models import hiring
    >>> pts = fairness_frontier(hiring(), "Y", ["A", "Q", "P"], "A", [0.0, 1.0], constraint="counterfactual")
    >>> [round(p["accuracy"], 3) for p in pts]
    [0.621, 0.783]
    """
    features = _features(scm, features)
    if constraint not in CONSTRAINTS:
        raise ValueError(f"constraint must be one of {CONSTRAINTS}, got {constraint!r}")
    bounds = [float(b) for b in bounds]
    if not bounds or any(not np.isfinite(b) or b < 0 for b in bounds):
        raise ValueError(f"bounds must be a non-empty list of non-negative numbers, got {bounds!r}")
    if target in features:
        raise ValueError(f"the target {target!r} cannot also be a feature")
    unfair_edges = tuple(unfair_edges)
    if constraint == "path-specific" and not unfair_edges:
        raise ValueError(
            f"the path-specific constraint needs the unfair edges out of {attribute!r}: "
            f"unfair_edges must be given, got {unfair_edges!r}"
        )
    lp = _training_lp(scm, target, features, attribute, constraint, unfair_edges)
    neg, pos, cells, gain, base, n = lp.neg, lp.pos, lp.cells, lp.gain, lp.base, lp.n
    cost, a_ub, fixed_ub, rhs_bound, limits = lp.cost, lp.a_ub, lp.fixed_ub, lp.rhs_bound, lp.limits
    out = []
    for tau in bounds:
        res = linprog(cost, A_ub=a_ub, b_ub=fixed_ub + tau * rhs_bound, bounds=limits, method="highs")
        if res.status != 0:  # cannot happen for tau >= 0 (a constant policy is feasible); guard anyway
            raise ValueError(f"the linear program failed for bound {tau!r}: {res.message}")
        # Round away solver noise so that printed numbers are stable across platforms.
        h = np.clip(np.round(res.x[:n], 10), 0.0, 1.0)
        table = {c: {neg: 1.0 - float(h[i]), pos: float(h[i])} for i, c in enumerate(cells)}
        predictor = RandomizedPredictor(features, table, (neg, pos))
        out.append(FrontierPoint(tau, predictor, {"accuracy": float(base + gain @ h)}))
    return out


Gap = Literal["demographic parity", "equalised odds", "path-specific"]
GAPS: tuple[str, ...] = get_args(Gap)


@dataclass(frozen=True)
class FaceRange:
    """What :func:`optimal_face_range` returns: the optimal accuracy and the range of the worst gap over the face."""

    accuracy: float
    low: float
    high: float


def optimal_face_range(
    scm: DiscreteSCM,
    target: str,
    features: Sequence[str],
    attribute: str,
    deployments: Iterable[DiscreteSCM],
    *,
    bound: float = 0.0,
    constraint: Constraint = "path-specific",
    unfair_edges: Iterable[Edge] = (),
    gap: Gap = "demographic parity",
    gap_edges: Iterable[Edge] | None = None,
    slack: float = 1e-8,
) -> FaceRange:
    """Range of the worst deployment gap over **every** predictor that is optimal in training (two-stage LP).

    Stage 1 solves :func:`fairness_frontier`'s programme for one bound
    :math:`\\tau`, with optimal accuracy :math:`a^*` in ``scm``. Its optimum is
    often a whole face :math:`F = \\{h : g(h) \\le \\tau,\\ P(\\hat Y = Y) \\ge a^* - \\varepsilon\\}`
    (``slack`` :math:`= \\varepsilon`), whose members the training data cannot
    tell apart. Stage 2 returns

    .. math:: \\text{low} = \\min_{h \\in F} \\max_e \\text{gap}_e(h), \\qquad
              \\text{high} = \\max_{h \\in F} \\max_e \\text{gap}_e(h)

    over the ``deployments`` :math:`e`, where :math:`\\text{gap}_e` is the parity
    difference, the equalised odds difference or the path-specific gap
    :math:`\\sum w_e(x, x')\\,|h(x) - h(x')|` along ``gap_edges``
    (:func:`decision_change`, shared lottery). ``low`` is a linear programme;
    ``high`` is one linear programme per group-gap row and sign, or one
    mixed-integer programme per deployment for the path-specific gap (the
    maximum of a convex function). ``low == high`` when the optimum is unique
    or every optimum has the same worst gap: then the solver's choice does not
    matter.

    Raises
    ------
    ValueError
        For an unknown ``gap`` or ``constraint``, a negative bound or slack, no
        deployments, a path-specific gap without edges, or bad input to
        :func:`fairness_frontier`.

    Examples
    --------
    >>> from book.models import hiring
    >>> r = optimal_face_range(hiring(), "Y", ["A", "Q"], "A", [hiring(qualification_gap=0.9)],
    ...                        constraint="demographic parity")
    >>> round(r.accuracy, 3), round(r.low, 3), round(r.high, 3)  # the optimum on (A, Q) is unique
    (0.688, 0.36, 0.36)
    """
    if gap not in GAPS:
        raise ValueError(f"gap must be one of {GAPS}, got {gap!r}")
    bound, slack = float(bound), float(slack)
    if not np.isfinite(slack) or slack < 0:
        raise ValueError(f"slack must be a non-negative number, got {slack!r}")
    deployments = list(deployments)
    if not deployments:
        raise ValueError("at least one deployment environment is needed")
    unfair_edges = tuple(unfair_edges)
    gap_edges = unfair_edges if gap_edges is None else tuple(gap_edges)
    if gap == "path-specific" and not gap_edges:
        raise ValueError(f"a path-specific gap needs the unfair edges: gap_edges must be given, got {gap_edges!r}")
    point = fairness_frontier(scm, target, features, attribute, [bound], constraint=constraint,
                              unfair_edges=unfair_edges)[0]  # validates the rest
    features = _features(scm, features)
    lp = _training_lp(scm, target, features, attribute, constraint, unfair_edges)
    n, m = lp.n, len(lp.cost)
    index = {c: i for i, c in enumerate(lp.cells)}
    optimum = point["accuracy"] - lp.base
    face_ub = np.vstack([lp.a_ub, -np.concatenate([lp.gain, np.zeros(m - n)])])
    face_b = np.concatenate([lp.fixed_ub + bound * lp.rhs_bound, [-(optimum - slack)]])
    if gap == "path-specific":
        pairs: dict[tuple[int, int], int] = {}
        weights = []
        for e in deployments:
            row: dict[int, float] = {}
            for (x, x2), p in switch_coupling(e, features, attribute, gap_edges).items():
                if x != x2 and p > 0:
                    k = pairs.setdefault((index[x], index[x2]), len(pairs))
                    row[k] = row.get(k, 0.0) + p
            weights.append(row)
        w = np.zeros((len(deployments), len(pairs)))
        for r, row in enumerate(weights):
            for k, p in row.items():
                w[r, k] = p
        w = np.unique(np.round(w, 12), axis=0)
        forms = None
    else:
        label = target if gap == "equalised odds" else None
        forms = np.vstack([d for e in deployments for d in group_rate_differences(e, features, attribute, label)])
        forms = np.unique(np.round(forms, 12), axis=0)  # a repeated environment adds no programme
    low = _face_low(face_ub, face_b, lp.limits, n, forms, None if forms is not None else (list(pairs), w))
    high = _face_high(face_ub, face_b, lp.limits, n, forms, None if forms is not None else (list(pairs), w))
    return FaceRange(point["accuracy"], max(0.0, low), max(0.0, high, low))


def _pad(a: np.ndarray, width: int) -> np.ndarray:
    return np.hstack([a, np.zeros((a.shape[0], width - a.shape[1]))])


def _face_low(face_ub, face_b, limits, n, forms, paths) -> float:
    m = face_ub.shape[1]
    if forms is not None:  # min s  s.t.  +-d.h <= s
        rows = [np.concatenate([sign * d, np.zeros(m - n), [-1.0]]) for d in forms for sign in (1.0, -1.0)]
        a_ub = np.vstack([_pad(face_ub, m + 1), np.vstack(rows)])
        b_ub = np.concatenate([face_b, np.zeros(len(rows))])
        cost = np.zeros(m + 1)
        cost[-1] = 1.0
        bounds = [*limits, (None, None)]
    else:  # min s  s.t.  sum_k w_ek u_k <= s,  u_k >= |h_i - h_j|
        pairs, w = paths
        size = m + len(pairs) + 1
        rows = []
        for k, (i, j) in enumerate(pairs):
            for sign in (1.0, -1.0):
                r = np.zeros(size)
                r[i], r[j], r[m + k] = sign, -sign, -1.0
                rows.append(r)
        for we in w:
            r = np.zeros(size)
            r[m:m + len(pairs)], r[-1] = we, -1.0
            rows.append(r)
        a_ub = np.vstack([_pad(face_ub, size), np.vstack(rows)])
        b_ub = np.concatenate([face_b, np.zeros(len(rows))])
        cost = np.zeros(size)
        cost[-1] = 1.0
        bounds = [*limits, *[(0.0, None)] * len(pairs), (None, None)]
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if res.status != 0:
        raise ValueError(f"the linear program over the optimal face failed: {res.message}")
    return float(res.fun)


def _face_high(face_ub, face_b, limits, n, forms, paths) -> float:
    m = face_ub.shape[1]
    best = 0.0
    if forms is not None:  # max +-d.h over the face, one LP per row and sign
        for d in forms:
            for sign in (1.0, -1.0):
                cost = np.concatenate([-sign * d, np.zeros(m - n)])
                res = linprog(cost, A_ub=face_ub, b_ub=face_b, bounds=limits, method="highs")
                if res.status != 0:
                    raise ValueError(f"the linear program over the optimal face failed: {res.message}")
                best = max(best, -float(res.fun))
        return best
    # max sum_k w_ek u_k with u_k <= |h_i - h_j| through a binary b_k choosing the sign (h in [0, 1])
    pairs, w = paths
    k_n = len(pairs)
    size = m + 2 * k_n
    rows, upper = [], []
    for k, (i, j) in enumerate(pairs):
        r = np.zeros(size)  # u_k - (h_i - h_j) + 2 b_k <= 2
        r[m + k], r[i], r[j], r[m + k_n + k] = 1.0, -1.0, 1.0, 2.0
        rows.append(r)
        upper.append(2.0)
        r = np.zeros(size)  # u_k - (h_j - h_i) - 2 b_k <= 0
        r[m + k], r[i], r[j], r[m + k_n + k] = 1.0, 1.0, -1.0, -2.0
        rows.append(r)
        upper.append(0.0)
    a = np.vstack([_pad(face_ub, size), np.vstack(rows)]) if rows else _pad(face_ub, size)
    ub = np.concatenate([face_b, upper])
    lo = [lim[0] if lim[0] is not None else -np.inf for lim in limits] + [0.0] * (2 * k_n)
    hi = [lim[1] if lim[1] is not None else np.inf for lim in limits] + [1.0] * (2 * k_n)
    integrality = np.concatenate([np.zeros(m + k_n), np.ones(k_n)])
    for we in w:
        cost = np.concatenate([np.zeros(m), -we, np.zeros(k_n)])
        res = milp(cost, constraints=LinearConstraint(a, -np.inf, ub), integrality=integrality,
                   bounds=Bounds(lo, hi), options={"presolve": False})
        if res.status != 0:
            raise ValueError(f"the mixed-integer program over the optimal face failed: {res.message}")
        best = max(best, -float(res.fun))
    return best


def group_fair_everywhere(
    scm: DiscreteSCM,
    target: str,
    features: Sequence[str],
    attribute: str,
    environments: Iterable[DiscreteSCM],
    *,
    constraint: Literal["demographic parity", "equalised odds"] = "demographic parity",
) -> RandomizedPredictor:
    """The most accurate predictor in ``scm`` whose group gap is exactly 0 in **every** given environment.

    .. math:: \\max_{h: \\mathcal X_F \\to [0, 1]} P(\\hat Y = Y) \\quad \\text{s.t.} \\quad
              d_e \\cdot h = 0 \\ \\text{for every environment } e \\text{ and row } d_e

    with the rows :math:`d_e` of :func:`group_rate_differences` in each
    environment (one for parity, two for equalised odds): an exact linear
    programme. A constant predictor is always feasible. Accuracy is measured
    in ``scm`` (e.g. the training environment); the environments must share
    its state spaces.

    Raises
    ------
    ValueError
        For an unsupported ``constraint``, no environments, or a target that
        is also a feature.

    Examples
    --------
    >>> from book.models import hiring
    >>> h = group_fair_everywhere(hiring(), "Y", ["A", "Q", "P"], "A", [hiring(), hiring(qualification_gap=0.9)])
    >>> round(parity_difference(hiring(qualification_gap=0.9), h, "A"), 6)
    0.0
    """
    features = _features(scm, features)
    if constraint not in ("demographic parity", "equalised odds"):
        raise ValueError(f"constraint must be 'demographic parity' or 'equalised odds', got {constraint!r}")
    if target in features:
        raise ValueError(f"the target {target!r} cannot also be a feature")
    environments = list(environments)
    if not environments:
        raise ValueError("at least one environment is needed")
    neg, pos = scm.binary_states(target)
    cells = _cells(scm, features)
    joint = _joint(scm, (*features, target))
    gain = np.array([joint[(*c, pos)] - joint[(*c, neg)] for c in cells])
    label = target if constraint == "equalised odds" else None
    rows = [row for e in environments for row in group_rate_differences(e, features, attribute, label)]
    res = linprog(-gain, A_eq=np.vstack(rows), b_eq=np.zeros(len(rows)), bounds=[(0.0, 1.0)] * len(cells),
                  method="highs")
    if res.status != 0:  # cannot happen (a constant is feasible); guard anyway
        raise ValueError(f"the linear program failed: {res.message}")
    h = np.clip(np.round(res.x, 10), 0.0, 1.0) + 0.0  # + 0.0: no -0.0
    table = {c: {neg: 1.0 - float(v), pos: float(v)} for c, v in zip(cells, h, strict=True)}
    return RandomizedPredictor(features, table, (neg, pos))


def group_rate_differences(
    scm: DiscreteSCM, features: Sequence[str], attribute: str, label: str | None = None
) -> list[np.ndarray]:
    """The group gaps of a policy as linear forms: rows :math:`d` with :math:`d \\cdot h` the signed gap.

    Over the feature values :math:`x` in state order (``itertools.product`` of the
    features' states), the parity row is :math:`d_x = P(x \\mid A = a_1) - P(x \\mid A = a_0)`;
    with a ``label``, one row per label value :math:`y`,
    :math:`d_x = P(x \\mid Y = y, A = a_1) - P(x \\mid Y = y, A = a_0)` (equalised odds).
    A policy :math:`h` has zero parity (odds) gap exactly when every row gives :math:`d \\cdot h = 0`.

    Examples
    --------
    >>> from book.models import hiring
    >>> [round(float(v), 3) for v in group_rate_differences(hiring(), ["Q"], "A")[0]]
    [-0.18, 0.18]
    """
    features = _features(scm, features)
    cells = _cells(scm, features)
    a0, a1 = scm.binary_states(attribute)
    conditions = [{}] if label is None else [{label: y} for y in scm.binary_states(label)]
    out = []
    for condition in conditions:
        rows = []
        for a in (a1, a0):
            given = _joint(scm, features, {**condition, attribute: a})
            rows.append(np.array([given[c] for c in cells]))
        out.append(rows[0] - rows[1])
    return out


def _check_background(scm: DiscreteSCM, background: tuple[str, ...], attribute: str) -> None:
    scm.states(attribute)
    descendants = scm.descendants([attribute])
    for b in background:
        if b in descendants:
            raise ValueError(f"background variable {b!r} is {attribute!r} or caused by it: it would carry the "
                             f"attribute into the decision")
        if attribute in scm.descendants([b]):
            raise ValueError(f"background variable {b!r} is a cause of {attribute!r} (e.g. its own noise): "
                             f"reading it reads the attribute")


def background_predictor(scm: DiscreteSCM, target: str, background: Sequence[str], attribute: str) -> Predictor:
    """The most accurate predictor of ``target`` that reads only background variables the attribute does not cause.

    .. math:: g^*(u) = \\arg\\max_y P(Y = y,\\ U_B = u)

    over the values :math:`u` of the ``background`` variables :math:`U_B`.
    Any function of variables that are not descendants of the attribute is
    counterfactually fair (Kusner et al., 2017, Lemma 1, a sufficient
    condition): the unit's background is the same in the factual and in every
    switched world, so the decision cannot change under any switch of the
    attribute. Causes of the attribute (its own noise, say) are refused too:
    Kusner et al. ask for the protected set to be closed under ancestors.

    The background is rarely recorded; :func:`abduce` turns ``g`` into a
    predictor of the recorded features.

    Raises
    ------
    ValueError
        If a background variable is the attribute, one of its descendants, one
        of its causes, or the target.

    Examples
    --------
    >>> from book.models import hiring
    >>> g = background_predictor(hiring(), "Y", ["U_Q"], "A")
    >>> g.table, round(accuracy_against(hiring(), g, "Y"), 3)
    ({(0,): 0, (1,): 1}, 0.663)
    """
    background = _features(scm, background)
    if target in background:
        raise ValueError(f"the target {target!r} cannot also be a background variable")
    _check_background(scm, background, attribute)
    return bayes_optimal(scm, target, background)


def abduce(scm: DiscreteSCM, predictor: AnyPredictor, record: Sequence[str]) -> RandomizedPredictor:
    """A predictor of background variables, run on the record: its decision law given what is recorded.

    .. math:: f(y \\mid x) = \\sum_u P(U_B = u \\mid X_R = x)\\, g(y \\mid u)

    the posterior (abduction) of the background variables :math:`U_B` that
    ``predictor`` (:math:`g`) reads, given the ``record`` :math:`X_R`, pushed
    through :math:`g`. This is the prediction-time rule of Kusner et al.
    (2017), who report the expectation of :math:`g(U)` given the observed
    record. A record value no unit has keeps the prior of the background.

    Its accuracy against a label :math:`L` equals that of :math:`g` itself
    whenever :math:`L` is independent of :math:`U_B` given the record.

    Examples
    --------
    >>> from book.models import hiring
    >>> g = Predictor(("U_Q",), {(0,): 0, (1,): 1}, (0, 1))
    >>> round(abduce(hiring(), g, ["A", "Q", "P"]).table[(1, 1, 0)][1], 3)  # P(U_Q = 1 | A = 1, Q = 1, P = 0)
    0.69
    """
    record = _features(scm, record)
    g = randomized(predictor)
    background = _features(scm, g.features)
    overlap = sorted(set(record) & set(background))
    if overlap:
        raise ValueError(f"variables {overlap!r} are both recorded and background")
    joint = _joint(scm, (*record, *background))
    prior = _joint(scm, background)
    k = len(record)
    weights: dict[Cell, dict[Cell, float]] = {}
    for key, p in joint.items():
        weights.setdefault(tuple(key[:k]), {})[tuple(key[k:])] = p
    table = {}
    for x in _cells(scm, record):
        given = weights.get(x, {})
        total = sum(given.values())
        posterior = {u: p / total for u, p in given.items()} if total > 0 else prior
        law = {y: 0.0 for y in g.labels}
        for u, p in posterior.items():
            if p > 0:
                for y in g.labels:
                    law[y] += p * g.table[u][y]
        table[x] = {y: min(1.0, max(0.0, v)) for y, v in law.items()}  # sums of exact terms can overshoot 1
    return RandomizedPredictor(record, table, g.labels)


@dataclass(frozen=True)
class CausalDecomposition:
    """A disparity split into counterfactual direct, indirect and spurious effects (Plečko & Bareinboim).

    With :math:`W` every mediator (all descendants of the attribute :math:`X`
    that are ancestors of the outcome) and :math:`y` the positive outcome:

    Attributes
    ----------
    tv : float
        Total variation :math:`P(y \\mid x_1) - P(y \\mid x_0)`.
    de : float
        :math:`\\text{Ctf-DE}_{x_0, x_1}(y \\mid x_0) = P(y_{x_1, W_{x_0}} \\mid x_0) - P(y_{x_0} \\mid x_0)`.
    ie : float
        :math:`\\text{Ctf-IE}_{x_1, x_0}(y \\mid x_0) = P(y_{x_1, W_{x_0}} \\mid x_0) - P(y_{x_1} \\mid x_0)`.
    se : float
        :math:`\\text{Ctf-SE}_{x_1, x_0}(y) = P(y_{x_1} \\mid x_0) - P(y_{x_1} \\mid x_1)`.

    The identity :math:`\\text{TV} = \\text{DE} - \\text{IE} - \\text{SE}`
    holds by construction (the terms telescope, with consistency
    :math:`P(y_x \\mid x) = P(y \\mid x)`).
    """

    tv: float
    de: float
    ie: float
    se: float


def causal_decomposition(
    scm: DiscreteSCM, outcome: str, attribute: str, *, positive: Any = None
) -> CausalDecomposition:
    """Plečko and Bareinboim's decomposition of the total variation, computed exactly.

    .. math:: \\text{TV}_{x_0, x_1}(y) = \\text{Ctf-DE}_{x_0, x_1}(y \\mid x_0)
              - \\text{Ctf-IE}_{x_1, x_0}(y \\mid x_0) - \\text{Ctf-SE}_{x_1, x_0}(y)

    (definitions in :class:`CausalDecomposition`). The nested counterfactual
    :math:`P(y_{x_1, W_{x_0}} \\mid x_0)` is an edge-specific query
    (:meth:`book.scm.DiscreteSCM.path_specific`): :math:`x_1` travels along the
    edge from the attribute straight into the outcome only, every mediator keeps
    its :math:`x_0` value. Without that edge it equals :math:`P(y \\mid x_0)`,
    so the direct effect is exactly zero. ``x0, x1`` are the attribute's two
    states in order; ``positive`` defaults to the outcome's second state.

    Raises
    ------
    ValueError
        For a non-binary attribute, a ``positive`` that is not a state of the
        outcome, an outcome equal to the attribute, or a group with probability 0.

    Examples
    --------
    >>> from book.models import hiring
    >>> d = causal_decomposition(hiring(), "Y", "A")  # the recorded label
    >>> [round(v, 3) for v in (d.tv, d.de, d.ie, d.se)], round(d.de - d.ie - d.se - d.tv, 12)
    ([0.306, 0.252, -0.054, 0.0], 0.0)
    """
    x0, x1 = scm.binary_states(attribute)
    states = scm.states(outcome)
    if outcome == attribute:
        raise ValueError(f"the outcome {outcome!r} cannot be the attribute itself")
    if positive is None:
        positive = states[-1]
    if positive not in states:
        raise ValueError(f"positive outcome {positive!r} is not a state of {outcome!r}: {states!r}")
    weights = scm.query(attribute)
    for x in (x0, x1):
        if weights[x] <= 0:
            raise ValueError(f"group {attribute}={x!r} has probability 0: its conditionals are undefined")
    y_given_x0 = scm.query(outcome, evidence={attribute: x0})[positive]
    y_given_x1 = scm.query(outcome, evidence={attribute: x1})[positive]
    y_x1_given_x0 = scm.counterfactual(outcome, evidence={attribute: x0}, do={attribute: x1})[positive]
    if (attribute, outcome) in scm.edges():
        edges = [(attribute, outcome)] + [e for e in scm.edges(include_exogenous=True) if e[0] != attribute]
        nested = scm.path_specific(
            outcome, intervention={attribute: x1}, baseline={attribute: x0}, edges=edges, evidence={attribute: x0}
        )[positive]
    else:  # y_{x1, W_{x0}} = y_{x0}: the attribute reaches the outcome only through the mediators
        nested = y_given_x0
    return CausalDecomposition(
        tv=y_given_x1 - y_given_x0,
        de=nested - y_given_x0,
        ie=nested - y_x1_given_x0,
        se=y_x1_given_x0 - y_given_x1,
    )

@dataclass(frozen=True)
class GroupRates:
    """Confusion-matrix rates of a binary decision within one group.

    Attributes
    ----------
    base_rate : float
        :math:`p = P(Y = 1 \\mid A = a)`.
    ppv : float
        Positive predictive value :math:`P(Y = 1 \\mid \\hat Y = 1, A = a)`.
    fpr : float
        False-positive rate :math:`P(\\hat Y = 1 \\mid Y = 0, A = a)`.
    fnr : float
        False-negative rate :math:`P(\\hat Y = 0 \\mid Y = 1, A = a)`.
    """

    base_rate: float
    ppv: float
    fpr: float
    fnr: float


def group_rates(scm: DiscreteSCM, prediction: str, label: str, attribute: str) -> dict[Any, GroupRates]:
    """Base rate, PPV, FPR and FNR of a binary prediction in each group, exactly.

    Examples
    --------
    >>> from book.models import hiring
    >>> r = group_rates(hiring(), "Yfair", "Y", "A")  # the fair label as a "prediction" of the biased one
    >>> round(r[1].fpr, 3), round(r[1].ppv, 3)
    (0.0, 1.0)
    """
    neg, pos = scm.binary_states(label)
    _, pos_hat = scm.binary_states(prediction)
    out = {}
    for a in scm.states(attribute):
        j = scm.joint([prediction, label], evidence={attribute: a})
        tp, fn = j[(pos_hat, pos)], sum(p for (h, y), p in j.items() if y == pos and h != pos_hat)
        fp, tn = j[(pos_hat, neg)], sum(p for (h, y), p in j.items() if y == neg and h != pos_hat)
        if tp + fp <= 0 or tp + fn <= 0 or fp + tn <= 0:
            raise ValueError(f"group {attribute}={a!r}: PPV, FPR or FNR undefined (no predicted or actual positives)")
        out[a] = GroupRates(tp + fn, tp / (tp + fp), fp / (fp + tn), fn / (tp + fn))
    return out


def chouldechova_fpr(base_rate: float, ppv: float, fnr: float) -> float:
    """The false-positive rate forced by a group's base rate, PPV and FNR (Chouldechova, 2017).

    .. math:: \\mathrm{FPR} = \\frac{p}{1 - p}\\,\\frac{1 - \\mathrm{PPV}}{\\mathrm{PPV}}\\,(1 - \\mathrm{FNR})

    an identity of the confusion matrix. Two groups with equal PPV and equal
    FNR but different base rates :math:`p` therefore have different FPRs.

    Examples
    --------
    >>> round(chouldechova_fpr(0.5, 0.8, 0.2), 3), round(chouldechova_fpr(0.3, 0.8, 0.2), 3)
    (0.2, 0.086)
    """
    if not 0.0 < base_rate < 1.0:
        raise ValueError(f"base_rate must lie strictly between 0 and 1, got {base_rate!r}")
    if not 0.0 < ppv <= 1.0:
        raise ValueError(f"ppv must lie in (0, 1], got {ppv!r}")
    if not 0.0 <= fnr <= 1.0:
        raise ValueError(f"fnr must lie in [0, 1], got {fnr!r}")
    return base_rate / (1.0 - base_rate) * (1.0 - ppv) / ppv * (1.0 - fnr)
