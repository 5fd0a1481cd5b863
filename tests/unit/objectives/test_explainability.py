"""Unit tests of book.objectives.explainability (exact Shapley values, interventional validity, stability)."""

import itertools

import pytest

from book.chapters import explainability_accuracy as loans
from book.exercises import check_shapley_sum
from book.models import loans as loans_scm
from book.models import tutoring
from book.objectives import explainability as ex
from book.predictors import Predictor, bayes_score
from book.scm import DiscreteSCM

FEATURES = ("Motivated", "Tutored")


@pytest.fixture(scope="module")
def chain():
    # X1 -> X2 -> Y, and S an effect of Y: small enough to check formulas by hand.
    return DiscreteSCM(
        exogenous={"U1": {0: 0.5, 1: 0.5}, "U2": {0: 0.8, 1: 0.2}, "UY": {0: 0.9, 1: 0.1}, "US": {0: 0.7, 1: 0.3}},
        equations={
            "X1": (["U1"], lambda U1: U1),
            "X2": (["X1", "U2"], lambda X1, U2: X1 ^ U2),
            "Y": (["X2", "UY"], lambda X2, UY: X2 ^ UY),
            "S": (["Y", "US"], lambda Y, US: Y ^ US),
        },
    )


def test_shapley_values_of_known_games():
    assert ex.shapley_values(["a"], lambda T: 3.0 * len(T)) == {"a": 3.0}
    additive = ex.shapley_values(["a", "b", "c"], lambda T: sum({"a": 1, "b": 2, "c": 5}[p] for p in T))
    assert additive == pytest.approx({"a": 1, "b": 2, "c": 5})
    glove = ex.shapley_values(["l", "r1", "r2"], lambda T: float("l" in T and ("r1" in T or "r2" in T)))
    assert glove == pytest.approx({"l": 2 / 3, "r1": 1 / 6, "r2": 1 / 6})
    dummy = ex.shapley_values(["a", "d"], lambda T: float("a" in T))
    assert dummy["d"] == 0.0


def test_shapley_values_bad_input():
    with pytest.raises(ValueError, match="at least one player"):
        ex.shapley_values([], lambda T: 0.0)
    with pytest.raises(ValueError, match="distinct"):
        ex.shapley_values(["a", "a"], lambda T: 0.0)


@pytest.mark.parametrize("kind", ex.VALUE_FUNCTIONS)
def test_efficiency_for_every_value_function_and_individual(kind):
    m = tutoring()
    f = bayes_score(m, "Pass", FEATURES)
    mean = m.query("Pass")[1]
    for combo in itertools.product((0, 1), repeat=2):
        x = dict(zip(FEATURES, combo, strict=True))
        phi = ex.feature_shapley(m, f, x, features=FEATURES, kind=kind)
        assert sum(phi.values()) == pytest.approx(f(**x) - mean, abs=1e-12)


def test_value_functions_by_hand(chain):
    features = ("X1", "X2", "S")
    f = Predictor(features, {k: float(k[0]) for k in itertools.product((0, 1), repeat=3)}, (0.0, 1.0))  # reads X1
    x = {"X1": 1, "X2": 0, "S": 0}
    # marginal: X1 keeps its marginal 0.5 whatever X2 is fixed to
    assert ex.coalition_value(chain, f, x, {"X2"}, features=features, kind="marginal") == pytest.approx(0.5)
    # conditional: P(X1 = 1 | X2 = 0) = 0.5 * 0.2 / 0.5 = 0.2
    assert ex.coalition_value(chain, f, x, {"X2"}, features=features, kind="conditional") == pytest.approx(0.2)
    # causal: do(X2 = 0) does not reach X1, its parent
    assert ex.coalition_value(chain, f, x, {"X2"}, features=features, kind="causal") == pytest.approx(0.5)
    assert ex.coalition_value(chain, f, x, set(features), features=features) == 1.0
    # a predictor that ignores S gets no causal or marginal credit for S, but conditional credit
    assert ex.feature_shapley(chain, f, x, features=features, kind="causal")["S"] == pytest.approx(0.0, abs=1e-12)
    assert ex.feature_shapley(chain, f, x, features=features, kind="marginal")["S"] == pytest.approx(0.0, abs=1e-12)
    assert abs(ex.feature_shapley(chain, f, x, features=features, kind="conditional")["S"]) > 1e-3


