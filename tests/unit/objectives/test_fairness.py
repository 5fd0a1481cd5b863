"""Unit tests of book.objectives.fairness, the chapter-3 module, the hiring SCM and chapter 3's self-checks."""

import itertools
import re

import numpy as np
import pytest

from book.chapters.fairness_accuracy import (
    BACKGROUND,
    FEATURES,
    RECORD_BACKGROUND,
    UNFAIR,
    background_predictors,
    background_table,
    decision_table,
    decomposition_table,
    frontier_curves,
    group_table,
    hiring_explorer,
    hiring_predictors,
    lottery_table,
    predictor_table,
    profile_classes,
    tradeoff_alt,
    tradeoff_figure,
    unfair_edges,
)
from book.exercises import check_forced_fpr, check_relabelled_accuracy
from book.metrics import accuracy
from book.models import hiring
from book.objectives import fairness
from book.objectives import ledger as invariance
from book.predictors import (
    Predictor,
    RandomizedPredictor,
    attach,
    bayes_optimal,
    positive_probabilities,
    uses,
)
from book.scm import DiscreteSCM


@pytest.fixture(scope="module")
def model():
    return hiring()


def all_edges_out_of_a(model):
    return fairness.edges_out_of(model, "A")


def policy(features, probabilities):
    """The randomised predictor deciding 1 with probability ``probabilities[cell]`` (the old policy dict)."""
    return RandomizedPredictor(tuple(features), {c: {0: 1.0 - h, 1: h} for c, h in probabilities.items()}, (0, 1))


# ---------------------------------------------------------------- the SCM
def test_hiring_scm_structure_and_parameters():
    m = hiring()
    assert set(m.endogenous) == {"A", "Q", "P", "Yfair", "Y"}
    assert ("A", "Q") in m.edges() and ("A", "P") in m.edges() and ("A", "Y") in m.edges()
    assert m.query("A")[1] == pytest.approx(0.5)
    assert m.query("Q", evidence={"A": 0})[1] == pytest.approx(0.4)
    assert m.query("Q", evidence={"A": 1})[1] == pytest.approx(0.4 + 0.6 * 0.3)
    assert m.query("P", evidence={"A": 1})[1] == pytest.approx(0.8 + 0.2 * 0.5)
    # no bias: the recorded label is the fair-world label
    unbiased = hiring(label_bias=0.0)
    assert unbiased.probability({"Y": 1, "Yfair": 0}) == 0.0
    # each strength at zero removes that edge's effect
    no_gap, no_proxy = hiring(qualification_gap=0.0), hiring(proxy_strength=0.0)
    assert no_gap.query("Q", do={"A": 1}) == pytest.approx(no_gap.query("Q", do={"A": 0}))
    assert no_proxy.query("P", do={"A": 1}) == pytest.approx(no_proxy.query("P", do={"A": 0}))


@pytest.mark.parametrize("kw", ["p_group", "p_qualified", "qualification_gap", "proxy_strength", "label_bias",
                                "label_noise"])
def test_hiring_rejects_non_probabilities(kw):
    with pytest.raises(ValueError, match=kw):
        hiring(**{kw: 1.5})


# ---------------------------------------------------------------- switch coupling and decision change
def test_switch_edges_and_edges_out_of(model):
    assert sorted(all_edges_out_of_a(model)) == [("A", "P"), ("A", "Q"), ("A", "Y")]
    edges = fairness.switch_edges(model, "A", [("A", "P")])
    assert ("A", "Q") not in edges and ("A", "P") in edges and ("Q", "Yfair") in edges
    with pytest.raises(ValueError, match="not an edge out of 'A'"):
        fairness.switch_edges(model, "A", [("Q", "Yfair")])
    with pytest.raises(ValueError, match="not an edge out of 'A'"):
        fairness.switch_edges(model, "A", [("A", "Yfair")])
    with pytest.raises(ValueError, match="unknown variable"):
        fairness.edges_out_of(model, "Nope")


def test_switch_coupling_is_a_joint_distribution_with_the_right_marginals(model):
    w = fairness.switch_coupling(model, FEATURES, "A", UNFAIR)
    assert sum(w.values()) == pytest.approx(1.0)
    factual = {}
    for (x, _), p in w.items():
        factual[x] = factual.get(x, 0) + p
    joint = model.joint(list(FEATURES))
    for cell, p in joint.items():
        assert factual.get(cell, 0.0) == pytest.approx(p)
    # A is always switched, Q never (allowed path), P only where it copies A
    assert all(x[0] != x2[0] and x[1] == x2[1] for (x, x2) in w)
    total = fairness.switch_coupling(model, FEATURES, "A", all_edges_out_of_a(model))
    assert any(x[1] != x2[1] for (x, x2) in total)


