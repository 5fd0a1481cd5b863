"""Every numbered claim of chapter 3 (issue 3) and every number in its prose, recomputed through book/."""

import itertools

import pytest

from book.chapters.fairness_accuracy import (
    FEATURES,
    UNFAIR,
    _explorer_numbers,
    group_table,
    hiring_explorer,
    hiring_predictors,
    predictor_table,
    unfair_edges,
)
from book.exercises import check_forced_fpr, check_relabelled_accuracy
from book.metrics import accuracy, demographic_parity_difference, equalized_odds_difference, population_arrays
from book.models import hiring
from book.objectives import fairness
from book.objectives import ledger as invariance
from book.predictors import Predictor, attach, bayes_optimal, positive_probabilities, uses

ALL_A = [("A", "P"), ("A", "Q"), ("A", "Y")]


@pytest.fixture(scope="module")
def model():
    return hiring()


@pytest.fixture(scope="module")
def predictors(model):
    return hiring_predictors(model)


@pytest.fixture(scope="module")
def table(model):
    return predictor_table(model)


def fitted(model, h):
    return attach(model, "Yhat", h)


def all_deterministic(model):
    """Every deterministic predictor on (A, Q, P): 256 tables."""
    cells = list(itertools.product((0, 1), repeat=3))
    for labels in itertools.product((0, 1), repeat=len(cells)):
        yield Predictor(FEATURES, dict(zip(cells, labels, strict=True)), (0, 1))


# ---------------------------------------------------------------- 1. utility
def test_claim1_the_most_accurate_predictor_uses_A_and_the_proxy(model, predictors, table, approx):
    top = predictors["unconstrained"]
    assert uses(top, "A") and uses(top, "P") and uses(top, "Q")
    # "hires every qualified applicant, and also every applicant of group 1 or from postcode 1"
    assert top.features == ("A", "Q", "P")
    assert top.table == {c: int(any(c)) for c in top.table}
    assert table.loc["unconstrained", "accuracy (Y)"] == approx(0.783)
    # it really is the most accurate: no predictor on (A, Q, P) beats it, and dropping A or P costs accuracy
    best = max(accuracy(fitted(model, h), "Yhat", "Y") for h in all_deterministic(model))
    assert accuracy(fitted(model, top), "Yhat", "Y") == pytest.approx(best)
    for fewer in (("Q", "P"), ("A", "Q")):
        assert accuracy(fitted(model, bayes_optimal(model, "Y", fewer)), "Yhat", "Y") < best - 1e-3


# ---------------------------------------------------------------- 2. fairness as invariance under do(A)
def test_claim2_total_and_path_specific_effects(model, predictors, approx):
    m = fitted(model, predictors["unconstrained"])
    total = invariance.counterfactual_fairness(m, "Yhat", "A")
    path = invariance.path_specific_fairness(m, "Yhat", "A", UNFAIR)
    assert total.gap == approx(0.540) and path.gap == approx(0.459)
    assert not total.holds and not path.holds
    assert path.gap < total.gap - 0.05  # the allowed path carries part of A's total effect
    # the library's coupling computes the same unit-level gaps
    top = predictors["unconstrained"]
    assert fairness.decision_change(top, fairness.switch_coupling(model, FEATURES, "A", UNFAIR)) == pytest.approx(
        path.gap)
    assert fairness.decision_change(top, fairness.switch_coupling(model, FEATURES, "A", ALL_A)) == pytest.approx(
        total.gap)


# ---------------------------------------------------------------- 3. unawareness leaks
def test_claim3_unawareness_leaks_through_the_proxy(model, predictors, table, approx):
    unaware = predictors["unaware"]
    assert "A" not in unaware.features and uses(unaware, "P")
    gap = invariance.path_specific_fairness(fitted(model, unaware), "Yhat", "A", UNFAIR).gap
    assert gap > 0.05 and gap == approx(0.408)
    assert table.loc["unaware", "unfair-path gap"] == approx(0.408)
    assert table.loc["unaware", "accuracy (Y)"] == approx(0.779)


def test_group_metrics_in_the_prose(model, predictors, table, approx):
    m = fitted(model, predictors["unconstrained"])
    cols, w = population_arrays(m, ["Y", "Yhat", "A"])
    kw = {"sensitive_features": cols["A"], "sample_weight": w}
    assert demographic_parity_difference(cols["Y"], cols["Yhat"], **kw) == approx(0.540)
    assert equalized_odds_difference(cols["Y"], cols["Yhat"], **kw) == approx(0.812)
    # the selective predictor fails demographic parity although its unfair-path gap is zero
    assert table.loc["selective", "demographic parity diff."] == approx(0.180)
    assert table.loc["selective", "unfair-path gap"] == 0.0


