"""Every numbered claim of chapter 4 (issue 4) and every number in its prose, recomputed through book/."""

import itertools

import pytest

from book.chapters.robustness_accuracy import (
    DEPLOYED,
    FEATURES,
    LEARNER_RULES,
    PENALTY_GRID,
    crossing_mismatch,
    deployed_risk,
    family,
    learner_choices,
    learner_table,
    reads,
    reversed_family,
)
from book.objectives import robustness as env
from book.objectives.ledger import risk_invariance


@pytest.fixture(scope="module")
def fam():
    return family()


@pytest.fixture(scope="module")
def rev():
    return reversed_family()


def h(fam, features):
    return env.optimal_predictor(fam, features)


def test_model_facts_in_the_prose(fam, approx):
    m = fam.scm("E=0")
    assert [m.query("Y", evidence={"C": c})[1] for c in range(3)] == [approx(0.1), approx(0.4), approx(0.9)]
    assert m.query("C") == {0: approx(0.4), 1: approx(0.3), 2: approx(0.3)}
    for e, q in enumerate((0.05, 0.25, 0.8)):
        assert fam.scm(f"E={e}").query("S", evidence={"Y": 1})[0] == approx(q)
    assert fam.training == {"E=0": 0.5, "E=1": 0.5}


def test_claim_1_utility_rewards_s_in_distribution(fam, approx):
    cs, c = h(fam, FEATURES), h(fam, ["C"])
    assert 1 - env.environment_risk(fam, cs) == approx(0.885) and 1 - env.environment_risk(fam, c) == approx(0.810)
    assert env.environment_risk(fam, cs) < env.environment_risk(fam, c) - 0.05
    # it reads S exactly for borderline lab values
    assert cs(C=1, S=1) == 1 and cs(C=1, S=0) == 0
    assert cs(C=0, S=1) == cs(C=0, S=0) == 0 and cs(C=2, S=0) == cs(C=2, S=1) == 1
    assert 1 - fam.scm("E=0").query("Y", evidence={"C": 1})[1] == approx(0.6)  # "right only 60 %"


def test_claim_2_risk_per_environment_and_exhaustive_invariance(fam, approx):
    cs, c = h(fam, FEATURES), h(fam, ["C"])
    per = env.environment_risks(fam, cs)
    assert (env.environment_risk(fam, cs), per["E=0"], per["E=1"], per["E=2"]) == (
        approx(0.115), approx(0.085), approx(0.145), approx(0.310))
    assert env.worst_risk(fam, cs) == ("E=2", approx(0.310))
    assert all(r == approx(0.190) for r in env.environment_risks(fam, c).values())
    on_s = h(fam, ["S"])
    assert env.environment_risks(fam, on_s)["E=2"] == approx(0.8) and env.environment_risk(fam, on_s) == approx(0.15)
    assert env.environment_risk(fam, h(fam, [])) == approx(0.430)
    test = env.invariance_test(fam, FEATURES)
    # only the subsets whose conditional is identical across hospitals pass; {C} passes
    assert test.accepted == ((), ("C",))
    assert test.result(["S"]).gap > 0.2 and test.result(["C", "S"]).gap > 0.4
    assert test.intersection == ()
    assert env.select_invariant(fam, test) == ("C",)
    cond = test.result(["C", "S"]).conditionals
    assert cond["E=0"][(1, 1)][1] == approx(0.927) and cond["E=1"][(1, 1)][1] == approx(0.667)


