"""Every numbered claim of chapter 5 (issue 5) and every number in its prose, recomputed through book/.

The experiments are seeded, so the numbers are deterministic; the structural assertions below carry
margins of several standard errors, so that they fail if the science breaks, not if a seed changes.
"""

import math

import numpy as np
import pytest

from book.chapters import privacy_utility as R
from book.metrics import accuracy
from book.models import records
from book.objectives import privacy
from book.objectives.robustness import Environments, conditional_invariance
from book.predictors import attach, bayes_optimal

INF = math.inf


@pytest.fixture(scope="module")
def summary():
    return R.summarise(R.simulate(epsilons=R.EPSILONS, **R.HEADLINE))


@pytest.fixture(scope="module")
def runs():
    return R.simulate(epsilons=R.EPSILONS, **R.HEADLINE)


@pytest.fixture(scope="module")
def predictive():
    return R.summarise(R.simulate(n=1000, n_noncausal=2, epsilons=(0.1, INF), reps=40, seed=2026))


@pytest.fixture(scope="module")
def small():
    return R.summarise(R.simulate(sizes=(50, 200, 1600), n_noncausal=0, epsilons=(0.1, 0.5, INF), reps=40, seed=2026))


def se_diff(row_a, row_b, metric_a, metric_b):
    return math.hypot(row_a[f"{metric_a}_se"], row_b[f"{metric_b}_se"])


def test_headline_setting_is_the_one_the_chapter_describes():
    assert R.HEADLINE == {"n": 200, "n_noncausal": 10, "reps": 40, "seed": 2026}
    assert R.EPSILONS == (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, INF)
    assert len(R.EPSILONS[:-1]) == 8  # "eight privacy levels ... and without noise"
    assert R.PREDICTORS == ("associational", "causal", "small non-causal")
    assert R.SMALL_NONCAUSAL == ("N1", "N2") and R.feature_names(10)[2:4] == R.SMALL_NONCAUSAL


# ---------------------------------------------------------------------------- exact population facts
def test_exact_population_quantities(approx):
    causes = records(0)
    bayes = attach(causes, "Yhat", bayes_optimal(causes, "Y", ["C1", "C2"]))
    assert causes.query("Y")[1] == approx(0.675)
    assert accuracy(bayes, "Yhat", "Y") == approx(0.850)
    assert len(records(10).endogenous) == 14 and 2 ** 14 == 16384
    # the non-causal fields do not change the causes' mechanisms: same P(Y) with d = 10
    assert records(10).query("Y")[1] == approx(0.675)


# ---------------------------------------------------------------------------- claim 1: memorisation
def test_claim1_records_are_nearly_unique(summary):
    X, _ = R.draw(10, 200, np.random.default_rng(2026))
    assert R.unique_fraction(X) > 0.85 and R.unique_fraction(X[:, :2]) == 0.0
    assert R.unique_fraction(X[:, 2:4]) == 0.0  # "the two 4-cell tables have no unique records"
    assert summary.loc[("associational", INF), "unique"] > 0.85
    assert summary.loc[("causal", INF), "unique"] == 0.0
    assert summary.loc[("small non-causal", INF), "unique"] == 0.0


def test_claim1_the_small_noncausal_table_learns_best_in_its_own_environment(summary, approx):
    m = records(2)
    exact = accuracy(attach(m, "Yhat", bayes_optimal(m, "Y", ["N1", "N2"])), "Yhat", "Y")
    assert exact == approx(0.900)
    assert m.probability({"N1": 1}, evidence={"Y": 1}) == pytest.approx(0.9)  # N1 agrees with Y 90 % of the time
    assert m.probability({"N1": 0}, evidence={"Y": 0}) == pytest.approx(0.9)
    s = summary.loc[("small non-causal", INF)]
    assert (s["gap"], s["test_accuracy"]) == (approx(0.012), approx(0.897))
    others = [summary.loc[(name, INF), "test_accuracy"] for name in ("associational", "causal")]
    assert s["test_accuracy"] > max(others) + 3 * s["test_accuracy_se"]  # "the highest test accuracy of the three"
    assert abs(s["test_accuracy"] - exact) < 0.01


def test_claim1_associational_memorises_and_the_attack_succeeds(summary):
    a, c = summary.loc[("associational", INF)], summary.loc[("causal", INF)]
    assert a["train_accuracy"] > 0.99 and a["gap"] > 0.25
    assert a["gap"] > 10 * a["gap_se"]
    # the associational test accuracy is barely above always predicting Y = 1
    assert a["test_accuracy"] - 0.675 < 0.05
    assert a["advantage"] > 0.5 and a["advantage"] > 20 * a["advantage_se"]
    assert a["auc"] > 0.75
    # Tople et al.'s direction in miniature: about 80 % attack accuracy against the associational model
    assert 0.75 < (1 + a["advantage"]) / 2 < 0.85
    assert (1 + c["advantage"]) / 2 < 0.52


