"""Unit tests of predictors, metrics, invariance checks, scenarios and frontiers."""

import itertools
import math

import numpy as np
import pytest

from book import metrics
from book.models import rung_three_triplet, tutoring, umbrella
from book.objectives import ledger as invariance
from book.objectives.frontiers import best, feature_subset_candidates
from book.predictors import attach, bayes_optimal, constant
from book.scm import DiscreteSCM


# ------------------------------------------------------------------ predictors and metrics
def brute_accuracy(scm, features, table, label):
    """Accuracy by summing the exact joint over features and label by hand."""
    joint = scm.joint([*features, label])
    return sum(p for key, p in joint.items() if table[key[:-1]] == key[-1])


def test_bayes_optimal_maximises_accuracy_over_all_predictors_on_the_features():
    m = umbrella()
    features = ("C", "P")
    h = bayes_optimal(m, "Y", features)
    acc = brute_accuracy(m, features, h.table, "Y")
    combos = list(itertools.product(*(m.states(f) for f in features)))
    for labels in itertools.product((0, 1), repeat=len(combos)):  # every deterministic predictor
        assert brute_accuracy(m, features, dict(zip(combos, labels, strict=True)), "Y") <= acc + 1e-12
    assert metrics.accuracy(attach(m, "Yhat", h), "Yhat", "Y") == pytest.approx(acc, abs=1e-12)


def test_metrics_relations():
    m = attach(tutoring(), "Guess", bayes_optimal(tutoring(), "Pass", ["Tutored"]))
    assert metrics.risk(m, "Guess", "Pass") == pytest.approx(1 - metrics.accuracy(m, "Guess", "Pass"))
    assert metrics.expectation(m, "Pass") == pytest.approx(m.query("Pass")[1])
    # Under do(Tutored=1) the guess is always 1, so accuracy is the pass rate.
    assert metrics.accuracy(m, "Guess", "Pass", do={"Tutored": 1}) == pytest.approx(
        m.query("Pass", do={"Tutored": 1})[1]
    )


def test_predictor_bad_input():
    m = tutoring()
    with pytest.raises(ValueError, match="at least one feature"):
        bayes_optimal(m, "Pass", [])
    with pytest.raises(ValueError, match="Pass"):
        bayes_optimal(m, "Pass", ["Pass"])
    with pytest.raises(ValueError, match="Nope"):
        bayes_optimal(m, "Pass", ["Nope"])
    with pytest.raises(ValueError, match="7"):
        constant(m, "Pass", 7)
    assert metrics.accuracy(attach(m, "Zero", constant(m, "Pass", 0)), "Zero", "Pass") == pytest.approx(
        m.query("Pass")[0]
    )


# ------------------------------------------------------------------ invariance checks
@pytest.fixture(scope="module")
def model():
    return umbrella()


def with_predictor(model, features):
    return attach(model, "Yhat", bayes_optimal(model, "Y", features))


def test_path_specific_with_every_edge_out_of_a_equals_counterfactual(model):
    for features in [("C",), ("C", "S"), ("P",), ("A", "C", "P", "S")]:
        m = with_predictor(model, features)
        every = [e for e in m.edges() if e[0] == "A" and e[1] != "Yhat"]
        assert invariance.path_specific_fairness(m, "Yhat", "A", every).gap == pytest.approx(
            invariance.counterfactual_fairness(m, "Yhat", "A").gap, abs=1e-12
        )


def test_path_specific_with_no_unfair_edge_only_sees_direct_use(model):
    # A predictor on C alone has no direct edge from A: with nothing unfair, the gap is 0.
    assert invariance.path_specific_fairness(with_predictor(model, ("C",)), "Yhat", "A", []).gap == 0
    # A predictor reading A itself is always unfair along A -> Yhat.
    assert invariance.path_specific_fairness(with_predictor(model, ("A",)), "Yhat", "A", []).gap == 1


def test_counterfactual_fairness_against_enumeration_of_units(model):
    m = with_predictor(model, ("C", "S"))
    # Brute force: condition on each unit's A and features, read the counterfactual prediction.
    gap = 0.0
    for (a, c, s), p in m.joint(["A", "C", "S"]).items():
        if p == 0:
            continue
        evidence = {"A": a, "C": c, "S": s}
        factual = max(m.query("Yhat", evidence=evidence).items(), key=lambda kv: kv[1])[0]
        cf = m.counterfactual("Yhat", evidence=evidence, do={"A": 1 - a})
        gap += p * (1 - cf[factual])
    assert invariance.counterfactual_fairness(m, "Yhat", "A").gap == pytest.approx(gap, abs=1e-12)


def test_environment_invariance_is_the_spread_of_the_conditional(model):
    m = with_predictor(model, ("S",))
    check = invariance.environment_invariance(m, "Yhat", "Y", "E")
    conditionals = {(e, s): m.query("Y", evidence={"S": s}, do={"E": e})[1] for e in (0, 1) for s in (0, 1)}
    assert check.gap == pytest.approx(max(abs(conditionals[0, s] - conditionals[1, s]) for s in (0, 1)))
    assert check.values["P(Y=1 | S=1) in E=0"] == pytest.approx(conditionals[0, 1])
    assert not check.holds
    assert invariance.environment_invariance(with_predictor(model, ("C",)), "Yhat", "Y", "E").holds


