"""Every number and claim in the prose of the limits chapter, recomputed through book/."""

import numpy as np
import pytest

from book.chapters import limits as ch
from book.models import discovery, hiring, umbrella
from book.models.hiring import FEATURES as HIRING_FEATURES
from book.models.hiring import unfair_edges
from book.objectives.fairness import switch_classes
from book.objectives.identification import (
    TARGETS,
    data_of,
    optimal_weights,
    random_weights,
    response_bounds,
    response_scm,
    true_value,
)
from book.scm import TOLERANCE


def test_two_models_share_every_distribution_but_not_the_gap(approx):
    monotone, defiant = ch.twins()
    assert data_of(monotone) == data_of(defiant)
    observed, experiment = data_of(monotone)
    assert observed[(1, 0)] + observed[(1, 1)] == approx(0.5)
    assert observed[(0, 1)] / 0.5 == approx(0.3) and observed[(1, 1)] / 0.5 == approx(0.7)
    assert experiment == {0: approx(0.3), 1: approx(0.7)}
    for m in (monotone, defiant):  # the group is independent of the response function in both
        assert m.query("A")[1] == approx(0.5)
        assert true_value(m, "effect") == approx(0.4)
    assert true_value(monotone, "flip") == approx(0.4)
    assert true_value(defiant, "flip") == approx(1.0)
    # shares of response types in the prose
    never = sum(p for (a, r0, r1), p in ch.MONOTONE.items() if (r0, r1) == (0, 0))
    always = sum(p for (a, r0, r1), p in ch.MONOTONE.items() if (r0, r1) == (1, 1))
    assert (never, always) == (approx(0.3), approx(0.3))
    assert sum(p for (a, r0, r1), p in ch.DEFIANT.items() if (r0, r1) == (1, 0)) == approx(0.3)


def test_bounds_in_the_prose(approx):
    t = ch.bounds_table()
    assert t.loc["observational"].tolist() == [approx(0.0), approx(1.0), approx(-0.3), approx(0.7)]
    assert t.loc["with experiment"].tolist() == [approx(0.4), approx(1.0), approx(0.4), approx(0.4)]
    assert t.loc["assume no confounding of the marginals"].tolist() == t.loc["with experiment"].tolist()
    truth = t.attrs["truth"]
    # the two models sit at the two ends of the interval with the experiment: the bounds are attained
    assert truth["monotone"]["flip"] == approx(t.loc["with experiment", "flip low"])
    assert truth["defiant"]["flip"] == approx(t.loc["with experiment", "flip high"])


def test_bounds_are_sharp_on_random_scms():
    """Each end of each interval is the true value of an SCM (the LP optimum) that reproduces the data."""
    rng = np.random.default_rng(12)
    for _ in range(30):
        observed, experiment = data_of(response_scm(random_weights(rng)))
        for target in TARGETS:
            for exp in (None, experiment):
                b = response_bounds(observed, target, interventional=exp)
                for end, value in (("low", b.low), ("high", b.high)):
                    m = response_scm(optimal_weights(observed, target, end, interventional=exp))
                    obs_m, exp_m = data_of(m)
                    assert max(abs(obs_m[k] - observed[k]) for k in observed) < 1e-9
                    assert exp is None or max(abs(exp_m[k] - exp[k]) for k in exp) < 1e-9
                    assert abs(true_value(m, target) - value) < 1e-9


def test_bounds_contain_every_scm_consistent_with_the_data():
    rng = np.random.default_rng(2026)
    for _ in range(200):
        m = response_scm(random_weights(rng))
        observed, experiment = data_of(m)
        for target in TARGETS:
            value = true_value(m, target)
            for b in (response_bounds(observed, target), response_bounds(observed, target, interventional=experiment)):
                assert b.contains(value), (target, value, b)
            assert response_bounds(observed, target, interventional=experiment).width <= (
                response_bounds(observed, target).width + 1e-9)


def test_sensitivity_in_the_prose(approx):
    s = ch.sensitivity()
    for d, row in s.iterrows():  # 0.4 +- delta, clipped to the assumption-free bounds
        assert row["low"] == approx(max(0.4 - d, -0.3)) and row["high"] == approx(min(0.4 + d, 0.7))
    assert s.loc[0.0, "width"] == 0
    assert s.loc[0.4, "low"] == approx(0.0) and s.loc[0.3, "low"] > TOLERANCE
    assert s.loc[0.2, ["low", "high"]].tolist() == [approx(0.2), approx(0.6)]
    observed, _ = data_of(ch.twins()[0])
    free = response_bounds(observed, "effect")
    for d in (0.7, 0.9):
        b = response_bounds(observed, "effect", confounding=d)
        assert (b.low, b.high) == (approx(free.low), approx(free.high))


