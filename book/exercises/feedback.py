"""Feedback for self-checks: a verdict and an explanation that names the mistake.

Every self-check recomputes the exact answer through the library and compares the
student's answer with it *and* with the answers that typical mistakes produce, so
the feedback can say "you conditioned instead of intervening" instead of printing
False.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Feedback", "check_number"]


@dataclass(frozen=True)
class Feedback:
    """The verdict of a self-check, with an explanation."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return ("Correct. " if self.correct else "Not yet. ") + self.message


def check_number(
    answer: Any,
    expected: float,
    *,
    mistakes: Mapping[str, float] | None = None,
    tolerance: float = 5e-3,
    success: str = "",
) -> Feedback:
    """Compare a numeric answer with the exact value and with known mistakes.

    Parameters
    ----------
    answer : float or None
        The student's number; ``None`` means "not attempted yet".
    expected : float
        The exact value.
    mistakes : mapping of str to float, optional
        Explanation -> the value that mistake produces. The first mistake
        within ``tolerance`` of the answer is reported.
    tolerance : float
        Absolute tolerance (answers rounded to 2–3 decimals pass).
    success : str
        Extra explanation shown on success.

    Examples
    --------
    >>> check_number(0.5, 0.5, success="Well done.")
    Correct. 0.500 is right. Well done.
    >>> check_number(0.8, 0.5, mistakes={"You reported P(Y=1 | X=1).": 0.8})
    Not yet. 0.800: You reported P(Y=1 | X=1).
    >>> check_number(True, 1.0)
    Not yet. Expected a number, got the truth value True.
    """
    if answer is None:
        return Feedback(False, "No answer yet: replace None by your computation and run the cell again.")
    if isinstance(answer, bool):  # float(True) is 1.0: a truth value would be scored as a probability
        return Feedback(False, f"Expected a number, got the truth value {answer!r}.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(False, f"Expected a number, got {answer!r}.")
    if not math.isfinite(value):
        return Feedback(False, f"Expected a finite number, got {value!r}.")
    if abs(value - expected) <= tolerance:
        return Feedback(True, f"{value:.3f} is right. {success}".strip())
    for explanation, wrong in (mistakes or {}).items():
        if abs(value - wrong) <= tolerance and abs(wrong - expected) > tolerance:
            return Feedback(False, f"{value:.3f}: {explanation}")
    if not 0.0 <= value <= 1.0:
        return Feedback(False, f"{value:.3f} is not a probability: it must lie between 0 and 1.")
    return Feedback(False, f"{value:.3f} is not the exact value. Re-read the question and the hint.")
