"""Chapter 2: the invariance ledger applied to the umbrella model.

Puts the checks of :mod:`book.objectives.ledger` side by side for one
predictor (:func:`umbrella_checks`, shown with
:func:`book.objectives.ledger.ledger_table`) and for every feature subset
(:func:`umbrella_candidates`), summarises the conflict (:func:`summary`),
spells out where the robustness check fails (:func:`conditional_shift`,
:func:`robustness_report`), shows why the best counterfactually fair
predictor is constant (:func:`switch_classes`, :func:`classes_table`), and
builds the chapter's figure alt text and explorer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd

from book.metrics import risk
from book.models.umbrella import ALLOWED, FEATURES, UNFAIR, umbrella
from book.objectives import fairness, ledger
from book.objectives.frontiers import Candidate, best, feature_subset_candidates, trade_off
from book.objectives.ledger import InvarianceCheck, ledger_table
from book.objectives.robustness import Environments, conditional_invariance
from book.predictors import Cell
from book.scm import DiscreteSCM, Edge
from book.viz import Explorer, Figure, Slider
from book.viz.frontier import frontier_figure as candidates_figure

__all__ = [
    "ALLOWED",
    "FEATURES",
    "GAPS",
    "UNFAIR",
    "classes_table",
    "conditional_shift",
    "frontier_alt",
    "frontier_figure",
    "ledger_explorer",
    "ledger_table",
    "robustness_report",
    "summary",
    "switch_classes",
    "umbrella",
    "umbrella_candidates",
    "umbrella_checks",
]

GAPS = ("path-specific fairness", "robustness")


def umbrella_checks(model: DiscreteSCM, prediction: str = "Yhat") -> list[InvarianceCheck]:
    """Counterfactual and path-specific fairness, robustness and the interventional validity of ``S``."""
    return [
        ledger.counterfactual_fairness(model, prediction, "A"),
        ledger.path_specific_fairness(model, prediction, "A", UNFAIR),
        ledger.environment_invariance(model, prediction, "Y", "E"),
        ledger.interventional_validity(model, prediction, "Y", "S"),
    ]


def conditional_shift(model: DiscreteSCM, prediction: str = "Yhat") -> dict[str, Any]:
    """Where the robustness check of an attached predictor fails most, and what its risk does.

    With :math:`X_S` the features the prediction reads
    (:func:`book.objectives.ledger.features_read`), finds the profile
    :math:`x` where :math:`P(Y = 1 \\mid X_S = x)` differs most between the
    regions ``do(E = 0)`` and ``do(E = 1)`` (the gap of
    :func:`book.objectives.ledger.environment_invariance`), and the risk
    :math:`P(\\hat Y \\neq Y \\mid do(E = e))` in each region.

    Returns
    -------
    dict
        ``"features"`` (tuple), ``"profile"`` (feature -> value),
        ``"P(Y=1 | profile)"`` (region label -> probability), ``"gap"``,
        ``"risk"`` (region label -> risk).

    Examples
    --------
    >>> from book.predictors import attach, bayes_optimal
    >>> m = umbrella()
    >>> shift = conditional_shift(attach(m, "Yhat", bayes_optimal(m, "Y", ["C", "S"])))
    >>> shift["profile"], round(shift["gap"], 3)
    ({'C': 0, 'S': 1}, 0.499)
    """
    features = ledger.features_read(model, prediction)
    family = Environments.from_variable(model, "E", "Y", training=[f"E={e}" for e in model.states("E")])
    result = conditional_invariance(family, features, family.labels)
    positive = model.states("Y").index(1)

    def spread(cell: Cell) -> float:
        seen = [result.conditionals[e][cell][positive] for e in family.labels if cell in result.conditionals[e]]
        return max(seen) - min(seen)

    cells = [c for c in result.conditionals[family.labels[0]] if all(c in result.conditionals[e]
                                                                      for e in family.labels)]
    worst = max(cells, key=lambda c: (round(spread(c), 12), [-v for v in c]))  # ties: the first profile
    return {
        "features": features,
        "profile": dict(zip(features, worst, strict=True)),
        "P(Y=1 | profile)": {e: result.conditionals[e][worst][positive] for e in family.labels},
        "gap": result.gap,
        "risk": {f"E={e}": risk(model, prediction, "Y", do={"E": e}) for e in model.states("E")},
    }


def robustness_report(model: DiscreteSCM, prediction: str = "Yhat") -> str:
    """:func:`conditional_shift` in two printed lines."""
    shift = conditional_shift(model, prediction)
    given = ", ".join(f"{f}={v}" for f, v in shift["profile"].items())
    by_region = ", ".join(f"{p:.3f} in {e}" for e, p in shift["P(Y=1 | profile)"].items())
    risks = ", ".join(f"{r:.3f} in {e}" for e, r in shift["risk"].items())
    return f"largest change: P(Y=1 | {given}) is {by_region}\nrisk of the predictor: {risks}"


def switch_classes(
    model: DiscreteSCM, features: Sequence[str] = FEATURES, unfair_edges: Iterable[Edge] | None = None
) -> list[tuple[Cell, ...]]:
    """The classes of feature profiles that switching ``A`` connects.

    Two profiles :math:`x, x'` are linked when the switch coupling
    :math:`w(x, x') > 0` (:func:`book.objectives.fairness.switch_coupling`:
    some unit has profile :math:`x` and, with ``A`` switched along
    ``unfair_edges``, profile :math:`x'`); the classes are the connected
    components of these links, over the profiles of positive probability. A
    predictor whose decision never changes under the switch must be constant
    on every class, so the best one is Bayes-optimal on the classes
    (:func:`book.objectives.fairness.invariant_predictor`). The default
    ``unfair_edges=None`` is every edge out of ``A``: the full counterfactual
    switch.

    Returns
    -------
    list of tuple
        One sorted tuple of profiles (in the order of ``features``) per class,
        the classes in the order of their first profile.

    Examples
    --------
    >>> [len(c) for c in switch_classes(umbrella())]
    [8, 8]
    """
    edges = fairness.edges_out_of(model, "A") if unfair_edges is None else list(unfair_edges)
    possible = {x for x, p in model.joint(list(features)).items() if p > 0}
    # fairness.switch_classes also lists impossible profiles, each as a class of its own: leave them out.
    classes = [tuple(x for x in c if x in possible) for c in fairness.switch_classes(model, features, "A", edges)]
    return sorted((c for c in classes if c), key=lambda c: c[0])


def classes_table(model: DiscreteSCM, features: Sequence[str] = FEATURES) -> pd.DataFrame:
    """One row per class of the full counterfactual switch: what it holds and what the best fair predictor decides.

    Columns: the number of profiles, the values of :math:`A \\oplus P` in the
    class (whether the proxy disagrees with the group), :math:`P(Y = 1)`
    within the class, and the decision of
    :func:`book.objectives.fairness.invariant_predictor` with every edge out
    of ``A`` unfair (the best counterfactually fair predictor on ``features``).

    Examples
    --------
    >>> classes_table(umbrella())["A xor P"].tolist()
    ['0', '1']
    """
    features = tuple(features)
    edges = fairness.edges_out_of(model, "A")
    best_fair = fairness.invariant_predictor(model, "Y", features, "A", edges)
    joint = model.joint([*features, "Y"])
    rows = []
    for k, members in enumerate(switch_classes(model, features, edges), start=1):
        mass = {y: sum(joint[(*x, y)] for x in members) for y in model.states("Y")}
        values = {dict(zip(features, x, strict=True))["A"] ^ dict(zip(features, x, strict=True))["P"]
                  for x in members}
        rows.append({
            "class": k,
            "profiles": len(members),
            "A xor P": ", ".join(str(v) for v in sorted(values)),
            "P(Y=1 | class)": round(mass[1] / sum(mass.values()), 3),
            "best fair decision": ", ".join(str(d) for d in sorted({best_fair.table[x] for x in members})),
        })
    return pd.DataFrame(rows).set_index("class")


def umbrella_candidates(model: DiscreteSCM | None = None) -> list[Candidate]:
    """Bayes-optimal predictors of ``Y`` on every subset of (A, C, P, S), with both gaps."""
    return feature_subset_candidates(
        model if model is not None else umbrella(),
        "Y",
        FEATURES,
        {
            "path-specific fairness": lambda m, h: ledger.path_specific_fairness(m, h, "A", UNFAIR).gap,
            "robustness": lambda m, h: ledger.environment_invariance(m, h, "Y", "E").gap,
        },
    )


def summary(candidates: Sequence[Candidate]) -> str:
    """The conflict in two lines: the most accurate candidate and its gaps, the best invariant to both."""
    selective = best(candidates, invariant_to=GAPS)
    top = trade_off(candidates, selective)["top"]
    return (
        f"most accurate: {top.name}  accuracy {top.accuracy:.3f}  gaps "
        + ", ".join(f"{g} {top.gaps[g]:.3f}" for g in GAPS)
        + f"\nbest invariant to both: {selective.name}  accuracy {selective.accuracy:.3f}"
    )


def frontier_figure(candidates: Sequence[Candidate]) -> Figure:
    """Accuracy against both gaps for every candidate, the best predictor invariant to both ringed."""
    return candidates_figure(candidates, GAPS, highlight=best(candidates, invariant_to=GAPS))


def frontier_alt(candidates: Sequence[Candidate]) -> str:
    """Alt text of the chapter's frontier figure, written from the same candidates."""
    selective = best(candidates, invariant_to=GAPS)
    better = trade_off(candidates, selective)["better"]
    reads = sorted(set.intersection(*(set(c.features) for c in better))) if better else []
    all_fail = all(c.gaps[g] > 0 for c in better for g in GAPS)
    if better and reads and all_fail:
        common = ", ".join(reads)
        top_clause = f"The most accurate predictors, using {common}, have positive gaps on both"
    else:
        top_clause = f"{len(better)} predictors are more accurate than the ringed one"
    chosen = f"{selective.features[0]} alone" if len(selective.features) == 1 else ", ".join(selective.features)
    return (
        "Two scatter plots of accuracy against the path-specific fairness gap (left) and the robustness gap, the "
        "largest change between regions of P(Y | the features read) (right), "
        f"for the Bayes-optimal predictor on every subset of {', '.join(FEATURES)}. {top_clause}; the predictor on "
        f"{chosen}, ringed, has both gaps zero at accuracy {selective.accuracy:.3f}."
    )


