"""Every numbered claim of chapter 3 (issue 3) and every number in its prose, recomputed through book/."""

import itertools

import numpy as np
import pytest

from book.chapters.fairness_accuracy import (
    EXPLORER_GRID,
    FEATURES,
    RECORD_BACKGROUND,
    UNFAIR,
    _coincident,
    _explorer_numbers,
    _named_points,
    background_predictors,
    background_table,
    decomposition_table,
    group_table,
    hiring_explorer,
    hiring_predictors,
    lottery_table,
    predictor_table,
    profile_classes,
    tradeoff_alt,
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
def test_claim8_explorer(model, predictors, approx):
    ex = hiring_explorer()
    grid = EXPLORER_GRID
    # "the strengths of the three edges out of A, over four values each"; "the first frame is the chapter's model"
    assert [s.name for s in ex.sliders] == ["qualification_gap", "proxy_strength", "label_bias"]
    assert all(len(values) == 4 for values in grid.values()) and ex.n_frames <= 64
    first = _explorer_numbers(**{s.name: s.start for s in ex.sliders})[0]
    table = predictor_table(model)
    for name, (gap, acc, acc_fair) in first.items():
        assert (gap, acc, acc_fair) == (approx(table.loc[name, "unfair-path gap"]),
                                        approx(table.loc[name, "accuracy (Y)"]),
                                        approx(table.loc[name, "accuracy (Yfair)"]))
    # predictors that coincide are labelled together, "3, 4" for one
    assert any(ks == (3, 4) for ks, _ in _coincident(_explorer_numbers(0.3, 0.8, 1.0)[0]))


def test_claim8_label_bias_tips_decisions_past_a_threshold(approx):
    # an unqualified applicant perceived as group 1 (by group or by postcode) is recorded as hired with
    # probability 0.2 + 0.8 s, a majority only above s = 0.375
    perceived = ({"A": 1, "Q": 0}, {"A": 1, "Q": 0, "P": 0}, {"A": 0, "Q": 0, "P": 1})

    def hired(s, evidence):
        return hiring(label_bias=s).query("Y", evidence=evidence)[1]

    base, slope = hired(0.0, perceived[0]), hired(1.0, perceived[0]) - hired(0.0, perceived[0])
    assert base == approx(0.2) and slope == approx(0.8)
    for s in (0.0, *EXPLORER_GRID["label_bias"]):
        assert all(hired(s, e) == approx(base + slope * s) for e in perceived)
    threshold = (0.5 - base) / slope
    assert threshold == approx(0.375)
    assert min(EXPLORER_GRID["label_bias"]) == 0.25 < threshold < 0.5
    for q, p, s in itertools.product(*EXPLORER_GRID.values()):
        m = hiring(qualification_gap=q, proxy_strength=p, label_bias=s)
        hs = hiring_predictors(m)
        only_qualified = {name: all(h.table[x] == x[h.features.index("Q")] for x in h.table) for name, h in hs.items()}
        named = _explorer_numbers(q, p, s)[0]
        if s < threshold:
            # unconstrained, unaware and selective coincide, hire exactly the qualified, no unfair-path gap,
            # accuracy against Y below the 0.800 against Yfair
            assert only_qualified["unconstrained"] and only_qualified["unaware"] and only_qualified["selective"]
            assert named["unconstrained"] == named["unaware"] == named["selective"]
            gap, acc, acc_fair = named["selective"]
            assert gap == 0.0 and acc_fair == approx(0.8) and acc < acc_fair - 0.01
        else:
            assert not only_qualified["unconstrained"]  # past the threshold the bias changes decisions
    # the slider starts at 0.25, not 0: without label bias Y = Yfair and the postcode moves no number
    no_bias = hiring(label_bias=0.0)
    assert no_bias.query("Y", evidence={"Yfair": 1})[1] == approx(1.0)
    assert no_bias.query("Y", evidence={"Yfair": 0})[1] == approx(0.0)
    for q in EXPLORER_GRID["qualification_gap"]:
        frames = {p: _explorer_numbers(q, p, 0.0) for p in EXPLORER_GRID["proxy_strength"]}
        first = next(iter(frames.values()))
        for named, curve in frames.values():
            assert all(np.allclose(named[k], first[0][k]) for k in named) and np.allclose(curve, first[1])


def test_claim8_strong_bias_zero_links_and_marker_4(approx):
    for q, p, s in itertools.product(*EXPLORER_GRID.values()):
        m = hiring(qualification_gap=q, proxy_strength=p, label_bias=s)
        hs = hiring_predictors(m)
        selective, cf = hs["selective"].table, hs["counterfactually fair"].table
        named = _explorer_numbers(q, p, s)[0]
        # declaring A -> Q unfair makes the selective predictor the counterfactually fair one: marker 4
        assert hiring_predictors(m, unfair_edges("unfair"))["selective"].table == cf
        if s == 1.0:
            # strength 1: the selective predictor hires everyone and coincides with the counterfactually fair one
            assert set(selective.values()) == {1} and selective == cf
        if q == 0.0:
            # no A -> Q effect: the full switch never moves Q; the counterfactually fair predictor is the selective one
            assert selective == cf and named["selective"] == approx(named["counterfactually fair"])
            for u_q, a in itertools.product((0, 1), repeat=2):
                evidence = {"U_Q": u_q, "A": a}
                switched = m.counterfactual("Q", evidence=evidence, do={"A": 1 - a})
                assert switched[u_q] == approx(1.0) == m.query("Q", evidence=evidence)[u_q]
            # such a switch changes no number: every predictor's point is the same with A -> Q unfair
            unfair_points = _named_points(m, unfair_edges("unfair"))
            assert all(np.allclose(named[k], unfair_points[k]) for k in named)
            if s == 0.25:
                assert len({tuple(round(v, 9) for v in point) for point in named.values()}) == 1  # all four coincide
        if p == 0.0:
            # no proxy link: the unaware predictor is path-fair and coincides with the selective one
            unaware = hs["unaware"].table
            assert named["unaware"][0] == 0.0
            assert all(selective[(a, q_, p_)] == unaware[(q_, p_)] for a, q_, p_ in selective)


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


# ---------------------------------------------------------------- referee report: the classes a switch connects
def test_the_full_switch_connects_every_profile_and_that_forces_the_constant(model, predictors):
    partial = fairness.switch_classes(model, FEATURES, "A", UNFAIR)
    full = fairness.switch_classes(model, FEATURES, "A", ALL_A)
    # along the unfair edges: two classes, the unqualified and the qualified (Q never moves)
    assert len(partial) == 2 and all(len({profile[1] for profile in c}) == 1 for c in partial)
    assert profile_classes(model, UNFAIR) == ["000 001 100 101", "010 011 110 111"]
    # along every edge: one class of all eight profiles
    assert len(full) == 1 and set(full[0]) == set(itertools.product((0, 1), repeat=3))
    # the full switch moves Q exactly for the applicants with U_Q = 0 and U_AQ = 1
    for u_q, u_aq, a in itertools.product((0, 1), repeat=3):
        evidence = {"U_Q": u_q, "U_AQ": u_aq, "A": a}
        factual = model.query("Q", evidence=evidence)
        switched = model.counterfactual("Q", evidence=evidence, do={"A": 1 - a})
        assert max(factual.values()) == 1.0 and max(switched.values()) == 1.0  # determined by the noise
        assert (factual != switched) == (u_q == 0 and u_aq == 1)
    assert profile_classes(model, ALL_A) == ["000 001 010 011 100 101 110 111"]
    # the invariant predictors are constant on each class: one class leaves a constant
    for h, classes in ((predictors["selective"], partial), (predictors["counterfactually fair"], full)):
        assert all(len({h.table[c] for c in members}) == 1 for members in classes)
    assert predictors["selective"].table == {c: c[1] for c in predictors["selective"].table}


def test_lemma_1_is_sufficient_not_necessary(model):
    no_effect = hiring(qualification_gap=0.0)
    # Q is still drawn as a child of A ...
    assert "A" in no_effect.parents("Q") and "Q" in no_effect.descendants(["A"])
    # ... yet the full switch never moves it: the classes split by Q again
    assert profile_classes(no_effect, ALL_A) == ["000 001 100 101", "010 011 110 111"]
    cf = hiring_predictors(no_effect)["counterfactually fair"]
    assert uses(cf, "Q") and cf.table == {c: c[1] for c in cf.table}  # hires exactly the qualified
    # a predictor reading a descendant of A that is counterfactually fair all the same
    assert invariance.counterfactual_fairness(attach(no_effect, "Yhat", cf), "Yhat", "A").gap == 0.0
    # whereas in the chapter's model reading Q alone is not
    q_only = Predictor(FEATURES, {c: c[1] for c in cf.table}, (0, 1))
    assert invariance.counterfactual_fairness(attach(model, "Yhat", q_only), "Yhat", "A").gap > 0.1


# ---------------------------------------------------------------- referee report: Kusner et al.'s predictor
def test_counterfactual_fairness_from_the_background(model, predictors, table, approx):
    g = background_predictors(model)["background U_Q"]
    assert g.features == ("U_Q",) and g.table == {(0,): 0, (1,): 1}  # hires exactly when U_Q = 1
    on_record = fairness.abduce(model, g, FEATURES)
    hire = positive_probabilities(on_record)
    for (a, q, _), h in hire.items():  # the record reveals U_Q except for qualified group-1 applicants
        assert h == approx(0.690) if (a, q) == (1, 1) else h in (0.0, 1.0)
    assert model.query("U_Q", evidence={"A": 1, "Q": 1, "P": 0})[1] == approx(0.690)
    # counterfactually fair by construction: no decision changes under any switch (an identity)
    m = attach(model, "Yhat", g)
    assert invariance.counterfactual_fairness(m, "Yhat", "A").gap == 0.0
    assert invariance.path_specific_fairness(m, "Yhat", "A", UNFAIR).gap == 0.0
    t = background_table(model)
    assert t.loc["background U_Q", "counterfactual gap"] == 0.0
    assert t.loc["background U_Q", "demographic parity diff."] == 0.0  # U_Q is independent of A
    assert model.query("U_Q", evidence={"A": 0}) == model.query("U_Q", evidence={"A": 1})
    # inferring U_Q from the record costs nothing, because Y and Yfair are independent of U_Q given the record
    for label in ("Y", "Yfair"):
        assert fairness.accuracy_against(model, on_record, label) == pytest.approx(
            fairness.accuracy_against(model, g, label), abs=1e-12)
        joint = model.joint([*FEATURES, "U_Q", label])
        for key, p in joint.items():
            record, u, y = key[:3], key[3], key[4]
            given = model.joint(["U_Q", label], evidence=dict(zip(FEATURES, record, strict=True)))
            p_record = model.probability(dict(zip(FEATURES, record, strict=True)))
            assert p == pytest.approx(p_record * sum(v for k, v in given.items() if k[0] == u)
                                      * sum(v for k, v in given.items() if k[1] == y), abs=1e-12)
    assert t.loc["background U_Q", "accuracy (Y)"] == approx(0.663)
    assert t.loc["background U_Q", "accuracy (Yfair)"] == approx(0.746)
    # above the constant ...
    assert table.loc["counterfactually fair", "accuracy (Y)"] == approx(0.621)
    assert table.loc["counterfactually fair", "accuracy (Yfair)"] == approx(0.494)
    assert t.loc["background U_Q", "accuracy (Y)"] > table.loc["counterfactually fair", "accuracy (Y)"] + 0.04
    # ... with all the background the record informs about
    assert RECORD_BACKGROUND == ("U_Q", "U_AQ", "U_PA", "U_P")
    assert t.loc["all background", "accuracy (Y)"] == approx(0.697)
    assert t.loc["all background", "accuracy (Yfair)"] == approx(0.721)
    assert t.loc["all background", "counterfactual gap"] == 0.0
    # ... both below the selective predictor on both labels
    for row in ("background U_Q", "all background"):
        assert t.loc[row, "accuracy (Y)"] < table.loc["selective", "accuracy (Y)"] - 0.03
        assert t.loc[row, "accuracy (Yfair)"] < table.loc["selective", "accuracy (Yfair)"] - 0.05
    # re-inferring U_Q from the switched record would change 24.8 % of decisions (one ticket per unit)
    total = fairness.switch_coupling(model, FEATURES, "A", ALL_A)
    assert fairness.decision_change(on_record, total) == approx(0.248)
    assert t.loc["background U_Q", "counterfactual gap, re-inferred"] == approx(0.248)


def test_no_background_function_inferred_from_the_record_beats_0_697(model, approx):
    """The best accuracy against Y of any (randomised) function g of the noise that neither causes nor is caused
    by A, with the noise drawn from its posterior given the record (Kusner et al.'s prediction rule)."""
    background = ("U_Q", "U_AQ", "U_PA", "U_P", "U_Y", "U_B")
    descendants = model.descendants(["A"])
    assert not set(background) & descendants
    assert all("A" not in model.descendants([b]) for b in background)
    assert set(model.exogenous) - set(background) == {"U_A"}  # U_A is A's own noise: excluded
    with_background = model.joint([*FEATURES, *background])
    with_label = model.joint([*FEATURES, "Y"])
    p_record = model.joint(list(FEATURES))
    # the accuracy is linear in g(y | u): score_y(u) = sum_x P(u, x) P(Y = y | x); take the best y for each u
    scores: dict = {}
    for key, p in with_background.items():
        record, u = key[:3], key[3:]
        for y in (0, 1):
            scores.setdefault(u, [0.0, 0.0])[y] += p * with_label[(*record, y)] / p_record[record]
    best = sum(max(s) for s in scores.values())
    assert best == approx(0.697)
    g = background_predictors(model)["all background"]
    assert fairness.accuracy_against(model, fairness.abduce(model, g, FEATURES), "Y") == pytest.approx(best)


# ---------------------------------------------------------------- referee report: Plečko & Bareinboim
def _enumerate_nested(predictor_table, outcome_rule):
    """P(out_{a1, W_{a0}} = 1 | a0), P(out_{a1} = 1 | a0), P(out = 1 | a0), P(out = 1 | a1) by enumerating the noise
    of the hiring model (default parameters), written out independently of book/."""
    probs = {"U_A": 0.5, "U_Q": 0.4, "U_AQ": 0.3, "U_PA": 0.8, "U_P": 0.5, "U_Y": 0.2, "U_B": 0.5}
    names = list(probs)
    out = {"nested": 0.0, "x1|x0": 0.0, "x0": 0.0, "x1": 0.0}
    mass = {0: 0.0, 1: 0.0}
    for values in itertools.product((0, 1), repeat=len(names)):
        u = dict(zip(names, values, strict=True))
        w = 1.0
        for n in names:
            w *= probs[n] if u[n] else 1 - probs[n]

        def world(a_direct, a_mediators, u=u):
            q = int(u["U_Q"] or (a_mediators and u["U_AQ"]))
            p = a_mediators if u["U_PA"] else u["U_P"]
            yfair = q ^ u["U_Y"]
            return outcome_rule(a_direct, q, p, yfair, u, predictor_table)

        a = u["U_A"]
        mass[a] += w
        if a == 0:
            out["nested"] += w * world(1, 0)
            out["x1|x0"] += w * world(1, 1)
            out["x0"] += w * world(0, 0)
        else:
            out["x1"] += w * world(1, 1)
    return {"nested": out["nested"] / mass[0], "x1|x0": out["x1|x0"] / mass[0], "x0": out["x0"] / mass[0],
            "x1": out["x1"] / mass[1]}


def _recorded_label(a, q, p, yfair, u, table):
    return int(yfair or (u["U_B"] and (a or p)))  # A's direct edge into Y; P is a mediator


def _prediction(a, q, p, yfair, u, table):
    return table[(a, q, p)]


def test_causal_decomposition_of_the_disparities(model, predictors, table, approx):
    d = decomposition_table(model)
    parts = {"recorded label Y": fairness.causal_decomposition(model, "Y", "A")}
    for name, h in predictors.items():
        parts[name] = fairness.causal_decomposition(fitted(model, h), "Yhat", "A")
    for name, c in parts.items():
        assert c.de - c.ie - c.se == pytest.approx(c.tv, abs=1e-12)  # the identity, for every row
        assert c.se == pytest.approx(0.0, abs=1e-12)  # zero by construction: nothing causes A
        assert d.loc[name, "DE - IE - SE"] == d.loc[name, "TV"]
    assert model.parents("A") == ("U_A",) and [e for e in model.edges(include_exogenous=True) if e[0] == "U_A"] == [
        ("U_A", "A")]
    # the definitions, checked against a brute-force enumeration of the noise written out in this test
    for name, rule, tab in (("recorded label Y", _recorded_label, None),
                            ("unconstrained", _prediction, predictors["unconstrained"].table),
                            ("unaware", lambda a, q, p, yf, u, t: t[(q, p)], predictors["unaware"].table),
                            ("selective", _prediction, predictors["selective"].table)):
        e = _enumerate_nested(tab, rule)
        c = parts[name]
        assert c.tv == pytest.approx(e["x1"] - e["x0"], abs=1e-12)
        assert c.de == pytest.approx(e["nested"] - e["x0"], abs=1e-12)
        assert c.ie == pytest.approx(e["nested"] - e["x1|x0"], abs=1e-12)
        assert c.se == pytest.approx(e["x1|x0"] - e["x1"], abs=1e-12)
    # the sizes in the prose
    y = parts["recorded label Y"]
    assert y.tv == approx(0.306) and y.de == approx(0.252) and -y.ie == approx(0.054)
    top = parts["unconstrained"]
    assert top.tv == approx(0.540) and top.de == approx(0.540) and top.ie == pytest.approx(0.0, abs=1e-12)
    assert all(predictors["unconstrained"].table[(1, q, p)] == 1 for q in (0, 1) for p in (0, 1))  # given group 1
    unaware = parts["unaware"]
    assert "A" not in predictors["unaware"].features
    assert unaware.de == 0.0 and unaware.tv == approx(0.498) and -unaware.ie == approx(0.498)
    sel = parts["selective"]
    assert sel.de == 0.0 and sel.tv == approx(0.180) and -sel.ie == approx(0.180)
    assert not uses(predictors["selective"], "A") and not uses(predictors["selective"], "P")
    # TV is the signed demographic parity difference of the table
    for name in predictors:
        assert abs(parts[name].tv) == pytest.approx(table.loc[name, "demographic parity diff."], abs=5e-4)
    assert table.loc["selective", "demographic parity diff."] == approx(0.180)


# ---------------------------------------------------------------- referee report: one lottery ticket or fresh draws
def test_one_lottery_ticket_against_fresh_draws(model, predictors, approx):
    path = fairness.switch_coupling(model, FEATURES, "A", UNFAIR)
    total = fairness.switch_coupling(model, FEATURES, "A", ALL_A)
    t = lottery_table(model)
    # fresh draws never give a smaller gap, pair by pair, with the excess 2 min(h, h') (1 - max(h, h'))
    for name in ("path-specific, bound 0.2", "parity, bound 0", "counterfactual, bound 0.1",
                 "coin: selective or unconstrained"):
        for label in ("unfair-path gap", "counterfactual gap"):
            assert t.loc[name, f"{label}, independent"] >= t.loc[name, f"{label}, shared"]
    # nothing moves on the path-specific and parity frontiers, at every bound of the figure
    top = predictors["unconstrained"]
    for kind, loosest in (("path-specific", fairness.decision_change(top, path)),
                          ("demographic parity", fairness.parity_difference(model, top, "A"))):
        for p in fairness.fairness_frontier(model, "Y", FEATURES, "A", np.linspace(0.0, loosest, 8),
                                            constraint=kind, unfair_edges=UNFAIR):
            for coupling in (path, total):
                assert fairness.decision_change(p.predictor, coupling, lottery="independent") == pytest.approx(
                    fairness.decision_change(p.predictor, coupling), abs=1e-9)
                # because every randomised profile is switched only into profiles with a sure decision
                h = positive_probabilities(p.predictor)
                for (x, x2), w in coupling.items():
                    if w > 0 and 1e-9 < h[x] < 1 - 1e-9:
                        assert min(abs(h[x2]), abs(1 - h[x2])) < 1e-9
    assert t.loc["parity, bound 0", "unfair-path gap, shared"] == approx(0.153)
    assert t.loc["parity, bound 0", "unfair-path gap, independent"] == approx(0.153)
    # the counterfactual frontier's tight end moves
    cf = fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.1], constraint="counterfactual")[0]
    h = positive_probabilities(cf.predictor)
    assert cf["accuracy"] == approx(0.684) and t.loc["counterfactual, bound 0.1", "accuracy (Y)"] == approx(0.684)
    assert all(h[c] == approx(0.444) if c[1] == 0 else h[c] == pytest.approx(1.0) for c in h)
    assert not uses(cf.predictor, "A") and not uses(cf.predictor, "P")  # it reads nothing but Q
    row = t.loc["counterfactual, bound 0.1"]
    assert row["unfair-path gap, shared"] == 0.0 and row["unfair-path gap, independent"] == approx(0.252)
    assert row["counterfactual gap, shared"] == approx(0.100) and row["counterfactual gap, independent"] == approx(
        0.307)
    # the coin between the selective and the unconstrained predictor
    coin = t.loc["coin: selective or unconstrained"]
    assert coin["accuracy (Y)"] == approx(0.759)
    assert coin["unfair-path gap, shared"] == approx(0.230) and coin["unfair-path gap, independent"] == approx(0.255)
    # exercise "A fresh draw": P(Q = 0) = 0.51, 2 h (1 - h) = 0.494, their product 0.252
    hq = h[(0, 0, 0)]
    assert model.query("Q")[0] == approx(0.51) and 2 * hq * (1 - hq) == approx(0.494)
    assert model.query("Q")[0] * 2 * hq * (1 - hq) == pytest.approx(row["unfair-path gap, independent"], abs=5e-4)
    assert fairness.decision_change(cf.predictor, path, lottery="independent") == approx(0.252)


def test_the_figure_places_the_background_predictor(model, approx):
    alt = tradeoff_alt(model)
    assert "5 from the background U_Q: gap 0.000, accuracy 0.663 against Y and 0.746 against Yfair" in alt


# ---------------------------------------------------------------- the same ledger, through book.audit
def test_the_audit_reads_the_chapters_numbers(model, predictors, table, approx):
    import book

    for name, gap, acc in (("unconstrained", 0.459, 0.783), ("selective", 0.0, 0.735)):
        result = book.audit(book.attach(model, "Yhat", predictors[name]), "Yhat", "Y",
                            attribute="A", unfair_edges=UNFAIR)
        fairness = result.row("fairness")
        assert fairness.gap == approx(gap) and result.accuracy == approx(acc)
        assert fairness.gap == approx(table.loc[name, "unfair-path gap"])  # the chapter's own table
        assert result.accuracy == approx(table.loc[name, "accuracy (Y)"])
        assert fairness.holds == (name == "selective")
        undeclared = [r.objective for r in result.rows if r.verdict == "not declared"]
        assert undeclared == ["robustness", "explainability", "recourse", "privacy"]
