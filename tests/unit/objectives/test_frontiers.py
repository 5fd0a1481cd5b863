"""Unit tests of book.objectives.frontiers: frontier points and what a conflict between candidates costs."""

import pytest

from book.models import hiring, umbrella
from book.objectives import ledger
from book.objectives.fairness import fairness_frontier
from book.objectives.frontiers import Candidate, FrontierPoint, best, feature_subset_candidates, trade_off
from book.predictors import Predictor, randomized


# ---------------------------------------------------------------- FrontierPoint
def test_frontier_point_reads_its_values_by_name():
    f = randomized(Predictor(("Q",), {(0,): 0, (1,): 1}, (0, 1)))
    point = FrontierPoint(0.1, f, {"training risk": 0.2, "worst risk": 0.3})
    assert point.bound == 0.1 and point.predictor is f
    assert point["training risk"] == 0.2 and point["worst risk"] == 0.3
    with pytest.raises(KeyError, match=r"'missing' is not measured at this frontier point; "
                                       r"it has \['training risk', 'worst risk'\]"):
        point["missing"]


def test_frontier_points_of_the_fairness_frontier():
    point = fairness_frontier(hiring(), "Y", ["A", "Q", "P"], "A", [1.0], constraint="counterfactual")[0]
    assert isinstance(point, FrontierPoint) and point["accuracy"] == pytest.approx(0.783, abs=5e-4)
    with pytest.raises(KeyError, match=r"'worst risk' is not measured at this frontier point; it has \['accuracy'\]"):
        point["worst risk"]


# ---------------------------------------------------------------- trade_off
def test_trade_off_by_hand():
    causal = Candidate(("C",), 0.80, {"robustness": 0.0, "fairness": 0.0})
    spurious = Candidate(("S",), 0.85, {"robustness": 0.20, "fairness": 0.05})
    both = Candidate(("C", "S"), 0.90, {"robustness": 0.10, "fairness": 0.30})
    as_good = Candidate(("A",), 0.80 + 1e-12, {"robustness": 0.5, "fairness": 0.5})  # a tie, not a gain
    out = trade_off([causal, spurious, both, as_good], causal)
    assert out["top"] is both
    assert out["better"] == [spurious, both]
    # per invariance, the smallest gap any more accurate candidate has (from different candidates)
    assert out["smallest gaps"] == {"robustness": 0.10, "fairness": 0.05}
    # nothing beats the top: no better candidate, nothing paid
    assert trade_off([causal, spurious, both], both) == {"top": both, "better": [], "smallest gaps": {}}
    # of equally accurate candidates the first is the top
    twin = Candidate(("S", "C"), 0.90, {"robustness": 0.0, "fairness": 0.0})
    assert trade_off([both, twin], causal)["top"] is both and trade_off([twin, both], causal)["top"] is twin


def test_trade_off_on_the_umbrella_candidates():
    gaps = {"robustness": lambda m, h: ledger.environment_invariance(m, h, "Y", "E").gap}
    candidates = feature_subset_candidates(umbrella(), "Y", ("C", "S"), gaps)
    selected = best(candidates, invariant_to=["robustness"])
    out = trade_off(candidates, selected)
    assert out["top"] == best(candidates) and out["top"].accuracy > selected.accuracy
    assert out["better"] and all(not c.invariant("robustness") for c in out["better"])
    # every gain in accuracy over the invariant candidate is paid with robustness
    assert out["smallest gaps"]["robustness"] == min(c.gaps["robustness"] for c in out["better"]) > 0.01


def test_trade_off_bad_input():
    with pytest.raises(ValueError, match=r"trade_off needs at least one candidate, got \[\]"):
        trade_off([], Candidate(("C",), 0.8, {}))
