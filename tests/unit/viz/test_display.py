"""Figures as outputs: deterministic PNG bytes, alt text, captions."""

import io
import re

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

from book.viz.display import check_alt, figure_image, image_png, png_bytes, png_size, show, shrink_png
from book.viz.palette import PALETTE


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


def test_png_size_reads_the_header_and_rejects_other_bytes():
    fig, _ = plt.subplots(figsize=(3, 2))
    assert png_size(png_bytes(fig, dpi=40)) == (120, 80)
    with pytest.raises(ValueError, match="not PNG bytes"):
        png_size(b"GIF89a" + bytes(30))


def test_shrink_png_halves_the_size_keeps_flat_colours_and_is_deterministic():
    def bars():
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.bar([0, 1], [1, 2], color=[PALETTE["blue"], PALETTE["vermillion"]])
        return png_bytes(fig, dpi=100)

    big = bars()
    small = shrink_png(big, 2)
    assert png_size(small) == (100, 50) and small[25] == 3  # colour type 3: palette
    assert shrink_png(bars(), 2) == small
    with Image.open(io.BytesIO(small)) as image:
        colours = {c for _, c in image.convert("RGB").getcolors(256)}
    for name in ("blue", "vermillion"):  # the book's palette survives exactly
        assert tuple(round(255 * v) for v in to_rgb(PALETTE[name])) in colours
    assert png_size(shrink_png(big, 1)) == png_size(big)


@pytest.mark.parametrize(("factor", "colors", "message"), [
    (0, 256, "factor must be a positive integer, got 0"),
    (1.5, 256, "factor must be a positive integer, got 1.5"),
    (2, 1, "colors must be between 2 and 256, got 1"),
    (2, 300, "colors must be between 2 and 256, got 300"),
])
def test_shrink_png_rejects_bad_arguments(factor, colors, message):
    fig, _ = plt.subplots(figsize=(1, 1))
    with pytest.raises(ValueError, match=re.escape(message)):
        shrink_png(png_bytes(fig, dpi=20), factor, colors=colors)


def test_figure_image_is_the_figure_drawn_once_and_image_png_is_deterministic():
    def line():
        fig, ax = plt.subplots(figsize=(2.5, 1.5))
        ax.plot([0, 1], [0, 1], color=PALETTE["blue"])
        return fig

    fig = line()
    image = figure_image(fig, dpi=80)
    assert image.mode == "RGB" and image.size == (200, 120)
    assert not plt.fignum_exists(fig.number)
    with Image.open(io.BytesIO(png_bytes(line(), dpi=80))) as drawn:  # the pixels savefig would write
        assert drawn.convert("RGB").tobytes() == image.tobytes()
    png = image_png(image)
    assert png == image_png(figure_image(line(), dpi=80)) and png_size(png) == (200, 120)
    assert shrink_png(image, 2) == shrink_png(png, 2)  # an image or its PNG: the same frame
