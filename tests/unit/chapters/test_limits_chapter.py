"""Unit tests of book.chapters.limits and book.exercises.limits: figures, alt texts, self-checks."""

import matplotlib.pyplot as plt
import pytest

from book.chapters import limits as ch
from book.exercises import check_declaration_share, check_one_arm_bound
from book.models import discovery


def test_figures_and_alt_texts():
    for fig, alt in ((ch.bounds_figure(ch.bounds_table()), ch.bounds_alt(ch.bounds_table())),
                     (ch.sensitivity_figure(ch.sensitivity()), ch.sensitivity_alt(ch.sensitivity())),
                     (ch.evaluation_figure(ch.evaluation_table()), ch.evaluation_alt(ch.evaluation_table()))):
        assert fig.axes[0].get_xlabel() and alt.endswith(".")
        plt.close(fig)
    assert "0.40 to 1.00" in ch.bounds_alt(ch.bounds_table())


def test_explorer_grid():
    e = ch.bounds_explorer()
    assert len(e.sliders) == 2
    with pytest.raises(ValueError, match="data must be one of"):
        ch.explorer_bounds(0.1, "big data")


def test_bad_evaluation_sample_size():
    with pytest.raises(ValueError, match="n must be positive, got 0"):
        ch.evaluation_samples(0)


def test_self_checks():
    assert check_one_arm_bound(0.2)
    assert not check_one_arm_bound(0.4) and "both arms" in str(check_one_arm_bound(0.4))
    assert not check_one_arm_bound(None)
    assert check_declaration_share(0.42)
    assert "group A = 0" in str(check_declaration_share(0.6))


def test_discovery_model_bad_input():
    with pytest.raises(ValueError, match="label_noise must be a probability"):
        discovery(label_noise=1.5)


def test_scale_functions_and_bad_input(tmp_path):
    import numpy as np

    m = ch.grid_scm(2, 3)
    assert len(m.endogenous) == 7 and all(m.parents(v)[-1] == f"U_{v}" for v in m.endogenous if v != "A")
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="rows"):
            ch.grid_scm(bad)
    with pytest.raises(ValueError, match="columns"):
        ch.grid_scm(2, 0)
    with pytest.raises(ValueError, match="'Z'"):
        ch.contraction_cost(m.network, ["Z"])
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n must be"):
        ch.sampling_error(0, 5, rng)
    with pytest.raises(ValueError, match="reps"):
        ch.sampling_error(10, 1, rng)
    with pytest.raises(ValueError, match="no stored scale benchmark"):
        ch.load_scale(tmp_path / "missing.json")
    r = ch.sampling_error(200, 3, rng, rows=2)
    assert set(r) == {"n", "p", "rmse", "se", "seconds"} and r["se"] > 0


def test_measure_scale_structure():
    """The benchmark's result (small settings) has what the chapter and the claim tests read."""
    scale = ch.measure_scale(rows=(1, 2), repeats=1, sizes=(100, 200), reps=2)
    assert [e["rows"] for e in scale["grid"]] == [1, 2]
    assert {"machine", "date", "versions", "columns", "sampling"} <= set(scale)
    t = ch.scale_table(scale)
    assert list(t.index) == [1, 2] and (t["rung 3 endogenous"] == 2 * t["rung 2 endogenous"]).all()
    for fig, alt in ((ch.scale_figure(scale), ch.scale_alt(scale)),
                     (ch.sampling_figure(scale), ch.sampling_alt(scale))):
        assert fig.axes[0].get_xlabel() and alt.endswith(".")
        plt.close(fig)


def test_mediator_scm_bad_gamma():
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match="gamma"):
            ch.mediator_scm(bad)
    assert ch.mediation_formula(ch.mediator_scm(1.0)) == pytest.approx(0.0)  # M copies H: M carries no effect of A
