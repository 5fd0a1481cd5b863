"""Self-checks: the reference solution passes, typical mistakes get specific feedback."""

import pytest

from book.exercises import (
    Feedback,
    check_number,
    check_sam_counterfactual,
    check_selective_feature_set,
    check_tutoring_intervention,
)
from book.models import tutoring


def test_check_number_basics():
    assert not check_number(None, 0.5) and "No answer yet" in check_number(None, 0.5).message
    assert "Expected a number" in check_number("abc", 0.5).message
    assert "not a probability" in check_number(1.7, 0.5).message
    assert check_number(0.5004, 0.5)
    assert repr(Feedback(True, "ok")) == "Correct. ok"


def test_tutoring_intervention():
    m = tutoring(p_motivated=0.3)
    assert check_tutoring_intervention(m.query("Pass", do={"Tutored": 1})[1])
    seeing = check_tutoring_intervention(m.query("Pass", evidence={"Tutored": 1})[1])
    assert not seeing and "conditioned" in seeing.message
    assert "do(Tutored = 0)" in check_tutoring_intervention(m.query("Pass", do={"Tutored": 0})[1]).message
    assert "default" in check_tutoring_intervention(tutoring().query("Pass", do={"Tutored": 1})[1]).message


def test_sam_counterfactual():
    m = tutoring()
    assert check_sam_counterfactual(m.counterfactual("Pass", evidence={"Tutored": 1, "Pass": 1}, do={"Tutored": 0})[1])
    assert "abduction" in check_sam_counterfactual(m.query("Pass", do={"Tutored": 0})[1]).message
    assert "necessary" in check_sam_counterfactual(
        m.counterfactual("Pass", evidence={"Tutored": 1, "Pass": 1}, do={"Tutored": 0})[0]
    ).message


@pytest.mark.parametrize("answer", [("C",), ["A", "C"], ("C", "P"), "C"])
def test_selective_feature_set_accepts_every_equivalent_answer(answer):
    assert check_selective_feature_set(answer)


def test_selective_feature_set_explains_each_failure():
    both = check_selective_feature_set(("C", "S"))
    assert not both and "switched along the unfair" in both.message and "across environments" in both.message
    assert "differs by up to 0.499" in both.message  # the robustness gap: P(Y | C, S) across the regions
    assert "reads A itself" in check_selective_feature_set(("A",)).message
    assert "A -> P" in check_selective_feature_set(("P",)).message
    assert "Choose a non-empty subset" in check_selective_feature_set(("Q",)).message
    assert "No answer yet" in check_selective_feature_set(None).message


def test_chapter7_checks():
    from book.chapters.fairness_robustness import direction_predictors, measures
    from book.exercises import check_anticausal_parity, check_faded_parity
    from book.objectives.fairness import parity_difference

    there = measures("proxy", "size 1.00")["parity in region 0"]
    assert check_faded_parity(there["parity gap"])
    assert "region 0" in check_faded_parity(0.0).message
    assert "odds gap" in check_faded_parity(there["odds gap"]).message
    fam, hs = direction_predictors("anticausal")
    h = hs["counterfactually invariant"]
    assert check_anticausal_parity(parity_difference(fam.scm("link 0.90"), h, "A"))
    assert "odds gap" in check_anticausal_parity(0.0).message
    assert "training region" in check_anticausal_parity(parity_difference(fam.scm("link 0.60"), h, "A")).message


@pytest.mark.parametrize("answer", [True, False])
def test_a_truth_value_is_not_scored_as_a_number(answer):
    """float(True) == 1.0: without the guard, True would pass any check whose answer is 1."""
    verdict = check_number(answer, float(answer))
    assert verdict.correct is False and "truth value" in verdict.message
