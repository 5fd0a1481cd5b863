"""Unit tests of book.objectives.privacy, the chapter-5 module, the records SCM and chapter 5's self-checks."""

import math

import numpy as np
import pandas as pd
import pytest

from book.chapters import privacy_utility as R
from book.exercises import check_add_remove_sensitivity, check_epsilon_for_advantage, check_zero_one_advantage
from book.metrics import sample_accuracy
from book.models import records
from book.objectives import privacy
from book.viz.explorer import MAX_FRAMES


def small_data(seed=0, n=60, k=3):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 2, size=(n, k))
    y = (X[:, 0] ^ (rng.random(n) < 0.2)).astype(int)
    return X, y


# ---------------------------------------------------------------------------- the records SCM
def test_records_model_structure_and_exact_values():
    m = records(3)
    assert set(m.endogenous) == {"C1", "C2", "Y", "E", "N1", "N2", "N3"}
    assert m.parents("Y") == ("C1", "C2", "U_Y")
    assert m.query("Y")[1] == pytest.approx(0.75 * 0.85 + 0.25 * 0.15)
    # each non-causal feature copies Y with its own noise in E = 0 and noise 0.5 in E = 1
    assert m.probability({"N1": 1}, evidence={"Y": 1}) == pytest.approx(0.9)
    assert m.probability({"N2": 1}, evidence={"Y": 1}) == pytest.approx(0.8)
    assert m.probability({"N3": 1}, evidence={"Y": 1}) == pytest.approx(0.6)
    assert m.probability({"N3": 1}, evidence={"Y": 1}, do={"E": 1}) == pytest.approx(0.5)
    # the shift leaves C1, C2 -> Y alone
    assert m.query("Y", do={"E": 1}) == pytest.approx(m.query("Y"))
    assert "E" not in m.descendants(["C1"]) and m.descendants(["E"]) == {"E", "N1", "N2", "N3"}


def test_records_sampling_is_seeded_and_shift_applies():
    m = records(12)
    a = m.sample(2000, np.random.default_rng(3))
    b = m.sample(2000, np.random.default_rng(3))
    pd.testing.assert_frame_equal(a, b)
    assert (a["E"] == 0).all()
    agree = (a["N1"] == a["Y"]).mean()
    assert 0.87 < agree < 0.93
    shifted = m.sample(4000, np.random.default_rng(4), do={"E": 1})
    assert abs((shifted["N1"] == shifted["Y"]).mean() - 0.5) < 0.04


@pytest.mark.parametrize("bad", [-1, 17, 2.5, True])
def test_records_rejects_bad_feature_counts(bad):
    with pytest.raises(ValueError, match="n_noncausal"):
        records(bad)


def test_records_rejects_bad_probabilities():
    with pytest.raises(ValueError, match="label_noise"):
        records(2, label_noise=1.5)
    with pytest.raises(ValueError, match="noise of N1"):
        records(2, informative_noise=(-0.1,))


# ---------------------------------------------------------------------------- cells and counts
def test_cells_and_count_table():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1], [1, 1]])
    assert privacy.cells(X).tolist() == [0, 1, 2, 3, 3]
    counts = privacy.count_table(X, np.array([0, 1, 1, 0, 1]))
    assert counts.shape == (4, 2) and counts.sum() == 5
    assert counts.tolist() == [[1, 0], [0, 1], [0, 1], [1, 1]]


def test_count_table_bad_input():
    with pytest.raises(ValueError, match="empty"):
        privacy.count_table(np.zeros((0, 2), dtype=int), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match="binary"):
        privacy.count_table(np.array([[0, 2]]), np.array([1]))
    with pytest.raises(ValueError, match="binary"):
        privacy.count_table(np.array([[0, 1]]), np.array([0.5]))
    with pytest.raises(ValueError, match="one label per record"):
        privacy.count_table(np.array([[0, 1], [1, 1]]), np.array([1]))
    with pytest.raises(ValueError, match="2-D"):
        privacy.cells(np.array([0, 1]))
    with pytest.raises(ValueError, match="at most"):
        privacy.cells(np.zeros((1, privacy.MAX_FEATURES + 1), dtype=int))


