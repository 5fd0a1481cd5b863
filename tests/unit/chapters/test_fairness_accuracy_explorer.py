"""Chapter 3's explorer: distinct frames over a fine grid, each stating its settings, labels that never collide."""

import inspect
import itertools
import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from book.chapters import fairness_accuracy as fa
from book.models.hiring import UNFAIR, hiring, unfair_edges
from book.viz.display import png_bytes
from book.viz.explorer import MAX_FRAMES


@pytest.fixture(scope="module")
def explorer():
    return fa.hiring_explorer()


def shown(qualification_gap, proxy_strength, label_bias):
    """The numbers a frame shows, at the precision its alt text prints them: the groups of coinciding
    predictors with their points, and the frontier."""
    named, curve = fa._explorer_numbers(qualification_gap, proxy_strength, label_bias)
    groups = tuple((ks, tuple(f"{v:.3f}" for v in point)) for ks, point in fa._coincident(named))
    return groups, tuple(tuple(f"{v:.3f}" for v in point) for point in curve)


def test_the_grid_has_four_values_per_strength_and_starts_at_the_chapters_model(explorer):
    assert [s.name for s in explorer.sliders] == list(fa.EXPLORER_GRID)
    assert all(len(s.values) >= 4 for s in explorer.sliders)
    assert explorer.n_frames == math.prod(len(v) for v in fa.EXPLORER_GRID.values()) <= MAX_FRAMES
    chapter_model = inspect.signature(hiring).parameters
    assert all(s.start == chapter_model[s.name].default for s in explorer.sliders)


def test_frames_whose_settings_differ_show_different_numbers(explorer):
    frames = {tuple(p.values()): shown(**p) for p in explorer.grid()}
    assert len(frames) == explorer.n_frames
    for (a, numbers_a), (b, numbers_b) in itertools.combinations(frames.items(), 2):
        assert numbers_a != numbers_b, f"settings {a} and {b} show the same numbers"
    # the alt texts differ beyond the sentence stating the settings
    described = {explorer.alt_text(**p).split(". ", 1)[1] for p in explorer.grid()}
    assert len(described) == explorer.n_frames


def test_the_grid_leaves_out_what_would_repeat_a_frame():
    # no label bias: Y = Yfair and the proxy moves no number, so an A -> Y value of 0 would repeat frames
    for q in fa.EXPLORER_GRID["qualification_gap"]:
        assert len({shown(q, p, 0.0) for p in fa.EXPLORER_GRID["proxy_strength"]}) == 1
    # A -> Q of strength 0: declaring it unfair changes no number, so an allowed/unfair switch would repeat frames
    for p, b in itertools.product(fa.EXPLORER_GRID["proxy_strength"], fa.EXPLORER_GRID["label_bias"]):
        model = hiring(qualification_gap=0.0, proxy_strength=p, label_bias=b)
        allowed, unfair = fa._named_points(model, UNFAIR), fa._named_points(model, unfair_edges("unfair"))
        assert np.allclose(list(allowed.values()), list(unfair.values()), atol=1e-12)


def label_boxes(fig):
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    return ax, ax.texts, [t.get_window_extent(renderer) for t in ax.texts], ax.get_window_extent(renderer)


