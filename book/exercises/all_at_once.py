"""Self-checks of chapter 10 (all_at_once)."""

from __future__ import annotations

from collections.abc import Iterable

from book.audits import select
from book.exercises.feedback import Feedback, check_number
from book.models.atlas import FEATURES, MARKERS, UNFAIR, atlas
from book.scm import DiscreteSCM

__all__ = ["check_no_bias_selection", "check_own_selection", "own_model"]


def own_model() -> DiscreteSCM:
    """The reader's model of the last exercise, as the solution builds it.

    .. math::

        A := U_A,\\ E := U_E,\\ X := U_X,\\
        Y := (X \\oplus U_Y) \\lor (A \\land U_B),\\
        W := Y \\oplus U_{W,E}

    with :math:`P(U_A = 1) = P(U_E = 1) = P(U_X = 1) = 0.5`, :math:`P(U_Y = 1) = 0.2`,
    :math:`P(U_B = 1) = 0.3`, :math:`P(U_{W,0} = 1) = 0.1` and :math:`P(U_{W,1} = 1) = 0.4`.

    Examples
    --------
    >>> round(own_model().query("Y")[1], 3)
    0.575
    """
    return DiscreteSCM(
        exogenous={"U_A": {0: 0.5, 1: 0.5}, "U_E": {0: 0.5, 1: 0.5}, "U_X": {0: 0.5, 1: 0.5},
                   "U_Y": {0: 0.8, 1: 0.2}, "U_B": {0: 0.7, 1: 0.3},
                   "U_W0": {0: 0.9, 1: 0.1}, "U_W1": {0: 0.6, 1: 0.4}},
        equations={
            "A": (["U_A"], lambda U_A: U_A),
            "E": (["U_E"], lambda U_E: U_E),
            "X": (["U_X"], lambda U_X: U_X),
            "Y": (["X", "U_Y", "A", "U_B"], lambda X, U_Y, A, U_B: int((X ^ U_Y) or (A and U_B))),
            "W": (["Y", "E", "U_W0", "U_W1"], lambda Y, E, U_W0, U_W1: Y ^ (U_W1 if E else U_W0)),
        },
    )


def check_own_selection(accuracy: float | None) -> Feedback:
    """Chapter 10: the accuracy of the selective predictor of :func:`own_model`.

    The declarations: label ``Y``, features ``A, X, W``, attribute ``A`` with
    the unfair edge ``A -> Y``, environment ``E``. Wrong answers that come from
    declaring nothing are named.

    Examples
    --------
    >>> check_own_selection(None).correct
    False
    """
    model = own_model()
    expected = select(model, "Y", ["A", "X", "W"], attribute="A", unfair_edges=[("A", "Y")],
                      environment="E").audit.accuracy
    nothing = select(model, "Y", ["A", "X", "W"]).audit.accuracy
    return check_number(
        accuracy, expected,
        mistakes={"that is the most accurate predictor on A, X, W: with no attribute and no environment declared, "
                  "select has no invariance to enforce.": nothing},
        success="Only X passes: A is read directly (unfair), and W carries the label bias A -> Y and moves "
                "with the environment.",
    )


def check_no_bias_selection(features: Iterable[str] | None) -> Feedback:
    """Chapter 10: which features the selective predictor of ``atlas(label_bias=0.0)`` reads.

    Examples
    --------
    >>> check_no_bias_selection(["Q"]).correct
    False
    """
    if features is None:
        return Feedback(False, "No answer yet: replace None by a tuple of feature names, e.g. ('Q', 'P').")
    if isinstance(features, str):
        features = (features,)
    answer = set(features)
    unknown = sorted(answer - set(FEATURES))
    if unknown:
        return Feedback(False, f"{unknown!r} are not features of the atlas model; choose among {FEATURES}.")
    chosen = select(atlas(label_bias=0.0), "Y", FEATURES, attribute="A", unfair_edges=UNFAIR,
                    environment="E").predictor.features
    if answer == set(chosen):
        return Feedback(True, f"{tuple(chosen)}: without label bias every path from A into the bureau markers "
                              "runs through the allowed edge A -> Q, so the path-fair rule may read them, and their "
                              "mechanism does not change with the region. Their explanation is still not valid: "
                              "they are effects of Y, and select does not check the explainability row.")
    if "S" in answer:
        return Feedback(False, "S fails the robustness row: its link to Y changes with the region E.")
    if answer == {"Q"}:
        return Feedback(False, "Q alone is the selective predictor *with* label bias. Without it, what still carries "
                               "A along an unfair path into the bureau markers?")
    if "P" in answer and answer - {"P"} == set(chosen):
        return Feedback(False, "The path-fair rule may be given P, but it never reads it: P carries A only along the "
                               "unfair edge A -> P. Name the features the selected rule reads.")
    missing = sorted(set(MARKERS) - answer)
    hint = f" Consider {missing}." if missing else ""
    return Feedback(False, f"{tuple(sorted(answer))} is not what select picks.{hint}")