def test_claim1_prose_numbers(summary, approx):
    a, c = summary.loc[("associational", INF)], summary.loc[("causal", INF)]
    assert (a["train_accuracy"], a["test_accuracy"], a["gap"]) == (approx(0.999), approx(0.700), approx(0.299))
    assert (c["gap"], c["test_accuracy"], c["train_accuracy"]) == (approx(0.013), approx(0.844), approx(0.857))
    assert (a["advantage"], a["advantage_se"], a["auc"]) == (approx(0.613), approx(0.006), approx(0.840))
    assert (c["advantage"], c["advantage_se"], c["auc"]) == (approx(0.013), approx(0.004), approx(0.519))
    assert (1 + a["advantage"]) / 2 == approx(0.806) and (1 + c["advantage"]) / 2 == approx(0.506)
    assert a["unique"] == approx(0.896)


def test_claim1_the_small_noncausal_table_is_as_private_as_the_causal_one(summary, approx):
    c, s = summary.loc[("causal", INF)], summary.loc[("small non-causal", INF)]
    assert (s["advantage"], s["advantage_se"], s["auc"]) == (approx(0.016), approx(0.006), approx(0.506))
    assert (1 + s["advantage"]) / 2 == approx(0.508)
    # privacy from size, not from causal status: the two 4-cell tables do not differ measurably
    assert abs(s["advantage"] - c["advantage"]) < 2 * se_diff(s, c, "advantage", "advantage")
    assert s["advantage"] < 0.03 and s["auc"] < 0.55
    a = summary.loc[("associational", INF)]
    assert a["advantage"] - s["advantage"] > 0.5


# ---------------------------------------------------------------------------- claim 2: DP with exact epsilon
def test_claim2_epsilon_is_exact_on_the_chapters_neighbouring_training_sets():
    X, y = R.draw(10, 200, np.random.default_rng(2026))
    X2, y2 = privacy.replace_record(X, y, 0, 1 - X[0], 1 - y[0])
    counts, neighbour = privacy.count_table(X, y), privacy.count_table(X2, y2)
    assert counts.size == 8192 and int((counts != neighbour).sum()) == 2
    released = np.stack([privacy.laplace_mechanism(counts, 1.0, np.random.default_rng(k)) for k in range(200)])
    loss = privacy.privacy_loss(released, counts, neighbour, epsilon=1.0)
    assert np.abs(loss).max() <= 1.0 + 1e-12
    assert f"{np.abs(loss).max():.3f}" == "1.000"  # what the chapter prints: the bound is reached
    worst = privacy.privacy_loss(privacy.worst_case_output(counts, neighbour), counts, neighbour, epsilon=1.0)
    assert float(worst) == pytest.approx(1.0, abs=1e-12)


def test_claim2_the_library_bound_is_the_closed_form():
    for eps in (*R.EPSILONS[:-1], math.log(3), math.log(19)):
        closed = (math.exp(eps) - 1) / (math.exp(eps) + 1)
        assert privacy.advantage_bound(eps) == pytest.approx(closed, rel=1e-12)
        assert privacy.advantage_bound(eps) == pytest.approx(math.tanh(eps / 2), rel=1e-12)
        assert privacy.advantage_bound(eps) < min(1.0, privacy.yeom_bound(eps))  # tighter than Yeom's everywhere
    # as low as epsilon alone allows: randomised response on one bit attains it
    for eps in R.EPSILONS[:-1]:
        keep = math.exp(eps) / (1 + math.exp(eps))
        assert keep - (1 - keep) == pytest.approx(privacy.advantage_bound(eps))


def test_claim2_every_advantage_stays_below_the_tight_bound(summary):
    close = []
    for eps in R.EPSILONS[:-1]:
        bound = privacy.advantage_bound(eps)
        for name in R.PREDICTORS:
            row = summary.loc[(name, eps)]
            assert row["advantage"] <= bound, (name, eps)  # every measured mean, every epsilon, every predictor
            assert row["advantage"] + 1.5 * row["advantage_se"] <= bound, (name, eps)
            if row["advantage"] + 2 * row["advantage_se"] > bound:
                close.append((name, eps))
    # "at the smallest epsilon the margin is within two standard errors": exactly one such case
    assert close == [("small non-causal", 0.05)]