def test_decision_change_matches_the_invariance_checks_for_every_deterministic_predictor(model):
    path = fairness.switch_coupling(model, ("Q", "P"), "A", UNFAIR)
    total = fairness.switch_coupling(model, ("Q", "P"), "A", all_edges_out_of_a(model))
    cells = list(itertools.product((0, 1), repeat=2))
    for labels in itertools.product((0, 1), repeat=4):
        h = Predictor(("Q", "P"), dict(zip(cells, labels, strict=True)), (0, 1))
        m = attach(model, "Yhat", h)
        assert fairness.decision_change(h, path) == pytest.approx(
            invariance.path_specific_fairness(m, "Yhat", "A", UNFAIR).gap, abs=1e-12)
        assert fairness.decision_change(h, total) == pytest.approx(
            invariance.counterfactual_fairness(m, "Yhat", "A").gap, abs=1e-12)


def test_switch_coupling_bad_input(model):
    with pytest.raises(ValueError, match="at least one feature"):
        fairness.switch_coupling(model, [], "A", UNFAIR)
    with pytest.raises(ValueError, match="string"):
        fairness.switch_coupling(model, "Q", "A", UNFAIR)
    with pytest.raises(ValueError, match="unknown variable"):
        fairness.switch_coupling(model, ["Nope"], "A", UNFAIR)
    three = DiscreteSCM({"U": {0: 0.3, 1: 0.3, 2: 0.4}}, {"A": (["U"], lambda U: U), "X": (["A"], lambda A: A)})
    with pytest.raises(ValueError, match="binary"):
        fairness.switch_coupling(three, ["X"], "A", [("A", "X")])


def test_decision_change_bad_input():
    with pytest.raises(ValueError, match=r"no decision for the feature values \(1,\)"):
        fairness.decision_change(policy(("Q",), {(0,): 1.0}), {((0,), (1,)): 1.0})
    for bad in (1.5, -0.1, float("nan")):
        with pytest.raises(ValueError, match=re.escape(f"probability {bad!r} of 1 at (1,) is not a probability")):
            fairness.decision_change(policy(("Q",), {(0,): 1.0, (1,): bad}), {((0,), (1,)): 1.0})
    with pytest.raises(ValueError, match="expected a Predictor or RandomizedPredictor, got dict"):
        fairness.decision_change({(0,): 1.0, (1,): 0.0}, {((0,), (1,)): 1.0})  # a bare policy dict is refused
    three = Predictor(("Q",), {(0,): 0, (1,): 2}, (0, 1, 2))
    with pytest.raises(ValueError, match=r"must be binary; the predictor's labels are \(0, 1, 2\)"):
        fairness.decision_change(three, {((0,), (1,)): 1.0})


def test_parity_difference_bad_input(model):
    full = {c: 1.0 for c in itertools.product((0, 1), repeat=3)}
    for bad in (2.0, -0.5):
        with pytest.raises(ValueError, match=re.escape(f"probability {bad!r} of 1 at (1, 0, 1) is not a probability")):
            fairness.parity_difference(model, policy(FEATURES, {**full, (1, 0, 1): bad}), "A")
    missing = {c: p for c, p in full.items() if c != (0, 1, 0)}
    with pytest.raises(ValueError, match=r"no decision for the feature values \(0, 1, 0\)"):
        fairness.parity_difference(model, policy(FEATURES, missing), "A")


