"""Self-checks of chapter 5 (privacy_utility)."""

from __future__ import annotations

import math
from typing import Any

from book.chapters.privacy_utility import EPSILONS, HEADLINE, simulate, summarise
from book.exercises.feedback import Feedback, check_number
from book.scm import TOLERANCE

__all__ = ["check_add_remove_sensitivity", "check_epsilon_for_advantage", "check_zero_one_advantage"]


def check_add_remove_sensitivity(answer: Any) -> Feedback:
    """Chapter 5: the L1 sensitivity of the (cell, label) count table under add/remove neighbours.

    Adding or removing one record changes exactly one count by one, so the
    sensitivity is 1 (it is 2 when a record is *replaced*: one count down,
    one up).
    """
    return check_number(
        answer,
        1.0,
        mistakes={
            "2 is the sensitivity when one record is *replaced* (one count goes down, another up). "
            "Adding or removing a record touches a single count.": 2.0,
            "the sensitivity is a worst case over neighbouring data sets, not 0: the count of the "
            "added record's cell moves.": 0.0,
        },
        tolerance=TOLERANCE,
        success="So the chapter's noise scale 2/ε gives ε/2-DP under add/remove neighbours: twice the protection.",
    )


def check_zero_one_advantage(answer: Any) -> Feedback:
    """Chapter 5: mean advantage of the 0–1 attack on the non-private associational predictor.

    The attack says "member" exactly when the predictor classifies the record
    correctly, so TPR is the training accuracy and FPR the test accuracy: the
    advantage is the train–test gap, averaged over the chapter's repetitions
    (:data:`book.chapters.privacy_utility.HEADLINE`).
    """
    summary = summarise(simulate(epsilons=EPSILONS, **HEADLINE))
    a, c = summary.loc[("associational", math.inf)], summary.loc[("causal", math.inf)]
    return check_number(
        answer,
        float(a["gap"]),
        mistakes={
            "this is the loss-threshold attack's advantage (Yeom's threshold from the shadow model); "
            "the 0–1 attack only asks whether the prediction is right.": float(a["advantage"]),
            "this is the causal predictor's gap; the question asks about the associational one.": float(c["gap"]),
            "this is the test accuracy alone, i.e. the attack's FPR; subtract it from the TPR.": float(
                a["test_accuracy"]
            ),
            "this is the training accuracy alone, i.e. the attack's TPR; subtract the FPR.": float(
                a["train_accuracy"]
            ),
        },
        success="TPR = training accuracy and FPR = test accuracy, so the advantage is the generalisation gap.",
    )


def check_epsilon_for_advantage(answer: Any, *, target: float = 0.1) -> Feedback:
    """Chapter 5: the largest ε for which Yeom's bound guarantees advantage at most ``target``.

    Solving :math:`e^{\\varepsilon} - 1 \\le t` gives :math:`\\varepsilon \\le \\ln(1 + t)`.
    """
    expected = math.log1p(target)
    return check_number(
        answer,
        expected,
        mistakes={
            f"ε = {target} gives e^ε − 1 = {math.expm1(target):.4f}, just above {target}: solve "
            "e^ε − 1 ≤ t for ε instead of setting ε = t.": target,
            "ln 2 is where the bound reaches 1, i.e. where it stops saying anything.": math.log(2),
            f"this is ln({target}); the bound is e^ε − 1, so add 1 first.": math.log(target),
        },
        tolerance=5e-4,
        success="ε ≤ ln(1 + t): for small t, ε ≈ t, a little less.",
    )
