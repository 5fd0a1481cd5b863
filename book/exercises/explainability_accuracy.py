"""Self-checks of chapter 6 (explainability_accuracy)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from book.chapters import explainability_accuracy as loans
from book.exercises.feedback import Feedback, check_number
from book.objectives import recourse as rc
from book.scm import TOLERANCE

__all__ = ["check_cam_recourse", "check_shapley_sum"]


def check_shapley_sum(answer: Any) -> Feedback:
    """Chapter 6: the sum of Alex's Shapley values for the associational score.

    By efficiency it is :math:`f(x) - E[f(X)]`, and for a Bayes score
    :math:`E[f(X)] = P(Y = 1)`.
    """
    x = loans.APPLICANTS["Alex"]
    f = loans.score("associational")
    p_repay = loans.model().query("Y")[1]
    expected = f(**x) - p_repay
    approve = loans.model().joint(list(loans.FEATURES))
    mean_decision = sum(p for combo, p in approve.items()
                        if loans.decision("associational")(**dict(zip(loans.FEATURES, combo, strict=True))) == 1)
    return check_number(
        answer,
        expected,
        mistakes={
            "this is f(x) itself; efficiency says the values sum to f(x) minus the average score E[f(X)].": f(**x),
            "this is the sum for the *decision* (0 = refused) minus the approval rate; the chapter explains "
            "the score P(Y = 1 | x).": 0.0 - mean_decision,
            "the sign is flipped: it is f(x) - E[f(X)], and Alex's score is below average.": -expected,
        },
        success="Efficiency: the attributions share out exactly the gap between Alex's score and the "
        "average score, which for a Bayes score is P(Y = 1).",
    )


def check_cam_recourse(action: Mapping[str, Any] | None, *, income_cost: float = 3.5) -> Feedback:
    """Chapter 6: Cam's minimal causal intervention when a pay rise costs ``income_cost`` per level."""
    if action is None:
        return Feedback(False, "No answer yet: replace None by a dict such as {'X1': 2}.")
    if not isinstance(action, Mapping) or not action:
        return Feedback(False, f"Give the action as a non-empty dict feature -> new value, got {action!r}.")
    x = loans.APPLICANTS["Cam"]
    weights = {**loans.WEIGHTS, "X2": income_cost}
    world = loans.deployed("causal")
    unknown = sorted(set(action) - set(weights))
    if unknown:
        return Feedback(False, f"{unknown} are not actionable features; choose among {sorted(weights)}.")
    for name, value in action.items():
        if value not in world.states(name):
            return Feedback(False, f"{value!r} is not a value of {name}: {list(world.states(name))}.")
        if value == x[name]:
            return Feedback(False, f"Cam already has {name} = {value}: an action sets new values only.")
    best = rc.causal_recourse(world, x, weights=weights, min_validity=loans.MIN_VALIDITY)
    mine = rc.evaluate(world, x, dict(action), weights=weights)
    target = rc.evaluate(world, x, best, weights=weights)
    if mine.decision_validity < loans.MIN_VALIDITY - TOLERANCE:
        return Feedback(
            False,
            f"acted upon in the SCM, the model accepts Cam only with probability {mine.decision_validity:.2f}: "
            "check what the action does downstream (does a degree bring debt?).",
        )
    if mine.cost > target.cost + TOLERANCE:
        return Feedback(False, f"valid, but it costs {mine.cost:.2f}; a cheaper valid action exists.")
    return Feedback(
        True,
        f"{mine.advice}: cost {mine.cost:.2f}, accepted with probability {mine.decision_validity:.2f}. "
        "Every cheaper action fails once its downstream effects are counted: a degree may bring a "
        "student loan, and the debt undoes the flip.",
    )