def test_claim_3_crossing_and_frontier(fam, approx):
    q_star = crossing_mismatch()
    assert q_star == pytest.approx(0.4, abs=1e-6)
    assert q_star == pytest.approx(fam.scm("E=0").query("Y", evidence={"C": 1})[1], abs=1e-6)
    for q in (0.05, 0.25, 0.35):
        assert deployed_risk(FEATURES, q) < deployed_risk(["C"], q) - 0.01
    for q in (0.5, 0.8, 0.95):
        assert deployed_risk(FEATURES, q) > deployed_risk(["C"], q) + 0.01
    printed = {0.05: 0.085, 0.25: 0.145, 0.5: 0.220, 0.8: 0.310, 0.95: 0.355}
    for q, r in printed.items():
        assert deployed_risk(FEATURES, q) == approx(r) and deployed_risk(["C"], q) == approx(0.190)
    points = env.frontier(fam, FEATURES, points=9)
    ends = (points[0], points[-1])
    assert (ends[0]["training risk"], ends[0]["worst risk"]) == (approx(0.190), approx(0.190))
    assert (ends[1]["training risk"], ends[1]["worst risk"]) == (approx(0.115), approx(0.310))
    assert points[4]["training risk"] == approx(0.152) and points[4]["worst risk"] == approx(0.250)
    assert points[4].predictor.table[(1, 1)][1] == pytest.approx(0.5, abs=0.01)
    slope = (ends[0]["training risk"] - ends[1]["training risk"]) / (ends[1]["worst risk"] - ends[0]["worst risk"])
    assert slope == approx(0.625)
    for p in points:  # a straight line
        assert p["training risk"] == pytest.approx(0.190 - slope * (p["worst risk"] - 0.190), abs=1e-6)
    # the penalised family: its two ends; the switch where the two end points tie (exercise)
    assert env.environment_risk(fam, env.penalised_predictor(fam, FEATURES, 0.38)) == approx(0.115)
    assert env.environment_risk(fam, env.penalised_predictor(fam, FEATURES, 0.39)) == approx(0.190)
    cs, causal = h(fam, FEATURES), h(fam, ["C"])
    cost = env.environment_risk(fam, causal) - env.environment_risk(fam, cs)
    extra = env.worst_risk(fam, cs)[1] - env.environment_risk(fam, cs)
    assert (cost, extra) == (approx(0.075), approx(0.195))
    lam = cost / extra
    assert lam == approx(0.385)
    # the solution jumps from one end to the other across lambda*
    below = env.penalised_predictor(fam, FEATURES, lam - 1e-3)
    above = env.penalised_predictor(fam, FEATURES, lam + 1e-3)
    assert (env.environment_risk(fam, below), env.worst_risk(fam, below)[1]) == (approx(0.115), approx(0.310))
    assert (env.environment_risk(fam, above), env.worst_risk(fam, above)[1]) == (approx(0.190), approx(0.190))


def test_claim_4_selective_invariance(fam, approx):
    test = env.invariance_test(fam, FEATURES)
    selected = h(fam, env.select_invariant(fam, test))
    assert selected.features == ("C",)
    assert risk_invariance(fam, selected).gap == approx(0.0)
    assert risk_invariance(fam, h(fam, FEATURES)).gap == approx(0.225)
    cost = env.environment_risk(fam, selected) - env.environment_risk(fam, h(fam, FEATURES))
    gain = env.worst_risk(fam, h(fam, FEATURES))[1] - env.worst_risk(fam, selected)[1]
    assert cost == approx(0.075) and gain == approx(0.120) and gain > cost
    # no randomised predictor on (C, S) has a lower worst-hospital risk
    minimax = env.penalised_predictor(fam, FEATURES, 1.0)
    assert env.worst_risk(fam, minimax)[1] == approx(env.worst_risk(fam, selected)[1])
    # flat also along the whole slider of deployment hospitals
    assert {round(deployed_risk(["C"], q), 9) for q in (0.05, 0.35, 0.65, 0.95)} == {0.19}


def test_claim_5_direction_matters(rev, approx):
    m = rev.scm("E=0")
    assert m.query("C") == {0: approx(0.3), 1: approx(0.4), 2: approx(0.3)}
    assert [rev.scm(f"E={e}").query("S")[1] for e in range(3)] == [approx(0.2), approx(0.6), approx(0.05)]
    test = env.invariance_test(rev, FEATURES)
    assert test.accepted == (("S",), ("C", "S"))
    assert not test.result(["C"]).holds and test.result(["C"]).gap > 0.1
    assert env.select_invariant(rev, test) == ("C", "S")
    cs, c = h(rev, FEATURES), h(rev, ["C"])
    assert env.environment_risk(rev, cs) == approx(0.196)
    per_cs, per_c = env.environment_risks(rev, cs), env.environment_risks(rev, c)
    assert min(per_cs.values()) == approx(0.184) and max(per_cs.values()) == approx(0.217)
    assert env.worst_risk(rev, cs)[1] == approx(0.217) and env.worst_risk(rev, c)[1] == approx(0.293)
    for e in rev.labels:  # both accurate and robust: best in every hospital, better than dropping S
        assert per_cs[e] == pytest.approx(env.environment_risk(rev, env.optimal_predictor(rev, FEATURES, e), e))
        assert per_cs[e] < per_c[e] - 0.01


