"""Self-checks of chapter 8 (fairness_privacy)."""

from __future__ import annotations

from typing import Any

from book.chapters.fairness_privacy import HEADLINE, audit_errors
from book.exercises.feedback import Feedback, check_number
from book.objectives.private_fairness import majority_vote_probability
from book.scm import TOLERANCE

__all__ = ["check_audit_epsilon", "check_empty_cell_approval"]


def check_empty_cell_approval(answer: Any, *, epsilon: float = 0.5) -> Feedback:
    """Chapter 8: the probability that the noisy majority vote approves a cell no training record fell in.

    Both released counts are pure noise, :math:`L_1` and :math:`L_0`, and
    :math:`P(L_1 > L_0) = 1/2` by symmetry, whatever :math:`\\varepsilon`
    (:func:`book.objectives.private_fairness.majority_vote_probability` with
    both cell probabilities 0).

    Examples
    --------
    >>> bool(check_empty_cell_approval(0.5))
    True
    """
    expected = majority_vote_probability(HEADLINE["n"], 0.0, 0.0, epsilon)
    return check_number(
        answer,
        expected,
        mistakes={
            "0 is the answer without noise, where a tie (0 against 0) denies. With noise there is no tie: "
            "the two noisy counts are independent and identically distributed.": 0.0,
            "an empty cell holds no evidence for approval, but the noise does not know that: each noisy count "
            "is as likely to be the larger.": 1.0,
        },
        tolerance=TOLERANCE,
        success="A coin: for a minority applicant in an empty cell the decision is decided by the noise alone.",
    )


def check_audit_epsilon(answer: Any, *, target: float = 0.01) -> Feedback:
    """Chapter 8: the smallest ε at which the minority's released TPR has mean error at most ``target``.

    The minority's true positive rate is a rate over its repayers, :math:`n_+`
    of them in the chapter's audit (``n = 1000``, share 0.1), so the Laplace
    mechanism's mean error is :math:`1/(\\varepsilon n_+)`
    (:func:`book.objectives.private_fairness.rate_release_error`) and
    :math:`\\varepsilon = 1/(\\text{target} \\cdot n_+)`. Dividing by the whole
    minority, or by all ``n`` applicants, are named mistakes.

    Examples
    --------
    >>> bool(check_audit_epsilon(1 / (0.01 * 33)))
    True
    """
    if not (isinstance(target, int | float) and 0 < target < 1):
        raise ValueError(f"target must be an error strictly between 0 and 1, got {target!r}")
    row = audit_errors(HEADLINE["n"], (HEADLINE["p_minority"],), (1.0,)).iloc[0]
    positives, size = int(row["positives"]), int(row["group_size"])
    return check_number(
        answer,
        1.0 / (target * positives),
        mistakes={
            f"this divides by the whole minority ({size} applicants); a TPR is a rate over the minority's "
            f"repayers ({positives}), so one record moves it by 1/{positives}.": 1.0 / (target * size),
            f"this divides by all {HEADLINE['n']} applicants: the sensitivity of the minority's rate is set by "
            "the minority's own size.": 1.0 / (target * HEADLINE["n"]),
        },
        tolerance=0.02,
        success="Auditing equal opportunity for a small group costs privacy in proportion to 1 / (its repayers).",
    )
