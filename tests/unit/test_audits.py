"""The invariance audit (book.audits) against brute-force enumeration of random small SCMs."""

import itertools
import math

import numpy as np
import pytest

import book
from book.audits import OBJECTIVES, audit, select
from book.models import hiring, umbrella
from book.objectives.fairness import invariant_predictor
from book.predictors import Predictor, attach, bayes_optimal
from book.scm import DiscreteSCM

UNFAIR = [("A", "P"), ("A", "Y")]


# ---------------------------------------------------------------- a random SCM and its brute force
def random_tables(seed):
    """Random deterministic equations of A -> X1 -> X2, A -> X2, (A, X1, E) -> Y, E -> X2 over binary noise."""
    rng = np.random.default_rng(seed)

    def bits(k):
        return {key: int(v) for key, v in zip(itertools.product((0, 1), repeat=k), rng.integers(0, 2, 2**k),
                                               strict=True)}

    return {
        "p": {u: float(rng.uniform(0.15, 0.85)) for u in ("U_A", "U_E", "U_1", "U_2", "U_Y")},
        "X1": bits(2),  # (A, U_1)
        "X2": bits(4),  # (A, X1, E, U_2)
        "Y": bits(3),  # (A, X1, U_Y)
        "h": bits(3),  # predictor on (A, X1, X2)
    }


def random_model(t):
    exo = {u: {0: 1 - p, 1: p} for u, p in t["p"].items()}
    eq = {
        "A": (["U_A"], lambda U_A: U_A),
        "E": (["U_E"], lambda U_E: U_E),
        "X1": (["A", "U_1"], lambda A, U_1: t["X1"][(A, U_1)]),
        "X2": (["A", "X1", "E", "U_2"], lambda A, X1, E, U_2: t["X2"][(A, X1, E, U_2)]),
        "Y": (["A", "X1", "U_Y"], lambda A, X1, U_Y: t["Y"][(A, X1, U_Y)]),
    }
    m = DiscreteSCM(exo, eq)
    h = Predictor(("A", "X1", "X2"), dict(t["h"]), (0, 1))
    return attach(m, "Yhat", h)


def world(t, u, a=None, a_along_x1=None):
    """The unit's variables with exogenous values u; A optionally forced, and X1 optionally fed another A."""
    A = u["U_A"] if a is None else a
    X1 = t["X1"][(A if a_along_x1 is None else a_along_x1, u["U_1"])]
    X2 = t["X2"][(A, X1, u["U_E"], u["U_2"])]
    return {"A": A, "X1": X1, "X2": X2, "Y": t["Y"][(A, X1, u["U_Y"])], "Yhat": t["h"][(A, X1, X2)]}


def units(t):
    names = list(t["p"])
    for values in itertools.product((0, 1), repeat=len(names)):
        u = dict(zip(names, values, strict=True))
        yield u, math.prod(t["p"][n] if u[n] else 1 - t["p"][n] for n in names)


def brute_accuracy(t):
    return sum(p for u, p in units(t) if (w := world(t, u))["Yhat"] == w["Y"])


def brute_counterfactual_gap(t):
    return sum(p for u, p in units(t) if world(t, u)["Yhat"] != world(t, u, a=1 - u["U_A"])["Yhat"])


def brute_path_gap_allowed_x1(t):
    """A switched everywhere except along A -> X1 (declared allowed): X1 keeps the unit's own A."""
    return sum(p for u, p in units(t)
               if world(t, u)["Yhat"] != world(t, u, a=1 - u["U_A"], a_along_x1=u["U_A"])["Yhat"])


def brute_robustness_gap(t):
    """max over (x, y) of the spread over e of P(Y = y | A, X1, X2 = x; do(E = e)), read features only."""
    read = [f for i, f in enumerate(("A", "X1", "X2"))
            if any(t["h"][k] != t["h"][(*k[:i], 1 - k[i], *k[i + 1:])] for k in t["h"])]
    conditionals = {}
    for e in (0, 1):
        mass = {}
        for u, p in units(t):
            u = {**u, "U_E": e}
            w = world(t, u)
            key = tuple(w[f] for f in read)
            mass.setdefault(key, [0.0, 0.0])[w["Y"]] += p  # both values of U_E, each set to e
        conditionals[e] = {k: v[1] / sum(v) for k, v in mass.items() if sum(v) > 1e-12}
    common = set(conditionals[0]) & set(conditionals[1])
    return max((abs(conditionals[0][k] - conditionals[1][k]) for k in common), default=0.0)