def test_coalition_value_bad_input(chain):
    f = bayes_score(chain, "Y", ["X1", "X2"])
    x = {"X1": 1, "X2": 0}
    with pytest.raises(ValueError, match="unknown value function 'shap'"):
        ex.coalition_value(chain, f, x, set(), features=["X1", "X2"], kind="shap")
    with pytest.raises(ValueError, match="not among the features"):
        ex.coalition_value(chain, f, x, {"S"}, features=["X1", "X2"])
    with pytest.raises(ValueError, match="no value for feature 'X2'"):
        ex.coalition_value(chain, f, {"X1": 1}, set(), features=["X1", "X2"])
    with pytest.raises(ValueError, match="value 7 of feature 'X1'"):
        ex.coalition_value(chain, f, {"X1": 7, "X2": 0}, set(), features=["X1", "X2"])


def test_bayes_score(chain):
    s = bayes_score(chain, "Y", ["X2"])
    assert s(X2=1) == pytest.approx(0.9) and s(X2=0) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="at least one feature"):
        bayes_score(chain, "Y", [])
    with pytest.raises(ValueError, match="cannot also be a feature"):
        bayes_score(chain, "Y", ["Y"])
    with pytest.raises(ValueError, match="positive=2"):
        bayes_score(chain, "Y", ["X2"], positive=2)


def test_outcome_shapley_and_interventional_effect(chain):
    x = {"X1": 1, "X2": 1, "S": 1}
    phi = ex.outcome_shapley(chain, "Y", x, features=["X1", "X2", "S"])
    assert phi["S"] == pytest.approx(0.0, abs=1e-12)  # S does not cause Y
    assert sum(phi.values()) == pytest.approx(chain.query("Y", do={"X1": 1, "X2": 1})[1] - chain.query("Y")[1])
    assert ex.interventional_effect(chain, "Y", "S", 1) == pytest.approx(0.0, abs=1e-12)
    # do(X2 = 1): P(Y = 1) = 0.9; observationally P(Y = 1) = 0.5
    assert ex.interventional_effect(chain, "Y", "X2", 1) == pytest.approx(0.4)
    with pytest.raises(ValueError, match="positive=3"):
        ex.interventional_effect(chain, "Y", "X2", 1, positive=3)
    with pytest.raises(ValueError, match="cannot also be a feature"):
        ex.outcome_shapley(chain, "Y", {"Y": 1}, features=["Y"])


def test_interventional_invalidity_and_instability(chain):
    features = ["X1", "X2", "S"]
    causal = bayes_score(chain, "Y", ["X2"])
    leaky = bayes_score(chain, "Y", ["X2", "S"])
    assert ex.interventional_invalidity(chain, causal, "Y", features=features) == pytest.approx(0.0, abs=1e-12)
    assert ex.interventional_invalidity(chain, leaky, "Y", features=features) > 0.05
    noisy = DiscreteSCM(
        exogenous={"U1": {0: 0.5, 1: 0.5}, "U2": {0: 0.8, 1: 0.2}, "UY": {0: 0.9, 1: 0.1}, "US": {0: 0.5, 1: 0.5}},
        equations={
            "X1": (["U1"], lambda U1: U1),
            "X2": (["X1", "U2"], lambda X1, U2: X1 ^ U2),
            "Y": (["X2", "UY"], lambda X2, UY: X2 ^ UY),
            "S": (["Y", "US"], lambda Y, US: Y ^ US),
        },
    )
    assert ex.instability(chain, [chain, noisy], causal, features=features) == pytest.approx(0.0, abs=1e-12)
    assert ex.instability(chain, [chain, noisy], leaky, features=features) > 0.02
    with pytest.raises(ValueError, match="at least two environments"):
        ex.instability(chain, [chain], causal, features=features)


def test_the_parent_score_is_valid_by_construction_only_without_confounding(chain):
    features = ["X1", "X2", "S"]
    causal = bayes_score(chain, "Y", ["X2"])
    # the two games coincide on every coalition: the zero gap is an identity
    assert ex.game_gap(chain, causal, "Y", features=features) == pytest.approx(0.0, abs=1e-12)
    assert ex.game_gap(chain, bayes_score(chain, "Y", ["X2", "S"]), "Y", features=features) > 0.05
    # a hidden common cause U_C of X and Y: P(Y | X) is no longer P(Y | do(X)), and the identity breaks
    confounded = DiscreteSCM(
        exogenous={"UC": {0: 0.5, 1: 0.5}, "UX": {0: 0.8, 1: 0.2}, "UY": {0: 0.7, 1: 0.3}},
        equations={
            "X": (["UC", "UX"], lambda UC, UX: UC ^ UX),
            "Y": (["X", "UC", "UY"], lambda X, UC, UY: int(X + UC + UY >= 2)),
        },
    )
    parent_score = bayes_score(confounded, "Y", ["X"])
    assert ex.game_gap(confounded, parent_score, "Y", features=["X"]) > 0.1
    assert ex.interventional_invalidity(confounded, parent_score, "Y", features=["X"]) > 0.1
    with pytest.raises(ValueError, match="cannot also be a feature"):
        ex.game_gap(chain, causal, "Y", features=["Y"])
    with pytest.raises(ValueError, match="positive=2"):
        ex.game_gap(chain, causal, "Y", features=features, positive=2)


