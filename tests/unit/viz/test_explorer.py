"""The explorer: one definition, a live widget and a static HTML view with the same frames."""

import re

import matplotlib.pyplot as plt
import pytest

from book.viz.explorer import MAX_FRAMES, Explorer, Slider, explore


def draw(p, n=2):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.bar(range(n), [p] * n)
    return fig


def alt(p, n=2):
    return f"Bar chart of {n} bars of height {p}."


def make(title="Bars"):
    return Explorer(draw, [Slider("p", (0.1, 0.5, 0.9)), Slider("n", (1, 2), default=2)], title=title, alt=alt)


def test_slider_validation_names_the_bad_value():
    with pytest.raises(ValueError, match="7"):
        Slider("p", (1, 2), default=7)
    with pytest.raises(ValueError, match="twice"):
        Slider("p", (1, 1))
    with pytest.raises(ValueError, match="at least one"):
        Slider("p", ())
    with pytest.raises(ValueError, match="not a name"):
        Slider("not a name", (1,))
    assert Slider("p", (1, 2, 3)).start == 2


def test_explorer_validation():
    with pytest.raises(ValueError, match="at least one slider"):
        Explorer(draw, [], title="x", alt=alt)
    with pytest.raises(ValueError, match="unique"):
        Explorer(draw, [Slider("p", (1,)), Slider("p", (2,))], title="x", alt=alt)
    with pytest.raises(ValueError, match="MAX_FRAMES"):
        Explorer(draw, [Slider("p", tuple(range(MAX_FRAMES + 1)))], title="x", alt=alt)
    ex = make()
    with pytest.raises(ValueError, match=r"0\.7"):
        ex.frame(p=0.7)
    with pytest.raises(ValueError, match="q"):
        ex.frame(q=1)


def test_static_view_has_every_frame_one_visible_and_alt_text():
    ex = make()
    html = ex.html()
    imgs = re.findall(r"<img [^>]*>", html)
    assert len(imgs) == ex.n_frames == 6
    assert sum(" hidden" not in img for img in imgs) == 1
    visible = next(img for img in imgs if " hidden" not in img)
    assert 'alt="Bar chart of 2 bars of height 0.5."' in visible  # the defaults
    assert all('alt="Bar chart of' in img for img in imgs)
    assert html.count('type="range"') == 2
    assert "http" not in html  # no network: frames are data URIs, no scripts fetched


def test_static_view_frame_order_matches_the_handler():
    # The inline handler computes index = sum over sliders (last fastest); grid() must agree.
    ex = make()
    grid = ex.grid()
    assert grid[0] == {"p": 0.1, "n": 1} and grid[1] == {"p": 0.1, "n": 2} and grid[2] == {"p": 0.5, "n": 1}
    imgs = re.findall(r'alt="([^"]*)"', ex.html())
    assert imgs == [alt(**g) for g in grid]


def test_ids_and_bytes_are_deterministic():
    assert make().html() == make().html()
    assert make().element_id != make("Other").element_id
    assert re.fullmatch(r"bx-[0-9a-f]{10}", make().element_id)


def test_mimebundle_outside_a_kernel_is_static_and_short():
    bundle = make()._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"] == "Explorer: Bars; 6 frames over p (3 values) x n (2 values)"


def test_live_widget_shows_the_same_frames():
    ex = make()
    box = ex.widget()
    image = next(w for w in box.children if w.__class__.__name__ == "Image")
    sliders = [w for w in box.children if w.__class__.__name__ == "SelectionSlider"]
    assert image.value == ex.frame()
    sliders[0].value = 0.9
    assert image.value == ex.frame(p=0.9, n=2)
    sliders[1].value = 1
    assert image.value == ex.frame(p=0.9, n=1)


def test_alt_text_must_say_something():
    ex = Explorer(draw, [Slider("p", (1,))], title="t", alt=lambda p, n=2: "Image")
    with pytest.raises(ValueError, match="describe"):
        ex.html()


def test_explore_is_the_explorer():
    ex = explore(draw, [Slider("p", (1, 2))], title="t", alt=alt)
    assert isinstance(ex, Explorer) and ex.n_frames == 2
