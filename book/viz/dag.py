"""Causal graphs (DAGs) drawn with matplotlib patches, and described in words for alt text.

No graphviz binary is needed on Binder or Colab. :func:`layered_positions`
places the nodes of a DAG deterministically (layers from networkx's
topological generations), :func:`draw_causal_graph` draws it in the book's
palette, routing an arrow around any node it would cross, and
:func:`describe_causal_graph` writes the matching alt text. Display a figure
with its alt text through :func:`book.viz.display.show`.

Examples
--------
>>> layered_positions([("A", "Y")])
{'A': (0.0, 0.0), 'Y': (1.0, 0.0)}
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (the doctests close figures through it)
import networkx as nx
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.text import Text
from matplotlib.textpath import TextPath

from book.viz.palette import PALETTE, new_figure

__all__ = ["describe_causal_graph", "draw_causal_graph", "layered_positions"]

Edge = tuple[str, str]
Position = tuple[float, float]

# Geometry of drawn graphs, in units of the typical node spacing (1 for layered_positions).
_RADIUS = 0.25
_EXOGENOUS_SCALE = 0.62  # exogenous circles are smaller: noise is secondary
_RING_PT = 3.0  # how far the intervened node's double outline reaches beyond its circle, in points
_INCH_PER_UNIT = 1.4  # preferred size of one spacing unit when draw_causal_graph makes its own figure
_MAX_WIDTH, _MAX_HEIGHT = 8.0, 6.0  # inches: a book page, and a screen without scrolling


def layered_positions(
    edges: Iterable[tuple[str, str]], nodes: Iterable[str] | None = None
) -> dict[str, Position]:
    """Deterministic left-to-right positions for the nodes of a DAG.

    A node's layer is the length of the longest directed path reaching it from
    a root; ``x`` is the layer index. Within a layer, nodes keep their order of
    first appearance (in ``nodes`` if given, then in ``edges``) from top to
    bottom, one unit apart and centred on ``y = 0``.

    Parameters
    ----------
    edges : iterable of (str, str)
        Directed edges ``(cause, effect)``.
    nodes : iterable of str, optional
        Nodes in the order to use within layers; may add isolated nodes. Nodes
        that only appear in ``edges`` follow, in order of first appearance.

    Returns
    -------
    dict of str to (float, float)
        ``node -> (x, y)``, in node order.

    Raises
    ------
    ValueError
        If the graph has a cycle (the message names a node on it) or an edge
        is malformed.

    Examples
    --------
    >>> layered_positions([("A", "Q"), ("A", "P"), ("Q", "Y"), ("P", "Y")])
    {'A': (0.0, 0.0), 'Q': (1.0, 0.5), 'P': (1.0, -0.5), 'Y': (2.0, 0.0)}
    """
    graph, _ = _graph(edges, nodes)
    layer = _layers(graph)
    order = list(graph)
    members: dict[int, list[str]] = {}
    for node in order:
        members.setdefault(layer[node], []).append(node)
    positions: dict[str, Position] = {}
    for node in order:
        row = members[layer[node]]
        # First node on top; (k - 1) / 2 centres the k nodes of a layer on y = 0.
        positions[node] = (float(layer[node]), (len(row) - 1) / 2 - row.index(node))
    return positions


def describe_causal_graph(
    edges: Iterable[tuple[str, str]],
    *,
    nodes: Iterable[str] | None = None,
    highlight: Iterable[tuple[str, str]] = (),
    allowed: Iterable[tuple[str, str]] = (),
    intervened: Iterable[str] = (),
    exogenous: Iterable[str] = (),
) -> str:
    """Plain-English description of a causal graph, for alt text.

    It describes the graph as :func:`draw_causal_graph` draws it with the same
    arguments: arrows into intervened variables are cut (unless highlighted).

    Parameters
    ----------
    edges : iterable of (str, str)
        Directed edges ``(cause, effect)``.
    nodes : iterable of str, optional
        Nodes listed first, in this order; use it for nodes without arrows
        (as :func:`draw_causal_graph` takes them).
    highlight, allowed : iterable of (str, str)
        Edges drawn as highlighted (unfair) and allowed paths.
    intervened, exogenous : iterable of str
        Intervened variables and exogenous noise variables.

    Returns
    -------
    str
        The same text for the same input.

    Raises
    ------
    ValueError
        For an unknown variable or edge, or a cycle.

    Examples
    --------
    >>> describe_causal_graph([("A", "P"), ("P", "Y")], highlight=[("A", "P")], intervened=["A"])
    'Causal graph with 3 variables (A, P, Y) and 2 arrows: A → P, P → Y. Highlighted (unfair) arrows: A → P. Intervened variables: A.'
    """  # noqa: E501
    spec = _GraphSpec.build(edges, nodes, highlight, allowed, intervened, exogenous)
    variables = [n for n in spec.order if n not in spec.exogenous]
    noise = [n for n in spec.order if n in spec.exogenous]
    drawn = spec.drawn_edges()
    cut = [e for e in spec.edges if e not in drawn]

    counts = _count(len(variables), "variable") + f" ({', '.join(variables)})"
    if noise:
        counts += f", {_count(len(noise), 'exogenous noise variable')} ({', '.join(noise)})"
    sentences = [f"Causal graph with {counts} and {_count(len(drawn), 'arrow')}"]
    sentences[0] += f": {_arrows(drawn)}." if drawn else "."
    shown_highlight = [e for e in drawn if e in spec.highlight]
    shown_allowed = [e for e in drawn if e in spec.allowed]
    if shown_highlight:
        sentences.append(f"Highlighted (unfair) arrows: {_arrows(shown_highlight)}.")
    if shown_allowed:
        sentences.append(f"Allowed arrows: {_arrows(shown_allowed)}.")
    if spec.intervened:
        names = ", ".join(n for n in spec.order if n in spec.intervened)
        sentences.append(f"Intervened variables: {names}.")
        if cut:
            sentences.append(f"Arrows into intervened variables are cut and not drawn: {_arrows(cut)}.")
    return " ".join(sentences)


def draw_causal_graph(
    edges: Iterable[tuple[str, str]],
    *,
    nodes: Iterable[str] | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    highlight: Iterable[tuple[str, str]] = (),
    allowed: Iterable[tuple[str, str]] = (),
    intervened: Iterable[str] = (),
    exogenous: Iterable[str] = (),
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Draw a causal DAG with circles, arrows and the book's colour roles.

    Parameters
    ----------
    edges : iterable of (str, str)
        Directed edges ``(cause, effect)``.
    nodes : iterable of str, optional
        Node order (and isolated nodes), as in :func:`layered_positions`.
    positions : mapping of str to (float, float), optional
        Explicit ``node -> (x, y)`` for every node. By default the
        endogenous nodes are placed by :func:`layered_positions` and each
        exogenous root is placed next to its children.
    highlight : iterable of (str, str)
        Edges drawn thick in ``PALETTE["highlight"]`` (e.g. unfair paths).
    allowed : iterable of (str, str)
        Edges drawn thick in ``PALETTE["allowed"]``.
    intervened : iterable of str
        Variables set by ``do()``: filled with ``PALETTE["intervened"]`` with
        a double outline; their incoming arrows are not drawn (graph surgery)
        unless listed in ``highlight``.
    exogenous : iterable of str
        Noise variables: smaller circles, dashed outline, dashed arrows.
    labels : mapping of str to str, optional
        Display labels (mathtext allowed, e.g. ``"$U_A$"``); default: the name.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; by default a new figure sized to the graph.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        The new figure, or the figure holding ``ax``.

    Raises
    ------
    ValueError
        For a node or edge named in an argument that is not in the graph (the
        message names it), a missing position, or a cycle.

    Notes
    -----
    Node circles are :class:`~matplotlib.patches.Circle` patches with gid
    ``"node:<name>"``; arrows are :class:`~matplotlib.patches.FancyArrowPatch`
    with gid ``"edge:<cause>-><effect>"``. Arrows are clipped to the circles
    at draw time, so arrowheads touch the borders at any figure size, and an
    arrow that would pass through another node is curved around it.

    Examples
    --------
    >>> fig = draw_causal_graph([("A", "P"), ("P", "Y"), ("A", "Y")],
    ...                         highlight=[("A", "P"), ("P", "Y")], intervened=["A"])
    >>> sorted(p.get_gid() for p in fig.axes[0].patches if isinstance(p, Circle))
    ['node:A', 'node:P', 'node:Y']
    >>> plt.close(fig)
    """
    spec = _GraphSpec.build(edges, nodes, highlight, allowed, intervened, exogenous)
    if not spec.order:
        raise ValueError("nothing to draw: give at least one edge or node")
    label_of = _check_labels(labels, spec)
    pos = _check_positions(positions, spec) if positions is not None else _auto_positions(spec)
    unit = _typical_spacing(pos)
    radius = {n: _RADIUS * unit * (_EXOGENOUS_SCALE if n in spec.exogenous else 1.0) for n in spec.order}
    _shrink_to_fit(radius, pos)

    drawn = spec.drawn_edges()
    bends = _route(drawn, pos, radius, unit)
    xmin, xmax, ymin, ymax = _extent(pos, radius, bends, unit)
    legend = _legend_handles(spec, drawn)

    owns_figure = ax is None
    if ax is None:
        extra = (0.35 if title else 0.0) + (0.4 if legend else 0.0)  # inches for title and legend
        scale = min(_INCH_PER_UNIT / unit, _MAX_WIDTH / (xmax - xmin), (_MAX_HEIGHT - extra) / (ymax - ymin))
        width = max((xmax - xmin) * scale, 3.2 if legend else 2.4)
        height = (ymax - ymin) * scale + extra
        fig, ax = new_figure(width, height)
    else:
        fig = ax.get_figure(root=True)
        xmin, xmax, ymin, ymax = _limit_zoom(ax, (xmin, xmax, ymin, ymax), unit)

    # One font size per kind of node (the tightest label decides), so labels look uniform.
    ratio = {
        kind: min(
            (_label_ratio(label_of[n]) for n in spec.order if (n in spec.exogenous) == kind), default=1.0
        )
        for kind in (False, True)
    }
    circles: dict[str, Circle] = {}
    for node in spec.order:
        circles[node] = _draw_node(
            ax, node, pos[node], radius[node], label_of[node], ratio[node in spec.exogenous], spec
        )
    for edge in drawn:
        _draw_edge(ax, edge, pos, circles, bends[edge], spec)

    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    # "box" keeps circles round by shrinking the Axes box, never by moving the limits we just chose.
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    if title:
        ax.set_title(title, color="black", fontsize=12)
    if legend:
        # Below the Axes, so the legend can never cover a node or an arrow.
        ax.legend(
            handles=legend,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=len(legend) if fig.get_figwidth() >= 4.5 else 1,
            frameon=False,
            fontsize=9,
            labelcolor="black",
            handlelength=2.4,
            borderaxespad=0.2,
        )
    if owns_figure:
        fig.tight_layout(pad=0.3)
    return fig


