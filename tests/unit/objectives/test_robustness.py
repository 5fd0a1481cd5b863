"""Unit tests of book.objectives.robustness (and the chapter-4 SCMs and self-checks), including bad input."""

import numpy as np
import pytest

from book.chapters.robustness_accuracy import (
    LEARNER_RULES,
    conditional_table,
    deployed_risk,
    family,
    hospital_explorer,
    learner_choices,
    learner_table,
    reads,
    risk_table,
)
from book.exercises import check_crossing_mismatch, check_direction_features, check_icp_intersection
from book.metrics import risk as metrics_risk
from book.models import hospitals, hospitals_reversed, umbrella
from book.objectives import robustness as env
from book.objectives.ledger import risk_invariance
from book.objectives.robustness import Environments
from book.predictors import Predictor, RandomizedPredictor, attach, bayes_optimal, constant, mixture, randomized


@pytest.fixture(scope="module")
def fam():
    return family()


def test_from_variable_labels_weights_and_members(fam):
    assert fam.labels == ("E=0", "E=1", "E=2")
    assert fam.training == {"E=0": 0.5, "E=1": 0.5}
    assert fam.scm("E=2").query("E") == {0: 0.0, 1: 0.0, 2: 1.0}
    assert "training" in repr(fam)


def test_joint_of_the_mixture_is_the_weighted_sum(fam):
    mixed = fam.joint(["S", "Y"])
    parts = [fam.joint(["S", "Y"], e) for e in ("E=0", "E=1")]
    for key, p in mixed.items():
        assert p == pytest.approx(0.5 * parts[0][key] + 0.5 * parts[1][key])
    # ... and equals the observational distribution of the SCM whose E has those weights
    assert mixed[(1, 1)] == pytest.approx(hospitals().probability({"S": 1, "Y": 1}))
    assert fam.joint([]) == {(): 1.0}


def test_risk_agrees_with_metrics_on_an_attached_predictor(fam):
    model = hospitals()
    h = bayes_optimal(model, "Y", ["C", "S"])
    for e in range(3):
        expected = metrics_risk(attach(model, "Yhat", h), "Yhat", "Y", do={"E": e})
        assert env.environment_risk(fam, h, f"E={e}") == pytest.approx(expected)
    assert env.environment_risk(fam, h) == pytest.approx(metrics_risk(attach(model, "Yhat", h), "Yhat", "Y"))


def test_optimal_predictor_matches_predictors_bayes_optimal_and_allows_the_empty_set(fam):
    model = hospitals()
    for features in (["C"], ["S"], ["C", "S"]):
        assert dict(env.optimal_predictor(fam, features).table) == dict(bayes_optimal(model, "Y", features).table)
    h0 = env.optimal_predictor(fam, [])
    assert h0.features == () and h0.table == {(): 0}
    assert env.environment_risk(fam, h0) == pytest.approx(env.environment_risk(fam, constant(model, "Y", 0)))
    assert env.optimal_predictor(fam, ["C"], "E=2").table == env.optimal_predictor(fam, ["C"]).table


def test_risks_worst_and_risk_invariance(fam):
    h = env.optimal_predictor(fam, ["C", "S"])
    per = env.environment_risks(fam, h)
    assert set(per) == set(fam.labels)
    label, worst = env.worst_risk(fam, h)
    assert label == "E=2" and worst == pytest.approx(max(per.values()))
    assert env.worst_risk(fam, h, ["E=0", "E=1"])[0] == "E=1"
    check = risk_invariance(fam, h)
    assert not check.holds and check.gap == pytest.approx(max(per.values()) - min(per.values()))
    assert risk_invariance(fam, env.optimal_predictor(fam, ["C"])).holds


def test_randomized_mixture_and_widen(fam):
    cs = env.optimal_predictor(fam, ["C", "S"])
    c = env.widen(env.optimal_predictor(fam, ["C"]), ["C", "S"], fam)
    assert isinstance(c, Predictor) and c.features == ("C", "S")  # a deterministic predictor stays deterministic
    assert env.environment_risk(fam, c) == pytest.approx(env.environment_risk(fam, env.optimal_predictor(fam, ["C"])))
    wide = env.widen(randomized(env.optimal_predictor(fam, ["C"])), ["C", "S"], fam)
    assert isinstance(wide, RandomizedPredictor) and wide == randomized(c)
    half = mixture(cs, c, 0.5)
    assert env.environment_risk(fam, half) == pytest.approx(
        (env.environment_risk(fam, cs) + env.environment_risk(fam, c)) / 2)
    assert half.probability(1, C=1, S=1) == pytest.approx(0.5)
    assert randomized(half) is half