def test_claim2_prose_numbers_of_the_bounds(summary, approx):
    s = summary.loc[("small non-causal", 0.05)]
    assert (s["advantage"], s["advantage_se"]) == (approx(0.011), approx(0.007))
    assert privacy.advantage_bound(0.05) == approx(0.025)
    assert [f"{privacy.advantage_bound(e):.3f}" for e in (0.25, 0.5, 1.0, 2.0)] == ["0.124", "0.245", "0.462", "0.762"]
    # Yeom's bound: about twice the tight one at small epsilon, above 1 from ln 2
    assert privacy.yeom_bound(0.05) == approx(0.051)
    assert privacy.yeom_bound(0.05) / privacy.advantage_bound(0.05) == pytest.approx(2.0, abs=0.06)
    assert privacy.yeom_bound(math.log(2)) == pytest.approx(1.0) and math.log(2) == approx(0.693)


def test_claim2_the_tight_bound_bites_below_epsilon_1_43(summary, approx):
    non_private = summary.loc[("associational", INF), "advantage"]
    assert non_private == approx(0.613)
    threshold = 2 * math.atanh(non_private)  # tanh(eps / 2) < advantage  <=>  eps < 2 artanh(advantage)
    assert threshold == pytest.approx(math.log(1.613 / 0.387), abs=0.005) and threshold == pytest.approx(1.43, abs=5e-3)
    biting = [eps for eps in R.EPSILONS[:-1] if privacy.advantage_bound(eps) < non_private]
    assert biting == [0.05, 0.1, 0.25, 0.5, 1.0] and all(eps < threshold for eps in biting)
    a = summary.xs("associational", level="predictor")
    for eps in (2.0, 4.0, 8.0):  # "from 2 on it allows 0.762 and more, and the attack stays well inside it"
        assert privacy.advantage_bound(eps) >= privacy.advantage_bound(2.0)
        assert a.loc[eps, "advantage"] + 10 * a.loc[eps, "advantage_se"] < privacy.advantage_bound(eps)
    assert (a.loc[2.0, "advantage"], a.loc[2.0, "advantage_se"]) == (approx(0.293), approx(0.006))
    vacuous = [eps for eps in R.EPSILONS[:-1] if privacy.yeom_bound(eps) > 1]
    assert vacuous == [1.0, 2.0, 4.0, 8.0] and min(vacuous) > math.log(2)
    assert all(privacy.advantage_bound(eps) < 1 for eps in R.EPSILONS[:-1])


def test_claim2_utility_against_epsilon_is_a_frontier(summary):
    a = summary.xs("associational", level="predictor").sort_index()
    # less privacy (larger epsilon) buys utility and costs leakage, monotonically up to noise
    assert np.all(np.diff(a["test_accuracy"]) > -0.01)
    assert np.all(np.diff(a["advantage"]) > -0.01)
    assert a.loc[INF, "test_accuracy"] - a.loc[0.05, "test_accuracy"] > 0.15
    assert a.loc[INF, "advantage"] - a.loc[0.05, "advantage"] > 0.5
    # no private associational predictor is both useful (above always predicting 1) and leak-free
    for eps, row in a.iterrows():
        assert row["test_accuracy"] < 0.675 + 0.03 or row["advantage"] > 0.5, eps


def test_claim2_prose_numbers(summary, approx):
    a = summary.xs("associational", level="predictor")
    assert (a.loc[0.05, "advantage"], a.loc[0.05, "advantage_se"]) == (approx(0.007), approx(0.007))
    assert (a.loc[0.25, "advantage"], a.loc[0.25, "advantage_se"]) == (approx(0.024), approx(0.006))
    assert (a.loc[1.0, "advantage"], a.loc[1.0, "advantage_se"]) == (approx(0.140), approx(0.008))
    assert (a.loc[8.0, "advantage"], a.loc[8.0, "advantage_se"]) == (approx(0.541), approx(0.007))
    assert a.loc[8.0, "advantage"] == pytest.approx(0.54, abs=0.005)  # the figure's alt text
    assert (a.loc[1.0, "test_accuracy"], a.loc[1.0, "test_accuracy_se"]) == (approx(0.515), approx(0.009))
    assert (a.loc[0.25, "test_accuracy"], a.loc[0.25, "test_accuracy_se"]) == (approx(0.499), approx(0.009))
    assert a.loc[0.05, "test_accuracy"] == pytest.approx(0.49, abs=0.005)
    for eps in (0.05, 0.1, 0.25, 0.5):  # "every epsilon that tames the attack leaves about 0.50"
        assert a.loc[eps, "test_accuracy"] == pytest.approx(0.50, abs=0.015)
    for name in ("causal", "small non-causal"):  # the figure's alt text: "at or below 0.02"
        assert round(max(summary.xs(name, level="predictor")["advantage"]), 2) == 0.02


