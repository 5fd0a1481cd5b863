"""Unit tests of book.objectives.discovery: pgmpy structure learning and the learned parents."""

import numpy as np
import pandas as pd
import pytest

from book.metrics import wilson_interval
from book.models import discovery
from book.models.discovery import VARIABLES
from book.objectives.discovery import Learned, Recovery, learn, learned_parents, recovery_frequency


def test_both_methods_orient_the_collider_with_enough_data():
    data = discovery().sample(2000, np.random.default_rng(3))[list(VARIABLES)]
    for method in ("pc", "ges"):
        g = learn(data, method)
        assert learned_parents(g, "Y") == frozenset({"C", "D"}), method
        assert ("Y", "S") in g.directed


def test_the_chain_stays_undirected():
    data = discovery(second_cause=False).sample(2000, np.random.default_rng(3))[list(VARIABLES)]
    for method in ("pc", "ges"):
        g = learn(data, method)
        assert learned_parents(g, "Y") is None, method
        assert ("C", "Y") in g.undirected and ("S", "Y") in g.undirected


def test_recovery_is_seeded_and_has_standard_errors():
    args = (discovery(), "Y", ["C", "D"], 300, 3)
    a = recovery_frequency(*args, np.random.default_rng(5), "ges", variables=VARIABLES)
    b = recovery_frequency(*args, np.random.default_rng(5), "ges", variables=VARIABLES)
    assert a == b and isinstance(a, Recovery)
    r = Recovery(0.5, 0.25, 4)
    assert r.recovered_se == pytest.approx(0.25) and r.undecided_se == pytest.approx(np.sqrt(0.25 * 0.75 / 4))
    assert r.recovered_interval == wilson_interval(2, 4) and r.undecided_interval == wilson_interval(1, 4)
    none = Recovery(0.0, 1.0, 10)  # zero standard error, but an interval of positive width
    assert none.recovered_se == 0.0 and none.recovered_interval[1] > 0.2 and none.undecided_interval[0] < 0.8


def test_learned_parents_of_a_source():
    assert learned_parents(Learned(frozenset({("Y", "S")}), frozenset()), "Y") == frozenset()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be a positive integer, got 0"),
        ({"n": -5}, "n must be a positive integer, got -5"),
        ({"reps": 0}, "reps must be a positive integer, got 0"),
        ({"variables": ["C", "Z"]}, "unknown variable 'Z'"),
        ({"target": "Q"}, "unknown variable 'Q'"),
    ],
)
def test_recovery_bad_input(kwargs, message):
    args = {"target": "Y", "n": 100, "reps": 1, "variables": VARIABLES, **kwargs}
    with pytest.raises(ValueError, match=message):
        recovery_frequency(discovery(), args["target"], ["C"], args["n"], args["reps"],
                           np.random.default_rng(0), variables=args["variables"])


def test_learn_bad_input():
    frame = pd.DataFrame({"a": [0, 1], "b": [1, 0]})
    with pytest.raises(ValueError, match="method must be one of"):
        learn(frame, "hill")
    with pytest.raises(ValueError, match="at least one row, got 0"):
        learn(frame.iloc[:0])
    with pytest.raises(ValueError, match="significance must be in"):
        learn(frame, significance=1.5)