def test_claim_6a_no_variation_no_detection(approx):
    same = family(training=(0.15, 0.15))
    test = env.invariance_test(same, FEATURES)
    assert set(test.accepted) == {(), ("C",), ("S",), ("C", "S")}
    picked = env.select_invariant(same, test)
    assert picked == ("C", "S")
    assert env.environment_risk(same, h(same, picked), "E=2") == approx(0.310)
    assert env.environment_risk(same, h(same, picked), "E=2") > env.environment_risk(same, h(same, ["C"]), "E=2") + 0.1


def test_claim_6b_without_the_cause_the_invariant_predictor_is_weak(fam, approx):
    test = env.invariance_test(fam, ["S"])
    assert test.accepted == ((),)
    const = h(fam, env.select_invariant(fam, test))
    assert const.features == () and const.table == {(): 0}
    assert env.environment_risk(fam, const) == approx(0.430)
    assert env.environment_risk(fam, h(fam, ["S"])) == approx(0.150)
    assert all(r == approx(0.430) for r in env.environment_risks(fam, const).values())
    # far weaker than the causal predictor
    assert env.environment_risk(fam, const) - env.environment_risk(fam, h(fam, ["C"])) > 0.2


def test_explorer_claims():
    # equal training hospitals: every subset passes and the selected predictor reads S
    same = family(training=(0.05, 0.05))
    test = env.invariance_test(same, FEATURES)
    assert len(test.accepted) == 4 and "S" in env.select_invariant(same, test)
    for m1 in (0.15, 0.25, 0.35):
        fam = family(training=(0.05, m1))
        assert env.select_invariant(fam, env.invariance_test(fam, FEATURES)) == ("C",)


def test_exercise_numbers(approx):
    fam = family()
    assert deployed_risk(FEATURES, 1.0) == approx(0.370)  # adversarial flip = mismatch 1
    referral = env.shift(fam.scm("E=0"), {"U_C": {0: 0.1, 1: 0.3, 2: 0.6}})
    wider = env.Environments("Y", {**fam.members, "referral": referral}, ["E=0", "E=1", "referral"])
    test = env.invariance_test(wider, FEATURES)
    assert test.accepted == (("C",),) and test.intersection == ("C",)
    # the training predictor is the same for any average training mismatch in (0.1, 0.4)
    for pair in ((0.1, 0.2), (0.3, 0.4), (0.05, 0.6)):
        other = family(training=pair)
        assert h(other, FEATURES).table == h(fam, FEATURES).table


def test_claim_7_the_learner_sees_the_training_hospitals_only(fam, approx):
    """Section "What the learner can see": every risk-based rule on hospitals 0 and 1 keeps S."""
    train = list(fam.training)
    assert train == ["E=0", "E=1"] and DEPLOYED not in train  # the deployment hospital gives no data
    assert len(PENALTY_GRID) == 101 and PENALTY_GRID[0] == 0.0 and PENALTY_GRID[-1] == 1.0
    assert all(b - a == pytest.approx(0.01) for a, b in itertools.pairwise(PENALTY_GRID))
    picked = learner_choices(fam)
    penalised = picked["gap penalty, each λ"]
    assert len(penalised) == 101
    risk_based = [h for rule in LEARNER_RULES[:4] for h in picked[rule]]
    for h in risk_based:  # every lambda, the minimax, every training-frontier point: reads S, not {C}
        assert reads(h, "S")
        assert env.environment_risk(fam, h) == approx(0.115)
        assert env.worst_risk(fam, h, train)[1] == approx(0.145)
        assert env.environment_risk(fam, h, DEPLOYED) == approx(0.310)
    minimax = picked["minimax over 0 and 1"][0]
    assert reads(minimax, "S") and env.worst_risk(fam, minimax, train)[1] == approx(0.145)
    # the training frontier shrinks to a single point
    points = env.frontier(fam, FEATURES, train, points=9)
    assert {(round(p["training risk"], 9), round(p["worst risk"], 9)) for p in points} == {(0.115, 0.145)}
    # only the invariance test, also on hospitals 0 and 1, drops S
    chosen = picked["invariance test"][0]
    assert chosen.features == ("C",) and not reads(chosen, "S")
    assert env.environment_risk(fam, chosen, DEPLOYED) == approx(0.190)
    table = learner_table(fam)
    assert list(table["read S"]) == [1, 101, 1, 5, 0]


