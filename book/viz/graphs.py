"""Causal graphs of SCMs, drawn the same way in every chapter.

Thin wrappers that read the graph off a :class:`~book.scm.DiscreteSCM` (or its
twin network), draw it with :func:`book.viz.dag.draw_causal_graph` and return a
displayable figure whose alt text is generated from the same graph, so the
picture and its description cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from book.scm import DiscreteSCM, Edge
from book.viz.dag import describe_causal_graph, draw_causal_graph
from book.viz.display import ShownFigure, show

__all__ = ["show_scm", "show_twin"]


def _label(name: str) -> str:
    # U_M -> $U_{M}$ so noise names render as subscripts; a trailing * marks a counterfactual copy.
    star = name.endswith("*")
    base = name[:-1] if star else name
    if "_" in base:
        head, tail = base.split("_", 1)
        text = f"${head}_{{{tail}}}$"
    else:
        text = base
    return text + ("*" if star else "")


def show_scm(
    scm: DiscreteSCM,
    *,
    exogenous: bool = True,
    highlight: Iterable[Edge] = (),
    allowed: Iterable[Edge] = (),
    intervened: Iterable[str] = (),
    caption: str = "",
    width: float | None = None,
) -> ShownFigure:
    """Draw an SCM's causal graph (with or without its noise nodes).

    Parameters
    ----------
    scm : DiscreteSCM
    exogenous : bool
        Draw the exogenous noise variables (dashed) too.
    highlight, allowed : iterable of edges
        Edges to draw as unfair (vermillion) or allowed (blue) paths.
    intervened : iterable of str
        Variables under intervention (filled orange; incoming arrows cut).
    caption : str
        Caption under the figure.
    width : float, optional
        Figure width in inches (default grows with the graph).
    """
    edges = scm.edges(include_exogenous=exogenous)
    nodes = list(scm.variables if exogenous else scm.endogenous)
    noise = [n for n in scm.exogenous if exogenous]
    return _show(edges, nodes, noise, list(highlight), list(allowed), list(intervened), caption, width)


def show_twin(
    scm: DiscreteSCM, do: Mapping[str, Any], *, caption: str = "", width: float | None = None
) -> ShownFigure:
    """Draw the twin network for ``do``: factual copy, starred counterfactual copy, shared noise."""
    twin = scm.twin_network(do)
    present = set(twin.nodes())
    # Noise, then the factual world, then the starred world: the layout splits the two worlds.
    nodes = [n for n in scm.variables if n in present] + [f"{v}*" for v in scm.endogenous if f"{v}*" in present]
    edges = [tuple(e) for e in twin.edges()]
    noise = [n for n in scm.exogenous if n in nodes]
    intervened = [f"{v}*" for v in do]
    return _show(edges, nodes, noise, [], [], intervened, caption, width)


def _show(
    edges: list[Any],
    nodes: list[str],
    noise: list[str],
    highlight: list[Edge],
    allowed: list[Edge],
    intervened: list[str],
    caption: str,
    width: float | None,
) -> ShownFigure:
    labels = {n: _label(n) for n in nodes}
    fig = draw_causal_graph(
        edges, nodes=nodes, highlight=highlight, allowed=allowed, intervened=intervened,
        exogenous=noise, labels=labels,
    )
    if width is not None:
        w, h = fig.get_size_inches()
        fig.set_size_inches(width, h * width / w)
    # Nodes without arrows (e.g. a noise variable a wrong model no longer reads) are drawn too: name them.
    endpoints = {v for edge in edges for v in edge}
    alt = describe_causal_graph(
        edges, nodes=[n for n in nodes if n not in endpoints], highlight=highlight, allowed=allowed,
        intervened=intervened, exogenous=noise,
    )
    return show(fig, alt=alt, caption=caption)
