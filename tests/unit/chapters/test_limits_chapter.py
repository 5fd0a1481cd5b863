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