# ---------------------------------------------------------------------------- validation
def _graph(edges: Iterable[tuple[str, str]], nodes: Iterable[str] | None) -> tuple[nx.DiGraph, list[Edge]]:
    """The graph, nodes in order of first appearance, and its de-duplicated edges in their given order.

    networkx keeps nodes, and each node's parents and children, in insertion order (never in hash
    order), but lists edges node by node: the edge list keeps the order arrows are drawn and described in.
    """
    graph = nx.DiGraph()
    if nodes is not None:
        graph.add_nodes_from(_as_names(nodes, "nodes"))
    edge_list: list[Edge] = []
    for edge in edges:
        cause, effect = _as_edge(edge, "edges")
        if not graph.has_edge(cause, effect):
            graph.add_edge(cause, effect)
            edge_list.append((cause, effect))
    return graph, edge_list


def _as_edge(edge: Any, where: str) -> Edge:
    if isinstance(edge, str) or not isinstance(edge, Sequence) or len(edge) != 2:
        raise ValueError(f"{where}: expected a (cause, effect) pair, got {edge!r}")
    cause, effect = edge
    for node in (cause, effect):
        if not isinstance(node, str):
            raise ValueError(f"{where}: node names must be strings, got {node!r} in {edge!r}")
    return cause, effect


