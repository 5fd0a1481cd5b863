"""Figures as outputs: deterministic PNG bytes, alt text, captions."""

import matplotlib.pyplot as plt
import pytest

from book.viz.display import check_alt, png_bytes, show


def figure():
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, 1])
    return fig


def test_png_bytes_are_identical_across_runs():
    assert png_bytes(figure()) == png_bytes(figure())
    assert b"Software" not in png_bytes(figure())


def test_show_closes_the_figure_and_carries_alt_and_caption():
    fig = figure()
    shown = show(fig, alt="A rising straight line.", caption="A line & its caption")
    assert not plt.fignum_exists(fig.number)
    html = shown._repr_html_()
    assert 'alt="A rising straight line."' in html
    assert ">A line &amp; its caption</figcaption>" in html and 'class="dark-light"' in html
    assert repr(shown) == "Figure: A line & its caption"


@pytest.mark.parametrize("bad", ["", "  ", "Image", "figure.", "plot", "short"])
def test_generic_alt_text_is_rejected(bad):
    with pytest.raises(ValueError, match="describe"):
        check_alt(bad)
