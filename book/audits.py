"""The invariance audit: every declared trust objective of one predictor, as one ledger.

The ledger of chapter 2 reads each trust objective as a quantity that must stay
invariant under a named change to the data-generating process.
:func:`audit` applies it to a model and a predictor the reader brings: a
:class:`~book.scm.DiscreteSCM`, the prediction attached to it
(:func:`book.predictors.attach`), and declarations of what matters — the label;
optionally a sensitive attribute and its unfair edges, an environment variable
whose values are the environments, actionable features with their costs, and a
learner with a sample size. Each declaration turns on one row:

==================  ================================  =============================================
row                 declared by                        gap
==================  ================================  =============================================
fairness            ``attribute`` (+ ``unfair_edges``)  P(decision changes when A is switched along
                                                       the unfair edges), exact
robustness          ``environment``                    spread of P(Y | X_S) across do(E = e) or across
                                                       the members of a family, exact
explainability      ``explain=True``                   largest accuracy change from observing a
                                                       feature the decision reads to setting it, exact
recourse            ``actionable``                     mean change, over refused individuals, from the
                                                       outcome the advice promises to the one acting
                                                       on it brings (1 for those offered no advice),
                                                       exact
privacy             ``n`` (+ ``epsilon``)              membership advantage of a loss-threshold
                                                       attack on the learner, sampled: mean ± s.e.
==================  ================================  =============================================

An objective that is not declared appears as ``"not declared"``: never silently
skipped. :func:`select` proposes the *selective-invariance* predictor: over the
subsets of the declared features, the most accurate exactly path-fair rule on
each, kept if it passes the declared fairness and robustness rows.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from book.captions import captioned_html
from book.metrics import accuracy
from book.objectives import ledger, privacy, recourse
from book.objectives.fairness import edges_out_of, invariant_predictor, switch_edges
from book.objectives.robustness import Environments
from book.predictors import Predictor, attach, bayes_optimal, constant, most_likely, narrow
from book.scm import DiscreteSCM, Edge

__all__ = ["LEARNERS", "OBJECTIVES", "Audit", "AuditRow", "Selection", "audit", "select"]

Objective = Literal["fairness", "robustness", "explainability", "recourse", "privacy"]
#: The rows of an audit, in order (utility is the audit's ``accuracy``).
OBJECTIVES: tuple[Objective, ...] = ("fairness", "robustness", "explainability", "recourse", "privacy")
Verdict = Literal["holds", "fails", "inconclusive", "not declared"]
Learner = Literal["histogram"]
#: The learners the privacy row can train.
LEARNERS: tuple[Learner, ...] = ("histogram",)


@dataclass(frozen=True)
class AuditRow:
    """One objective's row: the change, what must stay invariant, the gap, the verdict.

    ``gap`` and ``tolerance`` are ``None`` for an objective that was not declared;
    ``standard_error`` is ``None`` where the gap is exact.
    """

    objective: Objective
    change: str
    quantity: str
    gap: float | None = None
    tolerance: float | None = None
    standard_error: float | None = None
    values: Mapping[str, float] = field(default_factory=dict)

    @property
    def verdict(self) -> Verdict:
        """``"holds"`` when the gap is within the tolerance, ``"fails"`` when it is not.

        A sampled row (with a standard error) decides only when its estimate is clear of the
        tolerance by two standard errors: ``"holds"`` if ``gap + 2 se <= tolerance``, ``"fails"``
        if ``gap - 2 se > tolerance``, ``"inconclusive"`` in between (sample more: ``reps``).
        """
        if self.gap is None or self.tolerance is None:
            return "not declared"
        se = self.standard_error or 0.0
        if self.gap + 2 * se <= self.tolerance:
            return "holds"
        if self.gap - 2 * se > self.tolerance:
            return "fails"
        return "inconclusive"

    @property
    def holds(self) -> bool | None:
        """True or False for a decided row; None for an undeclared or inconclusive one."""
        return {"holds": True, "fails": False}.get(self.verdict)


@dataclass(frozen=True)
class Audit:
    """An audit: the predictor's accuracy and one :class:`AuditRow` per objective of :data:`OBJECTIVES`."""

    prediction: str
    label: str
    accuracy: float
    rows: tuple[AuditRow, ...]

    def row(self, objective: Objective) -> AuditRow:
        """The row of ``objective``."""
        for r in self.rows:
            if r.objective == objective:
                return r
        raise ValueError(f"unknown objective {objective!r}; the audit has {[r.objective for r in self.rows]}")

    def table(self) -> pd.DataFrame:
        """The audit as a table indexed by objective (gaps rounded to 3 decimals)."""
        return pd.DataFrame([{
            "objective": r.objective,
            "change": r.change,
            "must stay invariant": r.quantity,
            "gap": "" if r.gap is None else f"{r.gap:.3f}",
            "± s.e.": "" if r.gap is None else "exact" if r.standard_error is None else f"{r.standard_error:.3f}",
            "tolerance": "" if r.tolerance is None else f"{r.tolerance:g}",
            "verdict": r.verdict,
        } for r in self.rows]).set_index("objective")

    def __repr__(self) -> str:
        head = f"Audit of {self.prediction} (accuracy against {self.label}: {self.accuracy:.3f})"
        return f"{head}\n{self.table().to_string()}"

    def _repr_html_(self) -> str:
        caption = f"Audit of {self.prediction}: accuracy against {self.label} {self.accuracy:.3f}"
        return captioned_html(self.table().to_html(), caption)  # names the table for screen readers


