"""Chapter 2: the invariance ledger applied to the umbrella model.

Puts the checks of :mod:`book.objectives.ledger` side by side for one
predictor (:func:`umbrella_checks`, shown with
:func:`book.objectives.ledger.ledger_table`) and for every feature subset
(:func:`umbrella_candidates`), summarises the conflict (:func:`summary`), and
builds the chapter's figure alt text and explorer.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from book.models.umbrella import ALLOWED, FEATURES, UNFAIR, umbrella
from book.objectives import ledger
from book.objectives.frontiers import Candidate, best, feature_subset_candidates, trade_off
from book.objectives.ledger import InvarianceCheck, ledger_table
from book.scm import DiscreteSCM
from book.viz import Explorer, Figure, Slider
from book.viz.frontier import frontier_figure as candidates_figure

__all__ = [
    "ALLOWED",
    "FEATURES",
    "GAPS",
    "UNFAIR",
    "frontier_alt",
    "frontier_figure",
    "ledger_explorer",
    "ledger_table",
    "summary",
    "umbrella",
    "umbrella_candidates",
    "umbrella_checks",
]

GAPS = ("path-specific fairness", "robustness")


def umbrella_checks(model: DiscreteSCM, prediction: str = "Yhat") -> list[InvarianceCheck]:
    """Counterfactual and path-specific fairness, robustness and the explanation check on ``S``."""
    return [
        ledger.counterfactual_fairness(model, prediction, "A"),
        ledger.path_specific_fairness(model, prediction, "A", UNFAIR),
        ledger.environment_invariance(model, prediction, "Y", "E"),
        ledger.explanation_faithfulness(model, prediction, "Y", "S"),
    ]


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
        "Two scatter plots of accuracy against the path-specific fairness gap (left) and the robustness gap (right) "
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
        f"for label bias {label_bias:.2f} and spurious noise {spurious:.2f}: the most accurate "
        f"predictor {top.name} reaches {top.accuracy:.3f} with gaps "
        f"{top.gaps[GAPS[0]]:.3f} and {top.gaps[GAPS[1]]:.3f}; the best predictor invariant to both, "
        f"{sel.name}, reaches {sel.accuracy:.3f}."
    )


def ledger_explorer() -> Explorer:
    """Chapter 2's explorer: label bias and the spurious feature's noise against the frontier."""
    return Explorer(
        _frame,
        [
            Slider("label_bias", (0.0, 0.2, 0.4), label="historical label bias P(U_B = 1)", default=0.2,
                   fmt="{:.1f}"),
            Slider("spurious", (0.05, 0.1, 0.3), label="noise of S in environment 0", default=0.1,
                   fmt="{:.2f}"),
        ],
        title="The conflict as a frontier: every feature subset",
        alt=_alt,
        dpi=100,  # the numbered key must stay legible in a 10-inch-wide frame
    )
