"""Self-checks of the credit case study (case_study_credit)."""

from __future__ import annotations

from typing import Any

from book.chapters.case_study_credit import classifier, consensus_graph, credit_data, environments
from book.exercises.feedback import Feedback, check_number
from book.objectives.identification import response_bounds

__all__ = ["check_credit_flip_bound", "check_young_share"]


def _observed() -> dict[tuple[int, int], float]:
    data = credit_data()
    model = environments(data, consensus_graph(), classifier(data)).scm("as fitted")
    joint = model.joint(["A", "Yhat"])
    return {(a, y): float(joint.get((a, y), 0.0)) for a in (0, 1) for y in (0, 1)}


def check_young_share(answer: Any) -> Feedback:
    """The share of the 1,000 applicants who are under 25 (``A = 0``)."""
    share = float(1 - credit_data()["A"].mean())
    return check_number(
        answer, share,
        mistakes={"this is the share aged 25 or older (A = 1).": 1 - share},
        success="About one applicant in seven: every statement about the young rests on 149 records.",
    )


def check_credit_flip_bound(answer: Any) -> Feedback:
    """The sharp upper bound on the classifier's counterfactual gap when age may be confounded."""
    observed = _observed()
    return check_number(
        answer, response_bounds(observed, "flip").high,
        mistakes={
            "this is the upper bound under no confounding of age (confounding=0.0); drop that assumption.":
                response_bounds(observed, "flip", confounding=0.0).high,
            "this is the lower bound.": response_bounds(observed, "flip").low,
        },
        success="Without the background knowledge that nothing causes age, the data allow a larger gap.",
    )