def test_claim_7_no_penalty_in_the_whole_interval_selects_c(fam, approx):
    """The argument in the prose, for every lambda in [0, 1] and not only the grid."""
    train = list(fam.training)
    # a rule that ignores S has the same risk in every hospital, because P(C, Y) is the same in all of them
    joints = [dict(fam.joint(["C", "Y"], e)) for e in fam.labels]
    for other in joints[1:]:
        assert other.keys() == joints[0].keys()
        assert all(other[k] == pytest.approx(joints[0][k], abs=1e-12) for k in other)
    # ... and at least 0.190: the best S-blind randomised rule, at any penalty, is the predictor on C
    for lam in (0.0, 0.5, 1.0):
        blind = env.penalised_predictor(fam, ["C"], lam, train)
        assert env.environment_risk(fam, blind) == approx(0.190)
        assert env.worst_risk(fam, blind, train)[1] == approx(0.190)
    cs = env.optimal_predictor(fam, FEATURES)
    r_train, r_worst = env.environment_risk(fam, cs), env.worst_risk(fam, cs, train)[1]
    assert (r_train, r_worst - r_train) == (approx(0.115), approx(0.030))
    floor = env.environment_risk(fam, env.optimal_predictor(fam, ["C"]))
    for lam in (0.0, 0.385, 1.0):  # 0.115 + 0.030 lambda <= 0.145 < 0.190 throughout
        objective = (1 - lam) * r_train + lam * r_worst
        assert objective == pytest.approx(r_train + lam * (r_worst - r_train))
        assert objective <= r_worst + 1e-12 < floor - 0.04
    # the penalised optimum never does worse than the predictor on (C, S), so it always beats every S-blind rule
    for lam, h in zip(PENALTY_GRID, learner_choices(fam)["gap penalty, each λ"], strict=True):
        value = (1 - lam) * env.environment_risk(fam, h) + lam * env.worst_risk(fam, h, train)[1]
        assert value <= (1 - lam) * r_train + lam * r_worst + 1e-9 < floor


def test_claim_8_robustness_is_invariance_of_the_conditional(fam, rev, approx):
    """Robustness row = invariance of P(Y | X_S); risk invariance follows only if P(X_S) does not move."""
    # causal hospitals: P(Y | C) and P(C) are the same in all three hospitals, so the risk is flat too
    assert env.conditional_invariance(fam, ["C"], fam.labels).gap == approx(0.0)
    assert env.conditional_invariance(fam, ["C"], fam.labels).holds
    assert all(fam.scm(e).query("C") == fam.scm("E=0").query("C") for e in fam.labels)
    selected = env.optimal_predictor(fam, ["C"])
    assert risk_invariance(fam, selected).gap == approx(0.0)
    associational = env.optimal_predictor(fam, FEATURES)
    assert env.conditional_invariance(fam, FEATURES, fam.labels).gap == approx(0.784)
    assert risk_invariance(fam, associational).gap == approx(0.225)
    # reversed model: P(Y | C, S) is invariant in all three hospitals, but the risk of its predictor moves
    right = env.optimal_predictor(rev, FEATURES)
    check = env.conditional_invariance(rev, FEATURES, rev.labels)
    assert check.holds and check.gap == approx(0.0)
    per = env.environment_risks(rev, right)
    assert (per["E=0"], per["E=1"], per["E=2"]) == (approx(0.208), approx(0.184), approx(0.217))
    risk_check = risk_invariance(rev, right)
    assert risk_check.gap == approx(0.033) and not risk_check.holds
    # because the hospitals move the distribution of the features it reads (P(S)), not P(C)
    assert all(rev.scm(e).query("C") == rev.scm("E=0").query("C") for e in rev.labels)
    assert len({round(rev.scm(e).query("S")[1], 9) for e in rev.labels}) == 3
    # it is still the best predictor in every hospital (so a risk requirement would reject the right one)
    for e in rev.labels:
        assert per[e] == pytest.approx(env.environment_risk(rev, env.optimal_predictor(rev, FEATURES, e), e))


def test_the_audit_reads_the_chapters_robustness_gaps(fam, approx):
    import book
    from book.chapters.robustness_accuracy import hospitals

    for features, gap in ((["C"], 0.0), (["C", "S"], 0.784)):
        predictor = h(fam, features)
        row = book.audit(book.attach(hospitals(), "Yhat", predictor), "Yhat", "Y", environment="E").row("robustness")
        assert row.gap == approx(gap)
        assert row.gap == approx(env.conditional_invariance(fam, predictor.features, fam.labels).gap)
        assert row.holds == (features == ["C"])