def test_conditional_invariance_values(fam):
    result = env.conditional_invariance(fam, ["C", "S"])
    p0 = result.conditionals["E=0"][(1, 1)][1]
    assert p0 == pytest.approx(0.4 * 0.95 / (0.4 * 0.95 + 0.6 * 0.05))
    assert result.gap > 0.4 and not result.holds and result.name == "{C, S}"
    empty = env.conditional_invariance(fam, [])
    assert empty.holds and empty.name == "∅"
    # across all three hospitals too
    assert env.conditional_invariance(fam, ["C"], fam.labels).holds


def test_invariance_test_accepted_intersection_and_selection(fam):
    test = env.invariance_test(fam, ["C", "S"])
    assert [r.features for r in test.results] == [(), ("C",), ("S",), ("C", "S")]
    assert test.accepted == ((), ("C",)) and test.intersection == ()
    assert env.select_invariant(fam, test) == ("C",)
    assert test.result(["S", "C"]).features == ("C", "S")
    assert list(test.table().index) == ["∅", "{C}", "{S}", "{C, S}"]


def test_intersection_identifies_c_when_the_case_mix_varies(fam):
    shifted = env.shift(fam.scm("E=0"), {"U_C": {0: 0.1, 1: 0.3, 2: 0.6}})
    wider = Environments("Y", {**fam.members, "referral": shifted}, ["E=0", "E=1", "referral"])
    test = env.invariance_test(wider, ["C", "S"])
    assert test.accepted == (("C",),) and test.intersection == ("C",)


def test_no_accepted_subset_gives_an_empty_intersection_and_no_selection():
    rev = Environments.from_variable(hospitals_reversed(), "E", "Y")
    test = env.invariance_test(rev, ["C"])
    assert test.accepted == () and test.intersection == ()
    with pytest.raises(ValueError, match="nothing to select"):
        env.select_invariant(rev, test)


def test_from_shifts_soft_and_hard_interventions():
    base = hospitals(mismatch=(0.1,), p_hospital=(1.0,))
    fam = Environments.from_shifts(
        base, "Y", {"a": {}, "b": {"U_S0": {0: 0.5, 1: 0.5}}, "c": {"S": 1}}, training={"a": 0.25, "b": 0.75}
    )
    assert fam.scm("b").query("S", evidence={"Y": 1})[1] == pytest.approx(0.5)
    assert fam.scm("c").query("S") == {0: 0.0, 1: 1.0}
    assert fam.training == {"a": 0.25, "b": 0.75}
    assert env.conditional_invariance(fam, ["C"], ["a", "b", "c"]).holds
    uniform = Environments.from_shifts(base, "Y", {"a": {}, "b": {}}, training=["a", "b"])
    assert uniform.training == {"a": 0.5, "b": 0.5}


def test_from_variable_on_the_umbrella_model():
    fam = Environments.from_variable(umbrella(), "E", "Y")
    assert fam.training == pytest.approx({"E=0": 0.8, "E=1": 0.2})
    assert not env.conditional_invariance(fam, ["S"]).holds
    assert env.conditional_invariance(fam, ["A", "C"]).holds


def test_penalised_predictor_ends_and_frontier(fam):
    f0 = env.penalised_predictor(fam, ["C", "S"], 0.0)
    f1 = env.penalised_predictor(fam, ["C", "S"], 1.0)
    assert env.environment_risk(fam, f0) == pytest.approx(
        env.environment_risk(fam, env.optimal_predictor(fam, ["C", "S"])))
    assert env.worst_risk(fam, f1)[1] == pytest.approx(env.worst_risk(fam, env.optimal_predictor(fam, ["C"]))[1])
    points = env.frontier(fam, ["C", "S"], points=5)
    train = [p["training risk"] for p in points]
    worst = [p["worst risk"] for p in points]
    assert train == sorted(train, reverse=True) and worst == sorted(worst)
    for p in points:
        assert p["worst risk"] <= p.bound + 1e-9
        assert p["training risk"] == pytest.approx(env.environment_risk(fam, p.predictor))
        assert p["worst risk"] == pytest.approx(env.worst_risk(fam, p.predictor)[1])
        for row in p.predictor.table.values():
            assert sum(row.values()) == pytest.approx(1.0) and min(row.values()) >= 0


def test_frontier_is_not_beaten_by_random_predictors(fam):
    rng = np.random.default_rng(4)
    points = env.frontier(fam, ["C", "S"], points=11)
    for _ in range(50):
        table = {}
        for x in fam.joint(["C", "S"]):
            p = float(rng.uniform())
            table[x] = {0: 1 - p, 1: p}
        f = RandomizedPredictor(("C", "S"), table, (0, 1))
        w, t = env.worst_risk(fam, f)[1], env.environment_risk(fam, f)
        # the frontier's training risk at this worst-case level (linear between points) is no larger
        below = [p for p in points if p["worst risk"] <= w + 1e-12]
        if below:
            assert min(p["training risk"] for p in below) <= t + 1e-9


