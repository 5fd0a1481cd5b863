"""Every number and claim in chapter 2's prose, recomputed through book/."""

import numpy as np
import pytest

from book.chapters.trustworthiness_as_invariance import (
    FEATURES,
    GAPS,
    UNFAIR,
    classes_table,
    conditional_shift,
    ledger_explorer,
    switch_classes,
    umbrella_candidates,
    umbrella_checks,
)
from book.metrics import accuracy, risk
from book.models import umbrella
from book.models.hospitals import reversed_family
from book.objectives import fairness
from book.objectives import ledger as invariance
from book.objectives.frontiers import best, trade_off
from book.objectives.robustness import conditional_invariance, environment_risks, optimal_predictor
from book.predictors import Predictor, attach, bayes_optimal, uses


@pytest.fixture(scope="module")
def model():
    return umbrella()


@pytest.fixture(scope="module")
def candidates(model):
    return umbrella_candidates(model)


@pytest.fixture(scope="module")
def everything(model):
    return fit(model, FEATURES)


def fit(model, features):
    return attach(model, "Yhat", bayes_optimal(model, "Y", features))


def test_most_training_data_come_from_region_0(model):
    assert model.query("E")[1] == pytest.approx(0.2)


# ---------------------------------------------------------------- the ledger's robustness row
def test_robustness_row_is_the_conditional_not_the_risk(model, candidates):
    # Chapter 4's reversed hospitals: P(Y | C, S) is the same in every hospital while the risk of the
    # predictor on (C, S) moves, because the hospital changes how often each profile occurs.
    fam = reversed_family()
    assert conditional_invariance(fam, ["C", "S"], fam.labels).holds
    risks = environment_risks(fam, optimal_predictor(fam, ["C", "S"]))
    assert max(risks.values()) - min(risks.values()) > 0.03
    # In the umbrella model E changes only S's mechanism: a predictor that does not read S has an
    # invariant conditional and an invariant risk alike.
    assert {v for u, v in model.edges() if u == "E"} == {"S"}
    for c in candidates:
        m = fit(model, c.features)
        if "S" not in invariance.features_read(m, "Yhat"):
            assert c.invariant("robustness")
            assert risk(m, "Yhat", "Y", do={"E": 0}) == pytest.approx(risk(m, "Yhat", "Y", do={"E": 1}), abs=1e-12)


# ---------------------------------------------------------------- utility and the ledger of one predictor
def test_utility_and_the_ledger_of_the_accurate_predictor(everything, approx):
    assert accuracy(everything, "Yhat", "Y") == approx(0.826)
    cf, ps, env, expl = umbrella_checks(everything)
    assert cf.gap == approx(0.315) and not cf.holds
    assert ps.gap == approx(0.233) and not ps.holds
    assert env.gap == approx(0.492) and not env.holds
    assert expl.gap == approx(0.303) and not expl.holds
    assert env.quantity == "P(Y | A, C, S)" and expl.objective == "explainability (interventional validity)"


def test_robustness_where_the_conditional_moves(model, everything, approx):
    # "The predictor reads A, C and S"
    assert invariance.features_read(everything, "Yhat") == ("A", "C", "S")
    # "S tracks Y in region 0 and is pure noise in region 1"
    agree = {e: sum(p for (y, s), p in model.joint(["Y", "S"], do={"E": e}).items() if y == s) for e in (0, 1)}
    assert agree[0] == pytest.approx(0.9) and agree[1] == pytest.approx(0.5)
    for s in (0, 1):
        assert model.query("Y", evidence={"S": s}, do={"E": 1})[1] == pytest.approx(model.query("Y")[1])
    # "the largest change is for A = 0, C = 0, S = 1: 0.692 in region 0 against 0.200 in region 1"
    shift = conditional_shift(everything)
    assert shift["profile"] == {"A": 0, "C": 0, "S": 1}
    assert shift["P(Y=1 | profile)"]["E=0"] == approx(0.692)
    assert shift["P(Y=1 | profile)"]["E=1"] == approx(0.200)
    gap = shift["P(Y=1 | profile)"]["E=0"] - shift["P(Y=1 | profile)"]["E=1"]
    assert gap == pytest.approx(shift["gap"]) and gap == pytest.approx(umbrella_checks(everything)[2].gap)
    assert gap == approx(0.492)
    # "its risk moves with it, from 0.117 in region 0 to 0.401 in region 1"
    assert shift["risk"]["E=0"] == approx(0.117) and shift["risk"]["E=1"] == approx(0.401)


