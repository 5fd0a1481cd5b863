"""Unit tests of book.chapters.trustworthiness_as_invariance: the switch classes and the robustness detail."""

import itertools

import pytest

from book.chapters import trustworthiness_as_invariance as ch
from book.models import hiring, umbrella
from book.objectives import fairness, ledger
from book.predictors import attach, bayes_optimal


def test_switch_classes_are_the_components_of_the_coupling():
    m = umbrella()
    edges = fairness.edges_out_of(m, "A")
    classes = ch.switch_classes(m)  # default: every edge out of A
    assert classes == ch.switch_classes(m, ch.FEATURES, edges)
    profiles = [x for c in classes for x in c]
    assert sorted(profiles) == sorted(x for x, p in m.joint(list(ch.FEATURES)).items() if p > 0)
    where = {x: k for k, c in enumerate(classes) for x in c}
    coupling = fairness.switch_coupling(m, ch.FEATURES, "A", edges)
    for (x, x2), w in coupling.items():  # linked profiles share a class ...
        if w > 0:
            assert where[x] == where[x2]
    # ... and a decision constant on each class never changes under the switch
    for decisions in itertools.product((0, 1), repeat=len(classes)):
        h = {x: decisions[where[x]] for x in profiles}
        assert sum(w * abs(h[x] - h[x2]) for (x, x2), w in coupling.items()) == pytest.approx(0.0, abs=1e-12)


def test_switch_classes_along_the_unfair_edges_only():
    m = umbrella()
    classes = ch.switch_classes(m, ch.FEATURES, ch.UNFAIR)
    assert len(classes) == 4  # C is reached only along the allowed edge: its value is kept
    index = ch.FEATURES.index("C")
    assert all(len({x[index] for x in c}) == 1 for c in classes)
    # another model: with A -> P the only unfair edge, Q is never moved by the switch
    h = hiring()
    assert all(len({x[0] for x in c}) == 1 for c in ch.switch_classes(h, ["Q", "P"], [("A", "P")]))


def test_switch_classes_bad_input():
    with pytest.raises(ValueError, match="not an edge out of 'A'"):
        ch.switch_classes(umbrella(), ch.FEATURES, [("C", "Y")])
    with pytest.raises(ValueError, match="Nope"):
        ch.switch_classes(umbrella(), ["Nope"])


def test_classes_table_matches_the_invariant_predictor():
    # Without label bias the switch keeps C xor S as well (Y then moves only with C): four classes,
    # and the best counterfactually fair decision is no longer constant.
    m = umbrella(label_bias=0.0)
    table = ch.classes_table(m)
    assert list(table.columns) == ["profiles", "A xor P", "P(Y=1 | class)", "best fair decision"]
    assert len(table) == 4 and table["profiles"].sum() == 16
    fair = fairness.invariant_predictor(m, "Y", ch.FEATURES, "A", fairness.edges_out_of(m, "A"))
    classes = ch.switch_classes(m)
    joint = m.joint([*ch.FEATURES, "Y"])
    for k, members in enumerate(classes, start=1):
        positive = sum(joint[(*x, 1)] for x in members) / sum(joint[(*x, y)] for x in members for y in (0, 1))
        assert table.loc[k, "P(Y=1 | class)"] == pytest.approx(positive, abs=5e-4)
        assert table.loc[k, "best fair decision"] == str(fair.table[members[0]]) == str(int(positive > 0.5))
    assert set(table["best fair decision"]) == {"0", "1"}


def test_conditional_shift_agrees_with_the_ledger():
    m = umbrella()
    for features in (("S",), ("C", "S"), ("A", "C", "S")):
        fitted = attach(m, "Yhat", bayes_optimal(m, "Y", features))
        shift = ch.conditional_shift(fitted)
        check = ledger.environment_invariance(fitted, "Yhat", "Y", "E")
        assert shift["features"] == ledger.features_read(fitted, "Yhat")
        by_region = shift["P(Y=1 | profile)"]
        assert max(by_region.values()) - min(by_region.values()) == pytest.approx(check.gap, abs=1e-12)
        evidence = dict(shift["profile"])
        for e in (0, 1):
            assert by_region[f"E={e}"] == pytest.approx(m.query("Y", evidence=evidence, do={"E": e})[1])
    report = ch.robustness_report(attach(m, "Yhat", bayes_optimal(m, "Y", ["C", "S"])))
    assert report.startswith("largest change: P(Y=1 | C=0, S=1) is ") and "risk of the predictor" in report