def _as_names(names: Iterable[str], where: str) -> list[str]:
    # A bare string is one name, not an iterable of one-letter names.
    items = [names] if isinstance(names, str) else list(names)
    for name in items:
        if not isinstance(name, str):
            raise ValueError(f"{where}: node names must be strings, got {name!r}")
    return items


def _layers(graph: nx.DiGraph) -> dict[str, int]:
    """Longest-path layer of every node; ValueError naming the nodes on a cycle.

    networkx's topological generations are exactly these layers: a node joins a
    generation once all its parents are placed, one generation after the last of them.
    """
    try:
        generations = list(nx.topological_generations(graph))
    except nx.NetworkXUnfeasible:
        raise _cycle_error(graph) from None
    return {node: depth for depth, generation in enumerate(generations) for node in generation}


def _cycle_error(graph: nx.DiGraph) -> ValueError:
    """The error for a cyclic graph, naming the nodes on the first cycle a depth-first search meets."""
    cycle = [cause for cause, _ in nx.find_cycle(graph)]  # roots and children in their given order
    cycle.append(cycle[0])
    return ValueError(
        f"the graph has a cycle through {cycle[0]!r}: {' → '.join(cycle)}; a causal graph must be acyclic"
    )


class _GraphSpec:
    """A validated graph with its styling sets (shared by draw and describe)."""

    def __init__(
        self,
        graph: nx.DiGraph,
        order: list[str],
        edges: list[Edge],
        highlight: set[Edge],
        allowed: set[Edge],
        intervened: set[str],
        exogenous: set[str],
    ) -> None:
        self.graph, self.order, self.edges = graph, order, edges
        self.highlight, self.allowed = highlight, allowed
        self.intervened, self.exogenous = intervened, exogenous

    @classmethod
    def build(
        cls,
        edges: Iterable[tuple[str, str]],
        nodes: Iterable[str] | None,
        highlight: Iterable[tuple[str, str]],
        allowed: Iterable[tuple[str, str]],
        intervened: Iterable[str],
        exogenous: Iterable[str],
    ) -> _GraphSpec:
        graph, edge_list = _graph(edges, nodes)
        if not nx.is_directed_acyclic_graph(graph):
            raise _cycle_error(graph)
        order = list(graph)

        def edge_set(given: Iterable[tuple[str, str]], where: str) -> set[Edge]:
            result = set()
            for item in given:
                edge = _as_edge(item, where)
                for node in edge:
                    if node not in graph:
                        raise ValueError(f"{where}: unknown node {node!r} in edge {edge!r}")
                if not graph.has_edge(*edge):
                    raise ValueError(f"{where}: {edge[0]} → {edge[1]} is not an edge of the graph")
                result.add(edge)
            return result

        def node_set(given: Iterable[str], where: str) -> set[str]:
            names = _as_names(given, where)
            for name in names:
                if name not in graph:
                    raise ValueError(f"{where}: unknown node {name!r}")
            return set(names)

        hi, ok = edge_set(highlight, "highlight"), edge_set(allowed, "allowed")
        if hi & ok:
            cause, effect = min(hi & ok, key=edge_list.index)
            raise ValueError(f"edge {cause} → {effect} is both highlighted and allowed; choose one")
        done, noise = node_set(intervened, "intervened"), node_set(exogenous, "exogenous")
        if done & noise:
            name = min(done & noise, key=order.index)
            raise ValueError(f"node {name!r} is both intervened and exogenous; choose one")
        return cls(graph, order, edge_list, hi, ok, done, noise)

    def drawn_edges(self) -> list[Edge]:
        # do() replaces a variable's mechanism, so the arrows into it are cut (graph surgery).
        return [e for e in self.edges if e[1] not in self.intervened or e in self.highlight]