def test_explanation_has_fidelity_but_not_interventional_validity(model, everything, approx):
    # "the decision does rest on S": the explanation is true of the model
    h = bayes_optimal(model, "Y", FEATURES)
    assert uses(h, "S")
    # "setting S does not change repayment"
    for s in (0, 1):
        assert model.query("Y", do={"S": s}) == pytest.approx(model.query("Y"))
    # "the decision's accuracy drops by 0.303 when S is set rather than observed"
    check = invariance.interventional_validity(everything, "Yhat", "Y", "S")
    drops = [check.values[f"accuracy | S={s}"] - check.values[f"accuracy | do(S={s})"] for s in (0, 1)]
    assert max(drops) == approx(0.303) and max(drops) == pytest.approx(check.gap)


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


# ---------------------------------------------------------------- the conflict
def test_the_conflict_no_predictor_is_top_and_invariant(candidates, approx):
    top = max(candidates, key=lambda c: c.accuracy)
    assert top.accuracy == approx(0.826)
    assert top.gaps["robustness"] == approx(0.492) and top.gaps["path-specific fairness"] == approx(0.233)
    invariant = [c for c in candidates if all(c.invariant(g) for g in GAPS)]
    assert max(c.accuracy for c in invariant) < top.accuracy - 0.04
    # every predictor that uses S or P gains accuracy and breaks an invariance
    for c in candidates:
        if c.accuracy > 0.778 + 1e-9:
            assert not all(c.invariant(g) for g in GAPS)


def test_selective_invariance(model, candidates, approx):
    selective = best(candidates, invariant_to=GAPS)
    assert selective.features == ("C",) and selective.accuracy == approx(0.778)
    sel = fit(model, ["C"])
    assert invariance.counterfactual_fairness(sel, "Yhat", "A").gap == approx(0.180)  # not invariant to all of A
    assert 0.826 - 0.778 == approx(0.048) and 0.826 - 0.539 == approx(0.287)


# ---------------------------------------------------------------- full counterfactual fairness
def test_the_full_switch_links_the_profiles_into_two_classes(model, approx):
    all_edges = fairness.edges_out_of(model, "A")
    # every feature a predictor may read is caused by A, so Kusner et al.'s sufficient condition allows none
    assert set(FEATURES) - {"A"} <= model.descendants(["A"])
    classes = switch_classes(model, FEATURES, all_edges)
    profiles = [x for c in classes for x in c]
    assert len(profiles) == len(set(profiles)) == 16 and len(classes) == 2 and [len(c) for c in classes] == [8, 8]
    index = {f: k for k, f in enumerate(FEATURES)}
    for c in classes:
        # "the switch moves C and S freely" (and A) ...
        assert {(x[index["A"]], x[index["C"]], x[index["S"]]) for x in c} == {
            (a, cc, s) for a in (0, 1) for cc in (0, 1) for s in (0, 1)}
        # ... "but never changes whether the proxy agrees with the group"
        assert len({x[index["A"]] ^ x[index["P"]] for x in c}) == 1
    # A xor P is the proxy's own noise U_P
    assert sum(p for (a, pp, u), p in model.joint(["A", "P", "U_P"]).items() if a ^ pp == u) == pytest.approx(1.0)
    # "a counterfactually fair decision may depend on A xor P": reading two descendants of A, it is fair
    xor = attach(model, "Yhat", Predictor(("A", "P"), {(a, p): a ^ p for a in (0, 1) for p in (0, 1)}, (0, 1)))
    assert invariance.counterfactual_fairness(xor, "Yhat", "A").holds
    # "both classes repay with probability 0.539, and the best counterfactually fair predictor is the constant"
    table = classes_table(model)
    assert list(table["A xor P"]) == ["0", "1"]
    assert all(p == approx(0.539) for p in table["P(Y=1 | class)"])
    assert list(table["best fair decision"]) == ["1", "1"]
    fair = fairness.invariant_predictor(model, "Y", FEATURES, "A", all_edges)
    assert set(fair.table.values()) == {1}
    full = attach(model, "Yhat", fair)
    assert invariance.counterfactual_fairness(full, "Yhat", "A").holds
    assert accuracy(full, "Yhat", "Y") == approx(0.539)
    assert accuracy(full, "Yhat", "Y") == pytest.approx(model.query("Y")[1])  # always "repays"
    # "letting it read the region E splits each class in two, but repayment does not depend on the region"
    with_region = ("E", *FEATURES)
    assert "E" not in model.descendants(["A"])
    assert len(switch_classes(model, with_region, all_edges)) == 4
    assert set(fairness.invariant_predictor(model, "Y", with_region, "A", all_edges).table.values()) == {1}
    for e in (0, 1):
        assert model.query("Y", do={"E": e}) == pytest.approx(model.query("Y"))


