"""Unit tests of book.metrics: the exact 0-1 risk, the sample accuracy, and the fairness metrics against fairlearn's."""

import zlib

import numpy as np
import pytest
from fairlearn import metrics as fl

from book import metrics
from book.models import hiring
from book.predictors import Predictor, RandomizedPredictor, attach, bayes_optimal, mixture


# ---------------------------------------------------------------- the exact risk and the sample accuracy
def test_expected_risk_by_hand():
    joint = {(0, 0): 0.4, (0, 1): 0.1, (1, 1): 0.5}  # P(X, Y)
    copy = Predictor(("X",), {(0,): 0, (1,): 1}, (0, 1))
    assert metrics.expected_risk(joint, copy) == pytest.approx(0.1)  # wrong only at X = 0, Y = 1
    unsure = RandomizedPredictor(("X",), {(0,): {0: 0.5, 1: 0.5}, (1,): {0: 0.0, 1: 1.0}}, (0, 1))
    assert metrics.expected_risk(joint, unsure) == pytest.approx(1 - (0.4 * 0.5 + 0.1 * 0.5 + 0.5))
    constant = RandomizedPredictor((), {(): {0: 0.0, 1: 1.0}}, (0, 1))
    assert metrics.expected_risk({(0,): 0.4, (1,): 0.6}, constant) == pytest.approx(0.4)


def test_expected_risk_agrees_with_the_attached_predictor_and_is_linear():
    model = hiring()
    h = bayes_optimal(model, "Y", ["Q", "P"])
    g = Predictor(("Q", "P"), {c: c[0] for c in h.table}, (0, 1))  # hires the qualified
    joint = model.joint(["Q", "P", "Y"])
    for f in (h, g):
        assert metrics.expected_risk(joint, f) == pytest.approx(metrics.risk(attach(model, "Yhat", f), "Yhat", "Y"))
    both = 0.7 * metrics.expected_risk(joint, h) + 0.3 * metrics.expected_risk(joint, g)
    assert metrics.expected_risk(joint, mixture(h, g, 0.3)) == pytest.approx(both)
    coin = RandomizedPredictor(("Q", "P"), {c: {0: 0.5, 1: 0.5} for c in h.table}, (0, 1))
    assert metrics.expected_risk(joint, coin) == pytest.approx(0.5)


def test_expected_risk_bad_input():
    joint = {(0, 0): 0.5, (2, 1): 0.5}
    with pytest.raises(ValueError, match=r"no decision for the feature values \(2,\)"):
        metrics.expected_risk(joint, Predictor(("X",), {(0,): 0, (1,): 1}, (0, 1)))
    with pytest.raises(ValueError, match="expected a Predictor or RandomizedPredictor, got dict"):
        metrics.expected_risk(joint, {(0,): 0.0, (2,): 1.0})


def test_sample_accuracy():
    assert metrics.sample_accuracy(np.array([1, 1]), np.array([1, 0])) == 0.5
    assert metrics.sample_accuracy([1, 0, 1, 1], [1, 0, 0, 1]) == 0.75  # lists are fine
    with pytest.raises(ValueError, match=r"non-empty and of one shape: \(0,\) vs \(0,\)"):
        metrics.sample_accuracy(np.array([]), np.array([]))
    with pytest.raises(ValueError, match=r"one shape: \(1,\) vs \(2,\)"):
        metrics.sample_accuracy(np.array([1]), np.array([1, 0]))


# ---------------------------------------------------------------- fairness metrics against fairlearn
NAMES = ["demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference",
         "equal_opportunity_difference"]


def random_case(rng, n, groups=2, weighted=False, labels=(0, 1)):
    y_true = rng.choice(labels, size=n)
    y_pred = rng.choice(labels, size=n)
    sf = rng.choice([f"g{k}" for k in range(groups)], size=n)
    weights = rng.uniform(0.1, 3.0, size=n) if weighted else None
    return y_true, y_pred, sf, weights


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("method", ["between_groups", "to_overall"])
@pytest.mark.parametrize("weighted", [False, True])
def test_agrees_with_fairlearn_on_random_inputs(name, method, weighted):
    rng = np.random.default_rng(zlib.crc32(f"{name}-{method}-{weighted}".encode()))
    for trial in range(15):
        n = int(rng.integers(20, 200))
        groups = int(rng.integers(2, 5))
        labels = (-1, 1) if trial % 5 == 4 else (0, 1)
        y_true, y_pred, sf, w = random_case(rng, n, groups, weighted, labels)
        ours = getattr(metrics, name)(y_true, y_pred, sensitive_features=sf, method=method, sample_weight=w)
        theirs = getattr(fl, name)(y_true, y_pred, sensitive_features=sf, method=method, sample_weight=w)
        assert ours == pytest.approx(float(theirs), abs=1e-12), (name, method, weighted, trial)


def test_equalized_odds_mean_aggregation_and_small_groups_agree():
    rng = np.random.default_rng(7)
    y_true, y_pred, sf, w = random_case(rng, 60, 3, True)
    for agg in ("worst_case", "mean"):
        assert metrics.equalized_odds_difference(y_true, y_pred, sensitive_features=sf, sample_weight=w, agg=agg) == \
            pytest.approx(fl.equalized_odds_difference(y_true, y_pred, sensitive_features=sf, sample_weight=w, agg=agg))
    # a group with no positive label: fairlearn (through sklearn) counts its true-positive rate as 0
    y_true = np.array([0, 0, 1, 1, 0, 1])
    y_pred = np.array([1, 0, 1, 0, 1, 1])
    sf = np.array(["a", "a", "b", "b", "b", "b"])
    for name in ("equalized_odds_difference", "equal_opportunity_difference"):
        assert getattr(metrics, name)(y_true, y_pred, sensitive_features=sf) == pytest.approx(
            getattr(fl, name)(y_true, y_pred, sensitive_features=sf))