def test_crossing():
    assert env.crossing(lambda x: x, lambda x: 1 - x, 0.0, 1.0) == pytest.approx(0.5, abs=1e-9)
    assert env.crossing(lambda x: x, lambda x: 0.0, 0.0, 1.0) == 0.0
    assert deployed_risk(["C"], 0.9) == pytest.approx(deployed_risk(["C"], 0.1))


def test_tables_and_explorer(fam):
    table = risk_table(fam)
    assert table.loc["{C, S}", "E=2"] == "0.310"
    cond = conditional_table(env.invariance_test(fam, ["C", "S"]), ["C", "S"])
    assert cond.loc["C=1, S=1", "E=0"] == "0.927"
    ex = hospital_explorer()
    assert ex.n_frames <= 64
    assert "selected: {C}" in ex.alt_text(mismatch_1=0.25, deployed=0.8)
    assert "{S}" in ex.alt_text(mismatch_1=0.05, deployed=0.8).split("selected:")[1]


def test_reads(fam):
    assert reads(env.optimal_predictor(fam, ["C", "S"]), "S") and reads(env.optimal_predictor(fam, ["C", "S"]), "C")
    assert not reads(env.optimal_predictor(fam, ["C"]), "S")  # S not an input at all
    blind = env.widen(env.optimal_predictor(fam, ["C"]), ["C", "S"], fam)
    assert blind.features == ("C", "S") and not reads(blind, "S")  # an input, but ignored
    soft = randomized(blind)
    soft = RandomizedPredictor(soft.features, {**soft.table, (1, 1): {0: 0.5, 1: 0.5}}, soft.labels)
    assert not reads(randomized(blind), "S") and reads(soft, "S")  # randomised: reads S once one cell differs


def test_learner_choices_see_the_training_hospitals_only(fam):
    picked = learner_choices(fam, penalties=(0.0, 0.5, 1.0), points=3)
    assert tuple(picked) == LEARNER_RULES
    assert [len(picked[r]) for r in LEARNER_RULES] == [1, 3, 1, 3, 1]
    # the deployment hospital enters no rule: changing it changes no choice
    other = family(deployed=0.05)
    again = learner_choices(other, penalties=(0.0, 0.5, 1.0), points=3)
    for rule in LEARNER_RULES:
        assert [h.table for h in again[rule]] == [h.table for h in picked[rule]]
    table = learner_table(fam, penalties=(0.0, 1.0))
    assert list(table.index) == list(LEARNER_RULES)
    assert table.loc["gap penalty, each λ", "predictors"] == 2
    assert table.loc["invariance test", "read S"] == 0
    assert table.loc["training-optimal", "worse of 0 and 1"] == "0.145"
    assert table.loc["training-optimal", "hospital 2"] == "0.310"


def test_learner_table_shows_a_range_when_the_rule_varies():
    # with the deployment hospital among the training hospitals, the gap penalty switches (chapter's λ* ≈ 0.385)
    wide = Environments.from_variable(hospitals(), "E", "Y", training=["E=0", "E=1", "E=2"])
    table = learner_table(wide, penalties=(0.0, 1.0))
    assert "–" in table.loc["gap penalty, each λ", "training"]


def test_learner_choices_refuse_bad_input(fam):
    with pytest.raises(ValueError, match="at least one value"):
        learner_choices(fam, penalties=())
    with pytest.raises(ValueError, match=r"\[1\.5\]"):
        learner_choices(fam, penalties=(0.0, 1.5))
    with pytest.raises(ValueError, match="'x'"):
        learner_choices(fam, penalties=("x",))
    single = Environments.from_variable(hospitals(), "E", "Y", training=["E=0"])
    with pytest.raises(ValueError, match="two training hospitals"):
        learner_choices(single)


def test_self_checks():
    assert not check_crossing_mismatch(None) and check_crossing_mismatch(0.4)
    assert "0.5 is where" in repr(check_crossing_mismatch(0.5))
    assert check_icp_intersection(("C",)) and check_icp_intersection("C")
    assert "hospitals 0 and 1 only" in repr(check_icp_intersection(()))
    assert not check_icp_intersection(("C", "S")) and not check_icp_intersection(["X"])
    assert check_direction_features(("S", "C"))
    assert "fails" in repr(check_direction_features(("C",)))
    assert "not the most accurate" in repr(check_direction_features(("S",)))
    assert not check_direction_features(5) and not check_icp_intersection(None)


# ---------------------------------------------------------------------------- bad input
def test_unknown_environment(fam):
    h = env.optimal_predictor(fam, ["C"])
    with pytest.raises(ValueError, match="unknown environment 'E=7'"):
        env.environment_risk(fam, h, "E=7")
    with pytest.raises(ValueError, match="unknown environment 'nowhere'"):
        env.conditional_invariance(fam, ["C"], ["E=0", "nowhere"])
    with pytest.raises(ValueError, match="unknown environment"):
        fam.scm("E=9")
    with pytest.raises(ValueError, match="unknown environment"):
        Environments("Y", fam.members, {"E=5": 1.0})