def _check_labels(labels: Mapping[str, str] | None, spec: _GraphSpec) -> dict[str, str]:
    given = dict(labels or {})
    for name in given:
        if name not in spec.order:
            raise ValueError(f"labels: unknown node {name!r}")
    return {n: str(given.get(n, n)) for n in spec.order}


def _check_positions(positions: Mapping[str, tuple[float, float]], spec: _GraphSpec) -> dict[str, Position]:
    for name in positions:
        if name not in spec.order:
            raise ValueError(f"positions: unknown node {name!r}")
    result: dict[str, Position] = {}
    for name in spec.order:
        if name not in positions:
            raise ValueError(f"positions: no position for node {name!r}")
        try:
            x, y = (float(v) for v in positions[name])
        except (TypeError, ValueError):
            raise ValueError(f"positions: {name!r} -> {positions[name]!r} is not an (x, y) pair") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError(f"positions: {name!r} -> {positions[name]!r} is not finite")
        result[name] = (x, y)
    for i, a in enumerate(spec.order):
        for b in spec.order[i + 1 :]:
            if result[a] == result[b]:
                raise ValueError(f"positions: nodes {a!r} and {b!r} are at the same place")
    return result


# ---------------------------------------------------------------------------- layout
def _auto_positions(spec: _GraphSpec) -> dict[str, Position]:
    """Layered layout of the endogenous graph; exogenous roots next to their children."""
    graph = spec.graph
    # A noise root in its own layer would sit far from its child with a long arrow across the graph;
    # the usual drawing puts U_X right next to X instead.
    attached = [n for n in spec.order if n in spec.exogenous and graph.in_degree(n) == 0 and graph.out_degree(n)]
    core = [n for n in spec.order if n not in attached]
    if not core:  # nothing but noise: no endogenous variable to attach to
        return layered_positions(spec.edges, spec.order)
    placed_edges = [e for e in spec.edges if e[0] not in attached]
    pos = layered_positions(placed_edges, core)
    r_node, r_noise = _RADIUS, _RADIUS * _EXOGENOUS_SCALE
    radius = {n: r_noise if n in spec.exogenous else r_node for n in spec.order}
    for noise in attached:
        kids = list(graph.successors(noise))  # in edge order
        pos[noise] = _place_noise(noise, kids, pos, placed_edges, radius)
        placed_edges += [(noise, child) for child in kids]
    return {n: pos[n] for n in spec.order}


