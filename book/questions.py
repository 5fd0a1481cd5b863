"""Causal questions with exact answers, generated from any DiscreteSCM (rungs 1 to 3).

In the spirit of CLadder (Jin et al., 2023): a model with known mechanisms
writes questions in words about its own variables, one per rung of the ladder
of causation, and answers them exactly by inference on the model. A reader can
put the questions to any language model and score its answers; this module
calls no model.

For a cause :math:`X` and an outcome :math:`Y` downstream of it, with states
:math:`x_0, x_1` and :math:`y_1` the outcome's last state:

* rung 1, seeing: :math:`P(Y = y_1 \\mid X = x_1)`;
* rung 2, doing: :math:`P(Y = y_1 \\mid do(X = x_1))`, and whether it differs
  from the rung-1 answer (does correlation equal causation here?);
* rung 3, imagining: :math:`P(Y_{X = x_1} = y_1 \\mid X = x_0, Y = y_0)`, the
  share of units with :math:`X = x_0` and :math:`Y = y_0` whose outcome would
  have been :math:`y_1` had :math:`X` been :math:`x_1`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from book.scm import TOLERANCE, DiscreteSCM

__all__ = ["Question", "causal_questions", "questions_table"]


@dataclass(frozen=True)
class Question:
    """One generated question: its rung (1, 2 or 3), its text and its exact answer."""

    rung: int
    text: str
    answer: float | str


def causal_questions(scm: DiscreteSCM, pairs: Sequence[tuple[str, str]] | None = None) -> list[Question]:
    """Four questions per (cause, outcome) pair: rung 1, rung 2, a yes/no comparison, rung 3.

    Parameters
    ----------
    scm : DiscreteSCM
    pairs : sequence of (str, str), optional
        (cause, outcome) pairs; the outcome must be a descendant of the cause.
        By default every pair of endogenous variables where it is.

    Raises
    ------
    ValueError
        For an unknown variable, or an outcome that is not downstream of the cause.

    Examples
    --------
    >>> from book.models import tutoring
    >>> qs = causal_questions(tutoring(), [("Tutored", "Pass")])
    >>> [q.rung for q in qs]
    [1, 2, 2, 3]
    """
    if pairs is None:
        pairs = [(x, y) for x in scm.endogenous for y in scm.endogenous
                 if x != y and y in scm.descendants([x])]
    pairs = list(pairs)
    if not pairs:
        raise ValueError("pairs is empty: give at least one (cause, outcome) pair, or None for every pair")
    for pair in pairs:
        if isinstance(pair, str) or len(pair) != 2:
            raise ValueError(f"each pair must be (cause, outcome), got {pair!r}")
    out: list[Question] = []
    for x, y in pairs:
        xs, ys = scm.states(x), scm.states(y)  # ValueError naming an unknown variable
        if x == y or y not in scm.descendants([x]):
            raise ValueError(f"{y!r} is not downstream of {x!r}: no causal question to ask")
        if len(xs) < 2:
            raise ValueError(f"{x!r} has a single state {xs!r}: no causal question to ask")
        x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
        seeing = scm.probability({y: y1}, evidence={x: x1})
        doing = scm.probability({y: y1}, do={x: x1})
        out.append(Question(1, f"Among units with {x} = {x1}, what share has {y} = {y1}?", seeing))
        out.append(Question(2, f"If {x} were set to {x1} for every unit, what share would have {y} = {y1}?", doing))
        out.append(Question(2, f"Is the share with {y} = {y1} among units with {x} = {x1} the same as the share "
                               f"if {x} were set to {x1} for everyone?",
                            "yes" if abs(seeing - doing) <= 1e-6 else "no"))
        try:
            imagining = scm.counterfactual(y, evidence={x: x0, y: y0}, do={x: x1})[y1]
        except ValueError:  # the evidence has probability zero: ask about the other outcome
            imagining = scm.counterfactual(y, evidence={x: x0, y: y1}, do={x: x1})[y1]
            y0 = y1
        out.append(Question(3, f"Among units with {x} = {x0} and {y} = {y0}, what share would have had "
                               f"{y} = {y1} had {x} been {x1}?", 0.0 if abs(imagining) < TOLERANCE else imagining))
    return out


def questions_table(questions: Sequence[Question]) -> pd.DataFrame:
    """The questions as a table (rung, question, answer), answers printed with three decimals.

    Examples
    --------
    >>> questions_table([Question(1, "Is it?", 0.25)]).loc[0, "answer"]
    '0.250'
    """
    return pd.DataFrame([{"rung": q.rung, "question": q.text,
                          "answer": q.answer if isinstance(q.answer, str) else f"{q.answer:.3f}"}
                         for q in questions])