# ---------------------------------------------------------------------------- the learner
def test_histogram_memorises_and_generalises():
    X, y = small_data()
    model = privacy.fit_histogram(X, y)
    assert model.n_features == 3 and model.epsilon == math.inf
    p = model.proba(X)
    assert ((0 < p) & (p < 1)).all()
    # the estimate follows the counts: the cell with counts (a, b) gets (b + pi) / (a + b + 1)
    counts = privacy.count_table(X, y)
    prior = (counts[:, 1].sum() + 1) / (counts.sum() + 2)
    cell = privacy.cells(X[:1])[0]
    assert p[0] == pytest.approx((counts[cell, 1] + prior) / (counts[cell].sum() + 1))
    assert sample_accuracy(model.predict(X), y) > 0.7
    predictions, losses = model.evaluate(X, y)
    np.testing.assert_array_equal(predictions, model.predict(X))
    np.testing.assert_allclose(losses, model.loss(X, y))
    assert np.isfinite(losses).all() and (losses > 0).all()


def test_unseen_cell_gets_the_prior():
    model = privacy.fit_histogram(np.array([[0], [0], [0]]), np.array([1, 1, 0]))
    assert model.proba(np.array([[1]]))[0] == pytest.approx((2 + 1) / (3 + 2))


def test_private_fit_is_seeded_and_noisy():
    X, y = small_data()
    a = privacy.fit_histogram(X, y, epsilon=0.5, rng=np.random.default_rng(1))
    b = privacy.fit_histogram(X, y, epsilon=0.5, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(a.counts, b.counts)
    assert not np.allclose(a.counts, privacy.count_table(X, y))
    # the same generator gives noise proportional to 2 / epsilon (common random numbers across epsilon)
    c = privacy.fit_histogram(X, y, epsilon=1.0, rng=np.random.default_rng(1))
    exact = privacy.count_table(X, y)
    np.testing.assert_allclose(a.counts - exact, 2 * (c.counts - exact))


def test_fit_histogram_bad_input():
    X, y = small_data()
    for bad in (0, -1.0, float("nan"), "1", True):
        with pytest.raises(ValueError, match="epsilon"):
            privacy.fit_histogram(X, y, epsilon=bad, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="needs an rng"):
        privacy.fit_histogram(X, y, epsilon=1.0)
    with pytest.raises(ValueError, match="alpha"):
        privacy.fit_histogram(X, y, alpha=0)
    with pytest.raises(ValueError, match="empty"):
        privacy.fit_histogram(X[:0], y[:0])
    model = privacy.fit_histogram(X, y)
    with pytest.raises(ValueError, match="reads 3"):
        model.proba(X[:, :2])
    with pytest.raises(ValueError, match="one label per record"):
        model.loss(X, y[:-1])


# ---------------------------------------------------------------------------- the mechanism: epsilon is exact
def neighbouring_tables(seed=0):
    X, y = small_data(seed)
    X2, y2 = privacy.replace_record(X, y, 5, 1 - X[5], 1 - y[5])
    return privacy.count_table(X, y).astype(float), privacy.count_table(X2, y2).astype(float)


def test_replace_record_changes_exactly_one_record():
    X, y = small_data()
    X2, y2 = privacy.replace_record(X, y, 5, 1 - X[5], 1 - y[5])
    assert (X2 != X).any(axis=1).sum() == 1 and (y2 != y).sum() == 1
    assert (X[5] == small_data()[0][5]).all()  # the original is untouched
    with pytest.raises(ValueError, match="index"):
        privacy.replace_record(X, y, len(X), X[0], 0)
    with pytest.raises(ValueError, match="features"):
        privacy.replace_record(X, y, 0, np.array([0, 1]), 0)
    with pytest.raises(ValueError, match="binary"):
        privacy.replace_record(X, y, 0, X[0], 2)


def test_replacing_one_record_moves_the_table_by_l1_distance_two():
    counts, neighbour = neighbouring_tables()
    assert np.abs(counts - neighbour).sum() == privacy.SENSITIVITY == 2


@pytest.mark.parametrize("epsilon", [0.05, 0.5, 1.0, 4.0])
def test_density_ratio_is_at_most_e_epsilon_everywhere_and_attained(epsilon):
    """Differential privacy checked exactly: the log density ratio at many outputs."""
    counts, neighbour = neighbouring_tables()
    rng = np.random.default_rng(11)
    # outputs from both data sets' mechanisms, and uniformly spread points around the counts
    z = np.concatenate([
        np.stack([privacy.laplace_mechanism(counts, epsilon, rng) for _ in range(300)]),
        np.stack([privacy.laplace_mechanism(neighbour, epsilon, rng) for _ in range(300)]),
        counts + rng.uniform(-20, 20, size=(300, *counts.shape)),
    ])
    loss = privacy.privacy_loss(z, counts, neighbour, epsilon)
    assert loss.shape == (900,)
    assert np.abs(loss).max() <= epsilon + 1e-12
    worst = privacy.privacy_loss(privacy.worst_case_output(counts, neighbour), counts, neighbour, epsilon)
    assert float(worst) == pytest.approx(epsilon, abs=1e-12)  # the bound is attained: epsilon is exact
    reverse = privacy.privacy_loss(privacy.worst_case_output(neighbour, counts), counts, neighbour, epsilon)
    assert float(reverse) == pytest.approx(-epsilon, abs=1e-12)


def test_miscalibrated_noise_breaks_the_guarantee():
    counts, neighbour = neighbouring_tables()
    worst = privacy.privacy_loss(privacy.worst_case_output(counts, neighbour), counts, neighbour, 1.0, sensitivity=1)
    assert float(worst) == pytest.approx(2.0)


def test_statistical_check_of_the_private_predictor():
    """Post-processing keeps the guarantee: P(prediction = 1 in the changed cell) moves by at most e^eps."""
    X, y = small_data(n=40)
    X2, y2 = privacy.replace_record(X, y, 0, X[0], 1 - y[0])  # same cell, other label
    epsilon, draws = 0.5, 5000
    point = X[:1]
    rates = []
    for data in ((X, y), (X2, y2)):
        rng = np.random.default_rng(5)
        hits = sum(privacy.fit_histogram(*data, epsilon=epsilon, rng=rng).predict(point)[0] for _ in range(draws))
        rates.append(hits / draws)
    for a, b in (rates, rates[::-1]):
        # 4 binomial standard errors of slack on the ratio
        slack = 4 * math.sqrt(a * (1 - a) / draws) + 4 * math.sqrt(b * (1 - b) / draws)
        assert a <= math.exp(epsilon) * (b + slack)
    assert rates[0] != rates[1]  # the record does matter, within the factor


def test_laplace_density_and_bad_input():
    assert float(privacy.laplace_log_density(np.array([1.0]), np.array([0.0]), 1.0, sensitivity=1.0)) == (
        pytest.approx(-math.log(2) - 1)
    )
    with pytest.raises(ValueError, match="no density"):
        privacy.laplace_log_density(np.array([0.0]), np.array([0.0]), math.inf)
    with pytest.raises(ValueError, match="shape"):
        privacy.laplace_log_density(np.zeros((3, 2)), np.zeros(3), 1.0)
    with pytest.raises(ValueError, match="sensitivity"):
        privacy.laplace_mechanism(np.zeros(2), 1.0, np.random.default_rng(0), sensitivity=0)
    with pytest.raises(TypeError, match="Generator"):
        privacy.laplace_mechanism(np.zeros(2), 1.0, 0)
    with pytest.raises(ValueError, match="epsilon"):
        privacy.laplace_mechanism(np.zeros(2), 0.0, np.random.default_rng(0))
    np.testing.assert_array_equal(privacy.laplace_mechanism(np.ones(2), math.inf, np.random.default_rng(0)), [1, 1])
    with pytest.raises(ValueError, match="one shape"):
        privacy.privacy_loss(np.zeros(2), np.zeros(2), np.zeros(3), 1.0)
    with pytest.raises(ValueError, match="shape"):
        privacy.worst_case_output(np.zeros(2), np.zeros(3))


def test_laplace_noise_has_the_calibrated_scale():
    noisy = privacy.laplace_mechanism(np.zeros(200000), 0.5, np.random.default_rng(2))
    assert np.mean(np.abs(noisy)) == pytest.approx(2 / 0.5, rel=0.02)  # E|Lap(b)| = b = sensitivity / epsilon


# ---------------------------------------------------------------------------- attacks
def test_threshold_attack_auc_and_best_threshold():
    members, nonmembers = np.array([0.1, 0.2, 0.9]), np.array([0.5, 0.8, 1.0])
    r = privacy.threshold_attack(members, nonmembers, 0.5)
    assert (r.tpr, r.fpr) == (pytest.approx(2 / 3), pytest.approx(1 / 3))
    assert r.advantage == pytest.approx(1 / 3) and r.balanced_accuracy == pytest.approx(2 / 3)
    assert privacy.attack_auc(members, nonmembers) == pytest.approx(7 / 9)
    assert privacy.attack_auc(np.array([1.0, 1.0]), np.array([1.0])) == 0.5  # ties count half
    assert privacy.best_threshold_advantage(members, nonmembers) == pytest.approx(2 / 3)
    assert privacy.best_threshold_advantage(nonmembers + 5, members) == 0.0


def test_auc_matches_the_pairwise_definition():
    rng = np.random.default_rng(8)
    m, n = rng.integers(0, 5, 40).astype(float), rng.integers(0, 5, 30).astype(float)
    pairs = np.mean([(a < b) + 0.5 * (a == b) for a in m for b in n])
    assert privacy.attack_auc(m, n) == pytest.approx(pairs)


def test_attack_bad_input():
    with pytest.raises(ValueError, match="member_losses"):
        privacy.threshold_attack(np.array([]), np.array([1.0]), 0.5)
    with pytest.raises(ValueError, match="non-finite"):
        privacy.attack_auc(np.array([np.inf]), np.array([1.0]))
    with pytest.raises(ValueError, match="threshold"):
        privacy.threshold_attack(np.array([1.0]), np.array([1.0]), math.nan)
    with pytest.raises(ValueError, match="nonmember_losses"):
        privacy.best_threshold_advantage(np.array([1.0]), np.zeros((2, 2)))


def test_shadow_threshold_is_the_shadow_models_mean_training_loss():
    X, y = small_data()
    shadow = privacy.fit_histogram(X, y)
    assert privacy.shadow_threshold(shadow, X, y) == pytest.approx(shadow.loss(X, y).mean())


def test_yeom_bound():
    assert privacy.yeom_bound(math.log(2)) == pytest.approx(1.0)
    assert privacy.yeom_bound(0.1) == pytest.approx(math.e ** 0.1 - 1)
    with pytest.raises(ValueError, match="epsilon"):
        privacy.yeom_bound(-1)


@pytest.mark.parametrize("epsilon", [1e-6, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, math.log(3), 4.0, 8.0, 12.0])
def test_advantage_bound_is_the_closed_form_and_below_yeoms(epsilon):
    bound = privacy.advantage_bound(epsilon)
    assert bound == pytest.approx((math.exp(epsilon) - 1) / (math.exp(epsilon) + 1), rel=1e-12)
    assert 0 < bound < 1 and bound < privacy.yeom_bound(epsilon)
    # the corner of the two DP constraints TPR <= e^eps FPR and 1 - FPR <= e^eps (1 - TPR)
    fpr, tpr = 1 / (1 + math.exp(epsilon)), math.exp(epsilon) / (1 + math.exp(epsilon))
    assert tpr == pytest.approx(math.exp(epsilon) * fpr) and 1 - fpr == pytest.approx(math.exp(epsilon) * (1 - tpr))
    assert tpr - fpr == pytest.approx(bound)


def test_advantage_bound_limits_and_bad_input():
    assert privacy.advantage_bound(math.log(3)) == pytest.approx(0.5)
    assert privacy.advantage_bound(math.inf) == 1.0
    assert privacy.advantage_bound(1e-3) == pytest.approx(privacy.yeom_bound(1e-3) / 2, rel=1e-3)  # half, small eps
    for bad in (0, -1.0, float("nan"), "1", True):
        with pytest.raises(ValueError, match="epsilon"):
            privacy.advantage_bound(bad)


@pytest.mark.parametrize("epsilon", [0.1, 1.0, 3.0])
def test_advantage_bound_is_attained_by_randomised_response(epsilon):
    """Exactly: one bit reported truthfully with probability e^eps / (1 + e^eps) is eps-DP, and the best test
    between its two neighbouring inputs (guess the reported bit) has advantage TPR - FPR equal to the bound."""
    keep = math.exp(epsilon) / (1 + math.exp(epsilon))
    report = {0: {0: keep, 1: 1 - keep}, 1: {0: 1 - keep, 1: keep}}  # P(report | bit)
    ratios = [report[0][r] / report[1][r] for r in (0, 1)]
    assert max(max(ratios), 1 / min(ratios)) == pytest.approx(math.exp(epsilon))  # eps-DP, attained
    tpr, fpr = report[1][1], report[0][1]  # say "bit 1" when the report is 1
    assert tpr - fpr == pytest.approx(privacy.advantage_bound(epsilon))


@pytest.mark.parametrize("epsilon", [0.1, 1.0, 4.0])
def test_the_laplace_mechanism_respects_the_bound(epsilon):
    """The best test between Lap(0, b) and Lap(2, b), b = 2 / eps, has advantage equal to their total
    variation 1 - exp(-eps / 2): below the bound, as it must be."""
    b = privacy.SENSITIVITY / epsilon
    z = np.linspace(-60 * b, 60 * b, 400001)
    p, q = np.exp(-np.abs(z) / b) / (2 * b), np.exp(-np.abs(z - privacy.SENSITIVITY) / b) / (2 * b)
    total_variation = 0.5 * np.sum(np.abs(p - q)) * (z[1] - z[0])
    assert total_variation == pytest.approx(1 - math.exp(-epsilon / 2), abs=1e-4)
    assert total_variation < privacy.advantage_bound(epsilon)


# ---------------------------------------------------------------------------- the experiment runner
def test_draw_unique_fraction_and_feature_names():
    X, y = R.draw(4, 100, np.random.default_rng(0))
    assert X.shape == (100, 6) and set(np.unique(X)) <= {0, 1} and set(np.unique(y)) <= {0, 1}
    assert R.feature_names(0) == ("C1", "C2")
    assert privacy.unique_fraction(np.array([[0], [0]])) == 0.0
    assert privacy.unique_fraction(np.array([[0, 1], [0, 1], [1, 1]])) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="at least one record"):
        privacy.unique_fraction(np.zeros((0, 2), dtype=int))


