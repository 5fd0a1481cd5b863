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

A *policy* is a randomised predictor: a mapping from feature-state tuples to
the probability of the positive decision. Its randomisation is part of the
unit's background (a lottery ticket the unit keeps in every world), so the
unit's decision changes with probability :math:`|h(x) - h(x')|` when its
features move from :math:`x` to :math:`x'`.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog

from book.predictors import Predictor
from book.scm import DiscreteSCM, Edge

Cell = tuple[Any, ...]
Policy = Mapping[Cell, float]
Coupling = Mapping[tuple[Cell, Cell], float]

CONSTRAINTS = ("path-specific", "counterfactual", "demographic parity")

# Exact queries are pure functions of an (immutable) SCM, so their answers are cached per model:
# a frontier, the selective predictor and the explorer frames ask the same few questions many times.
_ANSWERS: weakref.WeakKeyDictionary[DiscreteSCM, dict[Any, Any]] = weakref.WeakKeyDictionary()


def _remember(scm: DiscreteSCM, key: Any, compute: Any) -> Any:
    answers = _ANSWERS.setdefault(scm, {})
    if key not in answers:
        answers[key] = compute()
    return answers[key]


def _joint(scm: DiscreteSCM, names: Sequence[str], evidence: Mapping[str, Any] | None = None) -> dict:
    key = ("joint", tuple(names), tuple(sorted((evidence or {}).items())))
    return _remember(scm, key, lambda: scm.joint(list(names), evidence=evidence))


def _binary(scm: DiscreteSCM, variable: str) -> tuple[Any, Any]:
    states = scm.states(variable)
    if len(states) != 2:
        raise ValueError(f"{variable!r} must be binary, its states are {states!r}")
    return states[0], states[1]


def _features(scm: DiscreteSCM, features: Sequence[str]) -> tuple[str, ...]:
    if isinstance(features, str):
        raise ValueError(f"features must be a sequence of names, got the string {features!r}")
    features = tuple(features)
    if not features:
        raise ValueError("at least one feature is needed")
    for f in features:
        scm.states(f)  # raises ValueError naming an unknown variable
    return features


