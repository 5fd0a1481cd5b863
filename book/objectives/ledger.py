"""The invariance ledger: each trust objective as an invariance check.

Every objective of the book is read as a requirement that some quantity stays
unchanged under a named change to the data-generating process (the book's own
formalisation of the thesis of Binkyte et al., 2026):

==================  ===========================================  ====================================
objective           change to the data-generating process         what must stay invariant
==================  ===========================================  ====================================
utility             none                                          nothing
fairness            do(A = a') for the same unit                  the unit's prediction
path-specific       A switched along unfair edges only            the unit's prediction
robustness          do(E = e): a change of environment            P(Y | X_S), X_S the features read
privacy             one training record replaced                  the output distribution
explainability      do(F = f) on the feature an explanation names  accuracy of the decision
==================  ===========================================  ====================================

Each check returns an :class:`InvarianceCheck`: the quantity under every
version of the change, and its *gap* (how far it moves). Gap 0 = invariant.
The checks compute through the objective modules (the switch of
:mod:`book.objectives.fairness`, the environment families and conditional
invariance of :mod:`book.objectives.robustness`, the privacy loss of
:mod:`book.objectives.privacy`), so each quantity is defined once.

The robustness row asks for the *conditional* :math:`P(Y \\mid X_S)` to be
invariant (:func:`environment_invariance`). The risk of a predictor on
:math:`X_S` is then invariant too when the environments also leave the
distribution of :math:`X_S` unchanged; :func:`risk_invariance` measures the
risk itself, which can move while the conditional stays put (e.g. when an
environment shifts the distribution of a cause).

The explainability row is *interventional validity*
(:func:`interventional_validity`): what an explanation claims about the world
must hold when one acts on the feature it names. It is a different property
from *fidelity*, an explanation being true of the model it explains.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from book.metrics import accuracy
from book.objectives import privacy
from book.objectives.fairness import switch_edges
from book.objectives.robustness import Environments, conditional_invariance, environment_risks
from book.predictors import AnyPredictor, Predictor, uses
from book.scm import TOLERANCE, DiscreteSCM, Edge

__all__ = [
    "InvarianceCheck",
    "attached_predictor",
    "counterfactual_fairness",
    "environment_invariance",
    "family_invariance",
    "features_read",
    "interventional_validity",
    "laplace_privacy",
    "ledger_table",
    "path_specific_fairness",
    "risk_invariance",
]


@dataclass(frozen=True)
class InvarianceCheck:
    """The outcome of one invariance check.

    Attributes
    ----------
    objective : str
        The trust objective, e.g. ``"robustness"``.
    change : str
        The change to the data-generating process.
    quantity : str
        What must stay invariant.
    values : dict
        The quantity under each version of the change (label -> number).
    gap : float
        How much the quantity moves: 0 means invariant.
    tolerance : float
        Largest gap still counted as invariant.
    """

    objective: str
    change: str
    quantity: str
    values: Mapping[str, float]
    gap: float
    tolerance: float = TOLERANCE

    @property
    def holds(self) -> bool:
        """Whether the quantity is invariant (gap within tolerance)."""
        return self.gap <= self.tolerance

    def __repr__(self) -> str:
        verdict = "invariant" if self.holds else "NOT invariant"
        return f"{self.objective}: {self.quantity} under {self.change}: gap {self.gap:.3f} ({verdict})"


def _spread(values: Mapping[str, float]) -> float:
    return max(values.values()) - min(values.values())


def ledger_table(checks: Sequence[InvarianceCheck]) -> pd.DataFrame:
    """The ledger as a table: one row per check (indexed by objective), its change, quantity, gap and verdict."""
    return pd.DataFrame(
        [
            {
                "objective": c.objective,
                "change": c.change,
                "must stay invariant": c.quantity,
                "gap": round(c.gap, 3),
                "invariant?": "yes" if c.holds else "no",
            }
            for c in checks
        ]
    ).set_index("objective")


def counterfactual_fairness(scm: DiscreteSCM, prediction: str, attribute: str) -> InvarianceCheck:
    """Invariance of each unit's prediction when its attribute is switched.

    .. math:: \\text{gap} = \\sum_a P(A = a)\\, P(\\hat Y_{A \\leftarrow a'} \\neq \\hat Y \\mid A = a)

    the probability that a unit's prediction changes when ``attribute`` is
    counterfactually set to its other value (Kusner et al., 2017).
    """
    a0, a1 = scm.binary_states(attribute)
    values = {}
    gap = 0.0
    for a, other in ((a0, a1), (a1, a0)):
        weight = scm.query(attribute)[a]
        if weight == 0:
            continue
        joint = scm.counterfactual_joint([prediction], {attribute: other}, evidence={attribute: a})
        changed = sum(p for (factual, cf), p in joint.items() if factual != cf)
        values[f"P(change | {attribute}={a})"] = changed
        gap += weight * changed
    return InvarianceCheck(
        "fairness (counterfactual)", f"do({attribute} = other value) for the same unit",
        f"prediction {prediction}", values, gap,
    )


def path_specific_fairness(
    scm: DiscreteSCM, prediction: str, attribute: str, unfair_edges: Iterable[Edge]
) -> InvarianceCheck:
    """Invariance of each unit's prediction when the attribute moves along unfair paths only.

    .. math:: \\text{gap} = \\sum_a P(A = a)\\,
              P(\\hat Y_{A \\leftarrow a' \\text{ along unfair paths}} \\neq \\hat Y \\mid A = a)

    ``unfair_edges`` are edges out of ``attribute``; a path is unfair when it
    starts with one of them. The edge from the attribute straight into the
    prediction (a decision that reads ``A`` itself) always counts as unfair.
    Along unfair paths the unit sees the other value of the attribute, along
    every other (allowed) path its own value, so effects along allowed paths
    are kept (see
    :meth:`book.scm.DiscreteSCM.path_specific`). With every edge out of the
    attribute listed, this equals :func:`counterfactual_fairness`.
    """
    unfair = [tuple(e) for e in unfair_edges]
    switch_edges(scm, attribute, unfair)  # raises ValueError naming an edge that is not out of the attribute
    # A decision that reads the attribute itself is direct discrimination: always unfair.
    if attribute in scm.parents(prediction) and (attribute, prediction) not in unfair:
        unfair.append((attribute, prediction))
    # The switched value travels along the unfair first edges and then everywhere downstream.
    edges = switch_edges(scm, attribute, unfair)
    a0, a1 = scm.binary_states(attribute)
    gap = 0.0
    values = {}
    for a, other in ((a0, a1), (a1, a0)):
        weight = scm.query(attribute)[a]
        if weight == 0:
            continue
        joint = scm.path_specific_joint(
            [prediction], intervention={attribute: other}, baseline={attribute: a},
            edges=edges, evidence={attribute: a},
        )
        changed = sum(p for (factual, shifted), p in joint.items() if factual != shifted)
        values[f"P(change | {attribute}={a})"] = changed
        gap += weight * changed
    names_unfair = ", ".join(f"{u}->{v}" for u, v in unfair) or "no edges"
    return InvarianceCheck(
        "fairness (path-specific)", f"{attribute} switched along {names_unfair} only",
        f"prediction {prediction}", values, gap,
    )


def risk_invariance(
    family: Environments,
    predictor: AnyPredictor,
    envs: Iterable[str] | None = None,
    *,
    change: str = "a change of environment",
) -> InvarianceCheck:
    """Is a predictor's risk the same in every environment of a family?

    .. math:: \\text{gap} = \\max_e R_e(f) - \\min_e R_e(f)

    with :math:`R_e` the exact risk in environment ``e``
    (:func:`book.objectives.robustness.environment_risk`), for every
    environment (default) or those in ``envs``.

    The robustness row of the ledger asks for an invariant conditional
    :math:`P(Y \\mid X_S)` (:func:`environment_invariance`); the risk follows
    it only when the environments also leave the distribution of the features
    :math:`X_S` unchanged. The check keeps the objective name
    ``"robustness"`` and the quantity ``"risk"``.

    Examples
    --------
    >>> from book.models import hospitals
    >>> from book.objectives.robustness import optimal_predictor
    >>> fam = Environments.from_variable(hospitals(), "E", "Y")
    >>> round(risk_invariance(fam, optimal_predictor(fam, ["C", "S"])).gap, 3)
    0.225
    """
    values = {f"risk in {e}": r for e, r in environment_risks(family, predictor, envs).items()}
    return InvarianceCheck("robustness", change, "risk", values, _spread(values))


def attached_predictor(scm: DiscreteSCM, prediction: str) -> Predictor:
    """The predictor whose equation is the prediction variable's own (its parents are the features).

    The inverse of :func:`book.predictors.attach`.

    Examples
    --------
    >>> from book.models import umbrella
    >>> from book.predictors import attach, bayes_optimal
    >>> m = umbrella()
    >>> attached_predictor(attach(m, "Yhat", bayes_optimal(m, "Y", ["C"])), "Yhat").features
    ('C',)
    """
    features = scm.parents(prediction)
    # An endogenous variable without parents has a constant equation: a constant predictor.
    if not features and prediction in scm.exogenous:
        raise ValueError(f"{prediction!r} has no parents: attach a predictor to the model first")
    table = {tuple(row[:-1]): row[-1] for row in scm.table(prediction).itertuples(index=False, name=None)}
    return Predictor(features, table, scm.states(prediction))


def features_read(scm: DiscreteSCM, prediction: str) -> tuple[str, ...]:
    """The features :math:`X_S` a prediction attached to ``scm`` actually reads.

    These are the parents of ``prediction`` on which its structural equation
    depends (:func:`book.predictors.uses`): an input the decision ignores is
    not read. Two attached predictors that compute the same decision rule
    therefore read the same features, whatever inputs they were given.

    Examples
    --------
    >>> from book.models import umbrella
    >>> from book.predictors import attach, bayes_optimal
    >>> m = umbrella()
    >>> features_read(attach(m, "Yhat", bayes_optimal(m, "Y", ["A", "C", "P", "S"])), "Yhat")
    ('A', 'C', 'S')
    """
    predictor = attached_predictor(scm, prediction)
    return tuple(f for f in predictor.features if uses(predictor, f))


def environment_invariance(
    scm: DiscreteSCM, prediction: str, label: str, environment: str
) -> InvarianceCheck:
    """The robustness row: is :math:`P(Y \\mid X_S)` the same in every environment ``do(E = e)``?

    :math:`X_S` are the features the attached prediction reads
    (:func:`features_read`); the environments are
    :meth:`~book.objectives.robustness.Environments.from_variable` of the
    ``environment`` variable, all of them compared. Exactly,

    .. math:: \\text{gap} = \\max_{x, y} \\left( \\max_e P(Y = y \\mid X_S = x; do(E = e))
              - \\min_e P(Y = y \\mid X_S = x; do(E = e)) \\right)

    over the feature values :math:`x` of positive probability in the
    environments compared (:func:`book.objectives.robustness.conditional_invariance`,
    the null hypothesis of invariant causal prediction, Peters et al., 2016).
    The values are :math:`P(Y = y \\mid X_S = x)` in each environment, keyed
    ``"P(Y=1 | A=0, C=0, S=1) in E=0"``. A predictor that reads no feature is
    checked on :math:`P(Y)`.

    Gap 0 says that the relation between what the predictor reads and the
    label is the same everywhere, so the Bayes-optimal rule on :math:`X_S`
    stays optimal in every environment. It does not say that the *risk* is
    the same: that also needs the distribution of :math:`X_S` to stay put
    (:func:`risk_invariance` measures the risk).

    Raises
    ------
    ValueError
        For an unknown variable, a prediction with no parents, a prediction
        that reads the environment variable itself, or an environment
        variable that acts on the label's own mechanism.

    Examples
    --------
    >>> from book.models import umbrella
    >>> from book.predictors import attach, bayes_optimal
    >>> m = umbrella()
    >>> on_c = environment_invariance(attach(m, "Yhat", bayes_optimal(m, "Y", ["C"])), "Yhat", "Y", "E")
    >>> on_cs = environment_invariance(attach(m, "Yhat", bayes_optimal(m, "Y", ["C", "S"])), "Yhat", "Y", "E")
    >>> on_c.holds, round(on_cs.gap, 3)
    (True, 0.499)
    """
    for name in (prediction, label, environment):
        scm.states(name)  # raises ValueError naming an unknown variable
    features = features_read(scm, prediction)
    if environment in features:
        raise ValueError(
            f"the prediction {prediction!r} reads the environment {environment!r} itself: its conditional "
            f"P({label} | {', '.join(features)}) is defined in one environment per value and cannot be compared"
        )
    family = Environments.from_variable(
        scm, environment, label, training=[f"{environment}={e}" for e in scm.states(environment)]
    )
    return family_invariance(family, features, change=f"do({environment} = e): a change of environment")


def family_invariance(
    family: Environments, features: Sequence[str], *, change: str = "a change of environment"
) -> InvarianceCheck:
    """The robustness row on an environment family: is :math:`P(Y \\mid X_S)` the same in every member?

    The same check as :func:`environment_invariance`, for a family given as its members
    (e.g. :meth:`~book.objectives.robustness.Environments.from_shifts`) instead of the values
    of an environment variable. ``features`` are :math:`X_S`; every environment of the family
    is compared (:func:`book.objectives.robustness.conditional_invariance`).

    Examples
    --------
    >>> from book.models import umbrella
    >>> fam = Environments.from_variable(umbrella(), "E", "Y")
    >>> family_invariance(fam, ["C"]).holds, round(family_invariance(fam, ["C", "S"]).gap, 3)
    (True, 0.499)
    """
    features = tuple(features)
    label = family.target
    result = conditional_invariance(family, features, family.labels)
    values = {}
    for env, table in result.conditionals.items():
        for cell, probabilities in table.items():
            given = ", ".join(f"{f}={v}" for f, v in zip(features, cell, strict=True))
            for y, p in zip(family.states(label), probabilities, strict=True):
                values[f"P({label}={y} | {given}) in {env}" if given else f"P({label}={y}) in {env}"] = p
    quantity = f"P({label} | {', '.join(features)})" if features else f"P({label})"
    return InvarianceCheck("robustness", change, quantity, values, result.gap)


def interventional_validity(
    scm: DiscreteSCM, prediction: str, label: str, feature: str
) -> InvarianceCheck:
    """Does the relation an explanation names survive acting on the feature?

    An explanation "the decision rests on F" invites acting on F. It has
    *interventional validity* when the decision stays as accurate when F is
    *set* as when F is merely *observed*, i.e. when accuracy is invariant to
    replacing observation by intervention:

    .. math:: \\text{gap} = \\max_f \\left| P(\\hat Y = Y \\mid F = f)
              - P(\\hat Y = Y \\mid do(F = f)) \\right|

    A feature that merely reflects the outcome (an effect of ``Y``) gives a
    large gap: setting it changes the decision but not the outcome. This is a
    property of the explanation's claim about the *world*; whether the
    explanation is true of the *model* (its fidelity) is another question.
    (The first edition called this check ``explanation_faithfulness``; the
    old name still imports from ``book.invariance``.)

    Examples
    --------
    >>> from book.models import umbrella
    >>> from book.predictors import attach, bayes_optimal
    >>> m = umbrella()
    >>> check = interventional_validity(attach(m, "Yhat", bayes_optimal(m, "Y", ["S"])), "Yhat", "Y", "S")
    >>> check.holds
    False
    """
    values = {}
    for f in scm.states(feature):
        values[f"accuracy | {feature}={f}"] = accuracy(scm, prediction, label, evidence={feature: f})
        values[f"accuracy | do({feature}={f})"] = accuracy(scm, prediction, label, do={feature: f})
    gap = max(
        abs(values[f"accuracy | {feature}={f}"] - values[f"accuracy | do({feature}={f})"])
        for f in scm.states(feature)
    )
    return InvarianceCheck(
        "explainability (interventional validity)",
        f"do({feature} = {feature.lower()}) instead of observing {feature} = {feature.lower()}",
        "accuracy of the decision", values, gap,
    )


def laplace_privacy(
    counts: Iterable[int],
    neighbour_counts: Iterable[int],
    *,
    epsilon: float,
    sensitivity: float = privacy.SENSITIVITY,
) -> InvarianceCheck:
    """Privacy of releasing counts with Laplace noise, as invariance to one record.

    Releasing :math:`c + \\mathrm{Lap}(\\Delta/\\varepsilon)` per count, the
    output densities on two neighbouring data sets (one record replaced, so
    the counts differ by at most :math:`\\Delta` in total, in L1) satisfy

    .. math:: \\text{gap} = \\max_z \\left| \\log \\frac{p(z \\mid c)}{p(z \\mid c')} \\right|
              = \\frac{\\varepsilon}{\\Delta} \\lVert c - c' \\rVert_1 \\le \\varepsilon

    (Dwork et al., 2006). The gap is the privacy loss of
    :func:`book.objectives.privacy.privacy_loss` at the output where it is
    largest (:func:`book.objectives.privacy.worst_case_output`); the check holds
    when the gap is at most ``epsilon``. The default sensitivity is that of
    replacing one record, as in the privacy chapter.
    """
    if not (isinstance(epsilon, (int, float)) and math.isfinite(epsilon) and epsilon > 0):
        raise ValueError(f"epsilon must be a positive finite number, got {epsilon!r}")
    c = np.asarray(list(counts), dtype=float)
    c2 = np.asarray(list(neighbour_counts), dtype=float)
    if c.shape != c2.shape or c.size == 0:
        raise ValueError(f"counts and neighbour_counts must be non-empty and equally long: {c.size} vs {c2.size}")
    loss = float(privacy.privacy_loss(privacy.worst_case_output(c, c2), c, c2, epsilon, sensitivity=sensitivity))
    return InvarianceCheck(
        "privacy", "one training record replaced", "distribution of the released counts",
        {"privacy loss": loss, "epsilon": float(epsilon)}, loss, tolerance=float(epsilon) + TOLERANCE,
    )
