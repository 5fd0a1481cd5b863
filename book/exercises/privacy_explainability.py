"""Self-checks of chapter 9 (privacy_explainability)."""

from __future__ import annotations

from typing import Any

from book.chapters.privacy_explainability import counterfactual_records
from book.exercises.feedback import Feedback, check_number
from book.objectives.privacy import advantage_bound, yeom_bound

__all__ = ["check_explanation_bound", "check_island_attribution"]


def check_island_attribution(answer: Any) -> Feedback:
    """Chapter 9: mean attribution magnitude of a member alone in its cell (label 1) among empty cells.

    With smoothing 1 the member's score is :math:`(1 + \\hat\\pi)/2` and every
    neighbour's is the prior :math:`\\hat\\pi`, so every flip attribution is
    :math:`(1 - \\hat\\pi)/2`, at the prior of the chapter's sample
    (:func:`book.chapters.privacy_explainability.counterfactual_records`).
    """
    prior = counterfactual_records()["prior"]
    return check_number(
        answer,
        (1 - prior) / 2,
        mistakes={
            "this is the label-0 case, |π/2 − π| = π/2; the member here has label 1.": prior / 2,
            "this is the member's score (1 + π)/2 itself; the attribution is its difference from a neighbour's.":
                (1 + prior) / 2,
            "this is the non-member's attribution: an empty cell among empty cells gives 0.": 0.0,
            "this is 1 − π; the member's score is (1 + π)/2, not 1 (smoothing keeps half the prior).": 1 - prior,
        },
        success="A non-member among empty cells gets 0: the attribution separates them without the label.",
    )


def check_explanation_bound(answer: Any, *, epsilon: float = 1.0) -> Feedback:
    """Chapter 9: the largest membership advantage of any attack on a DP model's decisions and explanations.

    Every explanation is post-processing of the one ``epsilon``-DP release, so
    the bound is chapter 5's :math:`(e^{\\varepsilon} - 1)/(e^{\\varepsilon} + 1)`,
    whatever the number of explanations.

    Examples
    --------
    >>> bool(check_explanation_bound(0.462))
    True
    """
    bound = advantage_bound(epsilon)
    return check_number(
        answer,
        bound,
        mistakes={
            "this is Yeom's looser bound e^ε − 1; the tight one is (e^ε − 1)/(e^ε + 1).": yeom_bound(epsilon),
            "explanations computed from the released model are post-processing: they add no ε. "
            "This is the bound for twice the budget.": advantage_bound(2 * epsilon),
            "1 would mean no guarantee; post-processing keeps the one release's bound.": 1.0,
        },
        tolerance=5e-3,
        success=f"tanh(ε/2) = {bound:.3f} for ε = {epsilon:g}, however many explanations are released.",
    )
