"""The explorer: one definition, a live widget and a static HTML view with the same frames."""

import html as htmllib
import re
import statistics
import time

import matplotlib.pyplot as plt
import pytest

from book.viz import explorer as explorer_module
from book.viz.display import png_size
from book.viz.explorer import EXPLORER_CSS, LIVE_SCALE, MAX_FRAMES, Explorer, Slider, explore, static_frames


def draw(p, n=2):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.bar(range(n), [p] * n)
    return fig


def alt(p, n=2):
    return f"Bar chart of {n} bars of height {p}."


def make(title="Bars"):
    return Explorer(
        draw,
        [Slider("p", (0.1, 0.5, 0.9), label="height", fmt="{:.1f}"), Slider("n", (1, 2), label="bars", default=2)],
        title=title,
        alt=alt,
    )


FIGURE = re.compile(r'<figure class="bx-frame"[^>]*>.*?</figure>', re.DOTALL)


def frames(markup):
    """Each frame's (opening tag, alt text, caption) in document order."""
    out = []
    for fig in FIGURE.findall(markup):
        tag = re.match(r"<figure [^>]*>", fig).group(0)
        alt_text = htmllib.unescape(re.search(r'alt="([^"]*)"', fig).group(1))
        caption = htmllib.unescape(re.search(r"<figcaption[^>]*>(.*?)</figcaption>", fig).group(1))
        out.append((tag, alt_text, caption))
    return out


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
    for bad in (0, -2, 1.5, True):
        with pytest.raises(ValueError, match=rf"live_scale must be a positive integer, got {bad!r}"):
            Explorer(draw, [Slider("p", (1,))], title="x", alt=alt, live_scale=bad)
    with pytest.raises(ValueError, match="dpi must be a positive integer, got 0"):
        Explorer(draw, [Slider("p", (1,))], title="x", alt=alt, dpi=0)
    ex = make()
    with pytest.raises(ValueError, match=r"0\.7"):
        ex.frame(p=0.7)
    with pytest.raises(ValueError, match="q"):
        ex.frame(q=1)
    with pytest.raises(ValueError, match=r"0\.7"):
        ex.live_html(p=0.7)


# ---------------------------------------------------------------------------- static view
def test_static_view_shows_exactly_the_default_frame_before_any_script_runs():
    # What a sanitising renderer (JupyterLab, untrusted notebook) keeps: hidden="hidden" on every
    # frame but the default one. A bare `hidden` would be dropped and the frames would stack.
    ex = make()
    shown = frames(ex.html())
    assert len(shown) == ex.n_frames == 6
    visible = [(tag, a, c) for tag, a, c in shown if 'hidden="hidden"' not in tag]
    assert len(visible) == 1
    assert visible[0][1] == "Bar chart of 2 bars of height 0.5."  # the defaults
    assert not re.search(r"\shidden(?=[\s>])", ex.html()), "a bare hidden attribute does not survive sanitising"
    assert ex.html().count('type="range"') == 2
    assert "http" not in ex.html()  # no network: frames are data URIs, no scripts fetched


def test_every_frame_states_every_slider_setting():
    ex = make()
    captions = [c for _, _, c in frames(ex.html())]
    assert captions == [ex.setting(**g) for g in ex.grid()]
    assert len(set(captions)) == ex.n_frames
    assert captions[0] == "height: 0.1; bars: 1"
    for caption, params in zip(captions, ex.grid(), strict=True):
        for s in ex.sliders:  # every slider's label and its formatted value
            assert f"{s.text}: {s.format(params[s.name])}" in caption


def test_unrun_note_names_the_default_and_controls_start_hidden():
    ex = make()
    markup = ex.html()
    note = re.search(r'<p class="bx-note" style="([^"]*)">(.*?)</p>', markup)
    assert note, "the note for sanitising renderers is missing"
    assert "display:none" not in note.group(1)  # visible unless the explorer's stylesheet hides it
    text = htmllib.unescape(note.group(2))
    assert ex.setting() in text and "height: 0.5" in text and "bars: 2" in text
    assert "Run" in text and "live" in text
    controls = re.search(r'<div class="bx-controls" style="([^"]*)">', markup)
    assert controls and "display:none" in controls.group(1)  # no dead control where handlers are stripped
    assert f"<style>{EXPLORER_CSS}</style>" in markup
    assert ".bx-note{display:none}" in EXPLORER_CSS and ".bx-controls{display:block!important}" in EXPLORER_CSS
    assert markup.index("bx-note") < markup.index("bx-frames")  # read before the frame


def test_range_inputs_carry_aria_valuetext_and_the_handler_updates_it():
    ex = make()
    markup = ex.html()
    inputs = re.findall(r'<input type="range"[^>]*>', markup)
    assert len(inputs) == 2
    for tag, s in zip(inputs, ex.sliders, strict=True):
        assert f'aria-valuetext="{s.format(s.start)}"' in tag
        assert f'value="{s.values.index(s.start)}"' in tag
        handler = htmllib.unescape(re.search(r'oninput="([^"]*)"', tag).group(1))
        assert "setAttribute('aria-valuetext',t)" in handler and "textContent=t" in handler
        assert "querySelectorAll('.bx-frame')" in handler  # switches whole frames, captions included


def test_aria_valuetext_is_the_formatted_value():
    def bars(n):
        return draw(0.5, n=int(n) if n != "∞" else 3)

    ex = Explorer(bars, [Slider("n", ("1", "2", "∞"), default="∞")], title="t",
                  alt=lambda n: f"Bars for n equal to {n}.")
    assert 'aria-valuetext="∞"' in ex.html()
    labels = htmllib.unescape(re.search(r'data-labels="([^"]*)"', ex.html()).group(1))
    assert labels == '["1", "2", "\\u221e"]'  # what the handler writes into aria-valuetext, as JSON


