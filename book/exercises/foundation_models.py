"""Self-checks of the foundation-models chapter (foundation_models)."""

from __future__ import annotations

from typing import Any

from book.chapters.foundation_models import SOURCES, evaluate, fitted
from book.exercises.feedback import Feedback, check_number

__all__ = ["UNCANCELLED", "check_perfect_proxy_gap", "check_uncancelled_sources"]

#: The three pre-training sources of the exercise: their style links do not average 0.5.
UNCANCELLED = (0.5, 0.7, 0.9)


def check_perfect_proxy_gap(answer: Any) -> Feedback:
    """The unfair-path gap of the pronoun-swap model when the hobby copies the group exactly."""
    return check_number(
        answer,
        evaluate(fitted("swap pronouns", SOURCES, 1.0), 1.0)["unfair gap"],
        mistakes={
            "this is the gap at the chapter's proxy strength 0.8; the exercise sets it to 1.0.":
                evaluate(fitted("swap pronouns", SOURCES, 0.8), 0.8)["unfair gap"],
            "this is the gap of the SCM twins, not of the pronoun swap.":
                evaluate(fitted("SCM twins", SOURCES, 1.0), 1.0)["unfair gap"],
        },
        success="With a perfect proxy the head reads the hobby instead of the pronoun and takes the same "
        "decisions as without augmentation.",
    )


def check_uncancelled_sources(answer: Any) -> Feedback:
    """Worst-source accuracy of the unaugmented model pre-trained on the sources with links 0.5, 0.7, 0.9."""
    return check_number(
        answer,
        evaluate(fitted("none", UNCANCELLED))["worst source"],
        mistakes={
            "this is the worst-source accuracy after pre-training on all five sources, whose links cancel.":
                evaluate(fitted("none", SOURCES))["worst source"],
            "this is the accuracy in the fine-tuning source, not the worst over the sources.":
                evaluate(fitted("none", UNCANCELLED))["accuracy"],
        },
        success="Links that average 0.7 leave the layout tied to the qualified applicants in the pooled corpus, "
        "so the head reads it again and fails where the link is reversed.",
    )
