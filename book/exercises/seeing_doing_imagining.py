"""Self-checks of chapter 1 (seeing_doing_imagining)."""

from __future__ import annotations

from typing import Any

from book.exercises.feedback import Feedback, check_number
from book.models.tutoring import tutoring

__all__ = ["check_sam_counterfactual", "check_tutoring_intervention"]


def check_tutoring_intervention(answer: Any, *, p_motivated: float = 0.3) -> Feedback:
    """Chapter 1: :math:`P(\\text{Pass} = 1 \\mid do(\\text{Tutored} = 1))` in ``tutoring(p_motivated=...)``."""
    m = tutoring(p_motivated=p_motivated)
    expected = m.query("Pass", do={"Tutored": 1})[1]
    return check_number(
        answer,
        expected,
        mistakes={
            "this is P(Pass = 1 | Tutored = 1): you *conditioned* on being tutored (seeing). "
            "Tutored students are mostly motivated; tutoring everyone leaves motivation at its "
            "population rate. Use do= instead of evidence=.": m.query("Pass", evidence={"Tutored": 1})[1],
            "this is the pass rate under do(Tutored = 0); the question sets Tutored = 1.": m.query(
                "Pass", do={"Tutored": 0}
            )[1],
            "this is the probability of failing; the question asks for passing.": 1.0 - expected,
            "this is the pass rate with the default p_motivated = 0.5; build the model with "
            "tutoring(p_motivated=0.3).": tutoring().query("Pass", do={"Tutored": 1})[1],
        },
        success="Intervening cuts Motivated -> Tutored, so motivation keeps its population distribution.",
    )


def check_sam_counterfactual(answer: Any) -> Feedback:
    """Chapter 1: :math:`P(\\text{Pass}_{\\text{Tutored}=0} = 1 \\mid \\text{Tutored} = 1, \\text{Pass} = 1)`."""
    m = tutoring()
    evidence = {"Tutored": 1, "Pass": 1}
    expected = m.counterfactual("Pass", evidence=evidence, do={"Tutored": 0})[1]
    return check_number(
        answer,
        expected,
        mistakes={
            "this is P(Pass = 1 | do(Tutored = 0)) for the whole population: you skipped abduction. "
            "What Sam's record tells us about Sam's motivation and exam must be kept.": m.query(
                "Pass", do={"Tutored": 0}
            )[1],
            "this is P(Pass = 1 | Tutored = 0): other students who were not tutored, not Sam.": m.query(
                "Pass", evidence={"Tutored": 0}
            )[1],
            "this is the probability that tutoring was *necessary* for Sam (Sam would have failed "
            "without it); the question asks whether Sam would still have passed.": 1.0 - expected,
        },
        success="Abduction (condition on Sam's record), action (do Tutored = 0), prediction.",
    )
