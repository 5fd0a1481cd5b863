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
    """Chapter 5: the largest ε for which the tight DP bound guarantees advantage at most ``target``.

    Solving :math:`(e^{\\varepsilon} - 1) / (e^{\\varepsilon} + 1) = \\tanh(\\varepsilon / 2) \\le t`
    (:func:`book.objectives.privacy.advantage_bound`) gives
    :math:`\\varepsilon \\le 2\\,\\mathrm{artanh}(t) = \\ln\\frac{1 + t}{1 - t}`. Yeom et
    al.'s looser bound :math:`e^{\\varepsilon} - 1 \\le t` would give only
    :math:`\\ln(1 + t)`: a named mistake.

    Examples
    --------
    >>> bool(check_epsilon_for_advantage(math.log(1.1 / 0.9)))
    True
    """
    if not (isinstance(target, int | float) and 0 < target < 1):
        raise ValueError(f"target must be an advantage strictly between 0 and 1, got {target!r}")
    expected = math.log((1 + target) / (1 - target))
    feedback = check_number(
        answer,
        expected,
        mistakes={
            f"ln(1 + {target}) solves Yeom et al.'s bound e^ε − 1 ≤ {target}. That bound is looser than "
            "necessary; the tight bound (e^ε − 1)/(e^ε + 1) = tanh(ε/2) allows a larger ε for the same target.":
                math.log1p(target),
            f"this is about artanh({target}) ≈ {math.atanh(target):.4f}, the solution of tanh(ε) = {target}; the "
            "bound is tanh(ε/2), so ε/2 = artanh(t) and ε = 2 artanh(t).":
                math.atanh(target),
            f"ε = {target} keeps the advantage below tanh({target}/2) = {math.tanh(target / 2):.4f}, well inside "
            f"the target: it is safe but not the largest ε. Solve tanh(ε/2) = {target} for ε.": target,
            "ln 2 is where Yeom's bound e^ε − 1 reaches 1; the question asks for the tight bound and the target.":
                math.log(2),
        },
        tolerance=5e-4,
        success="ε ≤ ln((1 + t)/(1 − t)) = 2 artanh(t): for small t about 2t, twice what Yeom's bound allows.",
    )
    generic = ("is not the exact value", "is not a probability")  # check_number's fallbacks, not about ε
    if feedback or not any(g in feedback.message for g in generic):
        return feedback
    value = float(answer)
    if value <= 0:
        return Feedback(False, f"{value:.3f}: ε must be positive.")
    allowed = math.tanh(value / 2)
    side = "above" if allowed > target else "below"
    return Feedback(False, f"{value:.3f}: this ε allows an advantage up to tanh(ε/2) = {allowed:.4f}, {side} the "
                           f"target {target}. Solve tanh(ε/2) = {target} for ε.")
