"""Unit tests of book.questions: generated causal questions and their exact answers."""

import pytest

from book.models import hiring, tutoring
from book.questions import Question, causal_questions, questions_table


def test_answers_are_the_models_own():
    m = hiring()
    q = causal_questions(m, [("Q", "Y")])
    assert [x.rung for x in q] == [1, 2, 2, 3]
    assert q[0].answer == pytest.approx(m.probability({"Y": 1}, evidence={"Q": 1}))
    assert q[1].answer == pytest.approx(m.probability({"Y": 1}, do={"Q": 1}))
    assert q[2].answer in ("yes", "no")
    assert q[3].answer == pytest.approx(m.counterfactual("Y", evidence={"Q": 0, "Y": 0}, do={"Q": 1})[1])


def test_default_pairs_are_cause_and_descendant():
    m = tutoring()
    qs = causal_questions(m)
    assert qs and len(qs) % 4 == 0
    assert all(isinstance(q, Question) for q in qs)


def test_bad_pairs_are_named():
    with pytest.raises(ValueError, match="'A' is not downstream of 'Y'"):
        causal_questions(hiring(), [("Y", "A")])
    with pytest.raises(ValueError, match="unknown variable 'Z'"):
        causal_questions(hiring(), [("Z", "Y")])


def test_table_prints_three_decimals():
    t = questions_table([Question(3, "Would it?", 1.0), Question(2, "Same?", "yes")])
    assert list(t["answer"]) == ["1.000", "yes"]


def test_empty_and_malformed_pairs_are_named():
    from book.models.resumes import resumes
    with pytest.raises(ValueError, match="pairs is empty"):
        causal_questions(resumes(), [])
    with pytest.raises(ValueError, match=r"each pair must be \(cause, outcome\), got \('A', 'Q', 'Y'\)"):
        causal_questions(resumes(), [("A", "Q", "Y")])