def test_accuracy_against_and_parity_difference(model):
    h = bayes_optimal(model, "Y", FEATURES)
    m = attach(model, "Yhat", h)
    rates = [m.query("Yhat", evidence={"A": a})[1] for a in (0, 1)]
    # the deterministic predictor and the same decisions written as a randomised one agree with the attached SCM
    for f in (h, policy(FEATURES, positive_probabilities(h))):
        assert fairness.accuracy_against(model, f, "Y") == pytest.approx(accuracy(m, "Yhat", "Y"))
        assert fairness.accuracy_against(model, f, "Yfair") == pytest.approx(accuracy(m, "Yhat", "Yfair"))
        assert fairness.parity_difference(model, f, "A") == pytest.approx(abs(rates[1] - rates[0]))
    cells = list(h.table)
    half = policy(FEATURES, {c: 0.5 for c in cells})  # a fair coin: accuracy 1/2 against any label, parity 0
    assert fairness.accuracy_against(model, half, "Y") == pytest.approx(0.5)
    assert fairness.parity_difference(model, half, "A") == pytest.approx(0.0)
    with pytest.raises(ValueError, match=re.escape("probability 1.5 of 1 at (0, 0, 0) is not a probability")):
        fairness.accuracy_against(model, policy(FEATURES, {c: 1.5 for c in cells}), "Y")
    with pytest.raises(ValueError, match=r"no decision for the feature values \(0, 0, 1\)"):
        fairness.accuracy_against(model, policy(FEATURES, {(0, 0, 0): 1.0}), "Y")
    with pytest.raises(ValueError, match="unknown variable 'Nope'"):
        fairness.accuracy_against(hiring(), policy(["A"], {(0,): 1.0, (1,): 0.0}), "Nope")
    three = DiscreteSCM({"U": {0: 0.3, 1: 0.3, 2: 0.4}}, {"A": (["U"], lambda U: U % 2), "L": (["U"], lambda U: U)})
    with pytest.raises(ValueError, match=r"labels \(0, 1\) are not the states of 'L': \(0, 1, 2\)"):
        fairness.accuracy_against(three, policy(["A"], {(0,): 1.0, (1,): 0.0}), "L")
    with pytest.raises(ValueError, match=r"must be binary; the predictor's labels are \(0, 1, 2\)"):
        fairness.accuracy_against(three, Predictor(("A",), {(0,): 2, (1,): 0}, (0, 1, 2)), "L")


# ---------------------------------------------------------------- invariant predictors
def test_invariant_predictor_is_the_best_zero_gap_predictor(model):
    for edges in (UNFAIR, tuple(all_edges_out_of_a(model)), (("A", "Y"),)):
        h = fairness.invariant_predictor(model, "Y", FEATURES, "A", edges)
        coupling = fairness.switch_coupling(model, FEATURES, "A", edges)
        assert fairness.decision_change(h, coupling) == 0.0
        best = accuracy(attach(model, "Yhat", h), "Yhat", "Y")
        cells = list(itertools.product((0, 1), repeat=3))
        for labels in itertools.product((0, 1), repeat=8):
            g = Predictor(FEATURES, dict(zip(cells, labels, strict=True)), (0, 1))
            if fairness.decision_change(g, coupling) == 0.0:
                assert accuracy(attach(model, "Yhat", g), "Yhat", "Y") <= best + 1e-12


def test_invariant_predictor_with_only_the_direct_edge_is_unawareness_plus_proxy(model):
    # only A -> Yhat unfair (no edges listed): the best predictor may use P and Q but not A itself
    h = fairness.invariant_predictor(model, "Y", FEATURES, "A", [])
    assert not uses(h, "A")


def test_invariant_predictor_bad_input(model):
    with pytest.raises(ValueError, match="cannot also be a feature"):
        fairness.invariant_predictor(model, "Q", FEATURES, "A", UNFAIR)
    with pytest.raises(ValueError, match="not an edge out of"):
        fairness.invariant_predictor(model, "Y", FEATURES, "A", [("P", "Y")])



def test_switch_classes_are_the_connected_components_of_the_coupling(model):
    for edges in (UNFAIR, tuple(all_edges_out_of_a(model)), (), (("A", "P"),)):
        classes = fairness.switch_classes(model, FEATURES, "A", edges)
        members = [c for cls in classes for c in cls]
        assert sorted(members) == sorted(itertools.product((0, 1), repeat=3))  # a partition of the values
        where = {c: k for k, cls in enumerate(classes) for c in cls}
        coupling = fairness.switch_coupling(model, FEATURES, "A", edges)
        assert all(where[x] == where[x2] for (x, x2), w in coupling.items() if w > 0)  # links stay inside
        # and each class is connected: a search along the links reaches every member
        for cls in classes:
            seen, todo = {cls[0]}, [cls[0]]
            while todo:
                x = todo.pop()
                for (a, b), w in coupling.items():
                    for u, v in ((a, b), (b, a)):
                        if w > 0 and u == x and v not in seen:
                            seen.add(v)
                            todo.append(v)
            assert seen == set(cls)
        h = fairness.invariant_predictor(model, "Y", FEATURES, "A", edges)
        assert all(len({h.table[c] for c in cls}) == 1 for cls in classes)
    # a feature value no unit has is a class of its own
    scm = DiscreteSCM({"U": {0: 0.5, 1: 0.5}}, {"A": (["U"], lambda U: U), "X": (["A"], lambda A: A)},
                      states={"X": (0, 1, 2)})
    assert fairness.switch_classes(scm, ["X"], "A", [("A", "X")]) == [((0,), (1,)), ((2,),)]


