"""Unit tests of book.predictors: the Bayes-optimal decision, the two predictor types and their helpers."""

import itertools

import pytest

from book.predictors import (
    Predictor,
    RandomizedPredictor,
    bayes_optimal,
    mixture,
    most_likely,
    on_features,
    positive_probabilities,
    randomized,
    subset_label,
    uses,
)
from book.scm import DiscreteSCM

ON_Q = Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1))  # says 1 exactly when Q = 1
STATES = {"A": (0, 1), "Q": (0, 1)}


# ---------------------------------------------------------------- most_likely
def test_most_likely_takes_the_largest_score():
    assert most_likely([0.1, 0.7, 0.2], ["a", "b", "c"]) == "b"
    assert most_likely([0.9, 0.05, 0.05], ["a", "b", "c"]) == "a"
    assert most_likely([0.0, 1e-20], [0, 1]) == 0  # equal to 12 decimals: a tie
    assert most_likely([2.0, 3.0], [0, 1]) == 1  # unnormalised scores are fine


def test_most_likely_ties_go_to_the_first_label():
    assert most_likely([0.2, 0.4, 0.4], ["a", "b", "c"]) == "b"
    assert most_likely([0.5, 0.5], [1, 0]) == 1  # the first label, not the smallest
    # the same probability reached along two routes differs in the last bits; it is still a tie
    route_a, route_b = 0.1 + 0.2, 0.3
    assert route_a != route_b and most_likely([route_b, route_a], [0, 1]) == 0
    assert most_likely([0.3, 0.3 + 1e-14], [0, 1]) == 0
    # ... but a difference at the 10th decimal is not
    assert most_likely([0.3, 0.3 + 1e-10], [0, 1]) == 1


def test_most_likely_bad_input():
    with pytest.raises(ValueError, match="got 2 scores for 3 labels"):
        most_likely([0.5, 0.5], ["a", "b", "c"])
    with pytest.raises(ValueError, match="got 0 scores for 0 labels"):
        most_likely([], [])


def test_bayes_optimal_breaks_exact_ties_towards_the_first_label():
    # Y is a fair coin independent of X: every score ties, so every decision is the first label
    coin = DiscreteSCM(
        {"UX": {0: 0.5, 1: 0.5}, "UY": {0: 0.5, 1: 0.5}},
        {"X": (["UX"], lambda UX: UX), "Y": (["UY"], lambda UY: UY)},
    )
    assert bayes_optimal(coin, "Y", ["X"]).table == {(0,): 0, (1,): 0}


# ---------------------------------------------------------------- names and types
def test_subset_label():
    assert subset_label(("C", "S")) == "{C, S}"
    assert subset_label(["A"]) == "{A}"
    assert subset_label(()) == "∅"


def test_randomized_writes_a_deterministic_predictor_as_point_masses():
    f = randomized(ON_Q)
    assert isinstance(f, RandomizedPredictor) and f.features == ("Q",) and f.labels == (0, 1)
    assert f.table == {(0,): {0: 1.0, 1: 0.0}, (1,): {0: 0.0, 1: 1.0}}
    assert f.probability(1, Q=1) == 1.0 and f.probability(1, Q=0) == 0.0
    assert randomized(f) is f
    with pytest.raises(ValueError, match="expected a Predictor or RandomizedPredictor, got str"):
        randomized("Q")


def test_mixture_is_linear_in_the_weight():
    never = Predictor(("Q",), {(0,): 0, (1,): 0}, (0, 1))
    for w in (0.0, 0.25, 1.0):
        f = mixture(never, ON_Q, w)
        assert f.probability(1, Q=1) == pytest.approx(w) and f.probability(0, Q=1) == pytest.approx(1 - w)
        assert f.probability(1, Q=0) == 0.0
    assert mixture(never, ON_Q, 0.0).table == randomized(never).table
    with pytest.raises(ValueError, match=r"weight must lie in \[0, 1\], got 1.5"):
        mixture(never, ON_Q, 1.5)
    with pytest.raises(ValueError, match=r"same features and labels, got \('Q',\) and \('A', 'Q'\)"):
        mixture(ON_Q, on_features(ON_Q, ("A", "Q"), STATES), 0.5)


# ---------------------------------------------------------------- on_features
def test_on_features_keeps_the_type_and_ignores_the_new_feature():
    wide = on_features(ON_Q, ("A", "Q"), STATES)
    assert type(wide) is Predictor and wide.features == ("A", "Q") and wide.labels == (0, 1)
    assert wide.table == {(a, q): q for a, q in itertools.product((0, 1), repeat=2)}
    assert not uses(wide, "A") and uses(wide, "Q")
    f = randomized(mixture(Predictor(("Q",), {(0,): 0, (1,): 0}, (0, 1)), ON_Q, 0.3))
    wide_f = on_features(f, ("Q", "A"), STATES)
    assert type(wide_f) is RandomizedPredictor and wide_f.features == ("Q", "A")
    assert wide_f.table[(1, 0)] == wide_f.table[(1, 1)] == f.table[(1,)]
    wide_f.table[(1, 0)][1] = 0.9  # each cell's law is a copy: the original is untouched
    assert f.table[(1,)][1] == pytest.approx(0.3)