def test_discovery_frequencies_in_the_prose(approx):
    t = ch.discovery_table()
    assert ch.REPS == 10 and ch.SIZES == (50, 200, 1000)
    assert t.loc[("collider", "ges", 50), "recovered"] == approx(0.4)
    interval = [t.loc[("collider", "ges", 50), c] for c in ("recovered low", "recovered high")]
    assert interval == [pytest.approx(0.17, abs=5e-3), pytest.approx(0.69, abs=5e-3)]
    for cell in (("collider", "ges", 200), ("collider", "pc", 1000)):  # 10 of 10
        assert t.loc[cell, ["recovered low", "recovered high"]].tolist() == [pytest.approx(0.72, abs=5e-3), 1.0]
    assert t.loc[("collider", "pc", 200), ["recovered low", "recovered high"]].tolist() == [
        0.0, pytest.approx(0.28, abs=5e-3)]  # 0 of 10: positive width, unlike a Wald standard error
    # the 0-of-10 and 10-of-10 intervals do not overlap
    assert t.loc[("collider", "pc", 200), "recovered high"] < t.loc[("collider", "pc", 1000), "recovered low"]
    for n in (200, 1000):
        assert t.loc[("collider", "ges", n), "recovered"] == 1.0
    assert t.loc[("collider", "pc", 200), "recovered"] == 0.0
    assert t.loc[("collider", "pc", 1000), "recovered"] == 1.0
    for method in ("pc", "ges"):
        assert t.loc[("chain", method, 1000), "recovered"] == 0.0
        assert t.loc[("chain", method, 1000), "left open"] == 1.0
    widths = [t[f"{c} high"] - t[f"{c} low"] for c in ("recovered", "left open")]
    assert max(w.max() for w in widths) == pytest.approx(0.53, abs=5e-3)  # "up to 0.53 wide"


def test_discovery_model_facts():
    m, chain = discovery(), discovery(second_cause=False)
    # C and D independent, dependent given Y (the collider the learners can see)
    assert m.query("C", evidence={"D": 1})[1] == pytest.approx(m.query("C")[1])
    assert abs(m.query("C", evidence={"D": 1, "Y": 1})[1] - m.query("C", evidence={"Y": 1})[1]) > 0.05
    # in the chain, Y does not move under do(S) and moves under do(C)
    assert chain.query("Y", do={"S": 0})[1] == pytest.approx(chain.query("Y", do={"S": 1})[1])
    assert abs(chain.query("Y", do={"C": 1})[1] - chain.query("Y", do={"C": 0})[1]) > 0.5


def test_declarations_in_the_prose(approx):
    rules, who = ch.declarations()
    assert all(d == c[1] for c, d in rules["allowed"].table.items())  # hire iff Q
    assert set(rules["unfair"].table.values()) == {1}  # hire everyone
    # with A -> Q unfair the switch connects every profile: only constants never change
    assert len(switch_classes(hiring(), HIRING_FEATURES, "A", unfair_edges("unfair"))) == 1
    assert who["decision differs"].tolist() == [approx(0.6), approx(0.42)]
    assert who.attrs["differs"] == approx(0.51)
    # by construction: one rule hires the qualified, the other everyone, so they differ exactly on Q = 0
    assert who.attrs["differs"] == approx(hiring().query("Q")[0])
    assert who["decision differs"].tolist() == [approx(hiring().query("Q", evidence={"A": a})[0]) for a in (0, 1)]
    assert "Q" in hiring().parents("Yfair")  # the fair label is built under the first declaration
    assert who["hired, A -> Q allowed"].tolist() == [approx(0.4), approx(0.58)]
    acc = who.attrs["accuracy"]
    assert (acc["allowed"]["Y"], acc["unfair"]["Y"]) == (approx(0.735), approx(0.621))
    assert (acc["allowed"]["Yfair"], acc["unfair"]["Yfair"]) == (approx(0.8), approx(0.494))
    m = hiring()  # everyone the two rules disagree on is unqualified
    joint = m.joint(["A", "Q", "P"])
    assert sum(p for c, p in joint.items() if c[1] == 0) == approx(0.51)
    assert m.query("Q", evidence={"A": 1})[0] == approx(0.42)