@pytest.mark.parametrize("seed", range(8))
def test_exact_rows_match_brute_force_enumeration(seed):
    t = random_tables(seed)
    m = random_model(t)
    full = audit(m, "Yhat", "Y", attribute="A", environment="E")
    assert full.accuracy == pytest.approx(brute_accuracy(t), abs=1e-9)
    assert full.row("fairness").gap == pytest.approx(brute_counterfactual_gap(t), abs=1e-9)
    assert full.row("robustness").gap == pytest.approx(brute_robustness_gap(t), abs=1e-9)
    path = audit(m, "Yhat", "Y", attribute="A", unfair_edges=[("A", "X2"), ("A", "Y")])
    assert path.row("fairness").gap == pytest.approx(brute_path_gap_allowed_x1(t), abs=1e-9)


# ---------------------------------------------------------------- the table and the verdicts
def test_undeclared_objectives_are_reported_never_skipped():
    m = hiring()
    result = audit(attach(m, "Yhat", bayes_optimal(m, "Y", ["Q"])), "Yhat", "Y")
    assert [r.objective for r in result.rows] == list(OBJECTIVES)
    verdicts = {r.objective: r.verdict for r in result.rows}
    assert set(verdicts.values()) == {"not declared"}
    table = result.table()
    assert list(table.index) == list(OBJECTIVES)
    assert table.loc["fairness", "gap"] == "" and table.loc["fairness", "verdict"] == "not declared"
    assert "not declared" in repr(result) and "<caption>" in result._repr_html_()


def test_selective_and_unconstrained_hiring_rows():
    m = hiring()
    selective = invariant_predictor(m, "Y", ["A", "Q", "P"], "A", UNFAIR)
    fair = audit(attach(m, "Yhat", selective), "Yhat", "Y", attribute="A", unfair_edges=UNFAIR)
    assert fair.row("fairness").gap == 0.0 and fair.row("fairness").holds
    top = audit(attach(m, "Yhat", bayes_optimal(m, "Y", ["A", "Q", "P"])), "Yhat", "Y",
                attribute="A", unfair_edges=UNFAIR)
    assert top.row("fairness").gap > 0.4 and not top.row("fairness").holds
    assert top.accuracy > fair.accuracy


def test_privacy_row_is_sampled_with_a_standard_error_and_reproducible():
    m = hiring()
    h = attach(m, "Yhat", bayes_optimal(m, "Y", ["A", "Q", "P"]))
    rows = [audit(h, "Yhat", "Y", n=100, reps=10, rng=np.random.default_rng(3)).row("privacy") for _ in range(2)]
    assert rows[0] == rows[1]
    assert rows[0].standard_error is not None and rows[0].standard_error > 0
    noisy = audit(h, "Yhat", "Y", n=100, reps=10, epsilon=0.5, rng=np.random.default_rng(3)).row("privacy")
    assert noisy.values["bound tanh(epsilon/2)"] == pytest.approx(math.tanh(0.25))
    assert noisy.gap <= noisy.values["bound tanh(epsilon/2)"] + 3 * noisy.standard_error