def test_decision_change_with_fresh_draws(model):
    rng = np.random.default_rng(3)
    cells = list(itertools.product((0, 1), repeat=3))
    for coupling in (fairness.switch_coupling(model, FEATURES, "A", UNFAIR),
                     fairness.switch_coupling(model, FEATURES, "A", all_edges_out_of_a(model)),
                     fairness.switch_coupling(model, ("Q", "P"), "A", UNFAIR)):
        k = len(next(iter(coupling))[0])
        for _ in range(20):
            h = {c[:k]: float(v) for c, v in zip(cells, rng.uniform(size=8), strict=True)}
            f = policy(FEATURES[-k:] if k == 2 else FEATURES, h)
            shared = fairness.decision_change(f, coupling)
            fresh = fairness.decision_change(f, coupling, lottery="independent")
            excess = sum(w * 2 * min(h[x], h[x2]) * (1 - max(h[x], h[x2])) for (x, x2), w in coupling.items())
            assert fresh == pytest.approx(shared + excess, abs=1e-12) and fresh >= shared - 1e-12
        for labels in itertools.product((0, 1), repeat=2 ** k):  # deterministic predictors: no difference
            g = Predictor(("Q", "P") if k == 2 else FEATURES,
                          dict(zip(itertools.product((0, 1), repeat=k), labels, strict=True)), (0, 1))
            assert fairness.decision_change(g, coupling, lottery="independent") == pytest.approx(
                fairness.decision_change(g, coupling), abs=1e-12)
    with pytest.raises(ValueError, match=r"lottery must be one of .*'shared'.*got 'fresh'"):
        fairness.decision_change(policy(("Q",), {(0,): 1.0, (1,): 0.0}), {((0,), (1,)): 1.0}, lottery="fresh")


def test_background_predictor_and_abduction(model):
    g = fairness.background_predictor(model, "Y", ["U_Q"], "A")
    assert g.table == bayes_optimal(model, "Y", ["U_Q"]).table
    for bad, message in (("A", "is 'A' or caused by it"), ("Q", "is 'A' or caused by it"),
                         ("U_A", "is a cause of 'A'")):
        with pytest.raises(ValueError, match=re.escape(f"background variable {bad!r} {message}")):
            fairness.background_predictor(model, "Y", ["U_Q", bad], "A")
    with pytest.raises(ValueError, match="target 'U_Q' cannot also be a background variable"):
        fairness.background_predictor(model, "U_Q", ["U_Q"], "A")
    f = fairness.abduce(model, g, FEATURES)
    assert isinstance(f, RandomizedPredictor) and f.features == FEATURES
    for x, law in f.table.items():
        assert sum(law.values()) == pytest.approx(1.0) and all(0.0 <= v <= 1.0 for v in law.values())
        evidence = dict(zip(FEATURES, x, strict=True))
        assert law[1] == pytest.approx(model.query("U_Q", evidence=evidence)[1])
    # a predictor of an unrecorded variable, run on the record: hire with P(Q = 1 | A, P)
    h = Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1))
    law = positive_probabilities(fairness.abduce(model, h, ["A", "P"]))
    assert law[(1, 0)] == pytest.approx(model.query("Q", evidence={"A": 1, "P": 0})[1])
    with pytest.raises(ValueError, match=r"\['Q'\] are both recorded and background"):
        fairness.abduce(model, h, ["A", "Q"])
    # a record value no unit has keeps the prior of the background
    scm = DiscreteSCM({"U": {0: 0.25, 1: 0.75}}, {"X": (["U"], lambda U: U)}, states={"X": (0, 1, 2)})
    back = fairness.abduce(scm, Predictor(("U",), {(0,): 0, (1,): 1}, (0, 1)), ["X"])
    assert back.table[(2,)] == {0: 0.25, 1: 0.75} and back.table[(1,)] == {0: 0.0, 1: 1.0}


