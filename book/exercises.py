"""Self-checks for the exercises: feedback that says what went wrong.

Every check recomputes the exact answer through the library and compares the
student's answer with it *and* with the answers that typical mistakes
produce, so the feedback can name the mistake ("you conditioned instead of
intervening") instead of printing False.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from book.frontier import best
from book.ledger import FEATURES, GAPS, umbrella_candidates
from book.records import EPSILONS, HEADLINE, simulate, summarise
from book.scms import tutoring


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
    """
    if answer is None:
        return Feedback(False, "No answer yet: replace None by your computation and run the cell again.")
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


# ---------------------------------------------------------------- chapter 1
def check_tutoring_intervention(answer: Any, *, p_motivated: float = 0.3) -> Feedback:
    """Chapter 1: :math:`P(\\text{Pass} = 1 \\mid do(\\text{Tutored} = 1))` in ``tutoring(p_motivated=...)``."""
    m = tutoring(p_motivated=p_motivated)
    expected = m.query("Pass", do={"Tutored": 1})[1]
    return check_number(
        answer,
        expected,
        mistakes={
            "this is P(Pass = 1 | Tutored = 1): you *conditioned* on being tutored (seeing). "
            "Tutored students are mostly motivated; tutoring everyone leaves motivation at its "
            "population rate. Use do= instead of evidence=.": m.query("Pass", evidence={"Tutored": 1})[1],
            "this is the pass rate under do(Tutored = 0); the question sets Tutored = 1.": m.query(
                "Pass", do={"Tutored": 0}
            )[1],
            "this is the probability of failing; the question asks for passing.": 1.0 - expected,
            "this is the pass rate with the default p_motivated = 0.5; build the model with "
            "tutoring(p_motivated=0.3).": tutoring().query("Pass", do={"Tutored": 1})[1],
        },
        success="Intervening cuts Motivated -> Tutored, so motivation keeps its population distribution.",
    )


def check_sam_counterfactual(answer: Any) -> Feedback:
    """Chapter 1: :math:`P(\\text{Pass}_{\\text{Tutored}=0} = 1 \\mid \\text{Tutored} = 1, \\text{Pass} = 1)`."""
    m = tutoring()
    evidence = {"Tutored": 1, "Pass": 1}
    expected = m.counterfactual("Pass", evidence=evidence, do={"Tutored": 0})[1]
    return check_number(
        answer,
        expected,
        mistakes={
            "this is P(Pass = 1 | do(Tutored = 0)) for the whole population: you skipped abduction. "
            "What Sam's record tells us about Sam's motivation and exam must be kept.": m.query(
                "Pass", do={"Tutored": 0}
            )[1],
            "this is P(Pass = 1 | Tutored = 0): other students who were not tutored, not Sam.": m.query(
                "Pass", evidence={"Tutored": 0}
            )[1],
            "this is the probability that tutoring was *necessary* for Sam (Sam would have failed "
            "without it); the question asks whether Sam would still have passed.": 1.0 - expected,
        },
        success="Abduction (condition on Sam's record), action (do Tutored = 0), prediction.",
    )


# ---------------------------------------------------------------- chapter 2
def check_selective_feature_set(features: Iterable[str] | None) -> Feedback:
    """Chapter 2: the most accurate feature set whose Bayes-optimal predictor is
    invariant to A along the unfair paths *and* to the environment.

    Candidates are the non-empty subsets of ``("A", "C", "P", "S")`` in the
    default ``umbrella()`` model, evaluated exactly by
    :func:`book.ledger.umbrella_candidates`, so the feedback reports which
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
    if fair > 1e-9:
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
    if env > 1e-9:
        problems.append(
            f"its risk moves by {env:.3f} across environments (S's link to Y is set by E)"
        )
    if problems:
        return Feedback(False, f"{chosen} reaches accuracy {acc:.3f}, but " + "; and ".join(problems) + ".")
    if acc < best_accuracy - 1e-9:
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


# ---------------------------------------------------------------- chapter 4
def _feature_tuple(features: Any, allowed: tuple[str, ...]) -> tuple[str, ...] | str:
    """A student's feature set in canonical order, or an explanation of what is wrong with it."""
    if isinstance(features, str):
        features = (features,)
    try:
        chosen = set(features)
    except TypeError:
        return f"Expected a tuple of feature names such as ('C',), got {features!r}."
    unknown = sorted(map(str, chosen - set(allowed)))
    if unknown:
        return f"Choose among {allowed}; {unknown} are not candidate features."
    return tuple(f for f in allowed if f in chosen)


def check_crossing_mismatch(answer: Any) -> Feedback:
    """Chapter 4: the deployment mismatch at which the predictor on (C, S) becomes worse than the one on C."""
    from book.hospitals import TRAINING_MISMATCH, crossing_mismatch, family

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
    from book.environments import Environments, invariance_test, shift
    from book.hospitals import FEATURES, family

    chosen = None if answer is None else _feature_tuple(answer, FEATURES)
    if chosen is None:
        return Feedback(False, "No answer yet: replace None by a tuple of feature names, e.g. ('S',) or ().")
    if isinstance(chosen, str):
        return Feedback(False, chosen)
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
    from book.environments import invariance_test, select_invariant
    from book.hospitals import FEATURES, reversed_family

    chosen = None if answer is None else _feature_tuple(answer, FEATURES)
    if chosen is None:
        return Feedback(False, "No answer yet: replace None by a tuple of feature names, e.g. ('C',).")
    if isinstance(chosen, str):
        return Feedback(False, chosen)
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


