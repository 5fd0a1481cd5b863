"""Every number and claim in chapter 2's prose, recomputed through book/."""

import numpy as np
import pytest

from book.chapters.trustworthiness_as_invariance import GAPS, UNFAIR, umbrella_candidates, umbrella_checks
from book.metrics import accuracy
from book.models import umbrella
from book.objectives import ledger as invariance
from book.objectives.frontiers import best
from book.predictors import attach, bayes_optimal


@pytest.fixture(scope="module")
def model():
    return umbrella()


@pytest.fixture(scope="module")
def candidates(model):
    return umbrella_candidates(model)


def fit(model, features):
    return attach(model, "Yhat", bayes_optimal(model, "Y", features))


def test_most_training_data_come_from_region_0(model):
    assert model.query("E")[1] == pytest.approx(0.2)


def test_utility_and_the_ledger_of_the_accurate_predictor(model, approx):
    everything = fit(model, ["A", "C", "P", "S"])
    assert accuracy(everything, "Yhat", "Y") == approx(0.826)
    cf, ps, env, expl = umbrella_checks(everything)
    assert cf.gap == approx(0.315) and not cf.holds
    assert ps.gap == approx(0.233) and not ps.holds
    assert env.gap == approx(0.284) and not env.holds
    assert expl.gap == approx(0.303) and not expl.holds


def test_privacy_check_on_the_seeded_sample(model):
    counts = model.sample(200, np.random.default_rng(2026)).groupby(["C", "Y"]).size().to_numpy()
    assert counts.sum() == 200 and counts[3] >= 1  # a (C=1, Y=1) record exists to be replaced
    neighbour = counts + np.array([1, 0, 0, -1])
    calibrated = invariance.laplace_privacy(counts, neighbour, epsilon=1.0, sensitivity=2)
    wrong = invariance.laplace_privacy(counts, neighbour, epsilon=1.0, sensitivity=1)
    assert calibrated.holds and calibrated.gap == pytest.approx(1.0)
    assert not wrong.holds and wrong.gap == pytest.approx(2.0)
    two = invariance.laplace_privacy(counts, counts + np.array([2, 0, 0, -2]), epsilon=1.0, sensitivity=2)
    assert two.gap == pytest.approx(2.0)


def test_the_conflict_no_predictor_is_top_and_invariant(candidates, approx):
    top = max(candidates, key=lambda c: c.accuracy)
    assert top.accuracy == approx(0.826)
    invariant = [c for c in candidates if all(c.invariant(g) for g in GAPS)]
    assert max(c.accuracy for c in invariant) < top.accuracy - 0.04
    # every predictor that uses S breaks robustness; every one that gains from S or P breaks an invariance
    for c in candidates:
        if c.accuracy > 0.778 + 1e-9:
            assert not all(c.invariant(g) for g in GAPS)


def test_selective_invariance(model, candidates, approx):
    selective = best(candidates, invariant_to=GAPS)
    assert selective.features == ("C",) and selective.accuracy == approx(0.778)
    sel = fit(model, ["C"])
    assert invariance.counterfactual_fairness(sel, "Yhat", "A").gap == approx(0.180)  # not invariant to all of A
    full = fit(model, ["E"])
    assert invariance.counterfactual_fairness(full, "Yhat", "A").holds
    assert accuracy(full, "Yhat", "Y") == approx(0.539)
    assert accuracy(full, "Yhat", "Y") == pytest.approx(model.query("Y")[1])  # no better than always "repays"
    assert 0.826 - 0.778 == approx(0.048) and 0.826 - 0.539 == approx(0.287)
    # the only features A does not affect are E (and the noise)
    assert model.descendants(["A"]) & {"C", "P", "S", "Y"} == {"C", "P", "S", "Y"}
    assert "E" not in model.descendants(["A"])


def test_relabelling_a_to_c_as_unfair(model, approx):
    sel = fit(model, ["C"])
    assert invariance.path_specific_fairness(sel, "Yhat", "A", [("A", "C"), *UNFAIR]).gap == approx(0.180)
    relabelled = umbrella_candidates(model)
    gaps_all_unfair = [
        (c, invariance.path_specific_fairness(fit(model, c.features), "Yhat", "A", [("A", "C"), *UNFAIR]).gap)
        for c in relabelled
    ]
    assert all(g > 1e-9 for _, g in gaps_all_unfair)  # no feature subset downstream of A survives


def test_explorer_claims():
    for label_bias in (0.0, 0.2, 0.4):
        cands = umbrella_candidates(umbrella(label_bias=label_bias))
        top = max(cands, key=lambda c: c.accuracy)
        if label_bias == 0.0:  # no label bias: the top predictor ignores A and P and is fair
            assert not {"A", "P"} & set(top.features) and top.invariant(GAPS[0])
            assert not top.invariant(GAPS[1])  # ... while the robustness conflict remains
        else:
            assert "A" in top.features and not top.invariant(GAPS[0])
    gains, robust_gaps = [], []
    for noise in (0.05, 0.1, 0.3):  # less noisy S: more accuracy bought, larger robustness gap
        cands = umbrella_candidates(umbrella(spurious_noise=(noise, 0.5)))
        top = max(cands, key=lambda c: c.accuracy)
        gains.append(top.accuracy - best(cands, invariant_to=GAPS).accuracy)
        robust_gaps.append(top.gaps[GAPS[1]])
    assert gains == sorted(gains, reverse=True) and robust_gaps == sorted(robust_gaps, reverse=True)
