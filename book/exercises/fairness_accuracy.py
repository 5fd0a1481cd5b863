"""Self-checks of chapter 3 (fairness_accuracy)."""

from __future__ import annotations

from typing import Any

from book.chapters.fairness_accuracy import hiring_predictors
from book.exercises.feedback import Feedback, check_number
from book.metrics import accuracy
from book.models.hiring import hiring, unfair_edges
from book.objectives.fairness import chouldechova_fpr, group_rates
from book.predictors import attach

__all__ = ["check_forced_fpr", "check_relabelled_accuracy"]


def check_relabelled_accuracy(answer: Any) -> Feedback:
    """Chapter 3: accuracy against ``Y`` of the best predictor invariant along the unfair paths
    once ``A -> Q`` is declared unfair too, in the default ``hiring()`` model.
    """
    model = hiring()

    def acc(predictor: Any, label: str = "Y") -> float:
        return accuracy(attach(model, "Yhat", predictor), "Yhat", label)

    relabelled = hiring_predictors(model, unfair_edges("unfair"))["selective"]
    usual = hiring_predictors(model)
    return check_number(
        answer,
        acc(relabelled),
        mistakes={
            "this is the selective predictor with A -> Q still allowed: pass the relabelled unfair "
            "edges, unfair_edges('unfair'), to the invariant predictor.": acc(usual["selective"]),
            "this is the accuracy against the fair-world label Yfair; the question asks about the "
            "historical label Y.": acc(relabelled, "Yfair"),
            "this is the unconstrained predictor: it is not invariant along any path.": acc(usual["unconstrained"]),
        },
        success="With every edge out of A unfair, no feature downstream of A may move the decision: "
        "the selective predictor becomes the counterfactually fair one, a constant.",
    )


def check_forced_fpr(answer: Any) -> Feedback:
    """Chapter 3: the false-positive rate group ``A = 1`` would have if its PPV and FNR equalled
    those of the selective predictor in group ``A = 0`` (Chouldechova's identity, label ``Y``).
    """
    model = hiring()
    rates = group_rates(attach(model, "Yhat", hiring_predictors(model)["selective"]), "Yhat", "Y", "A")
    r0, r1 = rates[0], rates[1]
    return check_number(
        answer,
        chouldechova_fpr(r1.base_rate, r0.ppv, r0.fnr),
        mistakes={
            "this is group 0's own FPR: equal PPV and FNR do not give equal FPR when the base rates "
            "differ. Put group 1's base rate into the identity.": r0.fpr,
            "this is the selective predictor's actual FPR in group 1, whose PPV and FNR differ "
            "from group 0's.": r1.fpr,
            "you swapped p and 1 - p: the factor is p / (1 - p).": (1 - r1.base_rate) / r1.base_rate
            * (1 - r0.ppv) / r0.ppv * (1 - r0.fnr),
        },
        success="Equal PPV and FNR force an FPR set by the base rate: a higher base rate, a higher FPR.",
    )