def test_causal_decomposition_identity_and_bad_input():
    rng = np.random.default_rng(7)
    for _ in range(5):
        m = hiring(**{k: float(rng.uniform(0.05, 0.95)) for k in ("p_group", "p_qualified", "qualification_gap",
                                                                   "proxy_strength", "label_bias", "label_noise")})
        for outcome in ("Y", "Yfair", "P"):
            d = fairness.causal_decomposition(m, outcome, "A")
            assert d.de - d.ie - d.se == pytest.approx(d.tv, abs=1e-12)
            assert d.se == pytest.approx(0.0, abs=1e-12)  # A has no causes in the hiring model
        assert fairness.causal_decomposition(m, "Yfair", "A").de == 0.0  # no edge A -> Yfair
        d0 = fairness.causal_decomposition(m, "Y", "A", positive=0)
        d1 = fairness.causal_decomposition(m, "Y", "A")
        assert d0.tv == pytest.approx(-d1.tv) and d0.de == pytest.approx(-d1.de)
    # a confounded attribute has a spurious part: Z causes A and Y, A has no effect on Y at all
    scm = DiscreteSCM({"UZ": {0: 0.5, 1: 0.5}, "UA": {0: 0.8, 1: 0.2}},
                      {"Z": (["UZ"], lambda UZ: UZ), "A": (["Z", "UA"], lambda Z, UA: Z ^ UA),
                       "Y": (["Z", "A"], lambda Z, A: Z)})
    d = fairness.causal_decomposition(scm, "Y", "A")
    assert d.de == pytest.approx(0.0) and d.ie == pytest.approx(0.0)
    assert d.tv == pytest.approx(0.6) and d.se == pytest.approx(-0.6)
    m = hiring()
    with pytest.raises(ValueError, match="positive outcome 2 is not a state of 'Y'"):
        fairness.causal_decomposition(m, "Y", "A", positive=2)
    with pytest.raises(ValueError, match="cannot be the attribute itself"):
        fairness.causal_decomposition(m, "A", "A")
    with pytest.raises(ValueError, match="'Q' must be binary"):
        fairness.causal_decomposition(DiscreteSCM({"U": {0: 0.3, 1: 0.3, 2: 0.4}},
                                                  {"Q": (["U"], lambda U: U), "Y": (["Q"], lambda Q: Q % 2)}),
                                      "Y", "Q")
    with pytest.raises(ValueError, match="group A=1 has probability 0"):
        fairness.causal_decomposition(hiring(p_group=0.0), "Y", "A")


# ---------------------------------------------------------------- frontiers
@pytest.mark.parametrize("constraint", fairness.CONSTRAINTS)
def test_frontier_is_monotone_feasible_and_ends_at_the_bayes_optimum(model, constraint):
    top = accuracy(attach(model, "Yhat", bayes_optimal(model, "Y", FEATURES)), "Yhat", "Y")
    bounds = [0.0, 0.05, 0.2, 1.0]
    points = fairness.fairness_frontier(model, "Y", FEATURES, "A", bounds, constraint=constraint, unfair_edges=UNFAIR)
    assert [p.bound for p in points] == bounds
    accs = [p["accuracy"] for p in points]
    assert accs == sorted(accs) and accs[-1] == pytest.approx(top)
    edges = {"path-specific": UNFAIR, "counterfactual": all_edges_out_of_a(model)}
    for p in points:
        assert p.predictor.features == FEATURES and len(p.predictor.table) == 8
        assert all(0.0 <= v <= 1.0 for v in positive_probabilities(p.predictor).values())
        assert all(sum(law.values()) == pytest.approx(1.0) for law in p.predictor.table.values())
        assert p["accuracy"] == pytest.approx(fairness.accuracy_against(model, p.predictor, "Y"))
        if constraint == "demographic parity":
            assert fairness.parity_difference(model, p.predictor, "A") <= p.bound + 1e-7
        elif constraint == "equalised odds":
            assert fairness.odds_difference(model, p.predictor, "A", "Y") <= p.bound + 1e-7
        else:
            coupling = fairness.switch_coupling(model, FEATURES, "A", edges[constraint])
            assert fairness.decision_change(p.predictor, coupling) <= p.bound + 1e-7


def test_frontier_at_zero_matches_the_invariant_predictor(model):
    for constraint, edges in (("path-specific", UNFAIR), ("counterfactual", all_edges_out_of_a(model))):
        point = fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0], constraint=constraint,
                                           unfair_edges=UNFAIR)[0]
        h = fairness.invariant_predictor(model, "Y", FEATURES, "A", edges)
        assert point["accuracy"] == pytest.approx(accuracy(attach(model, "Yhat", h), "Yhat", "Y"))