# ---------------------------------------------------------------------------- claim 3: the causal resolution
def test_claim3_causal_predictor_generalises_and_leaks_little(summary):
    a, c = summary.loc[("associational", INF)], summary.loc[("causal", INF)]
    assert c["advantage"] < 0.03 and c["auc"] < 0.55 and c["gap"] < 0.03
    assert a["advantage"] - c["advantage"] > 0.5
    assert c["test_accuracy"] > a["test_accuracy"] + 0.1  # more accurate *and* less leaky without noise
    assert abs(c["test_accuracy"] - 0.85) < 0.02  # close to the exact best accuracy from C1, C2


def test_claim3_utility_under_dp_degrades_far_less(summary):
    a = summary.xs("associational", level="predictor")
    c = summary.xs("causal", level="predictor")
    for eps in R.EPSILONS:
        assert c.loc[eps, "test_accuracy"] > a.loc[eps, "test_accuracy"] + 0.1, eps
    for eps in (1.0, 0.25):
        drop_a = a.loc[INF, "test_accuracy"] - a.loc[eps, "test_accuracy"]
        drop_c = c.loc[INF, "test_accuracy"] - c.loc[eps, "test_accuracy"]
        assert drop_a > 0.15 and drop_c < 0.03 and drop_a > 5 * max(drop_c, 0.01), eps


def test_claim3_prose_numbers(summary, approx):
    c = summary.xs("causal", level="predictor")
    for eps in (1.0, 2.0, 4.0, 8.0, INF):  # "every epsilon from 1 up gives 0.844 at 0.013"
        assert c.loc[eps, "test_accuracy"] == approx(0.844) and c.loc[eps, "advantage"] == approx(0.013)
    assert c.loc[0.5, "test_accuracy"] == approx(0.844) and c.loc[0.5, "advantage"] < 0.02
    assert c.loc[0.25, "test_accuracy"] == approx(0.822) and c.loc[0.1, "test_accuracy"] == approx(0.731)
    assert c.loc[0.05, "test_accuracy"] == pytest.approx(0.65, abs=0.005)
    a = summary.xs("associational", level="predictor")
    assert a.loc[1.0, "test_accuracy"] == approx(0.515)
    assert R.HEADLINE["n"] / 4 == 50  # "50 records on average" in each cell of a 4-cell table
    s = summary.xs("small non-causal", level="predictor")
    assert (s.loc[INF, "test_accuracy"], s.loc[INF, "advantage"]) == (approx(0.897), approx(0.016))  # the caption
    assert s.loc[1.0, "test_accuracy"] == approx(0.895)


def test_claim3_both_small_tables_dominate_the_associational_one(summary):
    a = summary.xs("associational", level="predictor")
    for name in ("causal", "small non-causal"):
        t = summary.xs(name, level="predictor")
        assert t.loc[INF, "test_accuracy"] > a.loc[INF, "test_accuracy"] + 0.1
        assert a.loc[INF, "advantage"] - t.loc[INF, "advantage"] > 0.5
        for eps in R.EPSILONS:  # degrades far less at the same epsilon
            assert t.loc[eps, "test_accuracy"] > a.loc[eps, "test_accuracy"] + 0.1, (name, eps)


def test_claim3_where_the_noise_starts_to_cost_the_causal_table(runs, approx):
    causal = runs[runs.predictor == "causal"].pivot(index="rep", columns="epsilon", values="test_accuracy")
    for eps in (0.5, 1.0, 2.0, 4.0, 8.0):  # "down to 0.5 the cost is exactly zero in all 40 repetitions"
        assert (causal[eps] == causal[INF]).all() and len(causal) == 40
        assert R.noise_cost(runs, "causal", eps) == (0.0, 0.0)
    cost, se = R.noise_cost(runs, "causal", 0.25)
    assert (cost, se) == (approx(0.022), approx(0.010)) and cost / se == pytest.approx(2.3, abs=0.05)
    assert cost > 2 * se  # a measurable loss: the threshold lies between 0.5 and 0.25
    cost, se = R.noise_cost(runs, "causal", 0.1)
    assert (cost, se) == (approx(0.114), approx(0.020))
    # the same noise costs the small non-causal table as little
    small = {eps: R.noise_cost(runs, "small non-causal", eps) for eps in (0.25, 0.1)}
    assert small[0.25] == (approx(0.008), approx(0.003)) and small[0.1] == (approx(0.086), approx(0.016))
    for eps in (0.5, 0.25, 0.1):
        assert R.noise_cost(runs, "small non-causal", eps)[0] <= R.noise_cost(runs, "causal", eps)[0] + 0.005


