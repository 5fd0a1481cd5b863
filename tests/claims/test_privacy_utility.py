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
from book.predictors import attach, bayes_optimal

INF = math.inf


@pytest.fixture(scope="module")
def summary():
    return R.summarise(R.simulate(epsilons=R.EPSILONS, **R.HEADLINE))


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
    assert summary.loc[("associational", INF), "unique"] > 0.85
    assert summary.loc[("causal", INF), "unique"] == 0.0


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


def test_claim2_every_advantage_stays_below_yeoms_bound(summary):
    for eps in R.EPSILONS[:-1]:
        bound = privacy.yeom_bound(eps)
        for name in R.PREDICTORS:
            row = summary.loc[(name, eps)]
            assert row["advantage"] <= bound, (name, eps)
            if bound < 1:  # where the bound says something, it holds with two standard errors to spare
                assert row["advantage"] + 2 * row["advantage_se"] <= bound, (name, eps)


def test_claim2_the_bound_bites_only_at_small_epsilon(summary, approx):
    non_private = summary.loc[("associational", INF), "advantage"]
    biting = [eps for eps in R.EPSILONS[:-1] if privacy.yeom_bound(eps) < non_private]
    assert biting == [0.05, 0.1, 0.25]  # without DP the attack would break these bounds
    vacuous = [eps for eps in R.EPSILONS[:-1] if privacy.yeom_bound(eps) > 1]
    assert vacuous == [1.0, 2.0, 4.0, 8.0] and min(vacuous) > math.log(2)
    assert privacy.yeom_bound(0.05) == approx(0.051) and privacy.yeom_bound(0.25) == approx(0.284)


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
    c = summary.xs("causal", level="predictor")
    assert max(c["advantage"]) < 0.03  # the figure's "below 0.03"


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
    assert R.HEADLINE["n"] / 4 == 50  # "about 50 records" per causal cell


# ---------------------------------------------------------------------------- claim 4: privacy and robustness align
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
    # the causal model's losses do not depend on the environment: stable accuracy, no control, no leak
    assert abs(c["test_accuracy"] - c["shifted_accuracy"]) < 0.01
    assert abs(c["shifted_baseline"]) < 0.01 and abs(c["shifted_baseline"]) < 2 * c["shifted_baseline_se"]
    assert abs(c["advantage"] - c["shifted_advantage"]) < 0.02 and c["shifted_advantage"] < 0.03


def test_claim4_yeoms_bound_covers_membership_not_the_environment(predictive):
    a = predictive.loc[("associational", 0.1)]
    bound = privacy.yeom_bound(0.1)
    assert a["advantage"] + 2 * a["advantage_se"] <= bound  # membership: within the DP bound
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
    for eps in ("0.1", "0.5"):  # the bound drawn in the frames holds there too (with frame-level noise)
        for n in R.EXPLORER_SIZES:
            for d in R.EXPLORER_D:
                for name in R.PREDICTORS:
                    assert R._explorer_row(eps, n, d, name)["advantage"] <= privacy.yeom_bound(float(eps))


# ---------------------------------------------------------------------------- exercises
def test_exercise_numbers(summary, approx):
    assert summary.loc[("associational", INF), "gap"] == approx(0.299)
    assert math.log(1.1) == pytest.approx(0.0953, abs=5e-5) and math.log(1.1) < 0.1
    assert privacy.yeom_bound(math.log(1.1)) == pytest.approx(0.1)
    a, c = summary.loc[("associational", 0.1)], summary.loc[("causal", 0.1)]
    assert (c["test_accuracy"], c["test_accuracy_se"]) == (approx(0.731), approx(0.020))
    assert (a["test_accuracy"], a["test_accuracy_se"]) == (approx(0.492), approx(0.009))
    # the add/remove relation: one count moves by one, so the chapter's scale 2/eps gives eps/2
    X, y = R.draw(3, 20, np.random.default_rng(0))
    assert np.abs(privacy.count_table(X, y) - privacy.count_table(X[1:], y[1:])).sum() == 1