def test_frontier_bad_input(model):
    with pytest.raises(ValueError, match="constraint must be one of"):
        fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0], constraint="equal odds")
    with pytest.raises(ValueError, match="bounds"):
        fairness.fairness_frontier(model, "Y", FEATURES, "A", [-0.1])
    with pytest.raises(ValueError, match="bounds"):
        fairness.fairness_frontier(model, "Y", FEATURES, "A", [])
    with pytest.raises(ValueError, match="bounds"):
        fairness.fairness_frontier(model, "Y", FEATURES, "A", [float("nan")])
    with pytest.raises(ValueError, match="not an edge out of"):
        fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0], unfair_edges=[("Q", "Yfair")])
    with pytest.raises(ValueError, match="target 'Q' cannot also be a feature"):
        fairness.fairness_frontier(model, "Q", FEATURES, "A", [0.0], unfair_edges=UNFAIR)
    with pytest.raises(ValueError, match="unfair_edges must be given"):
        fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0])
    with pytest.raises(ValueError, match="unfair_edges must be given"):
        fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0], constraint="path-specific", unfair_edges=[])
    # the other two constraints do not need them
    assert fairness.fairness_frontier(model, "Y", FEATURES, "A", [1.0], constraint="counterfactual")[0]["accuracy"] > 0


# ---------------------------------------------------------------- group rates and the identity
def test_group_rates_match_direct_queries(model):
    h = hiring_predictors(model)["selective"]
    m = attach(model, "Yhat", h)
    rates = fairness.group_rates(m, "Yhat", "Y", "A")
    for a, r in rates.items():
        assert r.base_rate == pytest.approx(m.query("Y", evidence={"A": a})[1])
        assert r.ppv == pytest.approx(m.query("Y", evidence={"A": a, "Yhat": 1})[1])
        assert r.fpr == pytest.approx(m.query("Yhat", evidence={"A": a, "Y": 0})[1])
        assert r.fnr == pytest.approx(m.query("Yhat", evidence={"A": a, "Y": 1})[0])


def test_chouldechova_identity_holds_for_random_confusion_matrices():
    rng = np.random.default_rng(3)
    for _ in range(200):
        tp, fp, fn, tn = rng.uniform(0.01, 1, size=4)
        total = tp + fp + fn + tn
        tp, fp, fn, tn = tp / total, fp / total, fn / total, tn / total
        fpr = fairness.chouldechova_fpr(tp + fn, tp / (tp + fp), fn / (tp + fn))
        assert fpr == pytest.approx(fp / (fp + tn))


def test_group_rates_and_identity_bad_input(model):
    constant = attach(model, "Yhat", Predictor(("Q",), {(0,): 0, (1,): 0}, (0, 1)))
    with pytest.raises(ValueError, match="undefined"):
        fairness.group_rates(constant, "Yhat", "Y", "A")
    for kwargs, word in (({"base_rate": 0.0}, "base_rate"), ({"base_rate": 1.0}, "base_rate"), ({"ppv": 0.0}, "ppv"),
                         ({"fnr": 1.5}, "fnr")):
        args = {"base_rate": 0.5, "ppv": 0.5, "fnr": 0.5, **kwargs}
        with pytest.raises(ValueError, match=word):
            fairness.chouldechova_fpr(**args)


# ---------------------------------------------------------------- the chapter helper module
def test_unfair_edges():
    assert unfair_edges() == UNFAIR
    assert ("A", "Q") in unfair_edges("unfair")
    with pytest.raises(ValueError, match="a_to_q"):
        unfair_edges("maybe")


def test_hiring_predictors_and_tables(model):
    hs = hiring_predictors(model)
    assert list(hs) == ["unconstrained", "unaware", "selective", "counterfactually fair"]
    decisions = decision_table(hs)
    assert decisions.shape == (8, 4) and list(decisions.index.names) == list(FEATURES)
    assert (decisions["selective"] == [q for _, q, _ in decisions.index]).all()
    table = predictor_table(model)
    assert list(table.index) == list(hs) and "accuracy (Yfair)" in table.columns
    assert table.loc["unconstrained", "accuracy (Y)"] == pytest.approx(
        accuracy(attach(model, "Yhat", hs["unconstrained"]), "Yhat", "Y"), abs=5e-4)
    g = group_table(model, hs["selective"])
    assert list(g.columns) == ["A = 0", "A = 1"]
    assert (g.loc["FPR"] - g.loc["FPR from identity"]).abs().max() < 1e-9


