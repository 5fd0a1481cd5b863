"""Predictors computed exactly from a structural causal model.

A predictor reads a feature set :math:`F` and outputs a label. The book has
two kinds, and one type for each:

* :class:`Predictor`, deterministic, :math:`\\hat y = h(x_F)`, stored as a
  lookup table. Adding it to an SCM as a new endogenous variable
  (:func:`attach`) makes every question about it (accuracy, its counterfactual
  effect, its risk in another environment) an ordinary exact query.
* :class:`RandomizedPredictor`, :math:`f(y \\mid x_F)`, a distribution over
  labels for every feature value: what the exact frontiers (linear programmes
  over predictors) return. Its randomisation is part of a unit's background (a
  lottery ticket the unit keeps in every world), so under a switch that moves
  a unit's features from :math:`x` to :math:`x'` its positive decision changes
  with probability :math:`|f(1 \\mid x) - f(1 \\mid x')|`.

The Bayes-optimal decision is defined once, in :func:`most_likely`, and every
module that needs it (the unconstrained predictor here, the invariant predictor
of :mod:`book.objectives.fairness`, the environment-optimal predictor of
:mod:`book.objectives.robustness`) calls it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from book.scm import DiscreteSCM

__all__ = [
    "AnyPredictor",
    "Cell",
    "Predictor",
    "RandomizedPredictor",
    "attach",
    "bayes_optimal",
    "bayes_score",
    "constant",
    "logistic_predictor",
    "mixture",
    "most_likely",
    "narrow",
    "on_features",
    "positive_probabilities",
    "randomized",
    "subset_label",
    "uses",
]

Cell = tuple[Any, ...]  # one value of a feature set, in the feature order

# Scores within this many decimals are ties: exact probabilities computed along two routes may
# differ in the last bits, and a tie must go to the first label whatever the route.
_TIE_DECIMALS = 12


@dataclass(frozen=True)
class Predictor:
    """A deterministic predictor :math:`\\hat y = h(x_F)` on features ``F``.

    Attributes
    ----------
    features : tuple of str
        The variables it reads.
    table : dict
        Feature-state tuple (in ``features`` order) -> predicted label.
    labels : tuple
        The label space (states of the target it predicts).
    """

    features: tuple[str, ...]
    table: Mapping[Cell, Any]
    labels: tuple[Any, ...]

    def __call__(self, **values: Any) -> Any:
        return self.table[tuple(values[f] for f in self.features)]


@dataclass(frozen=True)
class RandomizedPredictor:
    """A predictor that outputs label :math:`y` with probability :math:`f(y \\mid x_F)`.

    Attributes
    ----------
    features : tuple of str
    table : dict
        Feature-state tuple -> ``{label: probability}``.
    labels : tuple
    """

    features: tuple[str, ...]
    table: Mapping[Cell, Mapping[Any, float]]
    labels: tuple[Any, ...]

    def probability(self, label: Any, **values: Any) -> float:
        """:math:`f(\\text{label} \\mid x_F)`."""
        return float(self.table[tuple(values[f] for f in self.features)].get(label, 0.0))


AnyPredictor = Predictor | RandomizedPredictor


def subset_label(features: Sequence[str]) -> str:
    """The book's name of a feature set: ``"{C, S}"``, or ``"∅"`` (a constant predictor) for none.

    Examples
    --------
    >>> subset_label(("C", "S")), subset_label(())
    ('{C, S}', '∅')
    """
    return "{" + ", ".join(features) + "}" if features else "∅"


def most_likely(scores: Sequence[float], labels: Sequence[Any]) -> Any:
    """The Bayes-optimal decision: the label with the largest score, ties to the first label.

    .. math:: h^*(x) = \\arg\\max_y P(Y = y,\\ X = x)

    ``scores[i]`` is the (possibly unnormalised) probability of ``labels[i]``;
    scores equal to 12 decimals are ties.

    Examples
    --------
    >>> most_likely([0.2, 0.5, 0.5], ["a", "b", "c"])
    'b'
    """
    if len(scores) != len(labels) or not labels:
        raise ValueError(f"need one score per label, got {len(scores)} scores for {len(labels)} labels")
    return labels[max(range(len(labels)), key=lambda i: (round(scores[i], _TIE_DECIMALS), -i))]


def bayes_optimal(
    scm: DiscreteSCM,
    target: str,
    features: Sequence[str],
    *,
    do: Mapping[str, Any] | None = None,
) -> Predictor:
    """The accuracy-maximising predictor of ``target`` from ``features``.

    .. math:: h^*(x_F) = \\arg\\max_y P(Y = y \\mid X_F = x_F)

    computed exactly from the joint :math:`P(X_F, Y)` (optionally in the
    intervened model ``do``) by :func:`most_likely`. Ties go to the first label
    in state order; feature values of probability zero get that first label too.

    Examples
    --------
    >>> from book.models import tutoring
    >>> h = bayes_optimal(tutoring(), "Pass", ["Tutored"])
    >>> h(Tutored=1), h(Tutored=0)
    (1, 0)
    """
    features = tuple(features)
    if not features:
        raise ValueError("a predictor needs at least one feature (use a constant otherwise)")
    if target in features:
        raise ValueError(f"the target {target!r} cannot also be a feature")
    joint = scm.joint([*features, target], do=do)
    labels = scm.states(target)
    table = {
        combo: most_likely([joint[(*combo, y)] for y in labels], labels)
        for combo in itertools.product(*(scm.states(f) for f in features))
    }
    return Predictor(features, table, labels)


def bayes_score(scm: DiscreteSCM, target: str, features: Sequence[str], *, positive: Any = 1) -> Predictor:
    """The exact score :math:`s(x_F) = P(Y = \\text{positive} \\mid X_F = x_F)` as a lookup table.

    Its decision :math:`[s > 1/2]` is the Bayes-optimal predictor of a binary
    target. Feature values of probability zero score 0. ``labels`` holds the
    distinct scores.

    Examples
    --------
    >>> from book.models import tutoring
    >>> s = bayes_score(tutoring(), "Pass", ["Tutored"])
    >>> round(s(Tutored=1), 3)
    0.933
    """
    features = tuple(features)
    if not features:
        raise ValueError("a score needs at least one feature")
    if target in features:
        raise ValueError(f"the target {target!r} cannot also be a feature")
    if positive not in scm.states(target):
        raise ValueError(f"positive={positive!r} is not a state of {target!r}: {scm.states(target)!r}")
    joint = scm.joint([*features, target])
    table = {}
    for combo in itertools.product(*(scm.states(f) for f in features)):
        mass = sum(joint[(*combo, y)] for y in scm.states(target))
        table[combo] = joint[(*combo, positive)] / mass if mass > 1e-15 else 0.0
    return Predictor(features, table, tuple(sorted(set(table.values()))))


def constant(scm: DiscreteSCM, target: str, label: Any) -> Predictor:
    """The predictor that always says ``label`` (it reads no feature)."""
    if label not in scm.states(target):
        raise ValueError(f"label {label!r} is not a state of {target!r}: {scm.states(target)!r}")
    return Predictor((), {(): label}, scm.states(target))


def attach(scm: DiscreteSCM, name: str, predictor: Predictor) -> DiscreteSCM:
    """The SCM extended with the predictor's output as variable ``name``.

    Its structural equation is :math:`\\hat Y := h(X_F)`, so interventions on
    features propagate to the prediction.
    """
    if not isinstance(predictor, Predictor):
        raise ValueError(
            f"only a deterministic Predictor can be attached as a variable, got {type(predictor).__name__}"
        )
    table = dict(predictor.table)

    def equation(**values: Any) -> Any:
        return table[tuple(values[f] for f in predictor.features)]

    return scm.extend({name: (predictor.features, equation)}, states={name: predictor.labels})


def randomized(predictor: AnyPredictor) -> RandomizedPredictor:
    """Any predictor as a :class:`RandomizedPredictor` (a deterministic one as point masses).

    Examples
    --------
    >>> randomized(Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1))).table[(1,)]
    {0: 0.0, 1: 1.0}
    """
    if isinstance(predictor, RandomizedPredictor):
        return predictor
    if not isinstance(predictor, Predictor):
        raise ValueError(f"expected a Predictor or RandomizedPredictor, got {type(predictor).__name__}")
    table = {x: {y: float(y == label) for y in predictor.labels} for x, label in predictor.table.items()}
    return RandomizedPredictor(tuple(predictor.features), table, tuple(predictor.labels))


def positive_probabilities(predictor: AnyPredictor, positive: Any = 1) -> dict[Cell, float]:
    """:math:`h(x) = f(\\text{positive} \\mid x)` for every feature value: the predictor as a *policy*.

    Fairness and its frontier are linear in these numbers.

    Examples
    --------
    >>> positive_probabilities(Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1)))
    {(0,): 0.0, (1,): 1.0}
    """
    f = randomized(predictor)
    if positive not in f.labels:
        raise ValueError(f"positive label {positive!r} is not among the predictor's labels {f.labels!r}")
    out = {}
    for cell, law in f.table.items():
        h = float(law.get(positive, 0.0))
        if not 0.0 <= h <= 1.0:
            raise ValueError(f"probability {h!r} of {positive!r} at {cell!r} is not a probability")
        out[cell] = h
    return out


def mixture(first: AnyPredictor, second: AnyPredictor, weight: float) -> RandomizedPredictor:
    """Use ``second`` with probability ``weight`` and ``first`` otherwise.

    Both must read the same features (write a predictor on fewer features on
    more with :func:`on_features`). Risks are linear in ``weight``.
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must lie in [0, 1], got {weight!r}")
    a, b = randomized(first), randomized(second)
    if a.features != b.features or a.labels != b.labels:
        raise ValueError(f"mixture needs the same features and labels, got {a.features!r} and {b.features!r}")
    table = {x: {y: (1 - weight) * a.table[x][y] + weight * b.table[x][y] for y in a.labels} for x in a.table}
    return RandomizedPredictor(a.features, table, a.labels)