def test_static_view_frame_order_matches_the_handler():
    # The inline handler computes index = sum over sliders (last fastest); grid() must agree.
    ex = make()
    grid = ex.grid()
    assert grid[0] == {"p": 0.1, "n": 1} and grid[1] == {"p": 0.1, "n": 2} and grid[2] == {"p": 0.5, "n": 1}
    assert [a for _, a, _ in frames(ex.html())] == [alt(**g) for g in grid]


def test_ids_and_bytes_are_deterministic():
    assert make().html() == make().html()
    assert make().live_html(p=0.9) == make().live_html(p=0.9)
    assert make().element_id != make("Other").element_id
    assert re.fullmatch(r"bx-[0-9a-f]{10}", make().element_id)


def test_static_frames_are_the_live_frames_shrunk():
    ex = make()
    for params in ex.grid():
        live_w, live_h = png_size(ex.live_frame(**params))
        assert png_size(ex.frame(**params)) == (live_w // LIVE_SCALE, live_h // LIVE_SCALE)
    # 2 x 1.5 inches at the default 80 dpi
    assert png_size(ex.frame()) == (160, 120) and png_size(ex.live_frame()) == (320, 240)
    assert ex.frame()[25] == 3  # PNG colour type 3: an 8-bit palette


def test_mimebundle_outside_a_kernel_is_static_and_short():
    bundle = make()._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"] == "Explorer: Bars; 6 frames over p (3 values) x n (2 values)"


def test_a_readers_kernel_stores_the_default_frame_only_and_draws_no_other(monkeypatch):
    # In a running kernel the reader sees the live widget; the static view then holds one frame,
    # no dead controls, and a note that is not hidden by the explorer's stylesheet.
    ex = make()
    markup = ex.html("default")
    shown = frames(markup)
    assert [(a, c) for _, a, c in shown] == [("Bar chart of 2 bars of height 0.5.", "height: 0.5; bars: 2")]
    assert 'hidden="hidden"' not in markup and 'type="range"' not in markup
    assert "Static preview of the default setting (height: 0.5; bars: 2)" in markup
    assert 'class="bx-note"' not in markup  # EXPLORER_CSS hides .bx-note; this note must show
    assert len(ex._live) == 1  # the other five frames are not drawn
    with pytest.raises(ValueError, match="'some'"):
        ex.html("some")


def test_which_frames_a_displayed_explorer_stores(monkeypatch):
    monkeypatch.delenv(explorer_module.FRAMES_VARIABLE, raising=False)
    assert static_frames() == "all"  # no kernel: a script or a doctest
    monkeypatch.setattr(explorer_module, "_kernel_running", lambda: True)
    assert static_frames() == "default"  # a reader's kernel
    monkeypatch.setenv(explorer_module.FRAMES_VARIABLE, "all")
    assert static_frames() == "all"  # executing for the book, nbval
    monkeypatch.setenv(explorer_module.FRAMES_VARIABLE, "every")
    with pytest.raises(ValueError, match="'every'"):
        static_frames()


# ---------------------------------------------------------------------------- live view
def live_parts(box):
    views = [w for w in box.children if w.__class__.__name__ == "HTML" and "<figure" in w.value]
    sliders = [w for w in box.children if w.__class__.__name__ == "SelectionSlider"]
    assert len(views) == 1
    return views[0], sliders


def test_live_widget_shows_the_sharp_frame_with_alt_text_and_caption():
    ex = make()
    view, sliders = live_parts(ex.widget())
    assert [s.description for s in sliders] == ["height", "bars"]
    (tag, alt_text, caption), = frames(view.value)
    assert alt_text == ex.alt_text() == "Bar chart of 2 bars of height 0.5."
    assert caption == ex.setting() == "height: 0.5; bars: 2"
    assert "hidden" not in tag
    # the image is the live frame, shown at the static frame's CSS size
    width, height = png_size(ex.frame())
    assert f'width="{width}" height="{height}"' in view.value and f"width:{width}px" in view.value
    assert ex.live_frame() != ex.frame() and png_size(ex.live_frame()) == (LIVE_SCALE * width, LIVE_SCALE * height)
    assert view.value == ex.live_html()


def test_live_widget_follows_the_sliders():
    ex = make()
    view, sliders = live_parts(ex.widget())
    before = view.value
    sliders[0].value = 0.9
    assert view.value != before and view.value == ex.live_html(p=0.9, n=2)
    assert frames(view.value)[0][1:] == ("Bar chart of 2 bars of height 0.9.", "height: 0.9; bars: 2")
    sliders[1].value = 1
    assert frames(view.value)[0][1:] == ("Bar chart of 1 bars of height 0.9.", "height: 0.9; bars: 1")
    assert view.value == ex.live_html(p=0.9, n=1)


def test_live_update_is_fast_once_the_frames_are_drawn():
    # Displaying an explorer draws every frame (the static view); a slider then only swaps bytes.
    ex = make()
    ex.html()
    _, sliders = live_parts(ex.widget())
    times = []
    for value in (0.1, 0.9, 0.5) * 5:
        start = time.perf_counter()
        sliders[0].value = value
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.05, times


def test_alt_text_must_say_something():
    ex = Explorer(draw, [Slider("p", (1,))], title="t", alt=lambda p, n=2: "Image")
    with pytest.raises(ValueError, match="describe"):
        ex.html()


def test_explore_is_the_explorer():
    ex = explore(draw, [Slider("p", (1, 2))], title="t", alt=alt, live_scale=3)
    assert isinstance(ex, Explorer) and ex.n_frames == 2 and ex.live_scale == 3
