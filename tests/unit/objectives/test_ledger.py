"""Unit tests of book.objectives.ledger: the robustness, explainability and privacy rows."""

import numpy as np
import pytest

from book.metrics import accuracy
from book.models import hospitals, hospitals_reversed, umbrella
from book.objectives import ledger, privacy
from book.objectives.robustness import Environments, conditional_invariance, environment_risk, optimal_predictor
from book.predictors import Predictor, attach, bayes_optimal


# ---------------------------------------------------------------- robustness
def test_risk_invariance_is_the_spread_of_the_environment_risks():
    fam = Environments.from_variable(hospitals(), "E", "Y")
    h = optimal_predictor(fam, ["C", "S"])
    risks = {e: environment_risk(fam, h, e) for e in fam.labels}
    check = ledger.risk_invariance(fam, h)
    assert (check.objective, check.change, check.quantity) == ("robustness", "a change of environment", "risk")
    assert check.values == pytest.approx({f"risk in {e}": r for e, r in risks.items()})
    assert check.gap == pytest.approx(max(risks.values()) - min(risks.values()))
    assert check.gap == pytest.approx(0.225, abs=5e-4) and not check.holds
    two = ledger.risk_invariance(fam, h, ["E=0", "E=1"], change="hospital 0 or 1")
    assert set(two.values) == {"risk in E=0", "risk in E=1"} and two.change == "hospital 0 or 1"
    assert two.gap == pytest.approx(abs(risks["E=1"] - risks["E=0"]))
    assert ledger.risk_invariance(fam, optimal_predictor(fam, ["C"])).holds


def test_risk_invariance_bad_input():
    fam = Environments.from_variable(hospitals(), "E", "Y")
    h = optimal_predictor(fam, ["C"])
    with pytest.raises(ValueError, match="unknown environment 'E=7'"):
        ledger.risk_invariance(fam, h, ["E=0", "E=7"])


@pytest.mark.parametrize(("model", "features"), [(umbrella, ("S",)), (umbrella, ("C",)), (umbrella, ("A", "C", "S")),
                                                 (hospitals, ("C", "S")), (hospitals, ("S",))])
def test_environment_invariance_is_conditional_invariance_on_the_from_variable_family(model, features):
    m = model()
    h = bayes_optimal(m, "Y", features)
    check = ledger.environment_invariance(attach(m, "Yhat", h), "Yhat", "Y", "E")
    fam = Environments.from_variable(m, "E", "Y")
    same = conditional_invariance(fam, features, fam.labels)  # every environment, not only the training ones
    assert check.gap == pytest.approx(same.gap, abs=1e-12) and check.holds == same.holds
    assert (check.objective, check.change) == ("robustness", "do(E = e): a change of environment")
    assert check.quantity == f"P(Y | {', '.join(features)})"
    # the values are P(Y = y | x) per environment; the gap is the largest spread of one of them
    spreads = {}
    for key, p in check.values.items():
        cell, env = key.rsplit(" in ", 1)
        assert env in fam.labels
        spreads.setdefault(cell, []).append(p)
    assert check.gap == pytest.approx(max(max(v) - min(v) for v in spreads.values()), abs=1e-12)


def test_environment_invariance_reads_only_the_features_the_decision_uses():
    m = umbrella()
    wide = attach(m, "Yhat", bayes_optimal(m, "Y", ["A", "C", "P", "S"]))  # ignores P
    narrow = attach(m, "Yhat", bayes_optimal(m, "Y", ["A", "C", "S"]))
    assert ledger.features_read(wide, "Yhat") == ("A", "C", "S")
    assert ledger.environment_invariance(wide, "Yhat", "Y", "E").gap == pytest.approx(
        ledger.environment_invariance(narrow, "Yhat", "Y", "E").gap, abs=1e-12)
    # a constant decision reads nothing and is checked on P(Y), which E leaves alone
    constant = attach(m, "Yhat", Predictor(("C",), {(0,): 1, (1,): 1}, (0, 1)))
    assert ledger.features_read(constant, "Yhat") == ()
    check = ledger.environment_invariance(constant, "Yhat", "Y", "E")
    assert check.quantity == "P(Y)" and check.holds and set(check.values) == {
        f"P(Y={y}) in E={e}" for y in (0, 1) for e in (0, 1)}


def test_environment_invariance_is_not_risk_invariance():
    # Anticausal hospitals: the conditional given (C, S) is invariant, the risk moves (chapter 4).
    m = hospitals_reversed()
    check = ledger.environment_invariance(attach(m, "Yhat", bayes_optimal(m, "Y", ["C", "S"])), "Yhat", "Y", "E")
    fam = Environments.from_variable(m, "E", "Y")
    assert check.holds and not ledger.risk_invariance(fam, optimal_predictor(fam, ["C", "S"])).holds