def on_features(
    predictor: AnyPredictor, features: Sequence[str], states: Mapping[str, Sequence[Any]]
) -> AnyPredictor:
    """The same predictor written as a table over more ``features`` (it ignores the extra ones).

    ``states`` gives every feature's values. The result has the predictor's
    own type.

    Examples
    --------
    >>> h = Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1))
    >>> on_features(h, ("A", "Q"), {"A": (0, 1), "Q": (0, 1)}).table[(1, 0)]
    0
    """
    if isinstance(features, str):
        raise ValueError(f"features must be a sequence of names, got the string {features!r}")
    features = tuple(features)
    missing = sorted(set(predictor.features) - set(features))
    if missing:
        raise ValueError(f"features {features!r} do not include {missing!r}, which the predictor reads")
    if not isinstance(states, Mapping):
        raise ValueError(f"states must map each feature to its values, got {type(states).__name__}")
    for f in features:
        if f not in states:
            raise ValueError(f"no states given for feature {f!r}")
    table = {}
    for combo in itertools.product(*(states[f] for f in features)):
        values = dict(zip(features, combo, strict=True))
        cell = tuple(values[f] for f in predictor.features)
        if cell not in predictor.table:
            raise ValueError(f"the predictor has no decision for the feature values {cell!r}")
        entry = predictor.table[cell]
        table[combo] = dict(entry) if isinstance(predictor, RandomizedPredictor) else entry
    return type(predictor)(features, table, tuple(predictor.labels))