def _tolerance(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"tolerance must be a positive finite number, got {value!r}")
    return float(value)


def _not_declared(objective: Objective, what: str) -> AuditRow:
    return AuditRow(objective, f"not declared (give {what})", "")


def _fairness_row(scm: DiscreteSCM, prediction: str, attribute: str | None,
                  unfair_edges: Iterable[Edge] | None, tolerance: float) -> AuditRow:
    if attribute is None:
        if unfair_edges is not None:
            raise ValueError("unfair_edges were given without the attribute they leave")
        return _not_declared("fairness", "attribute=")
    scm.states(attribute)  # raises ValueError naming an unknown variable
    edges = edges_out_of(scm, attribute) if unfair_edges is None else [tuple(e) for e in unfair_edges]
    for edge in edges:
        if len(edge) != 2 or edge not in scm.edges():
            raise ValueError(f"unfair edge {edge!r} is not an edge of the model")
    switch_edges(scm, attribute, edges)  # raises ValueError naming an edge that does not leave the attribute
    check = ledger.path_specific_fairness(scm, prediction, attribute, edges)
    return AuditRow("fairness", check.change, check.quantity, check.gap, tolerance, None, check.values)


def _robustness_row(scm: DiscreteSCM, prediction: str, label: str, environment: str | Environments | None,
                    read: Sequence[str], tolerance: float) -> AuditRow:
    if environment is None:
        return _not_declared("robustness", "environment=")
    if isinstance(environment, Environments):
        if environment.target != label:
            raise ValueError(f"the environment family is one of {environment.target!r}, not of the label {label!r}")
        change = f"the family's environments {list(environment.labels)}"
        check = ledger.family_invariance(environment, read, change=change)
    else:
        check = ledger.environment_invariance(scm, prediction, label, environment)
    return AuditRow("robustness", check.change, check.quantity, check.gap, tolerance, None, check.values)


def _explainability_row(scm: DiscreteSCM, prediction: str, label: str, read: Sequence[str],
                        explain: bool, tolerance: float) -> AuditRow:
    if not explain:
        return _not_declared("explainability", "explain=True")
    features = list(read)  # an explanation of the decision may name any feature it reads
    values: dict[str, float] = {}
    gap = 0.0
    for feature in features:
        check = ledger.interventional_validity(scm, prediction, label, feature)
        values[f"gap of {feature}"] = check.gap
        gap = max(gap, check.gap)
    return AuditRow(
        "explainability", "do(F = f) instead of observing F = f, F each feature read",
        "accuracy of the decision", gap, tolerance, None, values,
    )


