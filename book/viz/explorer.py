"""Explorers: one definition, a live widget in Jupyter and a static one in the book.

An :class:`Explorer` wraps a pure function ``parameters -> matplotlib Figure``
and a few sliders, each over a finite grid of values. Displaying it produces a
single output carrying two views:

* ``application/vnd.jupyter.widget-view+json`` — a live ipywidgets control
  (sliders and an ``HTML`` view holding the frame as an ``<img>`` with its alt
  text and a caption, replaced through ``observe``) while a Jupyter kernel
  runs, for JupyterLab, Binder and Colab. ``scripts/execute_notebooks.py``
  drops this view from the stored notebook: a widget needs its kernel;
* ``text/html`` — a *static explorer*: every frame of the slider grid rendered
  once and embedded as a PNG, switched by a tiny inline handler. It needs no
  kernel, no network and no widget JavaScript, so the HTML book shows it, and
  so does a notebook opened before it is run.

Rendering every frame is the expensive part of running a chapter (2-7 s per
explorer), and in a running notebook nobody sees it: JupyterLab, Binder and
Colab show the live widget. So in a kernel the static view holds the default
frame only, and the other frames are drawn when a slider first reaches them,
unless the environment variable ``BOOK_EXPLORER_FRAMES`` is ``"all"`` — which
``scripts/execute_notebooks.py`` and the repository's ``conftest.py`` (hence
nbval) set, because the stored notebooks are what the book shows.

A notebook that JupyterLab did not execute itself is *untrusted*: its HTML is
sanitised (no ``<style>``, no inline handlers, no bare ``hidden``). The static
explorer is written for that case too: every frame but the default carries
``hidden="hidden"`` (which the sanitiser keeps), a note says what the default
setting is and that running the notebook makes the explorer live, and the
controls are hidden by an inline style. The explorer's own ``<style>`` hides
the note and shows the controls wherever it survives (the book, a trusted
notebook, Colab).

Every frame is drawn once, at ``live_scale`` times the static resolution: the
live widget shows that image at the static frame's CSS size (sharp on high-density
screens), and the static frame is the same image shrunk and stored with a
256-colour palette (see :func:`book.viz.display.shrink_png`), so what a
student sees in Binder is what a reader sees online. Each frame, static or
live, states every slider's setting in a caption. Element ids derive from the
explorer's title and grid, never from ``id()`` or random numbers, so
re-executing a notebook changes no byte.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from matplotlib.figure import Figure

from book.viz.display import (
    CARD_STYLE,
    IMG_CLASS,
    check_alt,
    data_uri,
    figure_image,
    image_png,
    png_size,
    shrink_png,
)

__all__ = [
    "EXPLORER_CSS",
    "FRAMES_VARIABLE",
    "LIVE_SCALE",
    "MAX_FRAMES",
    "Explorer",
    "Frames",
    "Slider",
    "explore",
    "static_frames",
]

MAX_FRAMES = 64  # keeps a page with an explorer well under the 2 MB budget
LIVE_SCALE = 2  # live frames: this many times the static resolution, shown at the static frame's size
#: Which frames a static explorer holds: the whole slider grid, or the default setting only.
Frames = Literal["all", "default"]
#: The environment variable that makes a kernel store every frame (set when executing for the book).
FRAMES_VARIABLE = "BOOK_EXPLORER_FRAMES"

#: The explorer's stylesheet. Where a renderer keeps it (the book, a trusted notebook, Colab) it hides
#: the note and shows the controls; a sanitising renderer drops it, and the inline styles then keep the
#: note visible and the dead controls hidden.
EXPLORER_CSS = (
    ".book-explorer .bx-note{display:none}"
    ".book-explorer .bx-controls{display:block!important}"
    ".book-explorer [hidden]{display:none!important}"
)
_FRAME_STYLE = "margin:0;background:#fff;color:#222"
_IMG_STYLE = "max-width:100%;height:auto;background:#fff"
_CAPTION_STYLE = "margin:0.2em 0 0.4em 0;color:#333;font-size:0.9em"
_NOTE_STYLE = "margin:0.25em 0;font-size:0.9em;color:#444"
# The static handler: the frame index over all sliders (last slider fastest, as in grid()), that
# frame shown and the others hidden, this slider's label and aria-valuetext set to its value.
_HANDLER = (
    "var r=this.closest('.book-explorer'),i=0,t=JSON.parse(this.dataset.labels)[+this.value];"
    "r.querySelectorAll('input[type=range]').forEach(function(e){i=i*(+e.max+1)+(+e.value)});"
    "r.querySelectorAll('.bx-frame').forEach(function(m,k){m.hidden=(k!==i)});"
    "this.nextElementSibling.textContent=t;this.setAttribute('aria-valuetext',t);"
)


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
        Resolution of the static frames (the book, an unrun notebook).
    live_scale : int
        The live widget's frames have ``live_scale`` times as many pixels per
        inch and are shown at the static frame's size: sharp on a
        high-density screen. Each frame is drawn once, at ``dpi * live_scale``;
        the static frame is that image shrunk by ``live_scale``.

    Raises
    ------
    ValueError
        For no sliders, duplicated slider names, more than ``MAX_FRAMES``
        frames, an empty title, a ``dpi`` or ``live_scale`` that is not a
        positive integer, or (on :meth:`frame`) a value off the grid.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> def draw(p):
    ...     fig, ax = plt.subplots(figsize=(3, 2))
    ...     ax.bar(["no", "yes"], [1 - p, p])
    ...     return fig
    >>> ex = Explorer(draw, [Slider("p", (0.2, 0.8), label="P(yes)")], title="Coin",
    ...               alt=lambda p: f"Bar chart of a coin with P(yes) = {p}.")
    >>> ex.n_frames
    2
    >>> ex.setting(p=0.2)
    'P(yes): 0.2'
    """

    def __init__(
        self,
        figure: Callable[..., Figure],
        sliders: Sequence[Slider],
        *,
        title: str,
        alt: Callable[..., str],
        dpi: int = 80,
        live_scale: int = LIVE_SCALE,
    ) -> None:
        self.sliders = tuple(sliders)
        if not self.sliders:
            raise ValueError("an explorer needs at least one slider")
        names = [s.name for s in self.sliders]
        if len(set(names)) != len(names):
            raise ValueError(f"slider names must be unique, got {names!r}")
        if not title.strip():
            raise ValueError("an explorer needs a title")
        for name, value in (("dpi", dpi), ("live_scale", live_scale)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.n_frames = 1
        for s in self.sliders:
            self.n_frames *= len(s.values)
        if self.n_frames > MAX_FRAMES:
            raise ValueError(
                f"{self.n_frames} frames exceed MAX_FRAMES={MAX_FRAMES}; use coarser slider grids"
            )
        self.figure, self.alt, self.title, self.dpi = figure, alt, title.strip(), dpi
        self.live_scale = live_scale
        spec = json.dumps([title, [(s.name, [repr(v) for v in s.values]) for s in self.sliders]])
        self.element_id = "bx-" + hashlib.sha1(spec.encode()).hexdigest()[:10]
        self._live: dict[tuple[Any, ...], bytes] = {}
        self._static: dict[tuple[Any, ...], bytes] = {}

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

    def _params(self, key: tuple[Any, ...]) -> dict[str, Any]:
        return dict(zip((s.name for s in self.sliders), key, strict=True))

    def _draw(self, key: tuple[Any, ...]) -> None:
        """Draw the frame for ``key`` once: the live PNG and, shrunk from the same pixels, the static one."""
        if key not in self._live:
            image = figure_image(self.figure(**self._params(key)), dpi=self.dpi * self.live_scale)
            self._live[key] = image_png(image)
            self._static[key] = shrink_png(image, self.live_scale)

    def live_frame(self, **params: Any) -> bytes:
        """PNG bytes of the live frame for ``params``, at ``dpi * live_scale`` (drawn once, then cached)."""
        key = self._key(params)
        self._draw(key)
        return self._live[key]

    def frame(self, **params: Any) -> bytes:
        """PNG bytes of the static frame for ``params``: the live frame shrunk to ``dpi``, 256 colours."""
        key = self._key(params)
        self._draw(key)
        return self._static[key]

    def alt_text(self, **params: Any) -> str:
        """Alt text of the frame for ``params``."""
        return check_alt(self.alt(**self._params(self._key(params))))

    def setting(self, **params: Any) -> str:
        """Every slider's label and formatted value for ``params``: the caption of that frame."""
        key = self._key(params)
        return "; ".join(f"{s.text}: {s.format(v)}" for s, v in zip(self.sliders, key, strict=True))

    def grid(self) -> list[dict[str, Any]]:
        """Every parameter combination, in frame order (last slider fastest)."""
        return [self._params(combo) for combo in itertools.product(*(s.values for s in self.sliders))]

    def _figure_html(self, params: Mapping[str, Any], *, live: bool, hidden: bool = False) -> str:
        """One frame as a ``<figure>``: the image with its alt text, the setting as its caption."""
        alt = html.escape(self.alt_text(**params), quote=True)
        if live:  # shown at the static frame's CSS size: live_scale device pixels per CSS pixel
            png = self.live_frame(**params)
            width, height = (round(n / self.live_scale) for n in png_size(png))
            size = f' width="{width}" height="{height}"'
            style = f"width:{width}px;{_IMG_STYLE}"
        else:
            png, size, style = self.frame(**params), "", _IMG_STYLE
        # hidden="hidden", not a bare `hidden`: JupyterLab's sanitiser (untrusted notebooks) drops
        # empty-valued `hidden` attributes but keeps non-empty ones.
        hide = ' hidden="hidden"' if hidden else ""
        return (
            f'<figure class="bx-frame" style="{_FRAME_STYLE}"{hide}>'
            f'<img class="{IMG_CLASS}" src="{data_uri(png)}" alt="{alt}"{size} style="{style}">'
            f'<figcaption class="bx-caption" style="{_CAPTION_STYLE}">{html.escape(self.setting(**params))}'
            "</figcaption></figure>"
        )

    # ------------------------------------------------------------------ static view
    def html(self, frames: Frames = "all") -> str:
        """The static explorer: its frames with captions, range inputs, an inline switcher.

        With ``frames="all"`` every frame of the grid is embedded; every frame but the default
        one carries ``hidden="hidden"``, and the note (shown only where the explorer's
        ``<style>`` is dropped) names the default setting. With ``frames="default"`` only the
        default frame is embedded, with no controls and a note that always shows: what a
        running kernel stores, since it shows the live widget instead.
        """
        if frames not in ("all", "default"):
            raise ValueError(f"frames must be 'all' or 'default', got {frames!r}")
        note = (
            f"Static preview of the default setting ({html.escape(self.setting())}). "
            "Run the notebook (Run &#9656; Run All Cells) to make the sliders live."
        )
        head = (
            f'<div class="book-explorer" id="{self.element_id}" role="group" style="{CARD_STYLE}" '
            f'aria-label="{html.escape(self.title, quote=True)}">'
            f"<style>{EXPLORER_CSS}</style>"
            f'<p class="bx-title"><strong>{html.escape(self.title)}</strong></p>'
        )
        if frames == "default":
            frame = self._figure_html(self._params(self._key({})), live=False)
            return f'{head}<p style="{_NOTE_STYLE}">{note}</p><div class="bx-frames">{frame}</div></div>'
        start = self._key({})
        figures = [self._figure_html(params, live=False, hidden=self._key(params) != start)
                   for params in self.grid()]
        controls = []
        for k, s in enumerate(self.sliders):
            labels = json.dumps([s.format(v) for v in s.values])
            input_id = f"{self.element_id}-{k}"
            value = html.escape(s.format(s.start), quote=True)
            controls.append(
                f'<div class="bx-control"><label for="{input_id}">{html.escape(s.text)}</label> '
                f'<input type="range" id="{input_id}" min="0" max="{len(s.values) - 1}" step="1" '
                f'value="{s.values.index(s.start)}" aria-valuetext="{value}" '
                f'data-labels="{html.escape(labels, quote=True)}" oninput="{html.escape(_HANDLER, quote=True)}">'
                f'<output for="{input_id}">{html.escape(s.format(s.start))}</output></div>'
            )
        return (
            f'{head}<p class="bx-note" style="{_NOTE_STYLE}">{note}</p>'
            f'<div class="bx-frames">{"".join(figures)}</div>'
            f'<div class="bx-controls" style="display:none">{"".join(controls)}</div></div>'
        )

    # ------------------------------------------------------------------ live view
    def live_html(self, **params: Any) -> str:
        """The live view's content for ``params``: the sharp frame, its alt text and its caption."""
        return self._figure_html(self._params(self._key(params)), live=True)

    def widget(self) -> Any:
        """The live ipywidgets control: a ``VBox`` of a title, an ``HTML`` frame view and sliders."""
        import ipywidgets as widgets  # only needed with a kernel; keeps `import book` light

        view = widgets.HTML(value=self.live_html())
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
            view.value = self.live_html(**{s.name: c.value for s, c in zip(self.sliders, controls, strict=True)})

        for control in controls:
            control.observe(update, names="value")
        title = widgets.HTML(f"<strong>{html.escape(self.title)}</strong>")
        return widgets.VBox([title, view, *controls])

    def __repr__(self) -> str:
        grid = " x ".join(f"{s.name} ({len(s.values)} values)" for s in self.sliders)
        return f"Explorer: {self.title}; {self.n_frames} frames over {grid}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/plain": repr(self), "text/html": self.html(static_frames())}
        if _kernel_running():
            view = self.widget()._repr_mimebundle_()
            bundle["application/vnd.jupyter.widget-view+json"] = view[
                "application/vnd.jupyter.widget-view+json"
            ]
        return bundle


def static_frames() -> Frames:
    """Which frames a displayed explorer embeds in its static view, here and now.

    ``"all"`` outside a kernel (a script, a doctest) and wherever ``BOOK_EXPLORER_FRAMES=all``
    (executing the chapters for the book, nbval); ``"default"`` in any other kernel, where the
    reader sees the live widget and the other frames are drawn when a slider reaches them.

    Examples
    --------
    >>> static_frames()  # no kernel here
    'all'
    """
    value = os.environ.get(FRAMES_VARIABLE, "")
    if value not in ("", "all", "default"):
        raise ValueError(f"{FRAMES_VARIABLE} must be 'all' or 'default', got {value!r}")
    if value:
        return value  # type: ignore[return-value]  # checked just above
    return "default" if _kernel_running() else "all"


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
    live_scale: int = LIVE_SCALE,
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
    return Explorer(figure, sliders, title=title, alt=alt, dpi=dpi, live_scale=live_scale)