def test_privacy_row_codes_a_many_valued_feature_as_bits():
    from book.audits import _binary_codes  # the coding is the point of this test
    from book.models.lending import lending

    m = lending()
    frame = m.sample(500, np.random.default_rng(0))
    bits = _binary_codes(frame, ["Q", "A"], m)
    assert bits.shape == (500, 3)  # Q has 4 states: 2 bits; A: 1 bit
    # the bits identify the joint value: equal bit rows <=> equal (Q, A)
    assert len({tuple(r) for r in bits}) == len(set(zip(frame["Q"], frame["A"], strict=True)))
    h = attach(m, "Yhat", bayes_optimal(m, "Y", ["Q"]))
    row = audit(h, "Yhat", "Y", n=200, reps=5, rng=np.random.default_rng(1)).row("privacy")
    assert row.standard_error is not None and abs(row.gap) < 0.2
    coin = {"U_X": {0: 0.5, 1: 0.5}, "U_Y": {0: 0.3, 1: 0.4, 2: 0.3}}
    three = DiscreteSCM(coin, {"X": (["U_X"], lambda U_X: U_X), "Y": (["X", "U_Y"], lambda X, U_Y: (X + U_Y) % 3)})
    three = attach(three, "Yhat", bayes_optimal(three, "Y", ["X"]))
    with pytest.raises(ValueError, match="binary label; 'Y' has states"):
        audit(three, "Yhat", "Y", n=10, rng=np.random.default_rng(0))


def test_recourse_row_separates_acting_on_a_cause_from_acting_on_an_effect():
    from book.models import loans

    m = loans()
    on_causes = attach(m, "Yhat", bayes_optimal(m, "Y", ["X1", "X2", "D"]))
    on_all = attach(m, "Yhat", bayes_optimal(m, "Y", ["X1", "X2", "D", "S"]))
    costs = {"X1": 1.0, "X2": 1.5, "D": 2.0, "S": 0.5}
    causal = audit(on_causes, "Yhat", "Y", actionable=costs).row("recourse")  # S is not read: no advice on it
    spending = audit(on_all, "Yhat", "Y", actionable=costs).row("recourse")
    assert spending.gap > causal.gap + 0.1


def test_rows_depend_on_the_decision_rule_not_on_inputs_it_ignores():
    from book.models import loans
    from book.predictors import on_features

    m = loans()
    h = bayes_optimal(m, "Y", ["X1", "X2", "D"])
    wide = on_features(h, ("X1", "X2", "D", "S"), {f: m.states(f) for f in ("X1", "X2", "D", "S")})
    costs = {"X1": 1.0, "X2": 1.5, "D": 2.0, "S": 0.5}
    a, b = (audit(attach(m, "Yhat", g), "Yhat", "Y", environment="E", explain=True, actionable=costs)
            for g in (h, wide))
    assert [r.gap for r in a.rows] == pytest.approx([r.gap for r in b.rows], abs=1e-12, nan_ok=True)


def test_explainability_is_declared_explicitly():
    m = hiring()
    h = attach(m, "Yhat", bayes_optimal(m, "Y", ["A", "Q", "P"]))
    assert audit(h, "Yhat", "Y").row("explainability").verdict == "not declared"
    row = audit(h, "Yhat", "Y", explain=True).row("explainability")
    assert set(row.values) == {f"gap of {f}" for f in ("A", "Q", "P")}
    assert row.gap == pytest.approx(max(row.values.values()))


def test_an_environment_family_gives_the_same_row_as_its_variable():
    from book.objectives.robustness import Environments

    m = umbrella()
    family = Environments.from_variable(m, "E", "Y")
    for features in (["C"], ["C", "S"]):
        deployed = attach(m, "Yhat", bayes_optimal(m, "Y", features))
        by_variable = audit(deployed, "Yhat", "Y", environment="E").row("robustness")
        by_family = audit(deployed, "Yhat", "Y", environment=family).row("robustness")
        assert by_family.gap == pytest.approx(by_variable.gap, abs=1e-12)
        assert by_family.values == pytest.approx(by_variable.values, abs=1e-12)
    with pytest.raises(ValueError, match="family is one of 'Y', not of the label 'S'"):
        audit(attach(m, "Shat", bayes_optimal(m, "S", ["C"])), "Shat", "S", environment=family)
    assert select(m, "Y", ["C", "S"], environment=family).predictor.features == ("C",)