def test_simulate_is_seeded_and_summarised():
    a = R.simulate(n=40, n_noncausal=3, epsilons=(1.0, math.inf), reps=3, seed=1)
    b = R.simulate(n=40, n_noncausal=3, epsilons=(1.0, math.inf), reps=3, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 3 * 3 * 2 and set(R.METRICS) <= set(a.columns)  # reps x predictors x epsilons
    a.loc[0, "gap"] = 99.0  # the cache hands out copies
    assert R.simulate(n=40, n_noncausal=3, epsilons=(1.0, math.inf), reps=3, seed=1).loc[0, "gap"] != 99.0
    s = R.summarise(b)
    assert list(s.index.names) == ["predictor", "epsilon"]
    rows = b[(b.predictor == "causal") & (b.epsilon == 1.0)]["advantage"]
    assert s.loc[("causal", 1.0), "advantage"] == pytest.approx(rows.mean())
    assert s.loc[("causal", 1.0), "advantage_se"] == pytest.approx(rows.std(ddof=1) / math.sqrt(3))
    t = R.table(s, ["advantage", "gap"])
    assert list(t.columns) == ["attack advantage", "train - test"] and " ± " in t.iloc[0, 0]
    assert b["gap"].to_numpy() == pytest.approx((b["train_accuracy"] - b["test_accuracy"]).to_numpy())


def test_the_three_predictors_read_what_they_claim():
    runs = R.simulate(n=60, n_noncausal=3, reps=2, seed=7)
    assert list(runs["predictor"].unique()) == list(R.PREDICTORS)
    assert R.SMALL_NONCAUSAL == ("N1", "N2") and R.feature_names(3)[2:4] == R.SMALL_NONCAUSAL
    samples = R._draw_all(3, 60, 2, 7, {})
    X, y = samples["train"][0][0], samples["train"][1][0]
    Xt, yt = samples["test"][0][0], samples["test"][1][0]
    for name, columns in (("associational", slice(None)), ("causal", slice(0, 2)), ("small non-causal", slice(2, 4))):
        model = privacy.fit_histogram(X[:, columns], y)
        expected = sample_accuracy(model.predict(Xt[:, columns]), yt)
        got = runs[(runs.predictor == name) & (runs.rep == 0)]["test_accuracy"].item()
        assert got == pytest.approx(expected), name
    # with fewer than two non-causal fields there is nothing for the small non-causal predictor to read
    assert "small non-causal" not in set(R.simulate(n=30, n_noncausal=1, reps=2)["predictor"])
    assert "small non-causal" not in set(R.simulate(n=30, n_noncausal=0, reps=2)["predictor"])


def test_noise_cost_is_paired_over_repetitions():
    runs = R.simulate(n=40, n_noncausal=2, epsilons=(0.3, math.inf), reps=4, seed=2)
    per_rep = runs[runs.predictor == "causal"].pivot(index="rep", columns="epsilon", values="test_accuracy")
    d = per_rep[math.inf] - per_rep[0.3]
    cost, se = R.noise_cost(runs, "causal", 0.3)
    assert cost == pytest.approx(d.mean()) and se == pytest.approx(d.std(ddof=1) / 2)
    assert R.noise_cost(runs, "causal", math.inf) == (0.0, 0.0)
    gap_cost, _ = R.noise_cost(runs, "associational", 0.3, metric="gap")
    g = runs[runs.predictor == "associational"].pivot(index="rep", columns="epsilon", values="gap")
    assert gap_cost == pytest.approx((g[math.inf] - g[0.3]).mean())
    with pytest.raises(ValueError, match="no runs of the predictor"):
        R.noise_cost(runs, "oracle", 0.3)
    with pytest.raises(ValueError, match="no epsilon"):
        R.noise_cost(runs, "causal", 0.7)
    with pytest.raises(ValueError, match="unknown metric"):
        R.noise_cost(runs, "causal", 0.3, metric="accuracy")
    sized = R.simulate(sizes=(20, 40), n_noncausal=2, epsilons=(0.3, math.inf), reps=2, seed=2)
    with pytest.raises(ValueError, match="several sizes"):
        R.noise_cost(sized, "causal", 0.3)
    assert R.noise_cost(sized, "causal", 0.3, n=40) == R.noise_cost(sized[sized.n == 40], "causal", 0.3)


def test_simulate_with_sizes_uses_common_samples():
    runs = R.simulate(sizes=(20, 40), n_noncausal=2, reps=2, seed=3)
    s = R.summarise(runs)
    assert list(s.index.names) == ["n", "predictor", "epsilon"]
    single = R.simulate(sizes=(40,), n_noncausal=2, reps=2, seed=3)
    merged = runs[runs.n == 40].reset_index(drop=True)
    pd.testing.assert_frame_equal(merged, single)


def test_simulate_bad_input():
    with pytest.raises(ValueError, match="n must be"):
        R.simulate(n=0)
    with pytest.raises(ValueError, match="reps"):
        R.simulate(n=10, reps=1)
    with pytest.raises(ValueError, match="epsilon"):
        R.simulate(n=10, reps=2, epsilons=(0.0,))
    with pytest.raises(ValueError, match="at least one value"):
        R.simulate(n=10, reps=2, epsilons=())
    with pytest.raises(ValueError, match="sizes"):
        R.simulate(sizes=(), reps=2)
    with pytest.raises(ValueError, match="unknown metric"):
        R.table(R.summarise(R.simulate(n=20, n_noncausal=1, reps=2)), ["accuracy"])
    with pytest.raises(ValueError, match="no runs"):
        R.summarise(pd.DataFrame(columns=["n", "predictor", "epsilon", *R.METRICS]))


def test_tables_and_figures():
    s = R.summarise(R.simulate(n=30, n_noncausal=2, epsilons=(0.5, math.inf), reps=2, seed=4))
    bt = R.bound_table(s)
    assert list(bt.index) == ["0.5"] and bt.loc["0.5", "Yeom's e^ε − 1"] == f"{math.expm1(0.5):.3f}"
    assert bt.loc["0.5", "tight bound"] == f"{math.tanh(0.25):.3f}"
    assert list(bt.columns[2:]) == [f"advantage, {p}" for p in R.PREDICTORS]
    row = s.loc[("causal", 0.5)]
    assert bt.loc["0.5", "advantage, causal"] == f"{row['advantage']:.3f} ± {row['advantage_se']:.3f}"
    acc = R.by_epsilon(s, "test_accuracy")
    assert list(acc.index) == ["0.5", "∞"] and list(acc.columns) == list(R.PREDICTORS)
    with pytest.raises(ValueError, match="unknown metric"):
        R.by_epsilon(s, "accuracy")
    with pytest.raises(ValueError, match="several sizes"):
        R.by_epsilon(R.summarise(R.simulate(sizes=(20, 30), n_noncausal=2, reps=2, seed=4)), "advantage")
    with pytest.raises(ValueError, match="unknown predictor"):
        R.privacy_frontier_figure(s, ["oracle"])
    st = R.shift_table({"a": s})
    assert st.index.names == ["setting", "predictor"] and "accuracy after shift" in st.columns
    with pytest.raises(ValueError, match="finite epsilon"):
        R.bound_table(R.summarise(R.simulate(n=30, n_noncausal=2, reps=2, seed=4)))
    import matplotlib.pyplot as plt

    for fig in (R.privacy_frontier_figure(s), R.privacy_frontier_figure(s, ["causal"]), R.bound_figure(s)):
        assert fig.axes
        plt.close(fig)
    alt = R.privacy_frontier_alt(s)
    assert "causal predictor (blue" in alt and "small non-causal predictor (bluish green, reads N1, N2)" in alt
    assert "causal" not in R.privacy_frontier_alt(s, ["associational"])
    assert "(e^epsilon - 1)/(e^epsilon + 1)" in R.bound_alt(s) and "e^epsilon - 1, dashed" in R.bound_alt(s)
    assert "-0.00" not in R.bound_alt(s) + alt
    # without the small non-causal predictor (d < 2) the figures and alt texts show the other two
    two = R.summarise(R.simulate(n=30, n_noncausal=1, epsilons=(0.5, math.inf), reps=2, seed=4))
    assert "small non-causal" not in R.privacy_frontier_alt(two) + R.bound_alt(two)
    assert "causal (blue) predictors" in R.bound_alt(two)
    for fig in (R.privacy_frontier_figure(two), R.bound_figure(two)):
        plt.close(fig)
    assert R._two(-0.001) == "0.00"


def test_frontier_labels_group_coinciding_points():
    import pandas as pd

    part = pd.DataFrame({"advantage": [0.0, 0.001, 0.5], "test_accuracy": [0.8, 0.8, 0.6]},
                        index=pd.Index([1.0, math.inf, 0.1], name="epsilon")).sort_index()
    groups = R._label_groups(part, (0.5, 0.2))
    assert [g[0] for g in groups] == [(0.1, 0.1), (1.0, math.inf)]


def test_explorer_grid_and_frames():
    ex = R.records_explorer()
    assert ex.n_frames == len(R.EXPLORER_EPSILONS) * len(R.EXPLORER_SIZES) * len(R.EXPLORER_D) <= MAX_FRAMES
    assert ex.frame(epsilon="0.5", n=50, d=2)[:4] == b"\x89PNG"
    alt = ex.alt_text(epsilon="0.5", n=50, d=2)
    assert "bound" in alt and "50 training records" in alt and f"{math.tanh(0.25):.2f}" in alt
    assert "(small non-causal)" in alt and "accuracy after shift" in alt
    assert "no DP bound" in ex.alt_text(epsilon="∞", n=50, d=2)
    assert "needs d of at least 2" in ex.alt_text(epsilon="0.5", n=50, d=0)
    assert R._explorer_row("0.5", 50, 0, "small non-causal") is None
    assert ex.frame(epsilon="0.5", n=50, d=0)[:4] == b"\x89PNG"  # drawn with "n/a" in place of its bars


# ---------------------------------------------------------------------------- self-checks
def test_self_checks_give_feedback():
    assert check_add_remove_sensitivity(1)
    assert "replaced" in repr(check_add_remove_sensitivity(2))
    assert not check_add_remove_sensitivity(None)
    assert check_epsilon_for_advantage(math.log(1.1 / 0.9))
    assert check_epsilon_for_advantage(2 * math.atanh(0.1))
    assert check_epsilon_for_advantage(2 * math.atanh(0.3), target=0.3)
    assert "Yeom" in repr(check_epsilon_for_advantage(math.log(1.1)))  # the looser bound, a named mistake
    assert "tanh(ε/2)" in repr(check_epsilon_for_advantage(math.atanh(0.1)))
    assert "not the largest" in repr(check_epsilon_for_advantage(0.3, target=0.3))
    assert "ln 2" in repr(check_epsilon_for_advantage(math.log(2)))
    assert "above the target" in repr(check_epsilon_for_advantage(1.5))  # not "not a probability"
    assert "below the target" in repr(check_epsilon_for_advantage(0.15))
    assert "positive" in repr(check_epsilon_for_advantage(-1))
    assert not check_epsilon_for_advantage(None) and "number" in repr(check_epsilon_for_advantage("x"))
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError, match="target"):
            check_epsilon_for_advantage(0.2, target=bad)
    s = R.summarise(R.simulate(epsilons=R.EPSILONS, **R.HEADLINE))
    a = s.loc[("associational", math.inf)]
    assert check_zero_one_advantage(a["gap"])
    assert check_zero_one_advantage(a["train_accuracy"] - a["test_accuracy"])
    assert "loss-threshold" in repr(check_zero_one_advantage(a["advantage"]))
    assert "causal" in repr(check_zero_one_advantage(s.loc[("causal", math.inf), "gap"]))
    assert "FPR" in repr(check_zero_one_advantage(a["test_accuracy"]))


