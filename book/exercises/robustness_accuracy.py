"""Self-checks of chapter 4 (robustness_accuracy)."""

from __future__ import annotations

from typing import Any

from book.chapters.robustness_accuracy import crossing_mismatch
from book.exercises.feedback import Feedback, check_number
from book.models.hospitals import FEATURES, TRAINING_MISMATCH, family, reversed_family
from book.objectives.robustness import Environments, invariance_test, select_invariant, shift

__all__ = ["check_crossing_mismatch", "check_direction_features", "check_icp_intersection"]


def _feature_tuple(features: Any, allowed: tuple[str, ...], example: str) -> tuple[str, ...] | Feedback:
    """A student's feature set in canonical order, or feedback saying what is wrong with it."""
    if features is None:
        return Feedback(False, f"No answer yet: replace None by a tuple of feature names, e.g. {example}.")
    if isinstance(features, str):
        features = (features,)
    try:
        chosen = set(features)
    except TypeError:
        return Feedback(False, f"Expected a tuple of feature names such as ('C',), got {features!r}.")
    unknown = sorted(map(str, chosen - set(allowed)))
    if unknown:
        return Feedback(False, f"Choose among {allowed}; {unknown} are not candidate features.")
    return tuple(f for f in allowed if f in chosen)


def check_crossing_mismatch(answer: Any) -> Feedback:
    """Chapter 4: the deployment mismatch at which the predictor on (C, S) becomes worse than the one on C."""
    fam = family()
    p_borderline = fam.scm("E=0").query("Y", evidence={"C": 1})[1]
    return check_number(
        answer,
        crossing_mismatch(),
        mistakes={
            "0.5 is where the scanner stops carrying any information about Y; the predictor on C already "
            "beats it earlier, because for borderline lab values C itself is right 60 % of the time.": 0.5,
            "this is the mismatch of the worst training hospital; the crossing depends on how good C alone "
            "is where the scanner is used, not on the training hospitals.": max(TRAINING_MISMATCH),
            "this is P(Y = 0 | C = 1), the risk of a wrong guess if the borderline cases were called "
            "positive; the predictor on C calls them negative.": 1 - p_borderline,
        },
        success=f"The predictor on (C, S) reads S only for borderline lab values, where it errs with "
        f"probability q; the predictor on C errs there with P(Y = 1 | C = 1) = {p_borderline:.1f}.",
    )


def check_icp_intersection(answer: Any) -> Feedback:
    """Chapter 4: ICP's intersection once a hospital with another case mix joins the training data."""
    chosen = _feature_tuple(answer, FEATURES, "('S',) or ()")
    if isinstance(chosen, Feedback):
        return chosen
    fam = family()
    referral = shift(fam.scm("E=0"), {"U_C": {0: 0.1, 1: 0.3, 2: 0.6}})
    wider = Environments("Y", {**fam.members, "referral": referral}, ["E=0", "E=1", "referral"])
    test = invariance_test(wider, FEATURES)
    if chosen == test.intersection:
        return Feedback(True, f"Only {{C}} passes now (accepted: {list(test.accepted)}): the referral hospital "
                        "moves P(Y), so the empty set fails, and C is the only feature every accepted set contains.")
    if chosen == ():
        return Feedback(False, "() is the intersection with hospitals 0 and 1 only, where the empty set passes "
                        f"because no hospital changes P(Y). With the referral hospital, the empty set has gap "
                        f"{test.result(()).gap:.3f}.")
    result = test.result(chosen)
    return Feedback(False, f"{chosen} fails the test with the referral hospital (gap {result.gap:.3f}); the "
                    "intersection only contains features that are in every accepted subset.")


def check_direction_features(answer: Any) -> Feedback:
    """Chapter 4: the feature set selected by the invariance test when S causes Y."""
    chosen = _feature_tuple(answer, FEATURES, "('C',)")
    if isinstance(chosen, Feedback):
        return chosen
    fam = reversed_family()
    test = invariance_test(fam, FEATURES)
    expected = select_invariant(fam, test)
    if chosen == expected:
        return Feedback(True, f"{chosen}: with S a cause of Y, P(Y | C, S) is the invariant conditional, so the "
                        "invariance test keeps S.")
    result = test.result(chosen)
    if not result.holds:
        return Feedback(False, f"{chosen} fails the invariance test here (gap {result.gap:.3f}): the hospitals "
                        "change P(S), and with S a cause of Y this changes P(Y | C) and P(Y).")
    return Feedback(False, f"{chosen} passes the invariance test but is not the most accurate subset that does.")
