"""The invariance ledger: each trust objective as an invariance check.

Every objective of the book is read as a requirement that some quantity stays
unchanged under a named change to the data-generating process (the book's own
formalisation of the thesis of Binkyte et al., 2026):

==================  ===========================================  ==============================
objective           change to the data-generating process         what must stay invariant
==================  ===========================================  ==============================
utility             none                                          nothing
fairness            do(A = a') for the same unit                  the unit's prediction
path-specific       A switched along unfair edges only            the unit's prediction
robustness          do(E = e): a change of environment            the risk
privacy             one training record replaced                  the output distribution
explainability      do(F = f) on the feature an explanation names  accuracy of the decision
==================  ===========================================  ==============================

Each check returns an :class:`InvarianceCheck`: the quantity under every
version of the change, and its *gap* (how far it moves). Gap 0 = invariant.
The checks compute through the objective modules (the switch of
:mod:`book.objectives.fairness`, the environment risks of
:mod:`book.objectives.robustness`, the privacy loss of
:mod:`book.objectives.privacy`), so each quantity is defined once.
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
from book.objectives.robustness import Environments, environment_risks
from book.predictors import AnyPredictor, Predictor
from book.scm import TOLERANCE, DiscreteSCM, Edge

__all__ = [
    "InvarianceCheck",
    "counterfactual_fairness",
    "environment_invariance",
    "explanation_faithfulness",
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
    """The robustness row of the ledger: is the risk the same in every environment of a family?

    .. math:: \\text{gap} = \\max_e R_e(f) - \\min_e R_e(f)

    with :math:`R_e` the exact risk in environment ``e``
    (:func:`book.objectives.robustness.environment_risk`), for every
    environment (default) or those in ``envs``.
    """
    values = {f"risk in {e}": r for e, r in environment_risks(family, predictor, envs).items()}
    return InvarianceCheck("robustness", change, "risk", values, _spread(values))


def environment_invariance(
    scm: DiscreteSCM, prediction: str, label: str, environment: str
) -> InvarianceCheck:
    """Invariance of the risk across the environments ``do(E = e)`` of an SCM with a prediction attached.

    .. math:: \\text{gap} = \\max_e R_e - \\min_e R_e, \\qquad
              R_e = P(\\hat Y \\neq Y \\mid do(E = e))

    The attached prediction's own equation is the predictor; the family is
    :meth:`~book.objectives.robustness.Environments.from_variable`, so this is
    :func:`risk_invariance` on that family.
    """
    features = scm.parents(prediction)
    table = {tuple(row[:-1]): row[-1] for row in scm.table(prediction).itertuples(index=False, name=None)}
    predictor = Predictor(features, table, scm.states(prediction))
    family = Environments.from_variable(scm, environment, label, training=[f"{environment}={e}"
                                        for e in scm.states(environment)])
    return risk_invariance(family, predictor, change=f"do({environment} = e): a change of environment")


def explanation_faithfulness(
    scm: DiscreteSCM, prediction: str, label: str, feature: str
) -> InvarianceCheck:
    """Does the relation an explanation names survive acting on the feature?

    An explanation "the decision rests on F" invites acting on F. It is
    faithful when the decision stays as accurate when F is *set* as when F is
    merely *observed*, i.e. when accuracy is invariant to replacing
    observation by intervention:

    .. math:: \\text{gap} = \\max_f \\left| P(\\hat Y = Y \\mid F = f)
              - P(\\hat Y = Y \\mid do(F = f)) \\right|

    A feature that merely reflects the outcome (an effect of ``Y``) gives a
    large gap: setting it changes the decision but not the outcome.
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
        "explainability", f"do({feature}): acting on the named feature",
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