# ---------------------------------------------------------------- chapter 3
# Imported inside the checks: other chapters' helpers append here too, and a shared import block
# at the top of the module would make every chapter's merge touch the same lines.
def check_relabelled_accuracy(answer: Any) -> Feedback:
    """Chapter 3: accuracy against ``Y`` of the best predictor invariant along the unfair paths
    once ``A -> Q`` is declared unfair too, in the default ``hiring()`` model.
    """
    from book.hiring import hiring_predictors, unfair_edges
    from book.metrics import accuracy
    from book.predictors import attach
    from book.scms import hiring

    model = hiring()

    def acc(predictor: Any, label: str = "Y") -> float:
        return accuracy(attach(model, "Yhat", predictor), "Yhat", label)

    relabelled = hiring_predictors(model, unfair_edges("unfair"))["selective"]
    usual = hiring_predictors(model)
    return check_number(
        answer,
        acc(relabelled),
        mistakes={
            "this is the selective predictor with A -> Q still allowed: pass the relabelled unfair "
            "edges, unfair_edges('unfair'), to the invariant predictor.": acc(usual["selective"]),
            "this is the accuracy against the fair-world label Yfair; the question asks about the "
            "historical label Y.": acc(relabelled, "Yfair"),
            "this is the unconstrained predictor: it is not invariant along any path.": acc(usual["unconstrained"]),
        },
        success="With every edge out of A unfair, no feature downstream of A may move the decision: "
        "the selective predictor becomes the counterfactually fair one, a constant.",
    )


def check_forced_fpr(answer: Any) -> Feedback:
    """Chapter 3: the false-positive rate group ``A = 1`` would have if its PPV and FNR equalled
    those of the selective predictor in group ``A = 0`` (Chouldechova's identity, label ``Y``).
    """
    from book.fairness import chouldechova_fpr, group_rates
    from book.hiring import hiring_predictors
    from book.predictors import attach
    from book.scms import hiring

    model = hiring()
    rates = group_rates(attach(model, "Yhat", hiring_predictors(model)["selective"]), "Yhat", "Y", "A")
    r0, r1 = rates[0], rates[1]
    return check_number(
        answer,
        chouldechova_fpr(r1.base_rate, r0.ppv, r0.fnr),
        mistakes={
            "this is group 0's own FPR: equal PPV and FNR do not give equal FPR when the base rates "
            "differ. Put group 1's base rate into the identity.": r0.fpr,
            "this is the selective predictor's actual FPR in group 1, whose PPV and FNR differ "
            "from group 0's.": r1.fpr,
            "you swapped p and 1 - p: the factor is p / (1 - p).": (1 - r1.base_rate) / r1.base_rate
            * (1 - r0.ppv) / r0.ppv * (1 - r0.fnr),
        },
        success="Equal PPV and FNR force an FPR set by the base rate: a higher base rate, a higher FPR.",
    )


# ---------------------------------------------------------------- chapter 6
def check_shapley_sum(answer: Any) -> Feedback:
    """Chapter 6: the sum of Alex's Shapley values for the associational score.

    By efficiency it is :math:`f(x) - E[f(X)]`, and for a Bayes score
    :math:`E[f(X)] = P(Y = 1)`.
    """
    from book import loans  # chapter helpers are imported lazily: they build models

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
    from book import loans
    from book import recourse as rc

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
    if mine.decision_validity < loans.MIN_VALIDITY - 1e-9:
        return Feedback(
            False,
            f"acted upon in the SCM, the model accepts Cam only with probability {mine.decision_validity:.2f}: "
            "check what the action does downstream (does a degree bring debt?).",
        )
    if mine.cost > target.cost + 1e-9:
        return Feedback(False, f"valid, but it costs {mine.cost:.2f}; a cheaper valid action exists.")
    return Feedback(
        True,
        f"{mine.advice}: cost {mine.cost:.2f}, accepted with probability {mine.decision_validity:.2f}. "
        "Every cheaper action fails once its downstream effects are counted: a degree may bring a "
        "student loan, and the debt undoes the flip.",
    )


# ---------------------------------------------------------------- chapter 5
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
        tolerance=1e-9,
        success="So the chapter's noise scale 2/ε gives ε/2-DP under add/remove neighbours: twice the protection.",
    )


def check_zero_one_advantage(answer: Any) -> Feedback:
    """Chapter 5: mean advantage of the 0–1 attack on the non-private associational predictor.

    The attack says "member" exactly when the predictor classifies the record
    correctly, so TPR is the training accuracy and FPR the test accuracy: the
    advantage is the train–test gap, averaged over the chapter's repetitions
    (:data:`book.records.HEADLINE`).
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