def test_classes_background_decomposition_and_lottery_tables(model):
    assert profile_classes(model, UNFAIR) == ["000 001 100 101", "010 011 110 111"]
    assert BACKGROUND == ("U_Q",) and set(RECORD_BACKGROUND) <= set(model.exogenous)
    gs = background_predictors(model)
    assert list(gs) == ["background U_Q", "all background"]
    assert gs["all background"].features == RECORD_BACKGROUND
    b = background_table(model)
    assert list(b.index) == list(gs) and (b["counterfactual gap"] == 0.0).all()
    d = decomposition_table(model)
    assert list(d.columns) == ["TV", "Ctf-DE", "Ctf-IE", "Ctf-SE", "DE - IE - SE"]
    assert list(d.index) == ["recorded label Y", *hiring_predictors(model)]
    assert (d["TV"] - d["DE - IE - SE"]).abs().max() <= 1e-3 and not (d.map(str) == "-0.0").any().any()
    t = lottery_table(model)
    assert t.shape == (4, 5)
    for label in ("unfair-path gap", "counterfactual gap"):
        assert (t[f"{label}, independent"] >= t[f"{label}, shared"]).all()


def test_frontier_curves_and_figure(model):
    curves = frontier_curves(model, n=4)
    assert set(curves) == {"path-specific", "counterfactual", "demographic parity"}
    for pts in curves.values():
        assert len(pts) == 4 and all(0 <= g <= 1 and 0 <= a <= 1 and 0 <= f <= 1 for g, a, f in pts)
    assert curves["path-specific"][0][0] == pytest.approx(0.0, abs=1e-9)
    fig = tradeoff_figure(model)
    assert len(fig.axes) == 2
    import matplotlib.pyplot as plt
    plt.close(fig)
    alt = tradeoff_alt(model)
    assert "selective" in alt and "0.735" in alt and "5 from the background U_Q" in alt


def test_explorer_grid_and_frames():
    # the explorer's own tests: tests/unit/chapters/test_fairness_accuracy_explorer.py
    ex = hiring_explorer()
    assert ex.n_frames == 64
    png = ex.frame(label_bias=1.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) < 12_000
    assert "A → Y 1." in ex.alt_text(label_bias=1.0)
    with pytest.raises(ValueError, match="off its grid"):
        ex.frame(label_bias=0.0)


def test_self_checks_give_feedback():
    assert not check_relabelled_accuracy(None)
    assert "allowed" in repr(check_relabelled_accuracy(0.735))
    assert "Yfair" in repr(check_relabelled_accuracy(0.494))
    assert not check_forced_fpr("abc")
    assert "group 0's own FPR" in repr(check_forced_fpr(0.143))


# ---------------------------------------------------------------- equalised odds (chapter 7)
def test_odds_difference_matches_fairlearn_on_the_population(model):
    from book import metrics
    h = bayes_optimal(model, "Y", FEATURES)
    cols, weights = metrics.population_arrays(attach(model, "Yhat", h), ["Y", "Yhat", "A"])
    expected = metrics.equalized_odds_difference(cols["Y"], cols["Yhat"], sensitive_features=cols["A"],
                                                 sample_weight=weights)
    assert fairness.odds_difference(model, h, "A", "Y") == pytest.approx(expected)


def test_odds_difference_rejects_bad_input(model):
    h = bayes_optimal(model, "Y", FEATURES)
    with pytest.raises(ValueError, match="'Q'"):
        fairness.odds_difference(model, h, "A", "Q")  # the label is a feature
    with pytest.raises(ValueError, match="probability zero"):
        fairness.odds_difference(hiring(label_noise=0.0, label_bias=0.0, p_qualified=0.0, qualification_gap=0.0),
                                 bayes_optimal(model, "Y", FEATURES), "A", "Y")


def test_group_rate_differences_are_the_gaps(model):
    import numpy as np
    f = fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.3], constraint="equalised odds")[0].predictor
    h = positive_probabilities(f)
    cells = sorted(h)
    vector = np.array([h[c] for c in cells])
    (parity,) = fairness.group_rate_differences(model, FEATURES, "A")
    assert abs(parity @ vector) == pytest.approx(fairness.parity_difference(model, f, "A"))
    odds = fairness.group_rate_differences(model, FEATURES, "A", "Y")
    assert max(abs(row @ vector) for row in odds) == pytest.approx(fairness.odds_difference(model, f, "A", "Y"))
    assert fairness.odds_difference(model, f, "A", "Y") <= 0.3 + 1e-7
    with pytest.raises(ValueError, match="'Nope'"):
        fairness.group_rate_differences(model, ["Nope"], "A")
    with pytest.raises(ValueError, match="'equal opportunity'"):
        fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0], constraint="equal opportunity")


