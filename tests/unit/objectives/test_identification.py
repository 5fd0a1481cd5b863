"""Unit tests of book.objectives.identification: LP bounds over response functions."""

import numpy as np
import pytest

from book.objectives.identification import (
    ATOMS,
    Bounds,
    data_of,
    optimal_weights,
    random_weights,
    response_bounds,
    response_scm,
    true_value,
)

OBS = {(0, 0): 0.35, (0, 1): 0.15, (1, 0): 0.15, (1, 1): 0.35}


def test_atoms_and_bounds_helpers():
    assert len(ATOMS) == 8 and len(set(ATOMS)) == 8
    b = Bounds(0.2, 0.5)
    assert b.width == pytest.approx(0.3) and b.contains(0.2) and not b.contains(0.51)


def test_experiment_identifies_the_effect_but_not_the_flip():
    b = response_bounds(OBS, "effect", interventional={0: 0.3, 1: 0.7})
    assert b.low == pytest.approx(0.4) and b.high == pytest.approx(0.4)
    f = response_bounds(OBS, "flip", interventional={0: 0.3, 1: 0.7})
    assert (f.low, f.high) == (pytest.approx(0.4), pytest.approx(1.0))


def test_assumption_free_effect_bounds_are_manski_width_one():
    b = response_bounds(OBS, "effect")
    assert b.width == pytest.approx(1.0)


def test_confounding_zero_equals_conditional_difference():
    b = response_bounds(OBS, "effect", confounding=0.0)
    assert b.low == pytest.approx(0.4) and b.high == pytest.approx(0.4)


def test_deterministic_models_are_exact():
    m = response_scm({(0, 0, 1): 0.5, (1, 0, 1): 0.5})
    assert true_value(m, "flip") == pytest.approx(1.0) and true_value(m, "effect") == pytest.approx(1.0)
    obs, exp = data_of(m)
    assert obs == {(0, 0): 0.5, (0, 1): 0.0, (1, 0): 0.0, (1, 1): 0.5} and exp == {0: 0.0, 1: 1.0}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": "parity"}, "target must be one of"),
        ({"observed": {(0, 0): 1.0}}, "observed must have exactly the cells"),
        ({"observed": {(0, 0): 0.5, (0, 1): 0.5, (1, 0): 0.5, (1, 1): 0.5}}, "must sum to 1, got 2.0"),
        ({"observed": {(0, 0): -0.1, (0, 1): 0.6, (1, 0): 0.25, (1, 1): 0.25}}, "must be a probability, got -0.1"),
        ({"interventional": {2: 0.5}}, "arms must be 0 or 1, got 2"),
        ({"interventional": {1: 1.5}}, r"P\(X = 1 \| do\(A = 1\)\) must be a probability, got 1.5"),
        ({"interventional": {1: 0.1}}, "no SCM reproduces these data"),
        ({"confounding": 2.0}, "confounding must be a probability, got 2.0"),
    ],
)
def test_bad_input_names_the_value(kwargs, message):
    args = {"observed": OBS, "target": "flip", **kwargs}
    observed, target = args.pop("observed"), args.pop("target")
    with pytest.raises(ValueError, match=message):
        response_bounds(observed, target, **args)


def test_inconsistent_marginals_raise():
    # P(X = 1 | do(A = 1)) = 0.1 is below P(A = 1, X = 1) = 0.35: no SCM gives both
    with pytest.raises(ValueError, match=r"interventional=\{1: 0.1\}"):
        response_bounds(OBS, "effect", interventional={1: 0.1})


def test_response_scm_and_true_value_reject_bad_input():
    with pytest.raises(ValueError, match=r"unknown atoms \[\(2, 0, 0\)\]"):
        response_scm({(2, 0, 0): 1.0})
    with pytest.raises(ValueError, match="target must be one of"):
        true_value(response_scm({(0, 0, 0): 1.0}), "parity")
    with pytest.raises(ValueError, match=r"rng must be a numpy\.random\.Generator"):
        random_weights(0)


def test_random_weights_are_seeded():
    a = random_weights(np.random.default_rng(1))
    b = random_weights(np.random.default_rng(1))
    assert a == b and sum(a.values()) == pytest.approx(1.0)


def test_data_contradicting_delta_name_the_assumption():
    # interventional data equal to the no-confounding values would be fine; these are 0.3 apart
    with pytest.raises(ValueError, match=r"confounding assumption delta = 0\.1"):
        response_bounds(OBS, "effect", interventional={0: 0.3, 1: 0.85}, confounding=0.1)
    with pytest.raises(ValueError, match=r"no SCM reproduces these data \(observed"):
        response_bounds(OBS, "effect", interventional={1: 0.1})


def test_delta_with_an_empty_group_raises():
    one_group = {(0, 0): 0.0, (0, 1): 0.0, (1, 0): 0.3, (1, 1): 0.7}
    with pytest.raises(ValueError, match=r"confounding=0.2 compares the two groups, but P\(A = 0\) = 0"):
        response_bounds(one_group, "effect", confounding=0.2)
    assert response_bounds(one_group, "effect").width == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(30))
def test_bounds_are_sharp_attained_by_the_optimal_scm(seed):
    """Both ends of every interval are the true value of an SCM that reproduces the data."""
    rng = np.random.default_rng(seed)
    observed, experiment = data_of(response_scm(random_weights(rng)))
    for target in ("flip", "effect"):
        for exp in (None, experiment):
            b = response_bounds(observed, target, interventional=exp)
            for end, value in (("low", b.low), ("high", b.high)):
                q = optimal_weights(observed, target, end, interventional=exp)
                m = response_scm(q)
                obs_m, exp_m = data_of(m)
                assert obs_m == {k: pytest.approx(v, abs=1e-9) for k, v in observed.items()}
                if exp is not None:
                    assert exp_m == {k: pytest.approx(v, abs=1e-9) for k, v in exp.items()}
                assert true_value(m, target) == pytest.approx(value, abs=1e-9)


def test_optimal_weights_rejects_a_bad_end():
    with pytest.raises(ValueError, match="end must be 'low' or 'high', got 'middle'"):
        optimal_weights(OBS, "flip", "middle")