def test_evaluation_in_the_prose(approx):
    ev = ch.evaluation_table()
    assert len(ev) == 15
    s, other = ev[ev["reads S"]], ev[~ev["reads S"]]
    assert len(s) == 8 and len(other) == 7
    assert s["accuracy"].min() > other["accuracy"].max()  # the eight most accurate ...
    assert s["validity gap"].min() > other["validity gap"].max()  # ... have the eight largest gaps
    assert (s["accuracy"].min(), s["accuracy"].max()) == (approx(0.82), approx(0.826))
    assert (s["validity gap"].min(), s["validity gap"].max()) == (approx(0.303), approx(0.335))
    assert (other["accuracy"].min(), other["accuracy"].max()) == (approx(0.579), approx(0.778))
    assert (other["validity gap"].min(), other["validity gap"].max()) == (approx(0.0), approx(0.079))
    assert ev["accuracy"].idxmax() == "{A, C, S}"
    # within the eight, the most accurate has the smallest gap (tied with {A, C, P, S})
    assert ev.loc["{A, C, S}", "validity gap"] == approx(s["validity gap"].min())
    assert ev.loc["{A, C, S}", "accuracy"] == ev.loc["{A, C, P, S}", "accuracy"] == approx(0.826)
    assert "Y" in umbrella().parents("S")  # S is an effect of the label


def test_evaluation_samples_in_the_prose(approx):
    t = ch.evaluation_samples()
    assert t["sample"].tolist() == [approx(0.82), approx(0.658), approx(0.517)]
    assert t["s.e."].tolist() == [approx(0.006), approx(0.008), approx(0.008)]
    assert t["exact"].tolist() == [approx(0.826), approx(0.658), approx(0.539)]
    for name in ("do(S = 0)", "do(S = 1)"):  # each drop exceeds 3 standard errors of the difference
        diff = t.loc["held-out", "sample"] - t.loc[name, "sample"]
        assert diff > 3 * np.hypot(t.loc["held-out", "s.e."], t.loc[name, "s.e."])
    for name, row in t.iterrows():  # the samples agree with the exact values within 3 s.e.
        assert abs(row["sample"] - row["exact"]) < 3 * row["s.e."], name
    # the do(S = 1) sample sits 2.8 s.e. below its exact value
    row = t.loc["do(S = 1)"]
    assert (row["exact"] - row["sample"]) / row["s.e."] == pytest.approx(2.8, abs=0.05)


def test_explorer_claims(approx):
    for d in ch.DELTAS:
        b = ch.explorer_bounds(d, "with experiment")
        assert b["effect"].low == approx(0.4) and b["effect"].high == approx(0.4)
        assert (b["flip"].low, b["flip"].high) == (approx(0.4), approx(1.0))
    with pytest.raises(ValueError, match="assume no confounding"):
        ch.explorer_bounds(0.1, "assume no confounding of the marginals")


def test_exercise_answers(approx):
    observed, experiment = data_of(ch.twins()[0])
    one = response_bounds(observed, "flip", interventional={1: experiment[1]})
    assert (one.low, one.high) == (approx(0.2), approx(1.0))
    assert observed[(1, 1)] == approx(0.35) and observed[(0, 1)] == approx(0.15)
    assert ch.sensitivity().loc[0.4, ["low", "high"]].tolist() == [approx(0.0), approx(0.7)]


# ------------------------------------------------------------------------------------------------ scale
# Machine-independent claims are recomputed; claims about timings are read from the stored benchmark.

def test_twin_network_doubles_the_endogenous_variables_and_shares_the_noise():
    for rows in ch.GRID_ROWS:
        c = ch.grid_costs(rows)
        m = ch.grid_scm(rows)
        assert c["rung 2"]["endogenous"] == len(m.endogenous) == 8 * rows + 1
        assert c["rung 3"]["endogenous"] == 2 * c["rung 2"]["endogenous"]
        # the exogenous noise is shared: the twin adds exactly one copy of each endogenous node
        assert c["rung 3"]["nodes"] == c["rung 2"]["nodes"] + c["rung 2"]["endogenous"]
    assert (ch.grid_costs(10)["rung 2"]["endogenous"], ch.grid_costs(10)["rung 3"]["endogenous"]) == (81, 162)


def test_costs_in_the_prose_and_in_the_stored_file():
    scale = ch.load_scale()
    assert [e["rows"] for e in scale["grid"]] == list(ch.GRID_ROWS) and scale["columns"] == ch.GRID_COLUMNS == 8
    for entry in scale["grid"]:  # the stored machine-independent costs are what the library computes now
        c = ch.grid_costs(entry["rows"])
        for rung in ("rung 2", "rung 3"):
            assert {k: entry[rung][k] for k in c[rung]} == c[rung]
    first, last = ch.grid_costs(1), ch.grid_costs(10)
    assert (first["rung 2"]["largest"], last["rung 2"]["largest"]) == (4, 1024)
    assert (first["rung 3"]["largest"], last["rung 3"]["largest"]) == (8, 262144)
    assert (last["rung 2"]["width"], last["rung 3"]["width"]) == (10, 18)  # "spans 18 binary variables against 10"
    assert round(last["rung 3"]["flops"] / last["rung 2"]["flops"], -2) == 3300  # "about 3300 times"
    assert 2**31 * 8 / 2**30 == 16  # "2^31 numbers, 16 GiB at 8 bytes each"
    # the cost grows with the width: the largest table never shrinks as rows are added, at either rung,
    # and the twin's is larger than the do-query's at every size
    for rung in ("rung 2", "rung 3"):
        sizes = [e[rung]["largest"] for e in scale["grid"]]
        assert sizes == sorted(sizes) and sizes[-1] >= 2**8 * sizes[0]
    assert all(e["rung 3"]["largest"] > e["rung 2"]["largest"] for e in scale["grid"])