def _recourse_row(scm: DiscreteSCM, predictor: Predictor, prediction: str, label: str,
                  actionable: Mapping[str, float] | None, desired: Any, tolerance: float) -> AuditRow:
    if actionable is None:
        return _not_declared("recourse", "actionable= feature costs")
    if desired not in scm.states(prediction) or desired not in scm.states(label):
        raise ValueError(f"desired={desired!r} is not a state of both {prediction!r} {scm.states(prediction)!r} "
                         f"and {label!r} {scm.states(label)!r}")
    # Advice can only move the decision through features it reads; the others cannot help.
    usable = {f: c for f, c in actionable.items() if f in predictor.features}
    states = {f: scm.states(f) for f in predictor.features}
    joint = scm.joint(list(predictor.features))
    refused = {cell: p for cell, p in joint.items() if p > 0 and predictor.table[cell] != desired}
    total = sum(refused.values())
    advised, mismatch = 0.0, 0.0
    for cell, p in refused.items():
        x = dict(zip(predictor.features, cell, strict=True))
        action = (recourse.nearest_counterfactual(predictor, x, states=states, weights=usable, desired=desired)
                  if usable else {})
        if not action:
            continue
        # What the advice promises: the outcome of those who already look like x' (observation) ...
        promised = scm.query(label, evidence={**x, **action})[desired]
        # ... and what acting on it brings this individual (intervention, with x's own noise kept).
        acted = recourse.evaluate(scm, x, action, weights=usable, prediction=prediction,
                                  outcome=label, desired=desired).outcome_validity
        advised += p / total
        mismatch += p / total * abs(promised - acted)
    # A refused individual offered no advice is a full failure of recourse (gap 1 for them).
    gap = mismatch + (1.0 - advised) if refused else 0.0
    values = {
        "share of refused individuals with advice": advised if refused else 1.0,
        "mean gap among the advised": mismatch / advised if advised else 0.0,
        "share refused": total,
    }
    return AuditRow(
        "recourse", "acting on the nearest counterfactual (do) instead of resembling it",
        f"P({label} = {desired}) after the advice (no advice counts as 1)", gap, tolerance, None, values,
    )


def _binary_codes(frame: pd.DataFrame, names: Sequence[str], scm: DiscreteSCM) -> np.ndarray:
    """The variables' values as bits: a variable with k states takes ceil(log2 k) columns (its state's index).

    The histogram learner reads binary columns; coding each state's index in binary makes its
    cells exactly the variables' joint values (plus, for k not a power of 2, cells that never occur).
    """
    columns = []
    for name in names:
        states = scm.states(name)
        index = {s: i for i, s in enumerate(states)}
        codes = np.array([index[v] for v in frame[name].to_numpy()], dtype=np.int64)
        for bit in range(max(1, math.ceil(math.log2(len(states)))) if len(states) > 1 else 0):
            columns.append((codes >> bit) & 1)
    return np.column_stack(columns) if columns else np.zeros((len(frame), 0), dtype=np.int64)


def _privacy_row(scm: DiscreteSCM, features: Sequence[str], label: str, learner: Learner | None, n: int | None,
                 epsilon: float, reps: int, rng: np.random.Generator | None, tolerance: float) -> AuditRow:
    if learner is not None and learner not in LEARNERS:
        raise ValueError(f"unknown learner {learner!r}; the audit knows {list(LEARNERS)!r}")
    if n is None:
        if learner is not None or rng is not None or not math.isinf(epsilon):
            raise ValueError("the privacy row needs a sample size: give n= with the learner, its epsilon or rng")
        return _not_declared("privacy", "n= and rng=")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 2:
        raise ValueError(f"reps must be an integer of at least 2 (a standard error needs two), got {reps!r}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"the privacy row samples training sets: give rng=numpy.random.default_rng(seed), "
                         f"got {rng!r}")
    if len(scm.states(label)) != 2:
        raise ValueError(f"the privacy row's histogram learner needs a binary label; {label!r} has states "
                         f"{scm.states(label)!r}")
    advantages = []
    for _ in range(reps):
        # members, fresh non-members, and the attacker's shadow training set: three independent samples
        parts = [scm.sample(n, rng) for _ in range(3)]
        X = [_binary_codes(f, features, scm) for f in parts]
        y = [_binary_codes(f, [label], scm)[:, 0] for f in parts]
        model = privacy.fit_histogram(X[0], y[0], epsilon=epsilon, rng=rng)
        shadow = privacy.fit_histogram(X[2], y[2], epsilon=epsilon, rng=rng)
        attack = privacy.threshold_attack(model.loss(X[0], y[0]), model.loss(X[1], y[1]),
                                          privacy.shadow_threshold(shadow, X[2], y[2]))
        advantages.append(attack.advantage)
    mean = float(np.mean(advantages))
    se = float(np.std(advantages, ddof=1) / math.sqrt(reps))
    values = {"advantage": mean, "bound tanh(epsilon/2)": privacy.advantage_bound(epsilon)}
    change = f"one of {n} training records replaced (histogram learner, epsilon = {epsilon:g})"
    return AuditRow("privacy", change, "the learner's output (membership advantage)", mean, tolerance, se, values)


