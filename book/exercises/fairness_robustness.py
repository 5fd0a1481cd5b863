"""Self-checks of chapter 7 (fairness_robustness)."""

from __future__ import annotations

from typing import Any

from book.chapters.fairness_robustness import direction_predictors, measures
from book.exercises.feedback import Feedback, check_number
from book.objectives.fairness import odds_difference, parity_difference

__all__ = ["check_anticausal_parity", "check_faded_parity"]


def check_faded_parity(answer: Any) -> Feedback:
    """Chapter 7: the parity gap of the predictor tuned to parity in region 0, where the proxy link is gone."""
    there = measures("proxy", "size 1.00")
    return check_number(
        answer,
        there["parity in region 0"]["parity gap"],
        mistakes={
            "this is its parity gap in region 0, where it was tuned: the question asks about the region "
            "where the proxy link is gone.": measures("proxy", "region 0")["parity in region 0"]["parity gap"],
            "this is its odds gap there; the question asks for the parity gap.":
                there["parity in region 0"]["odds gap"],
            "this is the selective predictor's parity gap, which the proxy cannot move.":
                there["selective"]["parity gap"],
        },
        success="Parity was an equation between region 0's rates; the postcode it used to balance them "
        "no longer tracks the group.",
    )


def check_anticausal_parity(answer: Any) -> Feedback:
    """Chapter 7: the parity gap of the counterfactually invariant predictor in the anticausal region with link 0.9."""
    fam, hs = direction_predictors("anticausal")
    h = hs["counterfactually invariant"]
    m = fam.scm("link 0.90")
    return check_number(
        answer,
        parity_difference(m, h, "A"),
        mistakes={
            "this is its odds gap, which is 0 in every region of the anticausal task: the question asks for "
            "the parity gap.": odds_difference(m, h, "A", "Y"),
            "this is its parity gap in the training region (link 0.6), not where the link is 0.9.":
                parity_difference(fam.scm("link 0.60"), h, "A"),
        },
        success="Separation is what the region cannot move here; independence moves with the association "
        "of A and Y.",
    )
