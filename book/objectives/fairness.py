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
classes of feature values the switch connects; and the best accuracy under a
bound on the change is a small linear program.

Every function takes a :class:`~book.predictors.Predictor` or a
:class:`~book.predictors.RandomizedPredictor`; write :math:`h(x)` for its
probability of the positive decision
(:func:`book.predictors.positive_probabilities`). Its randomisation is part of
the unit's background (a lottery ticket the unit keeps in every world), so the
unit's decision changes with probability :math:`|h(x) - h(x')|` when its
features move from :math:`x` to :math:`x'`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
from scipy.optimize import linprog

from book.metrics import expected_risk
from book.objectives.frontiers import FrontierPoint
from book.predictors import AnyPredictor, Cell, Predictor, RandomizedPredictor, most_likely, positive_probabilities
from book.scm import DiscreteSCM, Edge

__all__ = [
    "CONSTRAINTS",
    "Constraint",
    "Coupling",
    "GroupRates",
    "accuracy_against",
    "chouldechova_fpr",
    "decision_change",
    "edges_out_of",
    "fairness_frontier",
    "group_rates",
    "invariant_predictor",
    "parity_difference",
    "switch_coupling",
    "switch_edges",
]

Coupling = Mapping[tuple[Cell, Cell], float]
Constraint = Literal["path-specific", "counterfactual", "demographic parity"]
CONSTRAINTS: tuple[str, ...] = get_args(Constraint)


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


def decision_change(predictor: AnyPredictor, coupling: Coupling) -> float:
    """Probability that a unit's decision changes under the switch.

    .. math:: \\text{gap}(h) = \\sum_{x, x'} w(x, x')\\, |h(x) - h(x')|

    For a deterministic predictor this is the gap of
    :func:`book.objectives.ledger.path_specific_fairness` (or of
    :func:`book.objectives.ledger.counterfactual_fairness` when every edge out
    of the attribute is unfair).

    Examples
    --------
    >>> h = Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1))
    >>> decision_change(h, {((0,), (1,)): 0.25, ((1,), (1,)): 0.75})
    0.25
    """
    h = _policy(predictor, (x for pair in coupling for x in pair))
    total = 0.0
    for (x, x2), w in coupling.items():
        total += w * abs(h[x] - h[x2])
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
    labels = scm.states(target)
    joint = _joint(scm, (*features, target))
    scores: dict[Cell, list[float]] = {}
    for c in cells:
        s = scores.setdefault(root(c), [0.0] * len(labels))
        for i, y in enumerate(labels):
            s[i] += joint[(*c, y)]
    best = {r: most_likely(s, labels) for r, s in scores.items()}
    return Predictor(features, {c: best[root(c)] for c in cells}, labels)


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
    parity difference (``"demographic parity"``).

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
        One of ``"path-specific"``, ``"counterfactual"``, ``"demographic parity"``.
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
    neg, pos = scm.binary_states(target)
    cells = _cells(scm, features)
    index = {c: i for i, c in enumerate(cells)}
    joint = _joint(scm, (*features, target))
    gain = np.array([joint[(*c, pos)] - joint[(*c, neg)] for c in cells])
    base = sum(joint[(*c, neg)] for c in cells)  # accuracy of deciding "negative" everywhere
    n = len(cells)
    if constraint == "demographic parity":
        a0, a1 = scm.binary_states(attribute)
        rows = []
        for a in (a1, a0):
            given = _joint(scm, features, {attribute: a})
            rows.append(np.array([given[c] for c in cells]))
        diff = rows[0] - rows[1]
        a_ub = np.vstack([diff, -diff])
        fixed_ub = np.zeros(2)
        rhs_bound = np.ones(2)
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