@lru_cache(maxsize=32)  # the frame and its alt text need the same numbers: compute them once
def _explorer_candidates(label_bias: float, spurious: float) -> tuple[Candidate, ...]:
    return tuple(umbrella_candidates(umbrella(label_bias=label_bias, spurious_noise=(spurious, 0.5))))


def _frame(label_bias: float, spurious: float) -> Figure:
    candidates = _explorer_candidates(label_bias, spurious)
    return frontier_figure(candidates)


def _alt(label_bias: float, spurious: float) -> str:
    candidates = _explorer_candidates(label_bias, spurious)
    sel = best(candidates, invariant_to=GAPS)
    top = trade_off(candidates, sel)["top"]
    return (
        f"Two scatter plots of accuracy against the path-specific fairness gap and the robustness gap "
        f"(largest change of P(Y | the features read) between regions) for label bias {label_bias:.2f} "
        f"and spurious noise {spurious:.2f}: the most accurate "
        f"predictor {top.name} reaches {top.accuracy:.3f} with gaps "
        f"{top.gaps[GAPS[0]]:.3f} and {top.gaps[GAPS[1]]:.3f}; the best predictor invariant to both, "
        f"{sel.name}, reaches {sel.accuracy:.3f}."
    )


def ledger_explorer() -> Explorer:
    """Chapter 2's explorer: label bias and the spurious feature's noise against the frontier."""
    return Explorer(
        _frame,
        [
            Slider("label_bias", (0.0, 0.1, 0.2, 0.3, 0.4), label="historical label bias P(U_B = 1)", default=0.2,
                   fmt="{:.1f}"),
            Slider("spurious", (0.05, 0.1, 0.3), label="noise of S in environment 0", default=0.1,
                   fmt="{:.2f}"),
        ],
        title="The conflict as a frontier: every feature subset",
        alt=_alt,
        dpi=100,  # the numbered key must stay legible in a 10-inch-wide frame
    )