def uses(predictor: AnyPredictor, feature: str) -> bool:
    """Whether the predictor's output ever depends on ``feature`` (other features held fixed).

    Examples
    --------
    >>> h = Predictor(("A", "Q"), {(0, 0): 0, (0, 1): 1, (1, 0): 0, (1, 1): 1}, (0, 1))
    >>> uses(h, "Q"), uses(h, "A")
    (True, False)
    """
    if feature not in predictor.features:
        raise ValueError(f"{feature!r} is not a feature of this predictor: {predictor.features!r}")
    i = predictor.features.index(feature)
    groups: dict[Cell, set[Any]] = {}
    for cell, output in predictor.table.items():
        key = output if not isinstance(output, Mapping) else tuple(sorted(output.items()))
        groups.setdefault(cell[:i] + cell[i + 1:], set()).add(key)
    return any(len(v) > 1 for v in groups.values())


def narrow(predictor: Predictor, features: Sequence[str]) -> Predictor:
    """The same decision rule written on ``features`` only (a subset it alone depends on).

    The inverse of :func:`on_features`: a predictor attached with inputs it ignores, written on
    the features it reads (:func:`uses`).

    Examples
    --------
    >>> h = Predictor(("Q", "S"), {(0, 0): 0, (0, 1): 0, (1, 0): 1, (1, 1): 1}, (0, 1))
    >>> narrow(h, ("Q",)).table
    {(0,): 0, (1,): 1}
    """
    features = tuple(features)
    missing = sorted(set(features) - set(predictor.features))
    if missing:
        raise ValueError(f"the predictor does not read {missing!r}; it reads {predictor.features!r}")
    table = {}
    for cell, decision in predictor.table.items():
        values = dict(zip(predictor.features, cell, strict=True))
        key = tuple(values[f] for f in features)
        if table.setdefault(key, decision) != decision:
            raise ValueError(f"the predictor's decision depends on more than {features!r}")
    return Predictor(features, table, predictor.labels)