# ---------------------------------------------------------------------------- chapter 9 additions
def test_cell_features_and_probabilities():
    assert privacy.cell_features(3)[5].tolist() == [1, 0, 1]
    assert privacy.cells(privacy.cell_features(4)).tolist() == list(range(16))
    X, y = small_data()
    m = privacy.fit_histogram(X, y)
    assert privacy.cell_probabilities(m)[privacy.cells(X)].tolist() == pytest.approx(m.proba(X).tolist())
    with pytest.raises(ValueError, match="k must be an integer"):
        privacy.cell_features(-1)


def test_shadow_rule_and_rule_attack():
    rule = privacy.shadow_rule(np.array([5.0, 6.0, 7.0]), np.array([0.0, 1.0, 2.0]))
    assert rule == (5.0, 1)
    r = privacy.rule_attack(np.array([5.0, 9.0]), np.array([1.0, 6.0]), rule)
    assert (r.tpr, r.fpr, r.advantage) == (1.0, 0.5, 0.5)
    assert privacy.shadow_rule(np.array([0.0, 1.0]), np.array([5.0, 6.0]))[1] == -1
    # the same statistic for members and non-members: no rule does better than chance on fresh draws
    rng = np.random.default_rng(0)
    rule = privacy.shadow_rule(rng.normal(size=500), rng.normal(size=500))
    assert abs(privacy.rule_attack(rng.normal(size=4000), rng.normal(size=4000), rule).advantage) < 0.05


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: privacy.shadow_rule(np.array([]), np.array([1.0])), "shadow_members must be a non-empty"),
        (lambda: privacy.shadow_rule(np.array([1.0]), np.array([np.nan])), "shadow_nonmembers contains a non-finite"),
        (lambda: privacy.rule_attack(np.array([1.0]), np.array([1.0]), (0.5, 0)), "side must be"),
        (lambda: privacy.rule_attack(np.array([1.0]), np.array([1.0]), (math.inf, 1)), "threshold must be finite"),
    ],
)
def test_shadow_rule_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_outcome_after_matches_the_scms_counterfactual():
    from book.models.records import outcome_after

    m = records(1)
    for c1, c2, y, n1 in [(1, 0, 1, 1), (0, 0, 1, 0), (1, 1, 0, 1), (0, 1, 0, 0)]:
        x = {"C1": c1, "C2": c2, "N1": n1, "E": 0}
        for new in [(0, 0), (1, 0), (0, 1)]:
            exact = m.counterfactual("Y", evidence={**x, "Y": y}, do={"C1": new[0], "C2": new[1]})[0]
            got = outcome_after(np.array([[c1, c2, n1]]), np.array([y]), np.array([[*new, n1]]))[0]
            assert exact == pytest.approx(float(got == 0))  # abduction pins U_Y: the answer is certain
    X = np.array([[1, 0, 1]])
    assert outcome_after(X, np.array([1]), np.array([[1, 0, 0]])).tolist() == [1]  # effects change nothing
    with pytest.raises(ValueError, match="one shape"):
        outcome_after(X, np.array([1]), np.array([[1, 0]]))
    with pytest.raises(ValueError, match="X_new must be binary"):
        outcome_after(X, np.array([1]), np.array([[2, 0, 0]]))