def _place_noise(
    noise: str,
    kids: list[str],
    pos: dict[str, Position],
    placed_edges: list[Edge],
    radius: dict[str, float],
) -> Position:
    """The free spot near ``kids`` whose arrows cross and crowd the least (deterministic)."""
    cx = sum(pos[k][0] for k in kids) / len(kids)
    cy = sum(pos[k][1] for k in kids) / len(kids)
    # Preferred directions first (upper left is where textbooks put U_X); ties keep this order.
    angles = [135, 225, 90, 270, 180, 112.5, 247.5, 157.5, 202.5, 45, 315, 67.5, 292.5, 0, 22.5, 337.5]
    candidates = [(cx, cy)] if len(kids) > 1 else []
    for distance in (0.62, 0.85, 1.1):
        candidates += [
            (cx + distance * math.cos(math.radians(a)), cy + distance * math.sin(math.radians(a)))
            for a in angles
        ]
    r = radius[noise]
    best: tuple[float, Position] | None = None
    for rank, cand in enumerate(candidates):
        if any(math.dist(cand, p) < r + radius[n] + 0.12 for n, p in pos.items()):
            continue
        score = 0.002 * rank
        for kid in kids:
            seg = (cand, pos[kid])
            score += math.dist(*seg)
            if cand[0] > pos[kid][0] + 1e-9:
                score += 0.6  # arrows pointing backwards against the causal flow read badly
            for n, p in pos.items():
                if n != kid and _point_segment_distance(p, seg) < radius[n] + 0.06:
                    score += 100.0  # the new arrow would run through a node
            for a, b in placed_edges:
                if kid not in (a, b) and _segments_cross(seg, (pos[a], pos[b])):
                    score += 8.0
        for a, b in placed_edges:
            if _point_segment_distance(cand, (pos[a], pos[b])) < r + 0.06:
                score += 100.0  # the new node would sit on an existing arrow
        if best is None or score < best[0]:
            best = (score, cand)
    if best is None:  # every nearby spot taken: fall back far above the children
        top = max(p[1] for p in pos.values())
        return (cx - 0.5, top + 1.0)
    return best[1]