# ---------------------------------------------------------------- 4. the conflict as a frontier
def test_claim4_no_predictor_reaches_zero_unfairness_without_losing_accuracy(model, predictors, approx):
    top_acc = accuracy(fitted(model, predictors["unconstrained"]), "Yhat", "Y")
    coupling = fairness.switch_coupling(model, FEATURES, "A", UNFAIR)
    top_gap = fairness.decision_change(predictors["unconstrained"], coupling)
    bounds = [0.0, 0.1, 0.2, 0.3, 0.4, top_gap]
    points = fairness.fairness_frontier(model, "Y", FEATURES, "A", bounds, unfair_edges=UNFAIR)
    accs = [p["accuracy"] for p in points]
    assert accs == sorted(accs) and accs[-1] == pytest.approx(top_acc)  # tightening costs accuracy
    assert all(a < top_acc - 1e-3 for a in accs[:-1])  # every binding bound loses accuracy
    assert accs[0] == approx(0.735) and accs[0] < top_acc - 0.04
    for p in points:
        assert fairness.decision_change(p.predictor, coupling) <= p.bound + 1e-7
    # the same holds for every deterministic predictor: none with zero gap beats the LP's optimum
    zero = [accuracy(fitted(model, h), "Yhat", "Y") for h in all_deterministic(model)
            if fairness.decision_change(h, coupling) < 1e-12]
    assert max(zero) == pytest.approx(accs[0])


def test_claim4_demographic_parity_pays_more_and_is_not_path_fair(model, approx):
    coupling = fairness.switch_coupling(model, FEATURES, "A", UNFAIR)
    parity = fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0], constraint="demographic parity")[0]
    path = fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0], unfair_edges=UNFAIR)[0]
    assert parity["accuracy"] == approx(0.705) and parity["accuracy"] < path["accuracy"] - 0.02
    assert fairness.parity_difference(model, parity.predictor, "A") < 1e-7
    assert fairness.decision_change(parity.predictor, coupling) == approx(0.153)
    # exercise 5: it reads A itself (identical profiles, different groups, different decisions)
    hire = positive_probabilities(parity.predictor)
    assert hire[(0, 0, 0)] == approx(0.222) and hire[(1, 0, 0)] == 0.0
    assert hire[(1, 0, 1)] == 0.0  # unqualified group-1 applicants are never hired, whatever the postcode


# ---------------------------------------------------------------- 5. selective invariance
def test_claim5_selective_invariance(model, predictors, table, approx):
    sel = fitted(model, predictors["selective"])
    assert invariance.path_specific_fairness(sel, "Yhat", "A", UNFAIR).gap < 1e-9
    assert predictors["selective"].table == {c: c[1] for c in predictors["selective"].table}  # hires the qualified
    acc = table["accuracy (Y)"]
    cost_sel = acc["unconstrained"] - acc["selective"]
    cost_cf = acc["unconstrained"] - acc["counterfactually fair"]
    assert cost_sel == approx(0.048) and cost_cf == approx(0.162)
    assert 3 * cost_sel < cost_cf  # "more than three times as much"
    fair = table["accuracy (Yfair)"]
    assert fair["selective"] == approx(0.800) and fair["unconstrained"] == approx(0.656)
    assert fair["selective"] > max(fair.drop("selective")) + 0.1
    # the most accurate of *all* predictors against Yfair: it is the Bayes-optimal predictor of Yfair
    assert bayes_optimal(model, "Yfair", FEATURES).table == predictors["selective"].table
    curve = fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0, 0.1, 0.3, 0.5], unfair_edges=UNFAIR)
    assert all(fairness.accuracy_against(model, p.predictor, "Yfair") <= fair["selective"] + 1e-9 for p in curve)


# ---------------------------------------------------------------- 6. full counterfactual fairness over-pays
def test_claim6_full_counterfactual_fairness_over_pays(model, predictors, table, approx):
    cf = fitted(model, predictors["counterfactually fair"])
    assert invariance.counterfactual_fairness(cf, "Yhat", "A").holds
    assert set(predictors["counterfactually fair"].table.values()) == {1}  # the constant "hire"
    # ... which is the best counterfactually fair predictor *on (A, Q, P)*: every deterministic one with zero
    # total gap is a constant, and the constant "hire" is the more accurate of the two
    total = fairness.switch_coupling(model, FEATURES, "A", ALL_A)
    zero = [h for h in all_deterministic(model) if fairness.decision_change(h, total) < 1e-12]
    assert all(len(set(h.table.values())) == 1 for h in zero)
    for label in ("accuracy (Y)", "accuracy (Yfair)"):
        assert table[label].idxmin() == "counterfactually fair"
    assert table.loc["counterfactually fair", "accuracy (Y)"] == approx(0.621)
    assert table.loc["counterfactually fair", "accuracy (Yfair)"] == approx(0.494)
    # the total-effect frontier reaches zero unfair-path gap only far below the selective predictor
    coupling = fairness.switch_coupling(model, FEATURES, "A", UNFAIR)
    for p in fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0, 0.05, 0.1], constraint="counterfactual"):
        assert fairness.decision_change(p.predictor, coupling) < 1e-9
        assert p["accuracy"] < table.loc["selective", "accuracy (Y)"] - 0.04


