"""The book's one colour-blind-safe palette and its white-background figures.

Every figure of the book takes its colours from :data:`PALETTE` (roles) and
:data:`SERIES` (data series), both from the Okabe–Ito palette, which stays
distinguishable under the common colour-vision deficiencies. Figures have a
white background (:func:`new_figure`), so they stay readable on the book's
dark-mode pages.

Nothing here changes matplotlib's global state (no style, no ``rcParams``):
importing the module cannot restyle a reader's other figures.

Examples
--------
>>> PALETTE["intervened"] == PALETTE["orange"]
True
>>> SERIES[0] == PALETTE["blue"]
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["PALETTE", "SERIES", "Figure", "bare_figure", "new_figure"]

# Okabe & Ito (2008), "Color Universal Design"; grey is the usual companion neutral.
_OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}

#: Role -> hex colour. Read-only, so one chapter cannot recolour another's figures.
PALETTE: Mapping[str, str] = MappingProxyType(
    {
        **_OKABE_ITO,
        "node": "#EEEEEE",  # very light grey: black labels keep maximal contrast
        "exogenous": "#FFFFFF",  # lighter than "node": noise is background, not a variable of interest
        "intervened": _OKABE_ITO["orange"],
        "highlight": _OKABE_ITO["vermillion"],
        "allowed": _OKABE_ITO["blue"],
        "edge": "#4D4D4D",  # dark grey: ordinary arrows recede behind coloured ones
    }
)

#: Colours of data series, always in this order, so a series keeps its colour across figures.
SERIES: tuple[str, ...] = tuple(
    PALETTE[name] for name in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow")
)


def new_figure(width: float = 6.4, height: float = 4.0, *, ncols: int = 1) -> tuple[Figure, Any]:
    """Create a figure with ``ncols`` Axes side by side on a white background.

    Parameters
    ----------
    width, height : float
        Size in inches.
    ncols : int
        Number of panels; with more than one, the second value returned is an
        array of Axes.

    Returns
    -------
    fig : matplotlib.figure.Figure
    ax : matplotlib.axes.Axes

    Examples
    --------
    >>> fig, ax = new_figure(4, 3)
    >>> fig.get_facecolor()
    (1.0, 1.0, 1.0, 1.0)
    >>> plt.close(fig)
    """
    for name, value in (("width", width), ("height", height)):
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a positive number of inches, got {value!r}")
    # Explicit white face colours (not rcParams): a dark theme or style must not make the PNG dark.
    if not (isinstance(ncols, int) and ncols >= 1):
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), dpi=100, facecolor="white")
    for ax in fig.axes:
        ax.set_facecolor("white")
    return fig, axes




def bare_figure(width: float, height: float) -> Figure:
    """A white figure outside pyplot (no figure manager), for frames rendered by the hundred.

    Cheaper than :func:`new_figure`: nothing registers it with pyplot, so there
    is nothing to close.
    """
    for name, value in (("width", width), ("height", height)):
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a positive number of inches, got {value!r}")
    return Figure(figsize=(width, height), facecolor="white")