def logistic_predictor(
    data: pd.DataFrame,
    label: str,
    features: Sequence[str],
    *,
    l2: float = 1.0,
    threshold: float = 0.5,
    iterations: int = 50,
) -> Predictor:
    """Logistic regression on 0/1 features, fitted by Newton's method, as a decision table.

    Minimises the penalised negative log-likelihood

    .. math:: -\\sum_i [y_i \\log \\sigma(w^\\top x_i + b) + (1 - y_i) \\log(1 - \\sigma(w^\\top x_i + b))]
              + \\tfrac{\\lambda}{2} \\lVert w \\rVert^2

    (the intercept :math:`b` is not penalised; :math:`\\lambda` is ``l2``) and
    decides :math:`\\hat y = 1` where :math:`\\sigma(w^\\top x + b) \\ge` ``threshold``,
    for every cell of the features. Deterministic: no random start, no solver options.

    Raises
    ------
    ValueError
        For a missing column, a column (feature or label) not coded 0/1, ``l2 < 0``,
        a threshold outside (0, 1), features given as one string, no features, the label
        among the features, empty data, or ``iterations`` not a positive integer.

    Examples
    --------
    >>> frame = pd.DataFrame({"X": [0, 0, 0, 1, 1, 1], "Y": [0, 0, 1, 1, 1, 0]})
    >>> h = logistic_predictor(frame, "Y", ["X"], l2=0.0)
    >>> h.table
    {(0,): 0, (1,): 1}
    """
    if isinstance(features, str):
        raise ValueError(f"features must be a sequence of column names, not the string {features!r}")
    features = tuple(features)
    if not features:
        raise ValueError("features must name at least one column, got none")
    if label in features:
        raise ValueError(f"the label {label!r} may not be among the features {list(features)}")
    if len(data) == 0:
        raise ValueError("the data have no rows")
    if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 1:
        raise ValueError(f"iterations must be a positive integer, got {iterations!r}")
    for column in (*features, label):
        if column not in data.columns:
            raise ValueError(f"unknown column {column!r}; the data have {list(data.columns)}")
        values = set(pd.unique(data[column]).tolist())
        if not values <= {0, 1}:
            raise ValueError(f"column {column!r} must be coded 0/1, got the values {sorted(values, key=str)}")
    if not (isinstance(l2, int | float) and l2 >= 0):
        raise ValueError(f"l2 must be a non-negative number, got {l2!r}")
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold!r}")
    X = np.column_stack([np.ones(len(data)), *(data[f].to_numpy(dtype=float) for f in features)])
    y = data[label].to_numpy(dtype=float)
    penalty = np.diag([0.0] + [float(l2)] * len(features))
    w = np.zeros(X.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-X @ w))
        gradient = X.T @ (p - y) + penalty @ w
        hessian = (X * (p * (1 - p))[:, None]).T @ X + penalty + 1e-9 * np.eye(X.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    cutoff = math.log(threshold / (1 - threshold))
    table = {cell: int(w[0] + float(np.dot(w[1:], cell)) >= cutoff)
             for cell in itertools.product((0, 1), repeat=len(features))}
    return Predictor(features, table, (0, 1))
