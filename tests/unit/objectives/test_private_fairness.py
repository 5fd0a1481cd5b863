"""Unit tests of book.objectives.private_fairness: closed forms against simulation, and bad input."""

import math

import numpy as np
import pytest

from book.models.lending import lending
from book.objectives import private_fairness as pf
from book.objectives.fairness import decision_change, switch_coupling
from book.objectives.privacy import laplace_mechanism
from book.predictors import RandomizedPredictor


@pytest.fixture(scope="module")
def table():
    return pf.group_table(lending(), "A", ["Q"], "Y")


def test_group_table_sums_to_the_groups(table):
    assert table.shape == (2, 4, 2)
    assert table.sum() == pytest.approx(1.0)
    assert table[1].sum() == pytest.approx(0.1)


def test_group_table_rejects_the_attribute_among_features():
    with pytest.raises(ValueError, match="'A'"):
        pf.group_table(lending(), "A", ["A", "Q"], "Y")


def test_laplace_difference_sf_matches_simulation():
    rng = np.random.default_rng(0)
    draws = rng.laplace(0, 2.0, 200_000) - rng.laplace(0, 2.0, 200_000)
    for z in (-3.0, 0.0, 1.5, 5.0):
        p = float(pf.laplace_difference_sf(z, 2.0))
        se = math.sqrt(p * (1 - p) / len(draws))
        assert abs(np.mean(draws > z) - p) < 4 * se + 1e-4


@pytest.mark.parametrize("scale", [0, -1.0, math.inf, "1"])
def test_laplace_difference_sf_bad_scale(scale):
    with pytest.raises(ValueError, match="scale"):
        pf.laplace_difference_sf(0.0, scale)


@pytest.mark.parametrize("eps", [math.inf, 1.0, 0.2])
def test_majority_vote_probability_matches_simulation(eps):
    n, p0, p1, reps = 60, 0.05, 0.07, 40_000
    rng = np.random.default_rng(1)
    counts = rng.multinomial(n, [p0, p1, 1 - p0 - p1], size=reps)[:, :2].astype(float)
    noisy = laplace_mechanism(counts, eps, rng)
    approve = np.mean(noisy[:, 1] > noisy[:, 0])
    p = pf.majority_vote_probability(n, p0, p1, eps)
    assert abs(approve - p) < 4 * math.sqrt(p * (1 - p) / reps) + 1e-4


def test_majority_vote_without_noise_denies_ties():
    assert pf.majority_vote_probability(5, 0.0, 0.0, math.inf) == 0.0
    assert pf.majority_vote_probability(5, 0.0, 0.0, 1.0) == pytest.approx(0.5)
    assert pf.majority_vote_probability(1, 0.0, 1.0, math.inf) == pytest.approx(1.0)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"epsilon": 0.0}, "epsilon"), ({"epsilon": -1.0}, "epsilon"), ({"n": 0}, "n"),
    ({"p_negative": 1.5}, "p_negative"), ({"p_positive": -0.1}, "p_positive"),
    ({"p_negative": 0.7, "p_positive": 0.7}, "at most 1"),
])
def test_majority_vote_bad_input(kwargs, name):
    args = {"n": 10, "p_negative": 0.2, "p_positive": 0.3, "epsilon": 1.0} | kwargs
    with pytest.raises(ValueError, match=name):
        pf.majority_vote_probability(args["n"], args["p_negative"], args["p_positive"], args["epsilon"])


def test_expected_group_accuracy_matches_simulation(table):
    n, eps, reps = 300, 0.5, 3000
    rng = np.random.default_rng(2)
    joint = table.reshape(-1)
    counts = rng.multinomial(n, joint, size=reps).reshape(reps, 2, 4, 2).astype(float)
    noisy = laplace_mechanism(counts, eps, rng)
    h = (noisy[..., 1] > noisy[..., 0]).astype(float)
    sampled = pf.policy_rates(table, h).accuracy
    exact = pf.expected_group_accuracy(table, n, eps, reads_attribute=True)
    se = sampled.std(axis=0, ddof=1) / math.sqrt(reps)
    assert np.all(np.abs(sampled.mean(axis=0) - exact) < 4 * se + 1e-4)


