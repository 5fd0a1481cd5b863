"""Unit tests of book.chapters.foundation_models, book.models.resumes and the chapter's self-checks."""

import matplotlib.pyplot as plt
import pytest

from book.chapters import foundation_models as ch
from book.exercises import check_perfect_proxy_gap, check_uncancelled_sources
from book.models.resumes import resumes


def test_figures_and_alt_texts():
    for fig, alt in ((ch.source_figure(ch.source_table()), ch.source_alt(ch.source_table())),
                     (ch.strategy_figure(ch.strategy_table()), ch.strategy_alt(ch.strategy_table()))):
        assert fig.axes[0].get_xlabel() and alt.endswith(".")
        plt.close(fig)
    assert "0.787 in every source" in ch.source_alt(ch.source_table())


def test_explorer_grid():
    e = ch.strategy_explorer()
    assert len(e.sliders) == 2
    assert "SCM twins" in e.alt_text(strategy="SCM twins", proxy_strength=0.8)


def test_bad_input():
    with pytest.raises(ValueError, match="strategy must be one of"):
        ch.augment(None, "rewrite everything", ch.model())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="need at least 2 seeds"):
        ch.sampled_table(seeds=1)
    with pytest.raises(ValueError, match="style_link must be a probability"):
        resumes(style_link=1.5)
    with pytest.raises(ValueError, match="sources must be a non-empty sequence"):
        ch.fitted("none", [])
    with pytest.raises(ValueError, match="variable must be one of the token classes"):
        ch.token_reliance(ch.fitted("none"), "Y")
    with pytest.raises(ValueError, match="a measure of"):
        ch.paired_difference("none", "SCM twins", "beauty")


def test_fitted_accepts_a_list_of_sources():
    assert ch.fitted("none", [0.5, 0.7, 0.9]) is ch.fitted("none", (0.5, 0.7, 0.9))


def test_self_checks():
    assert check_perfect_proxy_gap(None).correct is False
    assert check_perfect_proxy_gap(True).correct is False and "truth value" in check_perfect_proxy_gap(True).message
    assert check_uncancelled_sources(False).correct is False
    assert check_perfect_proxy_gap(0.51).correct
    assert "0.8" in check_perfect_proxy_gap(0.408).message
    assert check_uncancelled_sources(0.399).correct
    assert "five sources" in check_uncancelled_sources(0.787).message