def test_grid_width_grows_with_rows_not_with_size():
    """Size alone is not what costs: as many nodes in a longer, narrower grid give a smaller largest table."""
    wide, long = ch.grid_costs(6), ch.contraction_cost(ch.grid_scm(3, 16).do({"A": 1}).network, ["X3_16"])
    assert long["nodes"] == wide["rung 2"]["nodes"]  # 6 x 8 and 3 x 16: the same number of nodes
    assert long["largest"] < wide["rung 2"]["largest"]
    assert (long["nodes"], long["largest"], wide["rung 2"]["largest"]) == (98, 8, 64)


def test_stored_timings():
    """Claims about seconds hold for the stored run (measured once, on the machine named in the file)."""
    scale = ch.load_scale()
    assert {"machine", "date", "versions"} <= set(scale) and scale["versions"]["pgmpy"]
    t = ch.scale_table(scale)
    assert (t["rung 3 seconds"] > t["rung 2 seconds"]).all()  # "the counterfactual was the slower query"
    # "the seconds rise less steeply than the tables"
    for rung in ("rung 2", "rung 3"):
        assert (t.loc[10, f"{rung} seconds"] / t.loc[1, f"{rung} seconds"]
                < t.loc[10, f"{rung} largest table"] / t.loc[1, f"{rung} largest table"])
    sizes = scale["sampling"]["sizes"]
    # "exact ... in less time than the largest sample"
    assert scale["sampling"]["exact seconds"] < sizes[-1]["seconds"]
    # "the time grows with n, roughly in proportion once n is large": 10^4 -> 10^5 samples, 3 to 30 times longer
    assert 3 < sizes[-1]["seconds"] / sizes[-2]["seconds"] < 30


def test_sampling_error_matches_the_standard_error():
    scale = ch.load_scale()
    reps = scale["sampling"]["reps"]
    assert reps == ch.SAMPLE_REPS == 30 and scale["sampling"]["rows"] == ch.SAMPLE_ROWS == 6
    margin = 3 * np.sqrt(1 / (2 * reps))  # s.e. of a root-mean-square estimate relative to its value
    assert round(margin, 2) == 0.39  # "within the ±39 %"
    for s in scale["sampling"]["sizes"]:
        assert abs(s["rmse"] / s["se"] - 1) < margin
    # recomputed: the first three sizes replay exactly from the same seed (the generator runs through them in order)
    rng = np.random.default_rng(ch.SEED)
    for stored in scale["sampling"]["sizes"][:3]:
        again = ch.sampling_error(stored["n"], reps, rng)
        assert again["rmse"] == pytest.approx(stored["rmse"], abs=1e-12)
        assert again["se"] == pytest.approx(stored["se"], abs=1e-12)
        assert abs(again["rmse"] / again["se"] - 1) < margin
    # "a hundred times more samples buy a ten times smaller error" (within the same margin)
    ratio = scale["sampling"]["sizes"][1]["rmse"] / scale["sampling"]["sizes"][3]["rmse"]
    assert abs(ratio / 10 - 1) < 2 * margin


def test_hidden_cause_of_the_mediator(approx):
    t = ch.mediator_sensitivity()
    assert list(t.index) == list(ch.GAMMAS)
    assert t.loc[0.0].tolist() == [approx(0.7), approx(0.7), approx(0.0)]
    assert t.loc[0.2, "bias"] == approx(0.025)
    assert t.loc[0.5, ["formula", "true", "bias"]].tolist() == [approx(0.266), approx(0.175), approx(0.091)]
    # "as gamma grows it overstates": the bias is positive and grows at every step
    assert (t["bias"].iloc[1:] > 0).all() and t["bias"].is_monotonic_increasing
    for g in ch.GAMMAS:  # the group is randomised: the total effect is identified (conditional = do)
        m = ch.mediator_scm(g)
        for a in (0, 1):
            assert m.query("Y", evidence={"A": a})[1] == pytest.approx(m.query("Y", do={"A": a})[1])
    # with gamma = 0, M and Y share no exogenous parent
    m = ch.mediator_scm(0.0)
    assert m.query("M", evidence={"A": 0})[1] == approx(0.3)
    # "this model moves the data as gamma changes"
    assert ch.mediator_scm(0.5).query("M", evidence={"A": 0})[1] != pytest.approx(0.3)
