"""Explorers: one definition, a live widget in Jupyter and a static one in the book.

An :class:`Explorer` wraps a pure function ``parameters -> matplotlib Figure``
and a few sliders, each over a finite grid of values. Displaying it produces a
single output carrying two views:

* ``application/vnd.jupyter.widget-view+json`` — a live ipywidgets control
  (sliders and an ``Image`` widget updated through ``observe``) whenever a
  Jupyter kernel is running, for JupyterLab, Binder and Colab;
* ``text/html`` — a *static explorer*: every frame of the slider grid rendered
  once and embedded as a PNG, switched by a tiny inline handler. It needs no
  kernel, no network and no widget JavaScript, so the HTML book shows it.

Both views show the very same frames (the live widget reuses the rendered
grid), so what a student sees in Binder is what a reader sees online. Element
ids derive from the explorer's title and grid, never from ``id()`` or random
numbers, so re-executing a notebook changes no byte.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from book.viz.display import CARD_STYLE, IMG_CLASS, check_alt, data_uri, png_bytes

__all__ = ["MAX_FRAMES", "Explorer", "Slider", "explore"]

MAX_FRAMES = 64  # keeps a page with an explorer well under the 2 MB budget


@dataclass(frozen=True)
class Slider:
    """A control over a finite grid of values.

    Parameters
    ----------
    name : str
        Keyword argument of the figure function that this slider sets.
    values : sequence
        The grid, in slider order (numbers or short strings).
    label : str
        What the reader sees beside the slider; defaults to ``name``.
    default : optional
        Initial value, one of ``values``; defaults to the middle value.
    fmt : str
        Format of the value label, e.g. ``"{:.2f}"``.

    Examples
    --------
    >>> Slider("p", (0.1, 0.5, 0.9), label="strength", fmt="{:.1f}").start
    0.5
    """

    name: str
    values: tuple[Any, ...]
    label: str = ""
    default: Any = None
    fmt: str = "{}"

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))
        if not self.name.isidentifier():
            raise ValueError(f"slider name {self.name!r} must be a Python identifier")
        if not self.values:
            raise ValueError(f"slider {self.name!r} needs at least one value")
        if len(set(self.values)) != len(self.values):
            raise ValueError(f"slider {self.name!r} lists a value twice: {self.values!r}")
        if self.default is not None and self.default not in self.values:
            raise ValueError(
                f"default {self.default!r} of slider {self.name!r} is not among its values {self.values!r}"
            )

    @property
    def start(self) -> Any:
        """The initial value."""
        return self.default if self.default is not None else self.values[len(self.values) // 2]

    @property
    def text(self) -> str:
        """The label shown to the reader."""
        return self.label or self.name

    def format(self, value: Any) -> str:
        """The value as the reader sees it."""
        return self.fmt.format(value)


class Explorer:
    """A figure function explored over a grid of slider values.

    Parameters
    ----------
    figure : callable
        Pure function ``figure(**params) -> matplotlib.figure.Figure``; it is
        called once per grid point and the figure is closed after rendering.
    sliders : sequence of Slider
        One per keyword of ``figure``.
    title : str
        Shown above the controls; also seeds the element ids.
    alt : callable
        ``alt(**params) -> str``: what the frame for those parameters shows.
    dpi : int
        Resolution of the frames.

    Raises
    ------
    ValueError
        For no sliders, duplicated slider names, more than ``MAX_FRAMES``
        frames, an empty title, or (on :meth:`frame`) a value off the grid.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> def draw(p):
    ...     fig, ax = plt.subplots(figsize=(3, 2))
    ...     ax.bar(["no", "yes"], [1 - p, p])
    ...     return fig
    >>> ex = Explorer(draw, [Slider("p", (0.2, 0.8))], title="Coin",
    ...               alt=lambda p: f"Bar chart of a coin with P(yes) = {p}.")
    >>> ex.n_frames
    2
    """

    def __init__(
        self,
        figure: Callable[..., Figure],
        sliders: Sequence[Slider],
        *,
        title: str,
        alt: Callable[..., str],
        dpi: int = 80,
    ) -> None:
        self.sliders = tuple(sliders)
        if not self.sliders:
            raise ValueError("an explorer needs at least one slider")
        names = [s.name for s in self.sliders]
        if len(set(names)) != len(names):
            raise ValueError(f"slider names must be unique, got {names!r}")
        if not title.strip():
            raise ValueError("an explorer needs a title")
        self.n_frames = 1
        for s in self.sliders:
            self.n_frames *= len(s.values)
        if self.n_frames > MAX_FRAMES:
            raise ValueError(
                f"{self.n_frames} frames exceed MAX_FRAMES={MAX_FRAMES}; use coarser slider grids"
            )
        self.figure, self.alt, self.title, self.dpi = figure, alt, title.strip(), dpi
        spec = json.dumps([title, [(s.name, [repr(v) for v in s.values]) for s in self.sliders]])
        self.element_id = "bx-" + hashlib.sha1(spec.encode()).hexdigest()[:10]
        self._frames: dict[tuple[Any, ...], bytes] = {}

    # ------------------------------------------------------------------ frames
    def _key(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        unknown = set(params) - {s.name for s in self.sliders}
        if unknown:
            raise ValueError(f"unknown slider(s) {sorted(unknown)!r} for explorer {self.title!r}")
        key = []
        for s in self.sliders:
            value = params.get(s.name, s.start)
            if value not in s.values:
                raise ValueError(
                    f"value {value!r} of slider {s.name!r} is off its grid {s.values!r}"
                )
            key.append(value)
        return tuple(key)

    def frame(self, **params: Any) -> bytes:
        """PNG bytes of the frame for ``params`` (rendered once, then cached)."""
        key = self._key(params)
        if key not in self._frames:
            kwargs = dict(zip((s.name for s in self.sliders), key, strict=True))
            self._frames[key] = png_bytes(self.figure(**kwargs), dpi=self.dpi)
        return self._frames[key]

    def alt_text(self, **params: Any) -> str:
        """Alt text of the frame for ``params``."""
        key = self._key(params)
        return check_alt(self.alt(**dict(zip((s.name for s in self.sliders), key, strict=True))))

    def grid(self) -> list[dict[str, Any]]:
        """Every parameter combination, in frame order (last slider fastest)."""
        return [
            dict(zip((s.name for s in self.sliders), combo, strict=True))
            for combo in itertools.product(*(s.values for s in self.sliders))
        ]

    # ------------------------------------------------------------------ static view
    def html(self) -> str:
        """The static explorer: all frames, range inputs, an inline switcher."""
        start = self._key({})
        images = []
        for params in self.grid():
            key = self._key(params)
            hidden = "" if key == start else " hidden"
            images.append(
                f'<img class="{IMG_CLASS}" src="{data_uri(self.frame(**params))}" '
                f'alt="{html.escape(self.alt_text(**params), quote=True)}"{hidden} '
                'style="max-width:100%;height:auto;background:#fff">'
            )
        # The handler reads all sliders of this explorer, computes the frame index
        # (last slider fastest, as in grid()), shows that frame and updates the label.
        handler = (
            "var r=this.closest('.book-explorer'),i=0;"
            "r.querySelectorAll('input[type=range]').forEach(function(e){i=i*(+e.max+1)+(+e.value)});"
            "r.querySelectorAll('img').forEach(function(m,k){m.hidden=(k!==i)});"
            "this.nextElementSibling.textContent=JSON.parse(this.dataset.labels)[+this.value];"
        )
        controls = []
        for k, s in enumerate(self.sliders):
            labels = json.dumps([s.format(v) for v in s.values])
            input_id = f"{self.element_id}-{k}"
            controls.append(
                f'<div class="bx-control"><label for="{input_id}">{html.escape(s.text)}</label> '
                f'<input type="range" id="{input_id}" min="0" max="{len(s.values) - 1}" step="1" '
                f'value="{s.values.index(s.start)}" data-labels="{html.escape(labels, quote=True)}" '
                f'oninput="{html.escape(handler, quote=True)}">'
                f"<output>{html.escape(s.format(s.start))}</output></div>"
            )
        return (
            f'<div class="book-explorer" id="{self.element_id}" role="group" style="{CARD_STYLE}" '
            f'aria-label="{html.escape(self.title, quote=True)}">'
            f'<p class="bx-title"><strong>{html.escape(self.title)}</strong></p>'
            f'<div class="bx-frames">{"".join(images)}</div>'
            f'<div class="bx-controls">{"".join(controls)}</div></div>'
        )

    # ------------------------------------------------------------------ live view
    def widget(self) -> Any:
        """The live ipywidgets control (a ``VBox`` of sliders and an ``Image``)."""
        import ipywidgets as widgets  # only needed with a kernel; keeps `import book` light

        image = widgets.Image(value=self.frame(), format="png", layout=widgets.Layout(max_width="100%"))
        controls = []
        for s in self.sliders:
            control = widgets.SelectionSlider(
                options=[(s.format(v), v) for v in s.values],
                value=s.start,
                description=s.text,
                continuous_update=True,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="min(100%, 480px)"),
            )
            controls.append(control)

        def update(_change: Any) -> None:
            image.value = self.frame(**{s.name: c.value for s, c in zip(self.sliders, controls, strict=True)})

        for control in controls:
            control.observe(update, names="value")
        title = widgets.HTML(f"<strong>{html.escape(self.title)}</strong>")
        return widgets.VBox([title, image, *controls])

    def __repr__(self) -> str:
        grid = " x ".join(f"{s.name} ({len(s.values)} values)" for s in self.sliders)
        return f"Explorer: {self.title}; {self.n_frames} frames over {grid}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/plain": repr(self), "text/html": self.html()}
        if _kernel_running():
            view = self.widget()._repr_mimebundle_()
            bundle["application/vnd.jupyter.widget-view+json"] = view[
                "application/vnd.jupyter.widget-view+json"
            ]
        return bundle


def _kernel_running() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def explore(
    figure: Callable[..., Figure],
    sliders: Sequence[Slider],
    *,
    title: str,
    alt: Callable[..., str],
    dpi: int = 80,
) -> Explorer:
    """Build an :class:`Explorer`; display it as a cell's last expression.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> def draw(n):
    ...     fig, ax = plt.subplots(figsize=(3, 2))
    ...     ax.plot(range(n))
    ...     return fig
    >>> ex = explore(draw, [Slider("n", (2, 3, 4))], title="Lines",
    ...              alt=lambda n: f"A straight line through {n} points.")
    >>> print(repr(ex))
    Explorer: Lines; 3 frames over n (3 values)
    """
    return Explorer(figure, sliders, title=title, alt=alt, dpi=dpi)