def test_every_frame_labels_each_predictor_once_states_its_settings_and_fits_the_budget(explorer):
    sizes = []
    for params in explorer.grid():
        named, curve = fa._explorer_numbers(**params)
        groups = fa._coincident(named)
        fig = fa._frame(**params)
        ax, labels, boxes, axes_box = label_boxes(fig)
        # one label per group of coinciding predictors ("3, 4"), every predictor named exactly once
        assert sorted(t.get_text() for t in labels) == sorted(", ".join(map(str, ks)) for ks, _ in groups)
        assert sorted(int(k) for t in labels for k in t.get_text().split(", ")) == list(range(1, len(named) + 1))
        label_of = {int(k): t.get_text() for t in labels for k in t.get_text().split(", ")}
        points = list(named.values())
        for i, j in itertools.combinations(range(len(points)), 2):
            same_place = np.allclose(points[i], points[j], rtol=0, atol=5e-4)
            assert (label_of[i + 1] == label_of[j + 1]) == same_place, f"predictors {i + 1}, {j + 1} at {params}"
        # labels never overlap each other, stay inside the axes and clear every marker
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), f"labels overlap at {params}"
        assert all(axes_box.x0 <= b.x0 and b.x1 <= axes_box.x1 and axes_box.y0 <= b.y0 and b.y1 <= axes_box.y1
                   for b in boxes), f"a label leaves the axes at {params}"
        offsets = np.concatenate([c.get_offsets() for c in ax.collections])
        radii = np.concatenate([np.broadcast_to(np.sqrt(c.get_sizes()) / 2 * fig.dpi / 72, len(c.get_offsets()))
                                for c in ax.collections])
        for (x, y), radius in zip(ax.transData.transform(offsets), radii, strict=True):
            for b in boxes:
                assert not (b.x0 < x + radius and x - radius < b.x1 and b.y0 < y + radius and y - radius < b.y1), (
                    f"a label covers a marker at {params}")
        # each marker drawn once, and every predictor's two markers drawn
        for c in ax.collections:
            points = c.get_offsets()
            assert len({(round(x, 3), round(y, 3)) for x, y in points}) == len(points)
        for g, a, f in named.values():
            for value in (a, f):
                assert np.min(np.hypot(offsets[:, 0] - g, offsets[:, 1] - value)) <= 1e-3
        # every point of the frame inside the fixed axes
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        assert all(x0 < g < x1 and y0 < a < y1 and y0 < f < y1 for g, a, f in [*named.values(), *curve])
        # the title states every slider's setting, in the sliders' own format
        assert fig.texts[0].get_text() == ", ".join(
            f"{s.text.removesuffix(' strength')} {s.format(params[s.name])}" for s in explorer.sliders)
        sizes.append(len(png_bytes(fig, dpi=explorer.dpi)))
    # about 10 KB a frame, so that 64 frames and the chapter stay within one page of about 1 MB
    assert max(sizes) <= 12_000 and sum(sizes) <= 10_000 * explorer.n_frames
    plt.close("all")


def test_the_alt_text_comes_from_the_same_numbers(explorer):
    for params in explorer.grid():
        named, curve = fa._explorer_numbers(**params)
        alt = explorer.alt_text(**params)
        assert all(f"{s.text.removesuffix(' strength')} {s.format(params[s.name])}" in alt for s in explorer.sliders)
        names = list(named)
        for ks, (g, a, f) in fa._coincident(named):
            who = " and ".join(f"{k} {names[k - 1]}" for k in ks)
            coincide = " coincide" if len(ks) > 1 else ""
            assert f"{who}{coincide}: gap {g:.3f}, accuracy {a:.3f} (Y) and {f:.3f} (Yfair)" in alt
        assert f"to gap {curve[-1][0]:.3f}, accuracy {curve[-1][1]:.3f} (Y)" in alt
        # each predictor named once; those at the same place (found here independently) said to coincide
        points = list(named.values())
        shared = [k for k in range(len(points))
                  if any(np.allclose(points[k], points[j], rtol=0, atol=5e-4) for j in range(len(points)) if j != k)]
        assert all(alt.count(f"{k} {name}") == 1 for k, name in enumerate(names, start=1))
        assert ("coincide" in alt) == bool(shared)
        for k in shared:
            assert re.search(rf"{k + 1} {names[k]}[^;]* coincide:", alt), (k, alt)


def test_coincidence_is_detected_from_the_numbers():
    named = {"a": (0.0, 0.7, 0.8), "b": (0.1, 0.75, 0.6), "c": (0.0, 0.7 + 4e-4, 0.8), "d": (0.0, 0.702, 0.8)}
    assert fa._coincident(named) == [((1, 3), (0.0, 0.7, 0.8)), ((2,), (0.1, 0.75, 0.6)), ((4,), (0.0, 0.702, 0.8))]