def test_recourse_counts_refused_individuals_without_advice_as_failures():
    m = hiring()
    on_q = attach(m, "Yhat", bayes_optimal(m, "Y", ["Q"]))
    # an actionable feature the decision does not read can give no advice: every refusal fails
    row = audit(on_q, "Yhat", "Y", actionable={"P": 1.0}).row("recourse")
    assert row.gap == pytest.approx(1.0) and row.verdict == "fails"
    assert row.values["share of refused individuals with advice"] == 0.0
    # a predictor that refuses everyone cannot be argued with either
    never = attach(m, "Yhat", Predictor(("Q",), {(0,): 0, (1,): 0}, (0, 1)))
    assert audit(never, "Yhat", "Y", actionable={"Q": 1.0}).row("recourse").gap == pytest.approx(1.0)
    # one that accepts everyone needs no recourse
    always = attach(m, "Yhat", Predictor(("Q",), {(0,): 1, (1,): 1}, (0, 1)))
    assert audit(always, "Yhat", "Y", actionable={"Q": 1.0}).row("recourse").gap == 0.0
    # with advice for everyone refused, the gap is the mean mismatch among the advised
    advised = audit(on_q, "Yhat", "Y", actionable={"Q": 1.0}).row("recourse")
    assert advised.values["share of refused individuals with advice"] == pytest.approx(1.0)
    assert advised.gap == pytest.approx(advised.values["mean gap among the advised"])


def test_a_sampled_row_decides_only_clear_of_the_tolerance():
    from book.audits import AuditRow

    def row(gap, se):
        return AuditRow("privacy", "c", "q", gap, 0.01, se)

    assert row(0.0, 0.004).verdict == "holds"  # 0.008 <= 0.01
    assert row(0.005, 0.004).verdict == "inconclusive" and row(0.005, 0.004).holds is None
    assert row(0.03, 0.005).verdict == "fails"  # 0.02 > 0.01
    assert row(0.011, None).verdict == "fails" and row(0.01, None).verdict == "holds"  # exact rows
    assert audit(attach(hiring(), "Yhat", bayes_optimal(hiring(), "Y", ["Q"])), "Yhat", "Y",
                 attribute="A", tolerance=np.float32(0.05)).row("fairness").tolerance == pytest.approx(0.05)


# ---------------------------------------------------------------- select
def test_select_is_the_best_of_the_per_subset_exactly_fair_rules_by_brute_force():
    # Independent: every deterministic rule on every subset of (A, Q, P), its exact unfair-path gap
    # by enumeration of the hiring model's noise (book.audit's fairness row is checked against brute
    # force above), the best exactly fair one per subset, the best of those overall.
    m = hiring()
    best = 0.0
    for size in range(1, 4):
        for subset in itertools.combinations(("A", "Q", "P"), size):
            cells = list(itertools.product(*(m.states(f) for f in subset)))
            for labels in itertools.product((0, 1), repeat=len(cells)):
                h = Predictor(subset, dict(zip(cells, labels, strict=True)), (0, 1))
                result = audit(attach(m, "Yhat", h), "Yhat", "Y", attribute="A", unfair_edges=UNFAIR)
                if result.row("fairness").gap <= 1e-12:
                    best = max(best, result.accuracy)
    s = select(m, "Y", ["A", "Q", "P"], attribute="A", unfair_edges=UNFAIR)
    assert s.audit.accuracy == pytest.approx(best, abs=1e-12)

def test_select_finds_the_selective_hiring_predictor():
    s = book.select(hiring(), "Y", ["A", "Q", "P"], attribute="A", unfair_edges=UNFAIR)
    assert s.predictor.features == ("Q",) and not s.irreducible
    assert s.audit.row("fairness").holds
    passing = s.candidates[s.candidates["passes"]]
    assert s.audit.accuracy == pytest.approx(passing["accuracy"].max(), abs=5e-4)


def test_select_says_when_the_conflict_is_irreducible():
    # Every path from A is declared unfair and A -> Y directly: no non-constant predictor is fair.
    m = hiring()
    s = select(m, "Y", ["A", "P"], attribute="A", unfair_edges=[("A", "Q"), ("A", "P"), ("A", "Y")])
    assert s.irreducible and "irreducible" in repr(s)