def test_relabelling_a_to_c_as_unfair(model, candidates, approx):
    sel = fit(model, ["C"])
    assert invariance.path_specific_fairness(sel, "Yhat", "A", [("A", "C"), *UNFAIR]).gap == approx(0.180)
    gaps_all_unfair = [
        invariance.path_specific_fairness(fit(model, c.features), "Yhat", "A", [("A", "C"), *UNFAIR]).gap
        for c in candidates
    ]
    assert all(g > 1e-9 for g in gaps_all_unfair)  # every non-empty feature set fails
    # ... and the best invariant predictor is the constant "repays" (the edges out of A are exactly these three)
    assert set(fairness.edges_out_of(model, "A")) == {("A", "C"), *UNFAIR}


# ---------------------------------------------------------------- the explorer
def test_explorer_claims():
    # Every frame of the explorer, on its own grid.
    explorer = ledger_explorer()
    biases, noises = (s.values for s in explorer.sliders)
    default_noise = explorer.sliders[1].start
    assert len(biases) >= 5 and biases[0] == 0.0  # finer than a toggle; "no label bias" is a frame
    assert default_noise == 0.1 and 0.3 in noises  # the prose's default noise and "noisy enough (0.3)"
    frames = {}
    for label_bias in biases:
        for noise in noises:
            cands = umbrella_candidates(umbrella(label_bias=label_bias, spurious_noise=(noise, 0.5)))
            selective = best(cands, invariant_to=GAPS)
            frames[label_bias, noise] = (trade_off(cands, selective)["top"], selective)
    # no label bias: the most accurate predictor no longer reads A and passes the fairness check
    for noise in noises:
        top, _ = frames[0.0, noise]
        assert "A" not in top.features and top.invariant(GAPS[0])
    # ... at the default noise (0.1) the robustness conflict remains; at 0.3 the conflict disappears altogether
    assert not frames[0.0, default_noise][0].invariant(GAPS[1])
    top, selective = frames[0.0, 0.3]
    assert top.features == selective.features == ("C",)
    for label_bias in biases[1:]:  # with label bias, at the default noise, it reads A and fails the fairness check
        top, _ = frames[label_bias, default_noise]
        assert "A" in top.features and not top.invariant(GAPS[0])
    for label_bias in biases:
        # the less noisy S, the more accuracy it buys over the selective predictor
        gains = [frames[label_bias, n][0].accuracy - frames[label_bias, n][1].accuracy for n in noises]
        assert gains == sorted(gains, reverse=True) and gains[0] > gains[-1]
    # in every frame where the most accurate predictor reads S, its robustness gap is above 0.2
    for top, _ in frames.values():
        if "S" in top.features:
            assert top.gaps[GAPS[1]] > 0.2
        else:
            assert top.gaps[GAPS[1]] == pytest.approx(0.0, abs=1e-12)
