"""The invariance ledger applied to the umbrella model of chapter 2.

Puts the checks of :mod:`book.invariance` side by side for one predictor
(:func:`ledger_table`) and for every feature subset (:func:`umbrella_candidates`),
and builds the chapter's explorer.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pandas as pd
from matplotlib.figure import Figure

from book import invariance
from book.frontier import Candidate, best, feature_subset_candidates, frontier_figure
from book.invariance import InvarianceCheck
from book.scm import DiscreteSCM
from book.scms import umbrella
from book.widgets import Explorer, Slider

FEATURES = ("A", "C", "P", "S")
UNFAIR = (("A", "P"), ("A", "Y"))
GAPS = ("path-specific fairness", "robustness")


def ledger_table(checks: Sequence[InvarianceCheck]) -> pd.DataFrame:
    """One row per check (indexed by objective): change, invariant quantity, gap, verdict."""
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


def umbrella_checks(model: DiscreteSCM, prediction: str = "Yhat") -> list[InvarianceCheck]:
    """Counterfactual and path-specific fairness, robustness and the explanation check on ``S``."""
    return [
        invariance.counterfactual_fairness(model, prediction, "A"),
        invariance.path_specific_fairness(model, prediction, "A", UNFAIR),
        invariance.environment_invariance(model, prediction, "Y", "E"),
        invariance.explanation_faithfulness(model, prediction, "Y", "S"),
    ]


def umbrella_candidates(model: DiscreteSCM | None = None) -> list[Candidate]:
    """Bayes-optimal predictors of ``Y`` on every subset of (A, C, P, S), with both gaps."""
    return feature_subset_candidates(
        model if model is not None else umbrella(),
        "Y",
        FEATURES,
        {
            "path-specific fairness": lambda m, h: invariance.path_specific_fairness(m, h, "A", UNFAIR).gap,
            "robustness": lambda m, h: invariance.environment_invariance(m, h, "Y", "E").gap,
        },
    )


@lru_cache(maxsize=32)  # the frame and its alt text need the same numbers: compute them once
def _explorer_candidates(label_bias: float, spurious: float) -> tuple[Candidate, ...]:
    return tuple(umbrella_candidates(umbrella(label_bias=label_bias, spurious_noise=(spurious, 0.5))))


def _frame(label_bias: float, spurious: float) -> Figure:
    candidates = _explorer_candidates(label_bias, spurious)
    return frontier_figure(candidates, GAPS, highlight=best(candidates, invariant_to=GAPS))


def _alt(label_bias: float, spurious: float) -> str:
    candidates = _explorer_candidates(label_bias, spurious)
    top = max(candidates, key=lambda c: c.accuracy)
    sel = best(candidates, invariant_to=GAPS)
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