def test_individuals_and_distance(chain):
    rows = ex.individuals(chain, ["X1", "X2"])
    assert sum(p for _, p in rows) == pytest.approx(1.0) and len(rows) == 4
    assert ex.attribution_distance({"a": 1.0, "b": -1.0}, {"a": 0.5, "b": 0.0}) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="different features"):
        ex.attribution_distance({"a": 1.0}, {"b": 1.0})
    with pytest.raises(ValueError, match="'a' is not a finite number"):
        ex.attribution_distance({"a": float("nan")}, {"a": 1.0})


def test_loans_model_bad_input():
    with pytest.raises(ValueError, match="three probabilities"):
        loans_scm(education=(0.5, 0.5))
    with pytest.raises(ValueError, match="one value per environment"):
        loans_scm(spending_noise=(0.1,))
    with pytest.raises(ValueError, match="debt_weight"):
        loans_scm(debt_weight=-1)
    with pytest.raises(ValueError, match="missing_edge"):
        loans_scm(missing_edge=("D", "Y"))
    assert ("X1", "D") not in loans_scm(missing_edge=("X1", "D")).edges()


def test_loans_helpers_bad_input():
    with pytest.raises(ValueError, match="unknown predictor 'linear'"):
        loans.decision("linear")
    with pytest.raises(ValueError, match="'Q' is not among"):
        loans.share({"S": 1.0}, "Q")
    assert loans.share({"S": 0.0, "X1": 0.0}, "S") == 0.0


def test_check_shapley_sum_feedback():
    alex = loans.APPLICANTS["Alex"]
    right = sum(loans.attributions("associational", alex).values())
    assert check_shapley_sum(right).correct
    assert not check_shapley_sum(None).correct
    wrong = check_shapley_sum(loans.score("associational")(**alex))
    assert not wrong.correct and "f(x) itself" in wrong.message
    assert "sign" in check_shapley_sum(-right).message


# ---------------------------------------------------------------------------- flip attributions (chapter 9)
def test_flip_attributions_are_finite_differences_of_the_table():
    import numpy as np

    scores = np.array([0.1, 0.2, 0.7, 0.9])  # cells 00, 01, 10, 11
    phi = ex.flip_attributions(scores, [[0, 0], [1, 1], [1, 0]])
    expected = [[0.1 - 0.7, 0.1 - 0.2], [0.9 - 0.2, 0.9 - 0.7], [0.7 - 0.1, 0.7 - 0.9]]
    assert phi.ravel().tolist() == pytest.approx(np.ravel(expected).tolist())
    flat = ex.flip_attributions(np.full(8, 0.4), [[0, 1, 0]])
    assert flat.tolist() == [[0.0, 0.0, 0.0]]  # a constant model: nothing to attribute


@pytest.mark.parametrize(
    ("scores", "X", "message"),
    [
        ([0.1, 0.2, 0.3], [[0, 1]], "2\\*\\*k cells"),
        ([0.1, 0.2, 0.3, 0.4], [[0, 1, 1]], "table over 2 features"),
        ([0.1, 0.2, 0.3, 0.4], [[0, 2]], "outside the model's states: feature value 2"),
    ],
)
def test_flip_attributions_bad_input(scores, X, message):
    with pytest.raises(ValueError, match=message):
        ex.flip_attributions(scores, X)


def test_mean_attribution_distance():
    assert ex.mean_attribution_distance([[0.5, 0.0]], [[0.5, 0.0]]) == 0.0
    assert ex.mean_attribution_distance([[1.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]) == 0.25
    with pytest.raises(ValueError, match="one shape"):
        ex.mean_attribution_distance([[0.1, 0.2]], [[0.1]])
    with pytest.raises(ValueError, match="non-empty"):
        ex.mean_attribution_distance([[]], [[]])