def test_exact_population_values_agree_with_fairlearn_on_the_weighted_joint():
    model = hiring()
    m = attach(model, "Yhat", bayes_optimal(model, "Y", ["Q", "P"]))
    cols, w = metrics.population_arrays(m, ["Y", "Yhat", "A"])
    assert w.sum() == pytest.approx(1.0) and (w > 0).all()
    for name in NAMES:
        ours = getattr(metrics, name)(cols["Y"], cols["Yhat"], sensitive_features=cols["A"], sample_weight=w)
        theirs = getattr(fl, name)(cols["Y"], cols["Yhat"], sensitive_features=cols["A"], sample_weight=w)
        assert ours == pytest.approx(float(theirs), abs=1e-12)
    # and the population value is the exact group difference of selection rates
    rates = [m.query("Yhat", evidence={"A": a})[1] for a in (0, 1)]
    dp = metrics.demographic_parity_difference(cols["Y"], cols["Yhat"], sensitive_features=cols["A"], sample_weight=w)
    assert dp == pytest.approx(abs(rates[1] - rates[0]))


def test_population_arrays():
    cols, w = metrics.population_arrays(hiring(), ["A", "Q"], evidence={"A": 1})
    assert cols["A"].tolist() == [1, 1] and w.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="at least one variable"):
        metrics.population_arrays(hiring(), [])
    with pytest.raises(ValueError, match="unknown variable"):
        metrics.population_arrays(hiring(), ["Nope"])


@pytest.mark.parametrize("name", NAMES)
def test_bad_input(name):
    fn = getattr(metrics, name)
    with pytest.raises(ValueError, match="different lengths"):
        fn([0, 1, 1], [0, 1], sensitive_features=["a", "b"])
    with pytest.raises(ValueError, match="method must be one of"):
        fn([0, 1], [0, 1], sensitive_features=["a", "b"], method="pairwise")
    with pytest.raises(ValueError, match="empty"):
        fn([], [], sensitive_features=[])
    with pytest.raises(ValueError, match="sample_weight"):
        fn([0, 1], [0, 1], sensitive_features=["a", "b"], sample_weight=[1.0, -1.0])
    with pytest.raises(ValueError, match="one-dimensional"):
        fn([0, 1], [0, 1], sensitive_features=[["a", "x"], ["b", "y"]])


@pytest.mark.parametrize("name", ["equalized_odds_difference", "equal_opportunity_difference"])
def test_error_rate_metrics_need_binary_labels_like_fairlearn(name):
    y_true, y_pred, sf = [0, 1, 2, 1], [0, 1, 1, 1], ["a", "a", "b", "b"]
    with pytest.raises(ValueError, match="binary"):
        getattr(metrics, name)(y_true, y_pred, sensitive_features=sf)
    with pytest.raises(ValueError):
        getattr(fl, name)(y_true, y_pred, sensitive_features=sf)


def test_demographic_parity_accepts_any_labels_like_fairlearn():
    y_pred, sf = [2, 1, 0, 1], ["a", "a", "b", "b"]
    assert metrics.demographic_parity_difference([0] * 4, y_pred, sensitive_features=sf) == pytest.approx(
        fl.demographic_parity_difference([0] * 4, y_pred, sensitive_features=sf))


def test_equalized_odds_unknown_agg():
    with pytest.raises(ValueError, match="agg"):
        metrics.equalized_odds_difference([0, 1], [0, 1], sensitive_features=["a", "b"], agg="median")


# ---------------------------------------------------------------- the Wilson interval
def test_wilson_interval_by_hand_and_at_the_ends():
    low, high = metrics.wilson_interval(4, 10)
    z2 = 1.96**2
    centre = (0.4 + z2 / 20) / (1 + z2 / 10)
    half = 1.96 / (1 + z2 / 10) * np.sqrt(0.024 + z2 / 400)
    assert (low, high) == (pytest.approx(centre - half), pytest.approx(centre + half))
    assert metrics.wilson_interval(0, 10)[0] == 0.0 and metrics.wilson_interval(0, 10)[1] > 0.2
    assert metrics.wilson_interval(10, 10)[1] == 1.0 and metrics.wilson_interval(10, 10)[0] < 0.8


@pytest.mark.parametrize(
    ("args", "message"),
    [((1, 0), "trials must be a positive integer, got 0"),
     ((11, 10), r"successes must be an integer in \[0, 10\], got 11"), ((1.5, 10), "got 1.5"),
     ((1, 10, -1.0), "z must be positive, got -1.0")],
)
def test_wilson_interval_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        metrics.wilson_interval(*args)


def test_bootstrap_helpers_are_seeded_and_check_their_input():
    from book.metrics import bootstrap_rows, percentile_interval
    a = bootstrap_rows(10, 3, np.random.default_rng(5))
    assert a.shape == (3, 10) and a.min() >= 0 and a.max() < 10
    assert (a == bootstrap_rows(10, 3, np.random.default_rng(5))).all()
    assert percentile_interval([1.0, 1.0, 1.0]) == (1.0, 1.0)
    with pytest.raises(ValueError, match="reps"):
        bootstrap_rows(10, 0, np.random.default_rng(5))
    with pytest.raises(ValueError, match="rng"):
        bootstrap_rows(10, 2, 5)
    with pytest.raises(ValueError, match="level"):
        percentile_interval([1.0], level=1.0)
    with pytest.raises(ValueError, match="finite"):
        percentile_interval([])
