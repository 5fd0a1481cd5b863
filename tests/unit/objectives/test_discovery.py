"""Unit tests of book.objectives.discovery: pgmpy structure learning and the learned parents."""

import re

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


# ------------------------------------------------------------------ learned networks as SCMs
def _chain(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2, n)
    b = a ^ (rng.random(n) < 0.1)
    c = (a & b) ^ (rng.random(n) < 0.2)
    return pd.DataFrame({"A": a, "B": b.astype(int), "C": c.astype(int)})


def test_learn_dag_respects_the_tiers_and_finds_the_edges():
    from book.objectives.discovery import learn_dag
    edges = learn_dag(_chain(), [["A"], ["B"], ["C"]])
    assert ("A", "B") in edges and ("B", "C") in edges
    assert all(u <= v for u, v in edges)  # never back against the tiers A < B < C
    with pytest.raises(ValueError, match="tiers must list each column once"):
        learn_dag(_chain(), [["A"], ["B"]])
    with pytest.raises(ValueError, match="coded 0/1"):
        learn_dag(_chain().assign(C=2), [["A"], ["B"], ["C"]])


def test_fit_network_matches_counts_with_a_tiny_prior_and_checks_its_input():
    from book.objectives.discovery import fit_network
    data = _chain()
    p = fit_network(data, [("A", "C"), ("B", "C")], prior=1e-6)
    sub = data[(data.A == 1) & (data.B == 0)]
    assert p["C"][(1, 0)] == pytest.approx(sub.C.mean(), abs=1e-6)
    assert p["A"][()] == pytest.approx(data.A.mean(), abs=1e-6)
    with pytest.raises(ValueError, match="not a column"):
        fit_network(data, [("A", "Z")])
    with pytest.raises(ValueError, match="prior"):
        fit_network(data, [], prior=0)


def test_network_scm_reproduces_the_network_and_is_rank_preserving():
    from book.objectives.discovery import network_scm
    probs = {"A": {(): 0.4}, "B": {(0,): 0.2, (1,): 0.7}}
    m = network_scm([("A", "B")], probs)
    assert m.query("B", evidence={"A": 1})[1] == pytest.approx(0.7)
    assert m.query("B", do={"A": 0})[1] == pytest.approx(0.2)
    # rank preserving: nobody with B = 1 under A = 0 has B = 0 under A = 1
    cf = m.counterfactual_joint(["B"], do={"A": 1}, evidence={"A": 0})
    assert cf.get((1, 0), 0.0) == pytest.approx(0.0)  # factual B = 1, counterfactual B = 0: nobody
    assert cf[(0, 1)] == pytest.approx(0.5)  # the compliers: 0.7 - 0.2
    with pytest.raises(ValueError, match="parent cells"):
        network_scm([("A", "B")], {"A": {(): 0.4}, "B": {(0,): 0.2}})


def test_consensus_keeps_frequent_pairs_and_breaks_ties_by_the_order():
    from book.objectives.discovery import consensus
    freq = {("S", "K"): 0.5, ("K", "S"): 0.5, ("D", "M"): 0.6, ("M", "D"): 0.3, ("M", "Y"): 0.4}
    assert consensus(freq, "KSMDY") == (("D", "M"), ("K", "S"))
    with pytest.raises(ValueError, match="not in the order"):
        consensus({("Z", "K"): 1.0}, "K")
    with pytest.raises(ValueError, match="threshold"):
        consensus(freq, "KSMDY", threshold=0)


def test_network_scm_rejects_a_missing_variable_and_a_probability_outside_the_unit_interval():
    from book.objectives.discovery import network_scm
    with pytest.raises(ValueError, match=r"\['H'\], which have no probabilities"):
        network_scm([("A", "H")], {"A": {(): 0.5}})
    with pytest.raises(ValueError, match=r"1\.5"):
        network_scm([], {"A": {(): 1.5}})


def test_network_parents_rejects_a_variable_no_edge_names():
    from book.objectives.discovery import network_parents
    assert network_parents([("A", "B")], "A") == ()
    with pytest.raises(ValueError, match="'Z'"):
        network_parents([("A", "B")], "Z")


def test_consensus_rejects_bad_frequencies_and_self_loops():
    from book.objectives.discovery import consensus
    for bad in (1.7, -1):
        with pytest.raises(ValueError, match=re.escape(str(bad))):
            consensus({("A", "B"): bad}, "AB")
    with pytest.raises(ValueError, match="two different variables"):
        consensus({("A", "A"): 0.9}, "AB")


def test_network_bic_is_equal_on_equivalent_graphs_and_lower_for_a_collider():
    from book.objectives.discovery import network_bic
    rng = np.random.default_rng(1)
    a = rng.integers(0, 2, 3000)
    b = a ^ (rng.random(3000) < 0.2)
    c = b ^ (rng.random(3000) < 0.2)
    frame = pd.DataFrame({"A": a, "B": b, "C": c})
    chain = network_bic(frame, [("A", "B"), ("B", "C")])
    assert chain == pytest.approx(network_bic(frame, [("C", "B"), ("B", "A")]))  # Markov equivalent
    assert network_bic(frame, [("A", "B"), ("C", "B")]) < chain  # a collider: another class, worse here
    with pytest.raises(ValueError, match="not a column"):
        network_bic(frame, [("A", "Z")])