def test_claim3_the_same_noise_gives_every_predictor_the_same_epsilon():
    """Sensitivity 2 whatever the table reads: replacing one record moves any count table by L1 distance 2."""
    X, y = R.draw(10, 200, np.random.default_rng(2026))
    X2, y2 = privacy.replace_record(X, y, 0, 1 - X[0], 1 - y[0])
    for columns in (slice(None), slice(0, 2), slice(2, 4)):
        moved = np.abs(privacy.count_table(X[:, columns], y) - privacy.count_table(X2[:, columns], y2)).sum()
        assert moved == privacy.SENSITIVITY == 2


# ---------------------------------------------------------------------------- claim 4: privacy and robustness align
def test_claim4_the_robustness_row_checked_exactly(approx):
    two = records(2)
    family = Environments.from_variable(two, "E", "Y")
    causal = conditional_invariance(family, ["C1", "C2"], envs=["E=0", "E=1"])
    effects = conditional_invariance(family, ["N1", "N2"], envs=["E=0", "E=1"])
    assert causal.holds and causal.gap == approx(0.000)
    assert not effects.holds and effects.gap == approx(0.620)
    for features, before, after in ((["C1", "C2"], 0.850, 0.850), (["N1", "N2"], 0.900, 0.500)):
        best = attach(two, "Yhat", bayes_optimal(two, "Y", features))
        assert (accuracy(best, "Yhat", "Y"), accuracy(best, "Yhat", "Y", do={"E": 1})) == (
            approx(before), approx(after))


def test_claim4_shifted_advantage_is_membership_plus_environment():
    # With one threshold the members' TPR cancels: advantage after shift = advantage + control, run by run.
    runs = R.simulate(n=1000, n_noncausal=2, epsilons=(0.1, INF), reps=40, seed=2026)
    assert np.allclose(runs["shifted_advantage"], runs["advantage"] + runs["shifted_baseline"], atol=1e-12)
    # the control is the same attack with fresh E = 0 non-members in place of the members
    samples = R._draw_all(2, 1000, 2, 2026, {})
    one = {role: (X[0], y[0]) for role, (X, y) in samples.items()}
    metrics = R._evaluate(one, INF, (2026, 0, 1000))
    model = privacy.fit_histogram(*one["train"], epsilon=INF, rng=np.random.default_rng([2026, 0, 1000, 0]))
    shadow = privacy.fit_histogram(*one["shadow"], epsilon=INF, rng=np.random.default_rng([2026, 0, 1000, 1]))
    threshold = privacy.shadow_threshold(shadow, *one["shadow"])
    (_, test_loss), (_, shifted_loss) = model.evaluate(*one["test"]), model.evaluate(*one["shifted"])
    assert metrics["shifted_baseline"] == privacy.threshold_attack(test_loss, shifted_loss, threshold).advantage


@pytest.mark.parametrize("setting", ["summary", "predictive"])
def test_claim4_the_shift_costs_accuracy_and_the_attack_gains_only_the_environment(setting, request):
    s = request.getfixturevalue(setting)
    a, c = s.loc[("associational", INF)], s.loc[("causal", INF)]
    drop = a["test_accuracy"] - a["shifted_accuracy"]
    assert drop > 0.01 and drop > 2 * se_diff(a, a, "test_accuracy", "shifted_accuracy")
    rise = a["shifted_advantage"] - a["advantage"]
    assert rise > 0.03 and rise > 4 * se_diff(a, a, "advantage", "shifted_advantage")  # the apparent rise
    # the member-free control: the attack tells the environments apart, clearly
    assert a["shifted_baseline"] > 0.03 and a["shifted_baseline"] > 8 * a["shifted_baseline_se"]
    # ... and that is the whole rise: the membership part (shifted advantage minus control) does not rise
    membership = a["shifted_advantage"] - a["shifted_baseline"]
    assert membership == pytest.approx(a["advantage"], abs=1e-9)
    assert rise == pytest.approx(a["shifted_baseline"], abs=1e-9)
    # the small non-causal table: private, but neither robust nor blind to the environment
    m = s.loc[("small non-causal", INF)]
    assert abs(m["advantage"]) < 0.03
    assert m["test_accuracy"] - m["shifted_accuracy"] > 0.3 and m["shifted_accuracy"] < 0.55
    assert m["shifted_baseline"] > 0.4 and m["shifted_baseline"] > 20 * m["shifted_baseline_se"]
    assert m["shifted_advantage"] - m["shifted_baseline"] == pytest.approx(m["advantage"], abs=1e-9)
    # the causal model's losses do not depend on the environment: stable accuracy, no control, no leak
    assert abs(c["test_accuracy"] - c["shifted_accuracy"]) < 0.01
    assert abs(c["shifted_baseline"]) < 0.01 and abs(c["shifted_baseline"]) < 2 * c["shifted_baseline_se"]
    assert abs(c["advantage"] - c["shifted_advantage"]) < 0.02 and c["shifted_advantage"] < 0.03