def audit(
    scm: DiscreteSCM,
    prediction: str,
    label: str,
    *,
    attribute: str | None = None,
    unfair_edges: Iterable[Edge] | None = None,
    environment: str | Environments | None = None,
    explain: bool = False,
    actionable: Mapping[str, float] | None = None,
    desired: Any = 1,
    learner: Learner | None = None,
    n: int | None = None,
    epsilon: float = math.inf,
    reps: int = 20,
    rng: np.random.Generator | None = None,
    tolerance: float = 0.01,
) -> Audit:
    """Audit a predictor attached to an SCM against every declared trust objective.

    Each row is an invariance check (see the module docstring): the change
    applied, the quantity that must stay invariant, its gap, and whether the
    gap is at most ``tolerance``. The utility row is the audit's ``accuracy``,
    :math:`P(\\hat Y = Y)`. Exact rows compute on the model; the privacy row
    samples ``reps`` training sets of ``n`` records and reports the mean
    membership advantage of the loss-threshold attack (threshold learned on a
    shadow model, :func:`book.objectives.privacy.shadow_threshold`) and its
    standard error, for the histogram learner on the features the predictor
    reads, made ``epsilon``-DP by Laplace noise on its counts.

    Parameters
    ----------
    scm : DiscreteSCM
        The model, with the prediction attached as a variable.
    prediction, label : str
        The prediction variable and the label it predicts.
    attribute : str, optional
        The sensitive attribute; declares the fairness row.
    unfair_edges : iterable of (str, str), optional
        Edges out of ``attribute`` along which it must have no effect; default:
        every edge out of it (counterfactual fairness).
    environment : str or Environments, optional
        A variable whose values are the environments, or an environment family
        (:class:`~book.objectives.robustness.Environments`, e.g. built with
        ``Environments.from_shifts`` from the mechanisms that may change); declares the
        robustness row.
    explain : bool
        Declares the explainability row: explanations of the decision may name any feature it
        reads, and invite acting on it.
    actionable : mapping of str to float, optional
        Cost per unit change of each actionable feature; declares the recourse row.
    desired : optional
        The favourable decision and outcome (default 1).
    learner : {"histogram"}, optional
        The learner whose training records the privacy row protects: ``"histogram"`` (the
        default once ``n`` is given) fits the table of :func:`book.objectives.privacy.fit_histogram`
        on the features the prediction reads, with Laplace noise on its counts.
    n : int, optional
        Training-set size of the learner; declares the privacy row (needs ``rng``).
    epsilon : float
        The learner's privacy parameter (default: no noise).
    reps : int
        Training sets sampled for the privacy row.
    rng : numpy.random.Generator, optional
        Randomness of the privacy row.
    tolerance : float
        Largest gap still counted as invariant, for every row.

    Raises
    ------
    ValueError
        Naming an unknown variable, an unfair edge that is not an edge of the
        model or does not leave the attribute, an environment that acts on the
        label's own mechanism, an actionable feature that is the label or has a
        non-positive cost, a non-positive tolerance, or a privacy row without a
        sample size.

    Examples
    --------
    >>> from book.models import hiring
    >>> m = hiring()
    >>> m = attach(m, "Yhat", invariant_predictor(m, "Y", ["A", "Q", "P"], "A", [("A", "P"), ("A", "Y")]))
    >>> result = audit(m, "Yhat", "Y", attribute="A", unfair_edges=[("A", "P"), ("A", "Y")])
    >>> result.row("fairness").verdict, result.row("robustness").verdict
    ('holds', 'not declared')
    """
    tolerance = _tolerance(tolerance)
    if not isinstance(explain, bool):
        raise ValueError(f"explain must be True or False, got {explain!r}")
    for name in (prediction, label, *(actionable or {})):
        scm.states(name)  # raises ValueError naming an unknown variable
    for name, cost in (actionable or {}).items():
        if name in (prediction, label):
            raise ValueError(f"actionable feature {name!r} is the prediction or the label")
        if isinstance(cost, bool) or not isinstance(cost, int | float) or not cost > 0:
            raise ValueError(f"the cost of actionable feature {name!r} must be a positive number, got {cost!r}")
    predictor = ledger.attached_predictor(scm, prediction)
    if label in predictor.features:
        raise ValueError(f"the prediction {prediction!r} reads the label {label!r} itself")
    read = ledger.features_read(scm, prediction)
    rows = (
        _fairness_row(scm, prediction, attribute, unfair_edges, tolerance),
        _robustness_row(scm, prediction, label, environment, read, tolerance),
        _explainability_row(scm, prediction, label, read, explain, tolerance),
        _recourse_row(scm, narrow(predictor, read), prediction, label, actionable, desired, tolerance),
        _privacy_row(scm, read, label, learner, n, epsilon, reps, rng, tolerance),
    )
    return Audit(prediction, label, accuracy(scm, prediction, label), rows)