def test_explanation_check_separates_effects_from_causes(model):
    on_s = invariance.interventional_validity(with_predictor(model, ("S",)), "Yhat", "Y", "S")
    on_c = invariance.interventional_validity(with_predictor(model, ("C",)), "Yhat", "Y", "C")
    assert on_s.gap > 0.25 > 0.05 > on_c.gap
    # Without the A -> Y bias, C's link to Y is unconfounded: the explanation holds exactly.
    clean = umbrella(label_bias=0.0)
    assert invariance.interventional_validity(with_predictor(clean, ("C",)), "Yhat", "Y", "C").gap < 1e-12


def test_laplace_privacy_matches_the_density_ratio_on_a_grid():
    counts, neighbour = np.array([5, 3]), np.array([4, 4])
    eps, delta = 0.7, 2
    check = invariance.laplace_privacy(counts, neighbour, epsilon=eps, sensitivity=delta)
    z = np.stack(np.meshgrid(np.linspace(-10, 20, 301), np.linspace(-10, 20, 301)), axis=-1)
    scale = delta / eps
    log_ratio = (np.abs(z - neighbour).sum(-1) - np.abs(z - counts).sum(-1)) / scale
    assert check.gap == pytest.approx(np.abs(log_ratio).max(), abs=1e-9)
    assert check.holds and math.isclose(check.gap, eps)
    assert not invariance.laplace_privacy(counts, neighbour, epsilon=eps, sensitivity=1).holds


@pytest.mark.parametrize("eps", [0, -1, float("inf"), float("nan")])
def test_laplace_privacy_rejects_bad_epsilon(eps):
    with pytest.raises(ValueError, match="epsilon"):
        invariance.laplace_privacy([1], [2], epsilon=eps)


def test_laplace_privacy_rejects_mismatched_counts():
    with pytest.raises(ValueError, match="equally long"):
        invariance.laplace_privacy([1, 2], [1], epsilon=1)
    with pytest.raises(ValueError, match="sensitivity"):
        invariance.laplace_privacy([1], [1], epsilon=1, sensitivity=0)


def test_invariance_checks_reject_bad_input(model):
    m = with_predictor(model, ("C",))
    with pytest.raises(ValueError, match="C"):
        invariance.path_specific_fairness(m, "Yhat", "A", [("C", "Y")])
    with pytest.raises(ValueError, match="binary"):
        invariance.counterfactual_fairness(tutoring().extend({"T3": (["U_T"], lambda U_T: U_T)}), "Pass", "T3")
    with pytest.raises(ValueError, match="Nope"):
        invariance.environment_invariance(m, "Yhat", "Y", "Nope")


# ------------------------------------------------------------------ scenarios and frontiers
def test_scenarios_reject_impossible_parameters():
    with pytest.raises(ValueError, match="p_motivated"):
        tutoring(p_motivated=1.5)
    with pytest.raises(ValueError, match="p_always_tutored"):
        tutoring(p_always_tutored=0.7, p_tutored_if_motivated=0.6)
    with pytest.raises(ValueError, match="p_exam_easy"):
        tutoring(p_exam_easy=0.8, p_exam_hard=0.3)
    with pytest.raises(ValueError, match="label_bias"):
        umbrella(label_bias=-0.1)
    with pytest.raises(ValueError, match="spurious_noise"):
        umbrella(spurious_noise=(0.1,))


def test_triplet_agrees_on_rungs_one_and_two():
    models = list(rung_three_triplet().values())
    for scm in models[1:]:
        for x in (0, 1):
            assert scm.query("Y", evidence={"X": x}) == pytest.approx(models[0].query("Y", evidence={"X": x}))
            assert scm.query("Y", do={"X": x}) == pytest.approx(models[0].query("Y", do={"X": x}))


def test_frontier_candidates_and_best(model):
    gaps = {"robustness": lambda m, h: invariance.environment_invariance(m, h, "Y", "E").gap}
    candidates = feature_subset_candidates(model, "Y", ("C", "S"), gaps)
    assert [c.features for c in candidates] == [("C",), ("S",), ("C", "S")]
    assert best(candidates, invariant_to=["robustness"]).features == ("C",)
    assert best(candidates).accuracy == max(c.accuracy for c in candidates)
    never = {"never": lambda m, h: 1.0}
    with pytest.raises(ValueError, match="never"):
        best(feature_subset_candidates(model, "Y", ("C",), never), invariant_to=["never"])
    with pytest.raises(ValueError, match="at least one feature"):
        feature_subset_candidates(model, "Y", (), gaps)


def test_do_on_noise_is_refused():
    m = DiscreteSCM({"U": {0: 0.5, 1: 0.5}}, {"X": (["U"], lambda U: U)})
    with pytest.raises(ValueError, match="exogenous"):
        m.query("X", do={"U": 1})