def _probability(policy: Policy, cell: Cell) -> float:
    """The policy's decision for ``cell``, checked to be a probability."""
    if cell not in policy:
        raise ValueError(f"the policy has no decision for the feature values {cell!r}")
    h = float(policy[cell])
    if not 0.0 <= h <= 1.0:
        raise ValueError(f"policy value {policy[cell]!r} for {cell!r} is not a probability")
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
    >>> from book.scms import hiring
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
    :func:`book.invariance.path_specific_fairness`).

    Returns
    -------
    dict
        ``(x, x') -> probability`` over pairs of feature-state tuples with
        positive probability; the values sum to one.

    Examples
    --------
    >>> from book.scms import hiring
    >>> w = switch_coupling(hiring(), ["Q"], "A", [("A", "P")])  # Q is reached only along A -> Q
    >>> sum(p for (x, x2), p in w.items() if x != x2)
    0
    """
    features = _features(scm, features)
    a0, a1 = _binary(scm, attribute)
    edges = switch_edges(scm, attribute, unfair_edges)
    key = ("coupling", features, attribute, frozenset(edges))
    return dict(_remember(scm, key, lambda: _coupling(scm, features, attribute, edges, (a0, a1))))


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


def policy_of(predictor: Predictor, positive: Any = 1) -> dict[Cell, float]:
    """A deterministic predictor as a policy: ``1.0`` where it says ``positive``, else ``0.0``.

    Examples
    --------
    >>> from book.predictors import Predictor
    >>> policy_of(Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1)))
    {(0,): 0.0, (1,): 1.0}
    """
    if positive not in predictor.labels:
        raise ValueError(f"positive label {positive!r} is not among the predictor's labels {predictor.labels!r}")
    return {cell: float(label == positive) for cell, label in predictor.table.items()}


def decision_change(policy: Policy, coupling: Coupling) -> float:
    """Probability that a unit's decision changes under the switch.

    .. math:: \\text{gap}(h) = \\sum_{x, x'} w(x, x')\\, |h(x) - h(x')|

    For a deterministic predictor this is the gap of
    :func:`book.invariance.path_specific_fairness` (or of
    :func:`book.invariance.counterfactual_fairness` when every edge out of
    the attribute is unfair).

    Examples
    --------
    >>> decision_change({(0,): 0.0, (1,): 1.0}, {((0,), (1,)): 0.25, ((1,), (1,)): 0.75})
    0.25
    """
    total = 0.0
    for (x, x2), w in coupling.items():
        total += w * abs(_probability(policy, x) - _probability(policy, x2))
    return total


def policy_accuracy(scm: DiscreteSCM, features: Sequence[str], label: str, policy: Policy) -> float:
    """Exact accuracy of a policy against any binary label variable.

    .. math:: P(\\hat Y = L) = \\sum_x P(x, L = 1)\\, h(x) + P(x, L = 0)\\,(1 - h(x))

    (with 1 and 0 standing for the label's second and first state).

    Examples
    --------
    >>> from book.scms import hiring
    >>> round(policy_accuracy(hiring(), ["Q"], "Yfair", {(0,): 0.0, (1,): 1.0}), 3)
    0.8
    """
    features = _features(scm, features)
    neg, pos = _binary(scm, label)
    joint = _joint(scm, (*features, label))
    total = 0.0
    for cell in _cells(scm, features):
        h = _probability(policy, cell)
        total += joint[(*cell, pos)] * h + joint[(*cell, neg)] * (1.0 - h)
    return total


def parity_difference(scm: DiscreteSCM, features: Sequence[str], attribute: str, policy: Policy) -> float:
    """Exact demographic parity difference of a policy (two groups).

    .. math:: |P(\\hat Y = 1 \\mid A = a_1) - P(\\hat Y = 1 \\mid A = a_0)|,
              \\qquad P(\\hat Y = 1 \\mid A = a) = \\sum_x P(x \\mid A = a)\\, h(x)

    For a deterministic predictor this equals
    :func:`book.metrics.demographic_parity_difference` on the population.

    Examples
    --------
    >>> from book.scms import hiring
    >>> round(parity_difference(hiring(), ["Q"], "A", {(0,): 0.0, (1,): 1.0}), 3)
    0.18
    """
    features = _features(scm, features)
    for cell in _cells(scm, features):  # every feature value needs a decision, and it must be a probability
        _probability(policy, cell)
    rates = _selection_by_group(scm, features, attribute, policy)
    return abs(rates[1] - rates[0])


def _selection_by_group(
    scm: DiscreteSCM, features: tuple[str, ...], attribute: str, policy: Policy
) -> tuple[float, float]:
    a0, a1 = _binary(scm, attribute)
    rates = []
    for a in (a0, a1):
        joint = _joint(scm, features, {attribute: a})
        rates.append(sum(p * _probability(policy, cell) for cell, p in joint.items() if p > 0))
    return rates[0], rates[1]


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
    >>> from book.scms import hiring
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
    best = {r: labels[max(range(len(labels)), key=lambda i: (s[i], -i))] for r, s in scores.items()}
    return Predictor(features, {c: best[root(c)] for c in cells}, labels)


def uses(predictor: Predictor, feature: str) -> bool:
    """Whether the predictor's decision ever depends on ``feature`` (other features held fixed).

    Examples
    --------
    >>> from book.predictors import Predictor
    >>> h = Predictor(("A", "Q"), {(0, 0): 0, (0, 1): 1, (1, 0): 0, (1, 1): 1}, (0, 1))
    >>> uses(h, "Q"), uses(h, "A")
    (True, False)
    """
    if feature not in predictor.features:
        raise ValueError(f"{feature!r} is not a feature of this predictor: {predictor.features!r}")
    i = predictor.features.index(feature)
    groups: dict[Cell, set[Any]] = {}
    for cell, label in predictor.table.items():
        groups.setdefault(cell[:i] + cell[i + 1:], set()).add(label)
    return any(len(v) > 1 for v in groups.values())


@dataclass(frozen=True)
class FrontierPoint:
    """The most accurate policy under one bound of a fairness constraint.

    Attributes
    ----------
    bound : float
        The bound :math:`\\tau` on the constrained quantity.
    policy : dict
        Feature-state tuple -> probability of the positive decision.
    accuracy : float
        Its exact accuracy against the target it was optimised for.
    """

    bound: float
    policy: Mapping[Cell, float]
    accuracy: float


def fairness_frontier(
    scm: DiscreteSCM,
    target: str,
    features: Sequence[str],
    attribute: str,
    bounds: Iterable[float],
    *,
    constraint: str = "path-specific",
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

    Examples
    --------
    >>> from book.scms import hiring
    >>> pts = fairness_frontier(hiring(), "Y", ["A", "Q", "P"], "A", [0.0, 1.0], constraint="counterfactual")
    >>> [round(p.accuracy, 3) for p in pts]
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
    neg, pos = _binary(scm, target)
    cells = _cells(scm, features)
    index = {c: i for i, c in enumerate(cells)}
    joint = _joint(scm, (*features, target))
    gain = np.array([joint[(*c, pos)] - joint[(*c, neg)] for c in cells])
    base = sum(joint[(*c, neg)] for c in cells)  # accuracy of deciding "negative" everywhere
    n = len(cells)
    if constraint == "demographic parity":
        a0, a1 = _binary(scm, attribute)
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
        policy = {c: float(h[i]) for i, c in enumerate(cells)}
        out.append(FrontierPoint(tau, policy, float(base + gain @ h)))
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
    >>> from book.scms import hiring
    >>> r = group_rates(hiring(), "Yfair", "Y", "A")  # the fair label as a "prediction" of the biased one
    >>> round(r[1].fpr, 3), round(r[1].ppv, 3)
    (0.0, 1.0)
    """
    neg, pos = _binary(scm, label)
    _, pos_hat = _binary(scm, prediction)
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