def test_on_features_refuses_missing_features_and_states():
    wide = on_features(ON_Q, ("A", "Q"), STATES)
    with pytest.raises(ValueError, match=r"do not include \['A'\], which the predictor reads"):
        on_features(wide, ("Q",), STATES)
    with pytest.raises(ValueError, match="no states given for feature 'A'"):
        on_features(ON_Q, ("A", "Q"), {"Q": (0, 1)})
    with pytest.raises(ValueError, match="the string 'AQ'"):
        on_features(ON_Q, "AQ", STATES)
    with pytest.raises(ValueError, match=r"no decision for the feature values \(2,\)"):
        on_features(ON_Q, ("Q",), {"Q": (0, 1, 2)})
    with pytest.raises(ValueError, match="states must map each feature to its values, got list"):
        on_features(ON_Q, ("Q",), [("Q", (0, 1))])


# ---------------------------------------------------------------- positive_probabilities and uses
def test_positive_probabilities_and_uses():
    h = Predictor(("A", "Q"), {(0, 0): "no", (0, 1): "yes", (1, 0): "no", (1, 1): "yes"}, ("no", "yes"))
    assert positive_probabilities(h, "yes") == {(0, 0): 0.0, (0, 1): 1.0, (1, 0): 0.0, (1, 1): 1.0}
    assert positive_probabilities(h, "no") == {(0, 0): 1.0, (0, 1): 0.0, (1, 0): 1.0, (1, 1): 0.0}
    assert uses(h, "Q") and not uses(h, "A")
    f = RandomizedPredictor(("A",), {(0,): {0: 0.75, 1: 0.25}, (1,): {0: 0.75, 1: 0.25}}, (0, 1))
    assert positive_probabilities(f) == {(0,): 0.25, (1,): 0.25} and not uses(f, "A")
    g = RandomizedPredictor(("A",), {(0,): {0: 0.75, 1: 0.25}, (1,): {0: 0.5, 1: 0.5}}, (0, 1))
    assert uses(g, "A")  # a randomised predictor uses a feature when the law changes with it


def test_positive_probabilities_and_uses_bad_input():
    h = Predictor(("A", "Q"), {(0, 0): "no", (0, 1): "yes", (1, 0): "no", (1, 1): "yes"}, ("no", "yes"))
    with pytest.raises(ValueError, match=r"positive label 1 is not among the predictor's labels \('no', 'yes'\)"):
        positive_probabilities(h, 1)
    with pytest.raises(ValueError, match=r"positive label 2 is not among the predictor's labels \(0, 1\)"):
        positive_probabilities(ON_Q, 2)
    bad = RandomizedPredictor(("Q",), {(0,): {0: -0.5, 1: 1.5}, (1,): {0: 0.0, 1: 1.0}}, (0, 1))
    with pytest.raises(ValueError, match=r"probability 1.5 of 1 at \(0,\) is not a probability"):
        positive_probabilities(bad)
    with pytest.raises(ValueError, match="'P' is not a feature of this predictor"):
        uses(h, "P")


def test_logistic_predictor_separates_and_checks_its_input():
    import pandas as pd

    from book.predictors import logistic_predictor
    frame = pd.DataFrame({"X": [0] * 10 + [1] * 10, "Z": [0, 1] * 10, "Y": [0] * 8 + [1] * 2 + [1] * 8 + [0] * 2})
    h = logistic_predictor(frame, "Y", ["X", "Z"])
    assert h.table[(1, 0)] == 1 and h.table[(0, 1)] == 0
    assert h.features == ("X", "Z") and len(h.table) == 4
    assert logistic_predictor(frame, "Y", ["X", "Z"]).table == h.table  # deterministic
    with pytest.raises(ValueError, match="unknown column 'W'"):
        logistic_predictor(frame, "Y", ["W"])
    with pytest.raises(ValueError, match="coded 0/1"):
        logistic_predictor(frame.assign(X=frame.X * 2), "Y", ["X"])
    with pytest.raises(ValueError, match="l2"):
        logistic_predictor(frame, "Y", ["X"], l2=-1)
    with pytest.raises(ValueError, match="threshold"):
        logistic_predictor(frame, "Y", ["X"], threshold=1.0)


@pytest.mark.parametrize("kwargs, message", [
    ({"features": ["X", "Y"]}, "the label 'Y' may not be among"),
    ({"features": []}, "at least one column"),
    ({"features": "XZ"}, "not the string 'XZ'"),
    ({"features": ["X"], "iterations": 0}, "iterations must be a positive integer, got 0"),
])
def test_logistic_predictor_rejects_bad_input(kwargs, message):
    import pandas as pd

    from book.predictors import logistic_predictor
    frame = pd.DataFrame({"X": [0, 1, 0, 1], "Z": [0, 0, 1, 1], "Y": [0, 1, 1, 1]})
    with pytest.raises(ValueError, match=message):
        logistic_predictor(frame, "Y", **kwargs)
    with pytest.raises(ValueError, match="no rows"):
        logistic_predictor(frame.iloc[:0], "Y", ["X"])