def test_claim4_the_dp_bounds_cover_membership_not_the_environment(predictive, approx):
    a = predictive.loc[("associational", 0.1)]
    bound = privacy.advantage_bound(0.1)
    assert bound == approx(0.050) and privacy.yeom_bound(0.1) == approx(0.105)
    assert a["advantage"] + 2 * a["advantage_se"] <= bound  # membership: within the tight DP bound
    # against shifted non-members the attack "breaks" the bound, through the environment alone
    assert a["shifted_advantage"] > bound + 10 * a["shifted_advantage_se"]
    assert a["shifted_baseline"] > bound + 10 * a["shifted_baseline_se"]
    assert a["shifted_baseline"] / a["shifted_advantage"] > 0.9  # "almost all of it"


def test_claim4_prose_numbers(summary, predictive, approx):
    a, c = summary.loc[("associational", INF)], summary.loc[("causal", INF)]
    assert (a["test_accuracy"], a["shifted_accuracy"]) == (approx(0.700), approx(0.678))
    assert (a["advantage"], a["shifted_advantage"]) == (approx(0.613), approx(0.665))
    assert (a["shifted_baseline"], a["shifted_baseline_se"]) == (approx(0.052), approx(0.003))
    assert a["shifted_advantage"] - a["shifted_baseline"] == approx(0.613)
    assert (c["test_accuracy"], c["shifted_accuracy"], c["advantage"], c["shifted_advantage"]) == (
        approx(0.844), approx(0.847), approx(0.013), approx(0.010))
    assert (c["shifted_baseline"], c["shifted_baseline_se"]) == (approx(-0.003), approx(0.005))
    p, q = predictive.loc[("associational", INF)], predictive.loc[("causal", INF)]
    assert (p["test_accuracy"], p["shifted_accuracy"]) == (approx(0.940), approx(0.673))
    assert (p["advantage"], p["shifted_advantage"]) == (approx(0.007), approx(0.375))
    assert (p["shifted_baseline"], p["shifted_baseline_se"]) == (approx(0.368), approx(0.005))
    assert p["shifted_advantage"] - p["shifted_baseline"] == approx(0.007)
    assert (q["test_accuracy"], q["shifted_accuracy"], q["advantage"], q["shifted_advantage"]) == (
        approx(0.849), approx(0.850), approx(0.002), approx(0.000))
    assert (q["shifted_baseline"], q["shifted_baseline_se"]) == (approx(-0.001), approx(0.002))
    e = predictive.loc[("associational", 0.1)]
    assert (e["advantage"], e["shifted_advantage"], e["shifted_baseline"]) == (
        approx(0.005), approx(0.300), approx(0.296))
    assert privacy.yeom_bound(0.1) == approx(0.105)
    s, t = summary.loc[("small non-causal", INF)], predictive.loc[("small non-causal", INF)]
    assert (s["advantage"], s["advantage_se"], t["advantage"], t["advantage_se"]) == (
        approx(0.016), approx(0.006), approx(-0.002), approx(0.003))
    assert (s["test_accuracy"], s["shifted_accuracy"], t["test_accuracy"], t["shifted_accuracy"]) == (
        approx(0.897), approx(0.532), approx(0.900), approx(0.524))
    assert (s["shifted_baseline"], s["shifted_baseline_se"], t["shifted_baseline"], t["shifted_baseline_se"]) == (
        approx(0.434), approx(0.008), approx(0.437), approx(0.004))