def test_select_on_environments_keeps_only_invariant_conditionals():
    s = select(umbrella(), "Y", ["C", "S"], environment="E")
    assert s.predictor.features == ("C",) and s.audit.row("robustness").holds


# ---------------------------------------------------------------- bad input
@pytest.fixture
def attached():
    m = hiring()
    return attach(m, "Yhat", bayes_optimal(m, "Y", ["A", "Q", "P"]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"attribute": "Nope"}, "'Nope'"),
        ({"attribute": "A", "unfair_edges": [("A", "Nope")]}, r"\('A', 'Nope'\)"),
        ({"attribute": "A", "unfair_edges": [("Q", "Y")]}, r"Q"),
        ({"unfair_edges": [("A", "P")]}, "without the attribute"),
        ({"environment": "Nope"}, "'Nope'"),
        ({"tolerance": 0}, "tolerance must be a positive finite number, got 0"),
        ({"actionable": {"Q": 1.0}, "desired": 2}, "desired=2 is not a state"),
        ({"explain": "yes"}, "explain must be True or False, got 'yes'"),
        ({"tolerance": -0.1}, "got -0.1"),
        ({"epsilon": 1.0}, "needs a sample size"),
        ({"learner": "histogram"}, "needs a sample size"),
        ({"learner": "forest", "n": 10, "rng": np.random.default_rng(0)}, "unknown learner 'forest'"),
        ({"n": 0, "rng": np.random.default_rng(0)}, "n must be a positive integer, got 0"),
        ({"n": 10}, "rng="),
        ({"n": 10, "reps": 1, "rng": np.random.default_rng(0)}, "reps must be"),
        ({"actionable": {"Y": 1.0}}, "actionable feature 'Y' is the prediction or the label"),
        ({"actionable": {"Nope": 1.0}}, "'Nope'"),
        ({"actionable": {"Q": 0}}, "cost of actionable feature 'Q' must be a positive number, got 0"),
    ],
)
def test_bad_declarations_name_the_bad_value(attached, kwargs, message):
    with pytest.raises(ValueError, match=message):
        audit(attached, "Yhat", "Y", **kwargs)


def test_bad_variables_name_the_bad_value(attached):
    with pytest.raises(ValueError, match="'Nope'"):
        audit(attached, "Nope", "Y")
    with pytest.raises(ValueError, match="'Nope'"):
        audit(attached, "Yhat", "Nope")
    with pytest.raises(ValueError, match="attach a predictor"):
        audit(attached, "U_A", "Y")
    m = umbrella()
    reads_e = attach(m, "Yhat", bayes_optimal(m, "Y", ["E", "S"]))
    with pytest.raises(ValueError, match="reads the environment 'E'"):
        audit(reads_e, "Yhat", "Y", environment="E")
    # an "environment" that acts on the label's own mechanism is not a change of environment
    coin = {"U_E": {0: 0.5, 1: 0.5}, "U_X": {0: 0.5, 1: 0.5}, "U_Y": {0: 0.8, 1: 0.2}}
    acts = DiscreteSCM(coin, {"E": (["U_E"], lambda U_E: U_E), "X": (["U_X"], lambda U_X: U_X),
                              "Y": (["E", "X", "U_Y"], lambda E, X, U_Y: (X + E + U_Y) % 2)})
    with pytest.raises(ValueError, match="must not act on 'Y''s own mechanism"):
        audit(attach(acts, "Yhat", bayes_optimal(acts, "Y", ["X"])), "Yhat", "Y", environment="E")
    with pytest.raises(ValueError, match="'Yhat'"):
        select(attached, "Y", ["Q"])
    with pytest.raises(ValueError, match="'Y' cannot also be a feature"):
        select(hiring(), "Y", ["Q", "Y"])
    with pytest.raises(ValueError, match="environment 'E' cannot be a feature"):
        select(umbrella(), "Y", ["C", "E"], environment="E")


def test_the_readme_example_runs(capsys):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Audit your own model", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})  # the README's own example
    printed = capsys.readouterr().out
    assert "fairness" in printed and "Selective predictor on Q" in printed
