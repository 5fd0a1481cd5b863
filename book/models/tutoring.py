"""The tutoring model of chapter 1, and three models that agree on rungs 1 and 2 but not 3."""

from __future__ import annotations

from book.models._parameters import bernoulli
from book.scm import DiscreteSCM

__all__ = ["rung_three_triplet", "tutoring"]


def tutoring(
    *,
    p_motivated: float = 0.5,
    p_always_tutored: float = 0.2,
    p_tutored_if_motivated: float = 0.5,
    p_exam_easy: float = 0.3,
    p_exam_hard: float = 0.3,
) -> DiscreteSCM:
    """Chapter 1: does tutoring make students pass an exam?

    Motivation ``M`` drives both who takes tutoring ``T`` and who passes
    ``Pass``: the classic confounded triangle.

    .. math::

        M &:= U_M, \\qquad U_M \\sim \\mathrm{Bernoulli}(p_{\\text{motivated}})\\\\
        T &:= [U_T = \\text{always}] \\lor ([U_T = \\text{if motivated}] \\land M)\\\\
        \\text{Pass} &:= [M + T + U_P \\ge 2], \\qquad U_P \\in \\{0, 1, 2\\}

    ``U_T`` is a student's *response type* for tutoring (always / only if
    motivated / never); ``U_P`` is how easy the exam is for that student
    (0 = needs both motivation and tutoring, 2 = passes regardless).

    Parameters
    ----------
    p_motivated : float
        :math:`P(M = 1)`.
    p_always_tutored, p_tutored_if_motivated : float
        Probabilities of the response types "always" and "if motivated"
        (the rest never take tutoring). The second is the confounding knob.
    p_exam_easy, p_exam_hard : float
        :math:`P(U_P = 2)` and :math:`P(U_P = 0)`.

    Examples
    --------
    >>> m = tutoring()
    >>> round(m.query("Pass", do={"Tutored": 1})[1], 3)
    0.85
    """
    p_never = 1.0 - p_always_tutored - p_tutored_if_motivated
    if min(p_always_tutored, p_tutored_if_motivated, p_never) < 0:
        raise ValueError(
            "p_always_tutored + p_tutored_if_motivated must lie in [0, 1], got "
            f"{p_always_tutored!r} + {p_tutored_if_motivated!r}"
        )
    p_middle = 1.0 - p_exam_easy - p_exam_hard
    if min(p_exam_easy, p_exam_hard, p_middle) < 0:
        raise ValueError(
            f"p_exam_easy + p_exam_hard must lie in [0, 1], got {p_exam_easy!r} + {p_exam_hard!r}"
        )
    return DiscreteSCM(
        exogenous={
            "U_M": bernoulli(p_motivated, "p_motivated"),
            "U_T": {"always": p_always_tutored, "if motivated": p_tutored_if_motivated, "never": p_never},
            "U_P": {0: p_exam_hard, 1: p_middle, 2: p_exam_easy},
        },
        equations={
            "Motivated": (["U_M"], lambda U_M: U_M),
            "Tutored": (
                ["U_T", "Motivated"],
                lambda U_T, Motivated: int(U_T == "always" or (U_T == "if motivated" and Motivated == 1)),
            ),
            "Pass": (
                ["Motivated", "Tutored", "U_P"],
                lambda Motivated, Tutored, U_P: int(Motivated + Tutored + U_P >= 2),
            ),
        },
    )


def rung_three_triplet(*, p_treated: float = 0.5) -> dict[str, DiscreteSCM]:
    """Chapter 1: three SCMs that agree on rungs 1 and 2 but not on rung 3.

    A treatment ``X`` is assigned by a fair coin; the outcome ``Y`` is binary
    with :math:`P(Y = 1 \\mid do(X = x)) = 1/2` for both ``x`` in all three:

    * ``"independent"``: :math:`Y := X U_1 + (1 - X) U_0`, independent
      potential outcomes :math:`U_0, U_1 \\sim \\mathrm{Bernoulli}(1/2)`;
    * ``"flip"``: :math:`Y := X \\oplus U`, the treatment flips every unit;
    * ``"no effect"``: :math:`Y := U`, the treatment does nothing.

    Their observational and interventional distributions coincide, yet the
    counterfactual :math:`P(Y_{X=0} = 1 \\mid X = 1, Y = 1)` is 1/2, 0 and 1.
    """
    coin = {"U_X": bernoulli(p_treated, "p_treated")}
    half = {0: 0.5, 1: 0.5}
    treat = (["U_X"], lambda U_X: U_X)
    return {
        "independent": DiscreteSCM(
            {**coin, "U_0": half, "U_1": half},
            {"X": treat, "Y": (["X", "U_0", "U_1"], lambda X, U_0, U_1: U_1 if X else U_0)},
        ),
        "flip": DiscreteSCM({**coin, "U": half}, {"X": treat, "Y": (["X", "U"], lambda X, U: X ^ U)}),
        "no effect": DiscreteSCM({**coin, "U": half}, {"X": treat, "Y": (["X", "U"], lambda X, U: U)}),
    }