@dataclass(frozen=True)
class Selection:
    """The proposal of :func:`select`: a predictor, its audit, and every candidate considered."""

    predictor: Predictor
    audit: Audit
    candidates: pd.DataFrame
    irreducible: bool

    def __repr__(self) -> str:
        reads = ", ".join(self.predictor.features) or "nothing"
        if self.irreducible:
            return (f"No non-constant predictor on the declared features passes the declared invariances: "
                    f"the conflict is irreducible on this model (best: a constant, accuracy "
                    f"{self.audit.accuracy:.3f})")
        return f"Selective predictor on {reads}: accuracy {self.audit.accuracy:.3f}\n{self.audit!r}"


def select(
    scm: DiscreteSCM,
    label: str,
    features: Sequence[str],
    *,
    attribute: str | None = None,
    unfair_edges: Iterable[Edge] | None = None,
    environment: str | Environments | None = None,
    explain: bool = False,
    tolerance: float = 0.01,
    prediction: str = "Yhat",
) -> Selection:
    """The most accurate of the per-subset exactly fair rules that pass fairness and robustness.

    For every subset :math:`S` of ``features`` it takes the best rule on
    :math:`X_S` whose decision never changes when the attribute is switched
    along the unfair edges (:func:`book.objectives.fairness.invariant_predictor`;
    without an attribute, the Bayes-optimal rule on :math:`X_S`), audits it,
    and keeps those whose declared fairness and robustness rows hold:

    .. math:: h^* = \\arg\\max_{h_S\\ :\\ \\text{declared rows hold}} P(h_S(X_S) = Y)

    The search is over these per-subset rules only. A rule whose fairness gap is
    positive but within ``tolerance``, or an exactly fair rule on :math:`S` that
    is not the best one there, is not considered: a more accurate rule that passes
    both rows at the tolerance may exist.

    Ties go to fewer features. ``irreducible`` is True when the winner is
    constant: no non-trivial predictor satisfies the declared invariances.
    ``explain=True`` adds the explainability row to each audit (reported, not
    required: an explanation's validity is checked, not selected for).

    Examples
    --------
    >>> from book.models import hiring
    >>> s = select(hiring(), "Y", ["A", "Q", "P"], attribute="A", unfair_edges=[("A", "P"), ("A", "Y")])
    >>> s.predictor.features, round(s.audit.accuracy, 3), s.irreducible
    (('Q',), 0.735, False)
    """
    features = tuple(features)
    for name in (label, *features):
        scm.states(name)
    if label in features:
        raise ValueError(f"the label {label!r} cannot also be a feature")
    if isinstance(environment, str) and environment in features:
        raise ValueError(f"the environment {environment!r} cannot be a feature of a robust predictor")
    if prediction in scm.variables:
        raise ValueError(f"the model already has a variable {prediction!r}: name the prediction otherwise")
    edges = None if unfair_edges is None else [tuple(e) for e in unfair_edges]
    labels = scm.states(label)
    rows, best = [], None
    for size in range(len(features) + 1):
        for subset in itertools.combinations(features, size):
            if not subset:  # the constant: the most frequent label
                prior = scm.query(label)
                h = constant(scm, label, most_likely([prior[y] for y in labels], labels))
            elif attribute is not None:
                h = invariant_predictor(scm, label, subset, attribute,
                                        edges_out_of(scm, attribute) if edges is None else edges)
            else:
                h = bayes_optimal(scm, label, subset)
            result = audit(attach(scm, prediction, h), prediction, label, attribute=attribute,
                           unfair_edges=edges, environment=environment, explain=explain, tolerance=tolerance)
            passes = all(result.row(o).holds is not False for o in ("fairness", "robustness"))
            rows.append({"features": ", ".join(subset) or "(none)", "accuracy": round(result.accuracy, 3),
                         **{o: result.row(o).verdict for o in ("fairness", "robustness")}, "passes": passes})
            if passes and (best is None or result.accuracy > best[1].accuracy + 1e-12):
                best = (h, result)
            if not subset:
                fallback = (h, result)
    # No subset passes, not even the constant (when the environments move P(Y) itself): irreducible.
    h, result = best if best is not None else fallback
    trivial = best is None or len(set(h.table.values())) <= 1
    return Selection(h, result, pd.DataFrame(rows).set_index("features"), trivial)
