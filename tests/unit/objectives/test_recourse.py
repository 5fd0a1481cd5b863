"""Unit tests of book.recourse (nearest counterfactual, causal recourse, evaluation)."""

import pytest

from book.chapters import explainability_accuracy as loans
from book.exercises import check_cam_recourse
from book.objectives import recourse as rc
from book.predictors import Predictor, attach
from book.scm import DiscreteSCM

STATES = {"X1": (0, 1, 2), "X2": (0, 1, 2)}
WEIGHTS = {"X1": 1.0, "X2": 1.5}


@pytest.fixture(scope="module")
def world():
    # Raising X1 raises X2 one for one (U2 = 0) or not at all (U2 = 1); accept iff X1 + X2 >= 3.
    scm = DiscreteSCM(
        exogenous={"U1": {0: 0.5, 1: 0.3, 2: 0.2}, "U2": {0: 0.7, 1: 0.3}, "UY": {0: 0.8, 1: 0.2}},
        equations={
            "X1": (["U1"], lambda U1: U1),
            "X2": (["X1", "U2"], lambda X1, U2: 0 if U2 else X1),
            "Y": (["X1", "X2", "UY"], lambda X1, X2, UY: int(X1 + X2 + UY >= 3)),
        },
    )
    h = Predictor(("X1", "X2"), {(a, b): int(a + b >= 3) for a in range(3) for b in range(3)}, (0, 1))
    return attach(scm, "Yhat", h), h


def test_action_cost():
    assert rc.action_cost({"X1": 0, "X2": 1}, {"X1": 2, "X2": 0}, WEIGHTS) == pytest.approx(3.5)
    assert rc.action_cost({"X1": 0}, {}, WEIGHTS) == 0.0
    with pytest.raises(ValueError, match="no cost weight for feature 'S'"):
        rc.action_cost({"S": 0}, {"S": 1}, WEIGHTS)
    with pytest.raises(ValueError, match="no value for feature 'X2'"):
        rc.action_cost({"X1": 0}, {"X2": 1}, WEIGHTS)
    with pytest.raises(ValueError, match="finite non-negative"):
        rc.action_cost({"X1": 0}, {"X1": 1}, {"X1": -1.0})
    with pytest.raises(ValueError, match=r"finite non-negative.*nan"):
        rc.action_cost({"X1": 0}, {"X1": 1}, {"X1": float("nan")})
    with pytest.raises(ValueError, match="current value"):
        rc.action_cost({"X1": 0}, {"X1": 0}, WEIGHTS)
    with pytest.raises(ValueError, match="non-numeric"):
        rc.action_cost({"X1": "low"}, {"X1": "high"}, WEIGHTS)


def test_nearest_counterfactual(world):
    _, h = world
    x = {"X1": 1, "X2": 1}
    # cheapest independent edit: X1 -> 2 (cost 1.0) beats X2 -> 2 (1.5)
    assert rc.nearest_counterfactual(h, x, states=STATES, weights=WEIGHTS) == {"X1": 2}
    assert rc.nearest_counterfactual(h, x, states=STATES, weights={"X2": 1.5}) == {"X2": 2}
    assert rc.nearest_counterfactual(h, {"X1": 0, "X2": 0}, states=STATES, weights={"X1": 1.0}) == {}
    with pytest.raises(ValueError, match="no actionable feature"):
        rc.nearest_counterfactual(h, x, states=STATES, weights={})
    with pytest.raises(ValueError, match="no value for feature 'X2'"):
        rc.nearest_counterfactual(h, {"X1": 1}, states=STATES, weights=WEIGHTS)
    with pytest.raises(ValueError, match="no states given"):
        rc.nearest_counterfactual(h, x, states={"X1": (0, 1, 2)}, weights=WEIGHTS)
    with pytest.raises(ValueError, match="not among its states"):
        rc.nearest_counterfactual(h, {"X1": 5, "X2": 1}, states=STATES, weights=WEIGHTS)
    with pytest.raises(ValueError, match="value 7 of 'X2' is not among the predictor's states"):
        rc.nearest_counterfactual(h, {"X1": 1, "X2": 7}, states=STATES, weights={"X1": 1.0})
    with pytest.raises(ValueError, match="finite non-negative"):
        rc.nearest_counterfactual(h, x, states=STATES, weights={"X1": float("nan")})