def test_expected_accuracy_without_noise_and_many_records_is_bayes():
    table = np.array([[[0.3, 0.1], [0.1, 0.3]], [[0.08, 0.02], [0.02, 0.08]]])  # clear majorities in every cell
    bayes = pf.policy_rates(table, (table[..., 1] > table[..., 0]).astype(float)).accuracy
    assert pf.expected_group_accuracy(table, 2000, math.inf, reads_attribute=True) == pytest.approx(bayes, abs=1e-6)
    assert pf.expected_group_accuracy(table, 2000, 1.0, reads_attribute=False) == pytest.approx(bayes, abs=1e-6)


def test_policy_rates_for_a_decision_that_ignores_the_group(table):
    r = pf.policy_rates(table, np.ones(4))
    assert r.tpr == pytest.approx([1.0, 1.0]) and r.approval == pytest.approx([1.0, 1.0])
    assert float(r.opportunity_gap) == pytest.approx(0.0) and float(r.parity_gap) == pytest.approx(0.0)
    assert r.overall == pytest.approx(table[..., 1].sum())


@pytest.mark.parametrize(("bad", "match"), [
    (np.zeros((3, 4, 2)), "shape"),
    (np.concatenate([np.full((1, 4, 2), 0.125), np.zeros((1, 4, 2))]), "group 1 is empty"),
])
def test_policy_rates_bad_tables(bad, match):
    with pytest.raises(ValueError, match=match):
        pf.policy_rates(bad, np.ones(4))


def test_policy_rates_bad_decisions(table):
    with pytest.raises(ValueError, match=r"1\.5"):
        pf.policy_rates(table, np.full(4, 1.5))
    with pytest.raises(ValueError, match="cells"):
        pf.policy_rates(table, np.ones(3))


def test_equal_opportunity_policy_hits_the_target_on_true_counts(table):
    for target in (0.3, 0.8, 0.95):
        h = pf.equal_opportunity_policy(table[..., 1], target)
        assert pf.policy_rates(table, h).tpr == pytest.approx([target, target])
        assert np.all(np.diff(h, axis=-1) >= -1e-12)  # a threshold: approvals rise with the level


def test_equal_opportunity_policy_without_positives_is_a_lottery():
    h = pf.equal_opportunity_policy(np.array([[-3.0, -1.0], [2.0, 2.0]]), 0.8)
    assert h[0].tolist() == [0.8, 0.8]


@pytest.mark.parametrize("target", [0, 1, 1.5, -0.2])
def test_equal_opportunity_policy_bad_target(target):
    with pytest.raises(ValueError, match="target"):
        pf.equal_opportunity_policy(np.ones((2, 3)), target)


def test_equal_opportunity_policy_bad_shape():
    with pytest.raises(ValueError, match="shape"):
        pf.equal_opportunity_policy(np.ones((3, 3)), 0.5)


def test_switch_gap_equals_decision_change():
    model = lending()
    features = ("A", "Q")
    coupling = switch_coupling(model, features, "A", [("A", "P"), ("A", "Y")])
    cells = [(a, q) for a in (0, 1) for q in range(4)]
    h = np.linspace(0.1, 0.9, 8)
    predictor = RandomizedPredictor(features, {c: {0: 1 - p, 1: p} for c, p in zip(cells, h, strict=True)}, (0, 1))
    assert float(pf.switch_gap(h, coupling, cells)) == pytest.approx(decision_change(predictor, coupling))
    assert pf.switch_gap(np.stack([h, h]), coupling, cells).shape == (2,)


def test_switch_gap_bad_cells():
    with pytest.raises(ValueError, match="cells"):
        pf.switch_gap(np.ones(2), {((0,), (1,)): 1.0}, [(0,), (1,), (2,)])
    with pytest.raises(ValueError, match="not among the cells"):
        pf.switch_gap(np.ones(2), {((0,), (5,)): 1.0}, [(0,), (1,)])


def test_rate_release_error_matches_the_laplace_mechanism():
    rng = np.random.default_rng(3)
    noise = laplace_mechanism(np.zeros(100_000), 0.5, rng, sensitivity=1 / 40)
    assert np.mean(np.abs(noise)) == pytest.approx(pf.rate_release_error(40, 0.5), rel=0.02)


@pytest.mark.parametrize(("size", "eps", "match"), [(0, 1.0, "group_size"), (10, 0.0, "epsilon"), (10, -2, "epsilon")])
def test_rate_release_error_bad_input(size, eps, match):
    with pytest.raises(ValueError, match=match):
        pf.rate_release_error(size, eps)