def test_the_flip_exercise(approx):
    flip = R.summarise(R.simulate(n=1000, n_noncausal=2, reps=40, seed=2026, shifted_noise=0.9))
    a, c = flip.loc[("associational", INF)], flip.loc[("causal", INF)]
    pure = R.summarise(R.simulate(n=1000, n_noncausal=2, reps=40, seed=2026)).loc[("associational", INF)]
    assert a["shifted_accuracy"] < c["shifted_accuracy"] - 0.3  # "far below the causal predictor's"
    assert (a["shifted_accuracy"], c["shifted_accuracy"]) == (approx(0.165), approx(0.850))
    assert a["shifted_advantage"] > pure["shifted_advantage"] + 0.2 and a["shifted_advantage"] == pytest.approx(
        0.73, abs=0.01)
    # the control: the further rise is the environment again, membership stays where it was
    assert a["shifted_baseline"] > pure["shifted_baseline"] + 0.2
    assert a["shifted_baseline"] == pytest.approx(0.72, abs=0.01)
    assert a["shifted_advantage"] - a["shifted_baseline"] == pytest.approx(a["advantage"], abs=1e-9)
    assert a["advantage"] == approx(0.007)
    assert c["test_accuracy"] == approx(0.849) and c["shifted_accuracy"] == approx(0.850)
    assert abs(c["shifted_advantage"]) < 0.01 and abs(c["shifted_baseline"]) < 0.01
    s = flip.loc[("small non-causal", INF)]  # "fares worst"
    assert (s["test_accuracy"], s["shifted_accuracy"]) == (approx(0.900), approx(0.109))
    assert s["shifted_accuracy"] < a["shifted_accuracy"] and s["shifted_baseline"] == pytest.approx(0.76, abs=0.01)


# ---------------------------------------------------------------------------- claim 5: where it stops
def test_claim5_causal_pays_when_noncausal_fields_are_predictive(predictive, approx):
    m = records(2)
    exact_all = accuracy(attach(m, "Yhat", bayes_optimal(m, "Y", ["C1", "C2", "N1", "N2"])), "Yhat", "Y")
    exact_causal = accuracy(attach(m, "Yhat", bayes_optimal(m, "Y", ["C1", "C2"])), "Yhat", "Y")
    assert exact_all == approx(0.941) and exact_causal == approx(0.850)
    assert exact_all > exact_causal + 0.05
    a, c = predictive.loc[("associational", INF)], predictive.loc[("causal", INF)]
    assert a["test_accuracy"] > c["test_accuracy"] + 0.05
    assert a["test_accuracy"] - c["test_accuracy"] == pytest.approx(0.09, abs=0.005)
    assert abs(a["test_accuracy"] - exact_all) < 0.01 and abs(c["test_accuracy"] - exact_causal) < 0.01


def test_claim5_the_small_noncausal_table_wins_until_the_environment_changes(summary, approx):
    s, c = summary.loc[("small non-causal", INF)], summary.loc[("causal", INF)]
    assert (s["test_accuracy"], c["test_accuracy"]) == (approx(0.897), approx(0.844))
    assert s["test_accuracy"] - c["test_accuracy"] > 3 * se_diff(s, c, "test_accuracy", "test_accuracy")
    assert s["shifted_accuracy"] < c["shifted_accuracy"] - 0.25


def test_claim5_what_the_tight_bound_rules_out(approx):
    assert privacy.advantage_bound(0.5) == approx(0.245) and privacy.advantage_bound(1.0) == approx(0.462)
    assert privacy.advantage_bound(math.log(19)) == pytest.approx(0.9)  # below 0.9 only for eps < ln 19
    assert math.log(19) == pytest.approx(2.94, abs=5e-3)
    assert privacy.advantage_bound(2.94) < 0.9 < privacy.advantage_bound(2.95)


def test_claim5_dp_costs_utility_at_small_samples(small, approx):
    c = small.xs("causal", level="predictor")
    assert c.loc[(50, INF), "test_accuracy"] - c.loc[(50, 0.1), "test_accuracy"] > 0.15
    low = c.loc[(50, 0.1)]
    assert low["test_accuracy"] + 3 * low["test_accuracy_se"] < c.loc[(50, INF), "test_accuracy"]
    for eps in (0.1, 0.5, INF):  # with 1600 records the noise no longer matters
        assert abs(c.loc[(1600, eps), "test_accuracy"] - c.loc[(1600, INF), "test_accuracy"]) < 0.005
        assert c.loc[(1600, eps), "test_accuracy"] == approx(0.850)
    assert (c.loc[(50, 0.1), "test_accuracy"], c.loc[(50, 0.1), "test_accuracy_se"]) == (approx(0.567), approx(0.030))
    assert c.loc[(50, INF), "test_accuracy"] == approx(0.841)
    # with d = 0 both predictors are the same table
    a = small.xs("associational", level="predictor")
    assert np.allclose(a["test_accuracy"], c["test_accuracy"])


# ---------------------------------------------------------------------------- claim 6: the explorer
def test_claim6_explorer_sliders_and_frames():
    ex = R.records_explorer()
    assert [s.name for s in ex.sliders] == ["epsilon", "n", "d"]
    assert ex.n_frames <= 64
    assert {s.name: s.start for s in ex.sliders} == {"epsilon": "∞", "n": 200, "d": 10}