def test_group_fair_everywhere_meets_the_constraint_in_every_environment(model):
    envs = [model, hiring(qualification_gap=0.9), hiring(proxy_strength=0.2)]
    for constraint, gap in (("demographic parity", lambda m, h: fairness.parity_difference(m, h, "A")),
                            ("equalised odds", lambda m, h: fairness.odds_difference(m, h, "A", "Y"))):
        h = fairness.group_fair_everywhere(model, "Y", FEATURES, "A", envs, constraint=constraint)
        assert all(gap(m, h) <= 1e-7 for m in envs)
        single = fairness.fairness_frontier(model, "Y", FEATURES, "A", [0.0], constraint=constraint)[0]
        assert fairness.accuracy_against(model, h, "Y") <= single["accuracy"] + 1e-9  # more constraints, no gain
    with pytest.raises(ValueError, match="'path-specific'"):
        fairness.group_fair_everywhere(model, "Y", FEATURES, "A", envs, constraint="path-specific")
    with pytest.raises(ValueError, match="at least one environment"):
        fairness.group_fair_everywhere(model, "Y", FEATURES, "A", [])
    with pytest.raises(ValueError, match="'Y'"):
        fairness.group_fair_everywhere(model, "Y", ["A", "Y"], "A", envs)


def test_optimal_face_range_unique_and_tied_optima(model):
    shifted = hiring(qualification_gap=0.9)
    # on (A, Q) the parity optimum is unique: the range is a single value, the solver's own gap
    r = fairness.optimal_face_range(model, "Y", ["A", "Q"], "A", [shifted], constraint="demographic parity")
    h = fairness.fairness_frontier(model, "Y", ["A", "Q"], "A", [0.0], constraint="demographic parity")[0]
    assert r.accuracy == pytest.approx(h["accuracy"])
    assert r.low == pytest.approx(r.high, abs=1e-6)
    assert r.high == pytest.approx(fairness.parity_difference(shifted, h.predictor, "A"), abs=1e-6)
    # a tie: the unconstrained problem with a feature that is pure noise (hiring's P given A is a proxy only)
    from book.chapters import fairness_robustness as ch

    train = ch.family("proxy").scm("region 0")
    far = ch.family("proxy").scm("size 1.00")
    r = fairness.optimal_face_range(train, "Y", ch.FEATURES, "A", [far], constraint="demographic parity")
    assert r.low <= 1e-6 and r.high == pytest.approx(0.187, abs=5e-4)
    # the low end is attained, the high end is attained by the solver's vertex: both within [low, high]
    vertex = fairness.fairness_frontier(train, "Y", ch.FEATURES, "A", [0.0], constraint="demographic parity")[0]
    assert r.low - 1e-6 <= fairness.parity_difference(far, vertex.predictor, "A") <= r.high + 1e-6


def test_optimal_face_range_path_specific_and_odds():
    from book.chapters import fairness_robustness as ch

    train, far = ch.family("proxy").scm("region 0"), ch.family("proxy").scm("size 1.00")
    r = fairness.optimal_face_range(train, "Y", ch.FEATURES, "A", [train, far], bound=0.05,
                                    unfair_edges=ch.UNFAIR, gap="path-specific")
    assert (r.low, r.high) == (pytest.approx(0.05, abs=1e-6), pytest.approx(0.25, abs=1e-6))
    zero = fairness.optimal_face_range(train, "Y", ch.FEATURES, "A", [far], unfair_edges=ch.UNFAIR,
                                       gap="path-specific")
    assert zero.low == pytest.approx(0.0, abs=1e-7) and zero.high == pytest.approx(0.0, abs=1e-7)
    odds = fairness.optimal_face_range(train, "Y", ch.FEATURES, "A", [train], constraint="equalised odds",
                                       gap="equalised odds")
    assert odds.high == pytest.approx(0.0, abs=1e-6)  # in the training region every optimum meets it


def test_optimal_face_range_rejects_bad_input(model):
    envs = [hiring(qualification_gap=0.9)]
    with pytest.raises(ValueError, match="'spread'"):
        fairness.optimal_face_range(model, "Y", FEATURES, "A", envs, constraint="demographic parity", gap="spread")
    with pytest.raises(ValueError, match=r"-0\.1"):
        fairness.optimal_face_range(model, "Y", FEATURES, "A", envs, constraint="demographic parity", slack=-0.1)
    with pytest.raises(ValueError, match="at least one deployment"):
        fairness.optimal_face_range(model, "Y", FEATURES, "A", [], constraint="demographic parity")
    with pytest.raises(ValueError, match="gap_edges"):
        fairness.optimal_face_range(model, "Y", FEATURES, "A", envs, constraint="demographic parity",
                                    gap="path-specific")
    with pytest.raises(ValueError, match=r"-1\.0"):
        fairness.optimal_face_range(model, "Y", FEATURES, "A", envs, bound=-1.0, constraint="demographic parity")
