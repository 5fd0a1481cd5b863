"""Self-checks of the limits chapter (limits)."""

from __future__ import annotations

from typing import Any

from book.chapters.limits import declarations, twins
from book.exercises.feedback import Feedback, check_number
from book.objectives.identification import data_of, response_bounds

__all__ = ["check_declaration_share", "check_one_arm_bound"]


def check_one_arm_bound(answer: Any) -> Feedback:
    """The sharp lower bound on the counterfactual gap when only the arm ``do(A = 1)`` was run."""
    observed, experiment = data_of(twins()[0])
    return check_number(
        answer,
        response_bounds(observed, "flip", interventional={1: experiment[1]}).low,
        mistakes={
            "this is the bound with both arms of the experiment; here only do(A = 1) was run.":
                response_bounds(observed, "flip", interventional=experiment).low,
            "this is the bound from observational data alone: the arm you have does constrain the group "
            "A = 0.": response_bounds(observed, "flip").low,
        },
        success="One arm pins down how the group A = 0 would score under A = 1; the other group stays open.",
    )


def check_declaration_share(answer: Any) -> Feedback:
    """The share of group ``A = 1`` whose hiring decision depends on how ``A -> Q`` is declared."""
    _, table = declarations()
    return check_number(
        answer,
        table.loc[1, "decision differs"],
        mistakes={
            "this is the share in group A = 0.": table.loc[0, "decision differs"],
            "this is the share over all applicants, not within group A = 1.": table.attrs["differs"],
            "this is the share of group A = 1 hired when A -> Q is allowed.": table.loc[1, "hired, A -> Q allowed"],
        },
        success="Everyone the two declarations disagree on is an unqualified applicant: hired under one, "
        "rejected under the other.",
    )