def test_environment_invariance_bad_input():
    m = attach(umbrella(), "Yhat", bayes_optimal(umbrella(), "Y", ["C"]))
    with pytest.raises(ValueError, match="unknown variable 'Nope'"):
        ledger.environment_invariance(m, "Yhat", "Y", "Nope")
    with pytest.raises(ValueError, match="unknown variable 'Nope'"):
        ledger.environment_invariance(m, "Nope", "Y", "E")
    reads_e = attach(umbrella(), "Yhat", bayes_optimal(umbrella(), "Y", ["E", "S"]))
    with pytest.raises(ValueError, match="reads the environment 'E' itself"):
        ledger.environment_invariance(reads_e, "Yhat", "Y", "E")
    with pytest.raises(ValueError, match="'U_A' has no parents"):
        ledger.features_read(umbrella(), "U_A")


# ---------------------------------------------------------------- explainability
def test_interventional_validity_compares_observing_and_setting_the_feature():
    m = umbrella()
    fitted = attach(m, "Yhat", bayes_optimal(m, "Y", ["S"]))
    check = ledger.interventional_validity(fitted, "Yhat", "Y", "S")
    assert check.objective == "explainability (interventional validity)"
    assert check.change == "do(S = s) instead of observing S = s" and check.quantity == "accuracy of the decision"
    for s in (0, 1):
        assert check.values[f"accuracy | S={s}"] == pytest.approx(accuracy(fitted, "Yhat", "Y", evidence={"S": s}))
        assert check.values[f"accuracy | do(S={s})"] == pytest.approx(accuracy(fitted, "Yhat", "Y", do={"S": s}))
    assert check.gap == pytest.approx(max(abs(check.values[f"accuracy | S={s}"] - check.values[f"accuracy | do(S={s})"])
                                          for s in (0, 1)))
    assert not check.holds


def test_first_edition_name_of_interventional_validity():
    from book import invariance  # the first edition's module name (book/_legacy)

    assert invariance.explanation_faithfulness is ledger.interventional_validity
    assert "explanation_faithfulness" not in ledger.__all__


# ---------------------------------------------------------------- privacy
def test_laplace_privacy_is_the_privacy_loss_at_the_worst_case_output():
    rng = np.random.default_rng(5)
    for _ in range(20):
        counts = rng.integers(1, 20, size=6)
        neighbour = counts.copy()
        i, j = rng.choice(6, size=2, replace=False)
        neighbour[i] -= 1  # one record replaced: it leaves cell i for cell j
        neighbour[j] += 1
        eps = float(rng.uniform(0.1, 3.0))
        check = ledger.laplace_privacy(counts, neighbour, epsilon=eps)
        worst = privacy.worst_case_output(counts, neighbour)
        loss = float(privacy.privacy_loss(worst, counts, neighbour, eps, sensitivity=privacy.SENSITIVITY))
        assert check.gap == pytest.approx(loss, abs=1e-12)
        assert check.values == {"privacy loss": check.gap, "epsilon": eps}
        # the default sensitivity is replace-one (2): the loss reaches epsilon and no output exceeds it
        assert check.gap == pytest.approx(eps) and check.holds
        outputs = rng.normal(counts, 5.0, size=(500, 6))
        assert np.all(privacy.privacy_loss(outputs, counts, neighbour, eps) <= check.gap + 1e-9)
        # noise calibrated to add/remove (sensitivity 1) leaks twice epsilon under replacement
        half = ledger.laplace_privacy(counts, neighbour, epsilon=eps, sensitivity=1)
        assert half.gap == pytest.approx(2 * eps) and not half.holds


def test_laplace_privacy_bad_input():
    with pytest.raises(ValueError, match="epsilon must be a positive finite number, got 0"):
        ledger.laplace_privacy([1, 2], [2, 1], epsilon=0)
    with pytest.raises(ValueError, match="sensitivity must be a positive finite number, got -1"):
        ledger.laplace_privacy([1, 2], [2, 1], epsilon=1.0, sensitivity=-1)
    with pytest.raises(ValueError, match="equally long: 2 vs 1"):
        ledger.laplace_privacy([1, 2], [2], epsilon=1.0)


# ---------------------------------------------------------------- the ledger table
def test_ledger_table():
    fam = Environments.from_variable(hospitals(), "E", "Y")
    checks = [ledger.risk_invariance(fam, optimal_predictor(fam, ["C", "S"])),
              ledger.laplace_privacy([5, 3], [4, 4], epsilon=1.0)]
    table = ledger.ledger_table(checks)
    assert list(table.index) == ["robustness", "privacy"]
    assert list(table.columns) == ["change", "must stay invariant", "gap", "invariant?"]
    assert table.loc["robustness", "gap"] == 0.225 and table.loc["robustness", "invariant?"] == "no"
    assert table.loc["privacy", "gap"] == 1.0 and table.loc["privacy", "invariant?"] == "yes"