def _typical_spacing(pos: dict[str, Position]) -> float:
    """Median nearest-neighbour distance: the unit node sizes scale with."""
    points = list(pos.values())
    if len(points) < 2:
        return 1.0
    nearest = sorted(
        min(math.dist(p, q) for j, q in enumerate(points) if j != i) for i, p in enumerate(points)
    )
    return nearest[len(nearest) // 2]


def _shrink_to_fit(radius: dict[str, float], pos: dict[str, Position]) -> None:
    """Scale all radii down (together) until no two circles come close to touching."""
    names = list(pos)
    factor = 1.0
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            room = math.dist(pos[a], pos[b]) * 0.8
            factor = min(factor, room / (radius[a] + radius[b]))
    for name in radius:
        radius[name] *= factor


def _route(
    edges: list[Edge], pos: dict[str, Position], radius: dict[str, float], unit: float
) -> dict[Edge, float]:
    """Curvature (arc3 ``rad``) of every arrow: 0 when the straight line is clear of other nodes."""
    centre = (sum(x for x, _ in pos.values()) / len(pos), sum(y for _, y in pos.values()) / len(pos))
    bends: dict[Edge, float] = {}
    middles: list[list[Position]] = []  # middle parts of the arrows routed so far
    for edge in edges:
        rad = _bend(edge, pos, radius, centre, unit, middles)
        bends[edge] = rad
        middles.append(_arc_points(pos[edge[0]], pos[edge[1]], rad)[8:-8])
    return bends


def _bend(
    edge: Edge,
    pos: dict[str, Position],
    radius: dict[str, float],
    centre: Position,
    unit: float,
    middles: list[list[Position]],
) -> float:
    """The first curvature whose arc clears every other node and runs apart from earlier arcs."""
    start, end = pos[edge[0]], pos[edge[1]]
    others = [(pos[n], radius[n]) for n in pos if n not in edge]
    margin = 0.08 * unit

    def node_clearance(points: list[Position]) -> float:
        return min((min(math.dist(c, q) for q in points) - r for c, r in others), default=math.inf)

    def arc_clearance(points: list[Position]) -> float:
        # Only the middle of each arc: arrows meeting at a node converge there by design.
        mid = points[8:-8]
        return min((math.dist(p, q) for other in middles for p in other for q in mid), default=math.inf)

    if node_clearance(_arc_points(start, end, 0.0)) > margin:
        return 0.0
    # Bulge away from the middle of the drawing first: the outside is where there is room.
    mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
    normal = (end[1] - start[1], start[0] - end[0])  # arc3 moves the control point along +rad * normal
    outward = 1.0 if normal[0] * (mx - centre[0]) + normal[1] * (my - centre[1]) >= 0 else -1.0
    trials = [sign * rad for rad in (0.2, 0.3, 0.45, 0.6) for sign in (outward, -outward)]
    scored = []
    for rad in trials:
        points = _arc_points(start, end, rad)
        nodes_ok = node_clearance(points) > margin
        arcs = arc_clearance(points)
        if nodes_ok and arcs > 1.5 * margin:
            return rad
        scored.append((nodes_ok, min(arcs, unit), node_clearance(points), -trials.index(rad), rad))
    # No perfect arc: clear the nodes first (an arrow through a node misleads), then the other arcs.
    return max(scored)[-1]


def _arc_points(start: Position, end: Position, rad: float, n: int = 41) -> list[Position]:
    """Points on matplotlib's arc3 curve: a quadratic Bézier with control point off the midpoint."""
    (x1, y1), (x2, y2) = start, end
    cx, cy = (x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1)
    points = []
    for i in range(n):
        t = i / (n - 1)
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t**2
        points.append((a * x1 + b * cx + c * x2, a * y1 + b * cy + c * y2))
    return points


def _extent(
    pos: dict[str, Position], radius: dict[str, float], bends: dict[Edge, float], unit: float
) -> tuple[float, float, float, float]:
    """Data limits that contain every circle, outline and curved arrow, with a margin."""
    pad = 0.12 * unit  # room for outlines (the intervened double ring) beyond the circles
    xs = [p[0] - radius[n] - pad for n, p in pos.items()] + [p[0] + radius[n] + pad for n, p in pos.items()]
    ys = [p[1] - radius[n] - pad for n, p in pos.items()] + [p[1] + radius[n] + pad for n, p in pos.items()]
    for (a, b), rad in bends.items():
        if rad:
            for x, y in _arc_points(pos[a], pos[b], rad, n=11):
                xs += [x - pad, x + pad]
                ys += [y - pad, y + pad]
    return min(xs), max(xs), min(ys), max(ys)


def _limit_zoom(
    ax: Axes, limits: tuple[float, float, float, float], unit: float
) -> tuple[float, float, float, float]:
    """Widen ``limits`` so a small graph in a large Axes is not blown up to giant circles."""
    xmin, xmax, ymin, ymax = limits
    fig = ax.get_figure(root=True)
    box = ax.get_position()
    width_in, height_in = box.width * fig.get_figwidth(), box.height * fig.get_figheight()
    scale = min(width_in / (xmax - xmin), height_in / (ymax - ymin))
    if scale <= _INCH_PER_UNIT / unit:
        return limits
    half_w, half_h = width_in * unit / _INCH_PER_UNIT / 2, height_in * unit / _INCH_PER_UNIT / 2
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return cx - half_w, cx + half_w, cy - half_h, cy + half_h


def _point_segment_distance(p: Position, seg: tuple[Position, Position]) -> float:
    (x1, y1), (x2, y2) = seg
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - x1) * dx + (p[1] - y1) * dy) / length2))
    return math.dist(p, (x1 + t * dx, y1 + t * dy))