def test_causal_recourse_moves_descendants(world):
    model, h = world
    x = {"X1": 0, "X2": 0}  # either U2 = 0 (X2 follows X1) or U2 = 1 (X2 stuck at 0)
    p_follow = 0.7 / (0.7 + 0.3)
    # do(X1 = 2): X2 follows with probability 0.7 -> accepted with probability 0.7
    plan = rc.evaluate(model, x, {"X1": 2}, weights=WEIGHTS)
    assert plan.decision_validity == pytest.approx(p_follow)
    assert plan.cost == pytest.approx(2.0)
    assert rc.causal_recourse(model, x, weights=WEIGHTS, min_validity=0.6) == {"X1": 2}
    # certain recourse needs both: do(X1 = 2, X2 = 1), cost 3.5 (X2 -> 2 alone: 3.0 but 2 < 3)
    assert rc.causal_recourse(model, x, weights=WEIGHTS) == {"X1": 2, "X2": 1}
    # the nearest counterfactual ignores that X2 follows X1 and pays for both
    assert rc.nearest_counterfactual(h, x, states=STATES, weights=WEIGHTS) == {"X1": 2, "X2": 1}
    with pytest.raises(ValueError, match="min_validity"):
        rc.causal_recourse(model, x, weights=WEIGHTS, min_validity=0.0)
    assert rc.causal_recourse(model, x, weights={"X2": 1.0}) == {}


def test_evaluate(world):
    model, _ = world
    x = {"X1": 1, "X2": 1}  # U2 = 0 for sure
    plan = rc.evaluate(model, x, {"X1": 2}, weights=WEIGHTS, method="m")
    assert plan.decision_validity == pytest.approx(1.0)  # X2 follows to 2
    assert plan.outcome_validity == pytest.approx(1.0)  # 2 + 2 >= 3 whatever UY
    assert plan.method == "m" and plan.advice == "set X1 to 2"
    assert "cost 1.00" in repr(plan)
    nothing = rc.evaluate(model, x, {}, weights=WEIGHTS)
    assert nothing.decision_validity == 0.0 and nothing.advice == "no feasible action"
    assert nothing.outcome_validity == pytest.approx(0.2)
    with pytest.raises(ValueError, match="no actionable feature"):
        rc.evaluate(model, x, {}, weights={})
    with pytest.raises(ValueError, match="actionable feature 'Z'"):
        rc.evaluate(model, x, {}, weights={"Z": 1.0})
    with pytest.raises(ValueError, match="value 9 of 'X1'"):
        rc.evaluate(model, {"X1": 9, "X2": 1}, {}, weights=WEIGHTS)


def test_check_cam_recourse_feedback():
    assert check_cam_recourse({"X2": 1}).correct
    assert not check_cam_recourse(None).correct
    assert "0.40" in check_cam_recourse({"X1": 2}).message
    assert "already" in check_cam_recourse({"X1": 2, "D": 0}).message
    assert "cheaper" in check_cam_recourse({"X2": 2}).message
    assert "not actionable" in check_cam_recourse({"Q": 1}).message
    assert "non-empty dict" in check_cam_recourse({}).message
    assert "not a value" in check_cam_recourse({"X1": 7}).message
    assert loans.WEIGHTS["X2"] == 1.5  # the exercise changes a copy, never the chapter's weights


# ---------------------------------------------------------------------------- hypercube counterfactuals (chapter 9)
def test_hypercube_counterfactuals_match_brute_force():
    import numpy as np

    rng = np.random.default_rng(3)
    for k in (1, 3, 5):
        decisions = rng.integers(0, 2, size=2**k)
        decisions[0] = 0  # at least one cell of each decision
        decisions[-1] = 1
        for desired in (0, 1):
            dist, cell = rc.hypercube_counterfactuals(decisions, desired=desired)
            for c in range(2**k):
                targets = [t for t in range(2**k) if decisions[t] == desired]
                best = min(targets, key=lambda t: (bin(t ^ c).count("1"), t))
                assert (dist[c], cell[c]) == (bin(best ^ c).count("1"), best)


def test_hypercube_counterfactuals_without_the_desired_decision():
    dist, cell = rc.hypercube_counterfactuals([1, 1], desired=0)
    assert dist.tolist() == [float("inf")] * 2 and cell.tolist() == [-1, -1]


@pytest.mark.parametrize(
    ("decisions", "desired", "message"),
    [([0, 1, 1], 0, "2\\*\\*k cells"), ([0, 2], 0, "0/1, found 2"), ([0, 1], 3, "desired must be 0 or 1, got 3"),
     ([], 0, "2\\*\\*k cells")],
)
def test_hypercube_counterfactuals_bad_input(decisions, desired, message):
    with pytest.raises(ValueError, match=message):
        rc.hypercube_counterfactuals(decisions, desired=desired)
