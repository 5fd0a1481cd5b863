"""Unit tests of the lending model and of chapter 8's module: parameters, bad input, the explorer."""

import math

import pytest

from book.chapters import fairness_privacy as ch
from book.models.lending import ALLOWED, UNFAIR, lending


def test_lending_declarations():
    assert UNFAIR == (("A", "P"), ("A", "Y")) and ALLOWED == (("A", "Q"),)
    model = lending(p_minority=0.3)
    assert model.query("A")[1] == pytest.approx(0.3)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"p_minority": 0.0}, "p_minority"), ({"p_minority": 1.0}, "p_minority"), ({"p_minority": 1.2}, "p_minority"),
    ({"income": (0.5, 0.5, 0.5, 0.5)}, "income"), ({"income": (1.0, 0.0)}, "income"),
    ({"repay": (0.21, 0.4, 0.7, 0.9)}, "repay"), ({"terms_penalty": 2.0}, "terms_penalty"),
])
def test_lending_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        lending(**kwargs)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"n": 0}, "n"), ({"p_minority": 0.0}, "p_minority"), ({"p_minority": 1.0}, "p_minority"),
    ({"reps": 1}, "reps"), ({"epsilons": (0.0,)}, "epsilons"), ({"epsilons": ()}, "epsilons"),
])
def test_simulate_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        ch.simulate(**({"n": 50, "reps": 2, "epsilons": (1.0,)} | kwargs))


def test_simulate_is_deterministic_and_summarised():
    a = ch.simulate(n=100, p_minority=0.2, epsilons=(0.5, math.inf), reps=5, seed=1)
    b = ch.simulate(n=100, p_minority=0.2, epsilons=(0.5, math.inf), reps=5, seed=1)
    assert a.equals(b)
    s = ch.summarise(a)
    assert set(s.index.get_level_values("predictor")) == set(ch.PREDICTORS)
    assert {f"{m}_se" for m in ch.METRICS} <= set(s.columns)


def test_exact_accuracy_bad_predictor():
    with pytest.raises(ValueError, match="group thresholds"):
        ch.exact_accuracy("group thresholds", 100, 0.1, 1.0)


def test_explorer_frames_and_alt_texts():
    explorer = ch.lending_explorer()
    assert explorer.n_frames == 4 * 3 * 3
    alt = ch._alt("0.5", 0.1, 1000)
    assert "epsilon 0.5" in alt and "path gap" in alt


def test_chapter_8_self_checks():
    from book.exercises import check_audit_epsilon, check_empty_cell_approval

    assert check_empty_cell_approval(0.5)
    assert "tie" in check_empty_cell_approval(0.0).message
    assert check_audit_epsilon(1 / (0.01 * 33))
    assert "whole minority" in check_audit_epsilon(1.0).message
    assert "all 1000 applicants" in check_audit_epsilon(0.1).message
    with pytest.raises(ValueError, match="target"):
        check_audit_epsilon(1.0, target=1.5)
