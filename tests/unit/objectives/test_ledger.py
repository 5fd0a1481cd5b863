"""Unit tests of book.objectives.ledger: the robustness and privacy rows computed through the objective modules."""

import numpy as np
import pytest

from book.models import hospitals, umbrella
from book.objectives import ledger, privacy
from book.objectives.robustness import Environments, environment_risk, optimal_predictor
from book.predictors import attach, bayes_optimal


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
def test_environment_invariance_is_risk_invariance_on_the_from_variable_family(model, features):
    m = model()
    h = bayes_optimal(m, "Y", features)
    check = ledger.environment_invariance(attach(m, "Yhat", h), "Yhat", "Y", "E")
    same = ledger.risk_invariance(Environments.from_variable(m, "E", "Y"), h)
    assert check.values == pytest.approx(same.values) and set(check.values) == set(same.values)
    assert check.gap == pytest.approx(same.gap, abs=1e-12) and check.holds == same.holds
    assert check.change == "do(E = e): a change of environment"


def test_environment_invariance_bad_input():
    m = attach(umbrella(), "Yhat", bayes_optimal(umbrella(), "Y", ["C"]))
    with pytest.raises(ValueError, match="unknown variable 'Nope'"):
        ledger.environment_invariance(m, "Yhat", "Y", "Nope")


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