def test_claim6_what_the_explorer_shows():
    d0 = R._explorer_summary(0)
    for n in R.EXPLORER_SIZES:  # with d = 0 the two predictors coincide
        for eps in R.EXPLORER_EPSILONS:
            assert R._explorer_row(eps, n, 0, "associational")["test_accuracy"] == pytest.approx(
                R._explorer_row(eps, n, 0, "causal")["test_accuracy"])
    assert len(d0)
    memorising = R._explorer_row("∞", 50, 10, "associational")
    assert memorising["advantage"] > 0.4 and memorising["test_accuracy"] < 0.75
    learning, causal = R._explorer_row("∞", 1600, 2, "associational"), R._explorer_row("∞", 1600, 2, "causal")
    assert learning["test_accuracy"] > causal["test_accuracy"] + 0.05 and learning["advantage"] < 0.05
    finite = [eps for eps in R.EXPLORER_EPSILONS if eps != "∞"]
    assert len(R.EXPLORER_EPSILONS) >= 5 and len(finite) == len(R.EXPLORER_EPSILONS) - 1
    for eps in finite:  # the tight bound drawn in the frames holds for every frame's mean
        for n in R.EXPLORER_SIZES:
            for d in R.EXPLORER_D:
                for name in R.PREDICTORS:
                    row = R._explorer_row(eps, n, d, name)
                    assert (row is None) == (name == "small non-causal" and d < 2)
                    if row is not None:
                        assert row["advantage"] <= privacy.advantage_bound(float(eps)), (eps, n, d, name)


# ---------------------------------------------------------------------------- exercises
def test_exercise_numbers(summary, approx):
    assert summary.loc[("associational", INF), "gap"] == approx(0.299)
    answer = 2 * math.atanh(0.1)
    assert answer == pytest.approx(math.log(1.1 / 0.9)) and answer == pytest.approx(0.2007, abs=5e-5)
    assert privacy.advantage_bound(answer) == pytest.approx(0.1)
    assert math.log(1.1) == pytest.approx(0.0953, abs=5e-5) and math.log(1.1) < answer / 2  # "less than half"
    assert privacy.yeom_bound(math.log(1.1)) == pytest.approx(0.1)
    assert 0.1 < answer < 0.25  # "between the table's 0.1 and 0.25"
    c, s = summary.xs("causal", level="predictor"), summary.xs("small non-causal", level="predictor")
    assert (c.loc[0.1, "test_accuracy"], c.loc[0.1, "test_accuracy_se"]) == (approx(0.731), approx(0.020))
    assert (c.loc[0.25, "test_accuracy"], c.loc[0.25, "test_accuracy_se"]) == (approx(0.822), approx(0.010))
    assert (s.loc[0.1, "test_accuracy"], s.loc[0.1, "test_accuracy_se"]) == (approx(0.811), approx(0.016))
    assert (s.loc[0.25, "test_accuracy"], s.loc[0.25, "test_accuracy_se"]) == (approx(0.888), approx(0.005))
    a = summary.xs("associational", level="predictor")
    assert 0.49 <= round(a.loc[0.1, "test_accuracy"], 2) and round(a.loc[0.25, "test_accuracy"], 2) <= 0.50
    # the add/remove relation: one count moves by one, so the chapter's scale 2/eps gives eps/2
    X, y = R.draw(3, 20, np.random.default_rng(0))
    assert np.abs(privacy.count_table(X, y) - privacy.count_table(X[1:], y[1:])).sum() == 1


def test_the_audit_sees_the_same_picture_on_its_own_draws(summary, approx):
    import book

    model = R.records(10)
    for name, features, advantage, se in (("associational", R.feature_names(10), 0.597, 0.013),
                                          ("causal", R.CAUSES, -0.007, 0.006)):
        deployed = attach(model, "Yhat", bayes_optimal(model, "Y", list(features)))
        row = book.audit(deployed, "Yhat", "Y", n=200, reps=40, rng=np.random.default_rng(2026)).row("privacy")
        assert row.gap == approx(advantage) and row.standard_error == approx(se)
        # "within sampling error" of the experiment's estimate: less than 3 combined standard errors apart
        chapter = summary.loc[(name, INF)]
        combined = math.hypot(row.standard_error, chapter["advantage_se"])
        assert abs(row.gap - chapter["advantage"]) < 3 * combined
    assert summary.loc[("associational", INF), "advantage"] == approx(0.613)
    assert summary.loc[("causal", INF), "advantage"] == approx(0.013)
