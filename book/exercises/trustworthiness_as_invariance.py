"""Self-checks of chapter 2 (trustworthiness_as_invariance)."""

from __future__ import annotations

from collections.abc import Iterable

from book.chapters.trustworthiness_as_invariance import FEATURES, GAPS, umbrella_candidates
from book.exercises.feedback import Feedback
from book.objectives.frontiers import best
from book.scm import TOLERANCE

__all__ = ["check_selective_feature_set"]


def check_selective_feature_set(features: Iterable[str] | None) -> Feedback:
    """Chapter 2: the most accurate feature set whose Bayes-optimal predictor is
    invariant to A along the unfair paths *and* to the environment.

    Candidates are the non-empty subsets of ``("A", "C", "P", "S")`` in the
    default ``umbrella()`` model, evaluated exactly by
    :func:`book.chapters.trustworthiness_as_invariance.umbrella_candidates`, so the feedback reports which
    invariance a wrong answer breaks and by how much.
    """
    if features is None:
        return Feedback(False, "No answer yet: replace None by a tuple of feature names, e.g. ('C', 'S').")
    if isinstance(features, str):
        features = (features,)
    unknown = sorted(set(features) - set(FEATURES))
    chosen = tuple(f for f in FEATURES if f in set(features))  # candidates list features in this order
    if unknown or not chosen:
        return Feedback(False, f"Choose a non-empty subset of {FEATURES}; got {tuple(features)!r}.")
    candidates = umbrella_candidates()
    reports = {c.features: (c.accuracy, *(c.gaps[g] for g in GAPS)) for c in candidates}
    best_accuracy = best(candidates, invariant_to=GAPS).accuracy
    acc, fair, env = reports[chosen]
    problems = []
    if fair > TOLERANCE:
        carriers = {
            "A": "it reads A itself",
            "P": "P is reached from A along the unfair edge A -> P",
            "S": "S inherits the historical label bias A -> Y through Y",
        }
        why = "; ".join(carriers[f] for f in chosen if f in carriers)
        problems.append(
            f"its prediction changes for {fair:.1%} of units when A is switched along the unfair "
            f"paths ({why})"
        )
    if env > TOLERANCE:
        problems.append(
            f"given what it reads, the chance that Y = 1 differs by up to {env:.3f} across environments "
            "(S's link to Y is set by E)"
        )
    if problems:
        return Feedback(False, f"{chosen} reaches accuracy {acc:.3f}, but " + "; and ".join(problems) + ".")
    if acc < best_accuracy - TOLERANCE:
        return Feedback(
            False,
            f"{chosen} passes both invariance checks, but its accuracy {acc:.3f} is below the best "
            f"passing accuracy {best_accuracy:.3f}: a feature that carries A only along the allowed path helps.",
        )
    return Feedback(
        True,
        f"{chosen} passes both checks with accuracy {acc:.3f}, the best any invariant feature set "
        "reaches. C is reached from A only along the allowed path and drives Y itself.",
    )