def _segments_cross(s: tuple[Position, Position], t: tuple[Position, Position]) -> bool:
    """Proper crossing (not merely touching at an end point)."""

    def side(a: Position, b: Position, c: Position) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    (p1, p2), (q1, q2) = s, t
    d1, d2 = side(q1, q2, p1), side(q1, q2, p2)
    d3, d4 = side(p1, p2, q1), side(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


# ---------------------------------------------------------------------------- drawing
class _NodeLabel(Text):
    """A node label whose font size follows its circle's size on screen.

    The circle is sized in data units, so its size in points is only known at
    draw time (after tight layout, at the final dpi); fixing the font size
    earlier would let labels overflow small circles or look lost in big ones.
    """

    def __init__(self, x: float, y: float, text: str, *, radius: float, ratio: float, cap: float) -> None:
        super().__init__(x, y, text, ha="center", va="center_baseline", color="black", zorder=4)
        self._radius, self._ratio, self._cap = radius, ratio, cap

    def draw(self, renderer: RendererBase) -> None:
        if self.axes is not None:
            x0, y0 = self.axes.transData.transform((0.0, 0.0))
            x1, y1 = self.axes.transData.transform((self._radius, 0.0))
            radius_pt = math.hypot(x1 - x0, y1 - y0) * 72.0 / self.get_figure(root=True).dpi
            size = round(min(self._cap, max(6.0, self._ratio * radius_pt)), 1)
            if size != self.get_fontsize():  # only when it changes, so redraws do not re-mark it stale
                self.set_fontsize(size)
        super().draw(renderer)


def _label_ratio(text: str) -> float:
    """Largest font size, per point of radius, at which ``text`` fits inside its circle."""
    box = TextPath((0, 0), text, size=1.0).get_extents()  # handles mathtext such as "$U_A$"
    width, height = max(box.width, 0.3), max(box.height, 0.5)
    return min(1.55 / width, 1.05 / height)


def _draw_node(
    ax: Axes, node: str, xy: Position, radius: float, label: str, ratio: float, spec: _GraphSpec
) -> Circle:
    if node in spec.intervened:
        circle = Circle(xy, radius, facecolor=PALETTE["intervened"], edgecolor="black", linewidth=1.4)
        # A double outline marks do() without relying on colour alone:
        # a wide black stroke, a white gap drawn over it, then the normal outline on top.
        circle.set_path_effects(_double_ring(1.4))
    elif node in spec.exogenous:
        circle = Circle(
            xy,
            radius,
            facecolor=PALETTE["exogenous"],
            edgecolor="black",
            linewidth=1.0,
            linestyle=(0, (3, 2)),
        )
    else:
        circle = Circle(xy, radius, facecolor=PALETTE["node"], edgecolor="black", linewidth=1.4)
    circle.set_gid(f"node:{node}")
    circle.set_zorder(3)
    ax.add_patch(circle)
    cap = 11.0 if node in spec.exogenous else 14.0
    text = _NodeLabel(xy[0], xy[1], label, radius=radius, ratio=ratio, cap=cap)
    text.set_transform(ax.transData)
    text.set_in_layout(False)  # inside its circle: never a reason to move the Axes
    ax.add_artist(text)
    return circle


def _draw_edge(
    ax: Axes, edge: Edge, pos: dict[str, Position], circles: dict[str, Circle], rad: float, spec: _GraphSpec
) -> FancyArrowPatch:
    cause, effect = edge
    if edge in spec.highlight:
        color, width, zorder = PALETTE["highlight"], 3.0, 2.5
    elif edge in spec.allowed:
        color, width, zorder = PALETTE["allowed"], 3.0, 2.4
    else:
        color, width, zorder = PALETTE["edge"], 1.4, 2.0
    style = "solid"
    if cause in spec.exogenous:
        width, style = 1.1, (0, (3, 2))  # noise arrows recede like their dashed circles

    def ring(node: str) -> float:
        # Clipping already stops at the outline (matplotlib also pulls a mitred tip back by half the
        # line width); only the intervened double ring reaches further out.
        return _RING_PT + 0.5 if node in spec.intervened else 0.5

    arrow = FancyArrowPatch(
        posA=pos[cause],
        posB=pos[effect],
        # Clipping to the circle patches at draw time puts the arrowhead on the border at any size.
        patchA=circles[cause],
        patchB=circles[effect],
        shrinkA=ring(cause),
        shrinkB=ring(effect),
        arrowstyle="-|>",
        mutation_scale=12 + 2.5 * width,
        connectionstyle=f"arc3,rad={rad:.3f}",
        color=color,
        linewidth=width,
        linestyle=style,
        joinstyle="miter",
        capstyle="butt",
        zorder=zorder,
    )
    arrow.set_gid(f"edge:{cause}->{effect}")
    ax.add_patch(arrow)
    return arrow


def _double_ring(linewidth: float, ring: float = _RING_PT) -> list[patheffects.AbstractPathEffect]:
    """Path effects that turn an outline of ``linewidth`` into a double outline ``ring`` points wide."""
    return [
        patheffects.Stroke(linewidth=linewidth + 2 * ring, foreground="black"),
        patheffects.Stroke(linewidth=linewidth + ring, foreground="white"),
        patheffects.Normal(),
    ]


def _legend_handles(spec: _GraphSpec, drawn: list[Edge]) -> list[Line2D]:
    handles = []
    if any(e in spec.highlight for e in drawn):
        handles.append(
            Line2D([], [], color=PALETTE["highlight"], linewidth=3.0, label="highlighted (unfair) path")
        )
    if any(e in spec.allowed for e in drawn):
        handles.append(Line2D([], [], color=PALETTE["allowed"], linewidth=3.0, label="allowed path"))
    if spec.intervened:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=11,
                markerfacecolor=PALETTE["intervened"],
                markeredgecolor="black",
                markeredgewidth=1.2,
                # The same double outline as the nodes, so the key matches without relying on colour.
                path_effects=_double_ring(1.2),
                label="intervened: do(·)",
            )
        )
    return handles


# ---------------------------------------------------------------------------- text
def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _arrows(edges: Iterable[Edge]) -> str:
    return ", ".join(f"{a} → {b}" for a, b in edges)