# ---------------------------------------------------------------- 7. where it stops
def test_claim7_predictive_parity_and_error_rates_cannot_all_hold(model, predictors, approx):
    g = group_table(model, predictors["selective"])
    rates = fairness.group_rates(fitted(model, predictors["selective"]), "Yhat", "Y", "A")
    for r in rates.values():  # the identity holds exactly in each group
        assert fairness.chouldechova_fpr(r.base_rate, r.ppv, r.fnr) == pytest.approx(r.fpr, abs=1e-12)
    assert g.loc["base rate p"].tolist() == [approx(0.468), approx(0.774)]
    assert g.loc["PPV", "A = 0"] == approx(0.810) and g.loc["FNR", "A = 0"] == approx(0.308)
    assert g.loc["FPR", "A = 0"] == approx(0.143)
    forced = fairness.chouldechova_fpr(rates[1].base_rate, rates[0].ppv, rates[0].fnr)
    assert forced == approx(0.556) and 3.5 < forced / rates[0].fpr < 4  # "almost four times"
    # "... unless the predictor makes no false positives": with PPV = 1 the forced FPR is 0 at any base rate
    assert fairness.chouldechova_fpr(rates[1].base_rate, 1.0, rates[0].fnr) == 0.0
    assert check_forced_fpr(forced) and not check_forced_fpr(rates[0].fpr)
    # base rates differ in the fair world too (the allowed path A -> Q)
    fair0, fair1 = (model.query("Yfair", evidence={"A": a})[1] for a in (0, 1))
    assert fair1 - fair0 > 0.05


def test_claim7_which_paths_are_unfair_is_a_choice(model, predictors, approx):
    relabelled = hiring_predictors(model, unfair_edges("unfair"))["selective"]
    assert relabelled.table == predictors["counterfactually fair"].table
    assert accuracy(fitted(model, relabelled), "Yhat", "Y") == approx(0.621)
    assert check_relabelled_accuracy(0.621) and not check_relabelled_accuracy(0.735)


# ---------------------------------------------------------------- 8. the explorer and the exercises
def test_claim8_explorer(model, approx):
    ex = hiring_explorer()
    assert ex.n_frames <= 64
    assert [s.name for s in ex.sliders] == ["qualification_gap", "proxy_strength", "label_bias", "a_to_q"]
    default = _explorer_numbers(0.3, 0.8, 0.5, "allowed")[0]
    assert default["selective"][1] == approx(0.735) and default["unconstrained"][0] == approx(0.459)
    for q, p in itertools.product((0.0, 0.3), (0.0, 0.8)):
        # no label bias: every predictor but the constant coincides, all path-fair: no conflict
        named = _explorer_numbers(q, p, 0.0, "allowed")[0]
        assert named["unconstrained"] == named["unaware"] == named["selective"]
        assert named["unconstrained"][0] == 0.0 and named["unconstrained"][1] == named["unconstrained"][2]
        # A -> Q unfair: the selective predictor becomes the counterfactually fair one
        for bias in (0.0, 0.5):
            named = _explorer_numbers(q, p, bias, "unfair")[0]
            assert named["selective"] == named["counterfactually fair"]
        # no proxy link: unawareness is path-fair
        assert _explorer_numbers(q, 0.0, 0.5, "allowed")[0]["unaware"][0] == 0.0
    # the qualifiers "with A -> Q allowed" and "all four coincide" are needed:
    for p in (0.0, 0.8):
        # no label bias and no A -> Q link: the counterfactually fair predictor is not a constant, all four coincide
        named = _explorer_numbers(0.0, p, 0.0, "allowed")[0]
        assert len(set(named.values())) == 1
        # no label bias but A -> Q unfair: the conflict is back
        named = _explorer_numbers(0.3, p, 0.0, "unfair")[0]
        assert named["unconstrained"][0] > 0.1 and named["selective"][1] < named["unconstrained"][1] - 0.1
    # no proxy link but A -> Q unfair: unawareness is not path-fair
    assert _explorer_numbers(0.3, 0.0, 0.5, "unfair")[0]["unaware"][0] > 0.05


def test_exercise_numbers(approx):
    no_proxy = hiring(proxy_strength=0.0)
    t = predictor_table(no_proxy)
    assert t.loc["unaware", "unfair-path gap"] == 0.0
    chosen = hiring_predictors(no_proxy)
    sel = chosen["selective"]
    assert uses(sel, "Q") and uses(sel, "P") and not uses(sel, "A")
    # "it coincides with the unaware one": the same decision for every profile
    unaware = chosen["unaware"]
    assert all(sel.table[(a, q, p)] == unaware.table[(q, p)] for a, q, p in sel.table)
    assert t.loc["selective", "accuracy (Yfair)"] == approx(0.647)
    no_bias = predictor_table(hiring(label_bias=0.0))
    for name in ("unconstrained", "unaware", "selective"):
        assert no_bias.loc[name, "accuracy (Y)"] == approx(0.8) == no_bias.loc[name, "accuracy (Yfair)"]
        assert no_bias.loc[name, "unfair-path gap"] == 0.0
    assert no_bias.loc["counterfactually fair", "accuracy (Y)"] == approx(0.506)
    assert 0.8 - no_bias.loc["counterfactually fair", "accuracy (Y)"] == approx(0.294)