def test_empty_feature_set_and_bad_features(fam):
    with pytest.raises(ValueError, match="at least one candidate feature"):
        env.invariance_test(fam, [])
    with pytest.raises(ValueError, match="unknown feature 'Z'"):
        env.optimal_predictor(fam, ["Z"])
    with pytest.raises(ValueError, match="cannot also be a feature"):
        env.conditional_invariance(fam, ["Y"])
    with pytest.raises(ValueError, match="twice"):
        env.invariance_test(fam, ["C", "C"])
    with pytest.raises(ValueError, match="string"):
        env.invariance_test(fam, "CS")


def test_bad_families():
    model = hospitals()
    with pytest.raises(ValueError, match="at least one environment"):
        Environments("Y", {}, [])
    with pytest.raises(ValueError, match="changes the mechanism of the target"):
        Environments("Y", {"a": model, "b": model.do({"Y": 1})}, ["a"])
    with pytest.raises(ValueError, match="changes the mechanism"):
        Environments.from_shifts(model, "Y", {"a": {}, "b": {"U_Y": {0: 0.7, 1: 0.1, 2: 0.1, 3: 0.1}}},
                                 training=["a"])
    with pytest.raises(ValueError, match="sum to 1"):
        Environments("Y", {"a": model}, {"a": 0.5})
    with pytest.raises(ValueError, match="non-negative"):
        Environments("Y", {"a": model, "b": model}, {"a": 1.5, "b": -0.5})
    with pytest.raises(ValueError, match="no variable 'Q'"):
        Environments("Q", {"a": model}, ["a"])
    with pytest.raises(ValueError, match="string"):
        Environments("Y", {"a": model}, "a")
    with pytest.raises(ValueError, match="own mechanism"):
        Environments.from_variable(model, "C", "Y")
    with pytest.raises(ValueError, match="endogenous"):
        Environments.from_variable(model, "U_E", "Y")


def test_bad_shifts_and_invariance_environments(fam):
    with pytest.raises(ValueError, match="unknown variable 'V'"):
        env.shift(hospitals(), {"V": 1})
    with pytest.raises(ValueError, match="each of its states"):
        env.shift(hospitals(), {"U_S0": {0: 0.5, 2: 0.5}})
    with pytest.raises(ValueError, match="at least two environments"):
        env.conditional_invariance(fam, ["C"], ["E=0"])


def test_bad_predictor_arguments(fam):
    cs = env.optimal_predictor(fam, ["C", "S"])
    c = env.optimal_predictor(fam, ["C"])
    with pytest.raises(ValueError, match="weight"):
        mixture(cs, cs, 1.5)
    with pytest.raises(ValueError, match="same features"):
        mixture(cs, c, 0.5)
    with pytest.raises(ValueError, match="Predictor"):
        randomized("C")
    with pytest.raises(ValueError, match="do not include"):
        env.widen(cs, ["C"], fam)
    with pytest.raises(ValueError, match="unknown feature 'Z'"):
        env.widen(c, ["C", "Z"], fam)
    with pytest.raises(ValueError, match="penalty"):
        env.penalised_predictor(fam, ["C", "S"], 2.0)
    with pytest.raises(ValueError, match="points"):
        env.frontier(fam, ["C", "S"], points=1)
    with pytest.raises(ValueError, match="at least one environment"):
        env.penalised_predictor(fam, ["C", "S"], 0.5, envs=[])
    with pytest.raises(ValueError, match="at least one environment"):
        env.worst_risk(fam, c, [])


def test_bad_crossing():
    with pytest.raises(ValueError, match="low < high"):
        env.crossing(lambda x: x, lambda x: x, 1.0, 0.0)
    with pytest.raises(ValueError, match="do not cross"):
        env.crossing(lambda x: x + 2, lambda x: x, 0.0, 1.0)


def test_bad_scenario_parameters():
    with pytest.raises(ValueError, match="one value per hospital"):
        hospitals(mismatch=(0.1, 0.2), p_hospital=(1.0,))
    with pytest.raises(ValueError, match=r"mismatch\[1\]"):
        hospitals(mismatch=(0.1, 1.2), p_hospital=(0.5, 0.5))
    with pytest.raises(ValueError, match="case_mix"):
        hospitals(case_mix=(0.5, 0.5))
    with pytest.raises(ValueError, match="susceptibility"):
        hospitals_reversed(susceptibility=(0.5, 0.5))
    with pytest.raises(ValueError, match="one value per hospital"):
        hospitals_reversed(exposure=(0.1,))
