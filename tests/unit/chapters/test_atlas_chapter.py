"""Unit tests of chapter 10's module, its model and its self-checks."""

import itertools
import math

import numpy as np
import pytest

from book.chapters import all_at_once as ch
from book.exercises import check_no_bias_selection, check_own_selection
from book.metrics import accuracy
from book.models.atlas import FEATURES, atlas
from book.predictors import Predictor, attach, bayes_optimal


def test_atlas_rejects_impossible_parameters():
    with pytest.raises(ValueError, match="label_bias"):
        atlas(label_bias=1.5)
    with pytest.raises(ValueError, match="spurious_noise"):
        atlas(spurious_noise=(0.1,))
    with pytest.raises(ValueError, match="marker_noise"):
        atlas(marker_noise=-0.1)


def test_atlas_structure():
    m = atlas()
    assert set(m.parents("Y")) == {"Y0", "A", "U_B"}
    assert set(m.parents("S")) >= {"Y0", "E"}
    # Y0 is Y without the label bias: with no bias they coincide
    no_bias = atlas(label_bias=0.0)
    assert no_bias.joint(["Y", "Y0"])[(1, 0)] == pytest.approx(0.0, abs=1e-12)


def test_narrow_keeps_the_rule_and_rejects_what_it_cannot():
    h = Predictor(("Q", "S"), {(0, 0): 0, (0, 1): 0, (1, 0): 1, (1, 1): 1}, (0, 1))
    assert ch.narrow(h, ("Q",)).table == {(0,): 0, (1,): 1}
    with pytest.raises(ValueError, match="depends on more"):
        ch.narrow(h, ("S",))
    with pytest.raises(ValueError, match="'P'"):
        ch.narrow(h, ("P",))


def test_relation_against_brute_force():
    rng = np.random.default_rng(0)
    for _ in range(200):
        a, b = rng.integers(0, 4, 5) / 4, rng.integers(0, 4, 5) / 4
        result = ch.relation(a, b, tolerances=(0.1, 0.1))
        fixed = a.max() - a.min() <= 0.1 or b.max() - b.min() <= 0.1
        common = any(a[i] >= a.max() - 0.1 and b[i] >= b.max() - 0.1 for i in range(5))
        assert result == ("settled" if fixed else "align" if common else "conflict")


@pytest.mark.parametrize("bad", [dict(first=[], second=[]), dict(first=[1.0], second=[1.0, 2.0])])
def test_relation_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="non-empty"):
        ch.relation(tolerances=(0.1, 0.1), **bad)
    with pytest.raises(ValueError, match="tolerances"):
        ch.relation([1.0], [1.0], tolerances=(0.0, 0.1))


def test_learner_accuracy_is_the_population_accuracy_of_the_fitted_table():
    m = atlas()
    # with many records and no noise, the histogram on Q learns the Bayes-optimal rule exactly
    mean, se = ch.learner_accuracy(m, ["Q"], n=2000, epsilon=math.inf, reps=3, rng=np.random.default_rng(1))
    best = accuracy(attach(m, "Yhat", bayes_optimal(m, "Y", ["Q"])), "Yhat", "Y")
    assert mean == pytest.approx(best) and se == pytest.approx(0.0)
    # brute force: every table on Q is one of four rules; the learner's accuracy is one of their accuracies
    rules = {t: accuracy(attach(m, "Yhat", Predictor(("Q",), dict(zip([(0,), (1,)], t, strict=True)), (0, 1))),
                         "Yhat", "Y") for t in itertools.product((0, 1), repeat=2)}
    mean, _ = ch.learner_accuracy(m, ["Q"], n=5, epsilon=0.5, reps=2, rng=np.random.default_rng(2))
    assert min(rules.values()) - 1e-12 <= mean <= max(rules.values()) + 1e-12


def test_on_read_makes_the_privacy_row_read_every_feature():
    m = atlas()
    h = bayes_optimal(m, "Y", ["Q", "P"])  # ignores P
    wide = ch.on_read(m, h, ["Q", "P"])
    assert wide.features == ("Q", "P") and len(set(wide.table.values())) == 2
    assert ch.on_read(m, bayes_optimal(m, "Y", ["Q"]), ["Q"]).table == bayes_optimal(m, "Y", ["Q"]).table


def test_family_members_are_distinct_and_sorted():
    members = ch.family()
    rules = [(m.features, tuple(sorted(m.predictor.table.items()))) for m in members]
    assert len(set(rules)) == len(rules)
    assert [m.audit.accuracy for m in members] == sorted((m.audit.accuracy for m in members), reverse=True)
    assert set(itertools.chain.from_iterable(m.features for m in members)) <= set(FEATURES)


def test_explorer_frames_and_alt_text():
    ex = ch.atlas_explorer()
    assert ex.n_frames == 6
    alt = ex.alt_text(shift=0.5, bias=0.2)
    assert "0.894" in alt and "0.823" in alt


def test_self_checks_give_feedback():
    assert check_no_bias_selection(("Q", "N1", "N2")).correct
    assert check_no_bias_selection(["N2", "N1", "Q"]).correct
    assert not check_no_bias_selection(None).correct
    assert "robustness" in check_no_bias_selection(("Q", "S")).message
    assert "unfair edge A -> P" in check_no_bias_selection(("Q", "P", "N1", "N2")).message
    assert "not features" in check_no_bias_selection(("A",)).message
    assert check_own_selection(0.755).correct
    assert "no invariance to enforce" in check_own_selection(0.802).message
    assert not check_own_selection("abc").correct


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(n=0, reps=3), "n must be a positive integer"),
    (dict(n=10, reps=1), "reps must be an integer of at least 2"),
    (dict(n=True, reps=3), "n must be a positive integer"),
])
def test_learner_accuracy_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ch.learner_accuracy(atlas(), ["Q"], epsilon=math.inf, rng=np.random.default_rng(0), **kwargs)
    with pytest.raises(ValueError, match="epsilon"):
        ch.learner_accuracy(atlas(), ["Q"], n=10, reps=2, epsilon=-1.0, rng=np.random.default_rng(0))


def test_learner_accuracy_without_features_is_the_training_majority():
    m = atlas()
    # no feature: the learner predicts its records' commoner label; its accuracy is P(Y = that label)
    mean, _ = ch.learner_accuracy(m, [], n=40, epsilon=math.inf, reps=5, rng=np.random.default_rng(3))
    prior = m.query("Y")
    assert min(prior.values()) - 1e-12 <= mean <= max(prior.values()) + 1e-12


def test_the_constants_privacy_row_is_sampled_like_the_others():
    constant = ch.family()[-1]
    assert constant.features == ()
    p = ch.privacy(constant)
    assert p["advantage s.e."] > 0  # measured, not set to 0
    assert ch.full_audit(ch.default_model(), constant).row("privacy").gap == pytest.approx(p["advantage"])
    assert ch.privacy_verdict(constant) == ch.full_audit(ch.default_model(), constant).row("privacy").verdict


def test_atlas_chapter_column_marks_pairs_no_chapter_shows_in_conflict():
    matrix = ch.atlas_matrix(ch.family())
    for pair, row in matrix.iterrows():
        if row["whole family"] != "conflict" and frozenset(pair.split(" / ")) not in ch.CHAPTERS:
            assert row["chapter"] == "—"
