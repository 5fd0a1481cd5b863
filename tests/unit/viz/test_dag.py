"""Tests for ``book.viz.dag`` (layout, graph drawing, alt text) and the palette it draws with.

Every figure a test draws is also rendered to PNG, so a drawing that only
fails at render time (mathtext, path effects, arrow clipping) fails here.
"""

import itertools
import math
import random
import re

import matplotlib

matplotlib.use("Agg")  # before pyplot: tests must not need a display

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

from book.viz.dag import describe_causal_graph, draw_causal_graph, layered_positions
from book.viz.palette import PALETTE, SERIES, new_figure

HIRING = [("A", "Q"), ("A", "P"), ("A", "Y"), ("Q", "Y"), ("P", "Y")]
NOISE = [("U_A", "A"), ("U_Q", "Q"), ("U_P", "P"), ("U_Y", "Y")]
EXOGENOUS = ["U_A", "U_Q", "U_P", "U_Y"]
UNFAIR = [("A", "P"), ("P", "Y"), ("A", "Y")]
FAIR = [("A", "Q"), ("Q", "Y")]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def render(fig: Figure, tmp_path, name: str = "figure.png") -> None:
    path = tmp_path / name
    fig.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def circles(fig: Figure) -> dict[str, Circle]:
    return {
        p.get_gid().removeprefix("node:"): p for ax in fig.axes for p in ax.patches if isinstance(p, Circle)
    }


def arrows(fig: Figure) -> dict[tuple[str, str], FancyArrowPatch]:
    found = {}
    for ax in fig.axes:
        for p in ax.patches:
            if isinstance(p, FancyArrowPatch):
                cause, effect = p.get_gid().removeprefix("edge:").split("->")
                found[(cause, effect)] = p
    return found


def twin_network() -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Twin network of the hiring SCM under do(A*): 12 nodes, noise shared by both worlds."""
    edges = [("U_A", "A")] + [(f"U_{v}", x) for v in "QPY" for x in (v, v + "*")]
    edges += HIRING + [(a + "*", b + "*") for a, b in HIRING]
    nodes = ["A", "Q", "P", "Y", "A*", "Q*", "P*", "Y*"]
    return edges, nodes, EXOGENOUS


# ------------------------------------------------------------------ palette and figures
def test_palette_is_okabe_ito_with_semantic_roles():
    assert PALETTE["blue"] == "#0072B2"
    assert PALETTE["orange"] == "#E69F00"
    assert PALETTE["vermillion"] == "#D55E00"
    assert PALETTE["intervened"] == PALETTE["orange"]
    assert PALETTE["highlight"] == PALETTE["vermillion"]
    assert PALETTE["allowed"] == PALETTE["blue"]
    required = {"blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black", "grey"}
    required |= {"node", "exogenous", "intervened", "highlight", "allowed", "edge"}
    assert required <= set(PALETTE)
    for colour in PALETTE.values():
        assert re.fullmatch(r"#[0-9A-F]{6}", colour)
    # Node fills must be light so black labels stay readable (relative luminance of sRGB).
    for role in ("node", "exogenous", "intervened"):
        r, g, b, _ = to_rgba(PALETTE[role])
        assert 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5, role


def test_palette_is_read_only():
    with pytest.raises(TypeError):
        PALETTE["node"] = "#000000"  # type: ignore[index]


def test_series_order():
    names = ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow")
    assert tuple(PALETTE[n] for n in names) == SERIES


def test_new_figure_is_white(tmp_path):
    fig, ax = new_figure(5, 3)
    assert isinstance(fig, Figure)
    assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
    assert ax.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
    assert fig.dpi == 100
    assert tuple(fig.get_size_inches()) == (5.0, 3.0)
    render(fig, tmp_path)


@pytest.mark.parametrize("width", [0, -1, math.nan, "6"])
def test_new_figure_rejects_bad_size(width):
    with pytest.raises(ValueError, match="width"):
        new_figure(width)


def test_drawing_changes_no_global_state(tmp_path):
    before = dict(matplotlib.rcParams)
    fig = draw_causal_graph(HIRING, highlight=UNFAIR, intervened=["A"])
    render(fig, tmp_path)
    assert dict(matplotlib.rcParams) == before


# ------------------------------------------------------------------ layered_positions
def test_layered_positions_known_layers():
    pos = layered_positions(HIRING)
    assert pos == {"A": (0.0, 0.0), "Q": (1.0, 0.5), "P": (1.0, -0.5), "Y": (2.0, 0.0)}


def test_layered_positions_longest_path_and_centring():
    # C is reached by A -> C (length 1) and A -> B -> C (length 2): the longest decides.
    pos = layered_positions([("A", "C"), ("A", "B"), ("B", "C"), ("D", "C")])
    assert {n: x for n, (x, _) in pos.items()} == {"A": 0, "C": 2, "B": 1, "D": 0}
    assert pos["A"][1] == 0.5 and pos["D"][1] == -0.5  # first appearance on top, centred on 0


def test_layered_positions_is_deterministic_and_follows_node_order():
    first = layered_positions(HIRING, nodes=["P", "Q"])
    second = layered_positions(list(HIRING), nodes=("P", "Q"))
    assert first == second
    assert list(first) == list(second) == ["P", "Q", "A", "Y"]
    assert first["P"][1] > first["Q"][1]  # P was listed first, so it is on top


def test_layered_positions_isolated_nodes_and_duplicates():
    pos = layered_positions([("A", "B"), ("A", "B")], nodes=["Z"])
    assert pos == {"Z": (0.0, 0.5), "A": (0.0, -0.5), "B": (1.0, 0.0)}


def longest_path_layers(edges: list[tuple[str, str]]) -> dict[str, int]:
    """Layer by definition: the length of the longest directed path from a root (plain recursion)."""
    parents: dict[str, list[str]] = {}
    for cause, effect in edges:
        parents.setdefault(cause, [])
        parents.setdefault(effect, []).append(cause)

    def depth(node: str) -> int:
        return max((depth(p) + 1 for p in parents[node]), default=0)

    return {node: depth(node) for node in parents}


def test_layered_positions_layers_are_longest_paths_from_a_root():
    rng = random.Random(0)
    for _ in range(50):
        n = rng.randint(2, 12)
        names = [f"v{i}" for i in rng.sample(range(n), n)]  # a hidden topological order
        edges = [(names[i], names[j]) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.3]
        rng.shuffle(edges)
        pos = layered_positions(edges)
        assert {node: x for node, (x, _) in pos.items()} == longest_path_layers(edges)
        for layer in {x for x, _ in pos.values()}:
            ys = [y for x, y in pos.values() if x == layer]  # in order of first appearance
            assert ys == sorted(ys, reverse=True) and sum(ys) == 0  # top to bottom, centred on 0
            assert all(a - b == 1 for a, b in itertools.pairwise(ys))


def test_layered_positions_long_chain():
    # Thousands of layers: no recursion limit on the way.
    chain = [(f"n{i}", f"n{i + 1}") for i in range(3000)]
    pos = layered_positions(chain)
    assert pos["n0"] == (0.0, 0.0) and pos["n3000"] == (3000.0, 0.0)
    assert all(pos[f"n{i}"][0] == i for i in range(3001))


@pytest.mark.parametrize(
    ("edges", "cycle"),
    [
        ([("A", "B"), ("B", "C"), ("C", "A")], "'A': A → B → C → A"),
        ([("X", "B"), ("B", "C"), ("C", "B")], "'B': B → C → B"),
        ([("A", "A")], "'A': A → A"),
        ([("R", "S"), ("S", "T"), ("T", "U"), ("U", "S"), ("R", "U")], "'S': S → T → U → S"),
    ],
)
def test_cycle_error_names_the_nodes_on_the_cycle(edges, cycle):
    message = f"the graph has a cycle through {cycle}; a causal graph must be acyclic"
    for function in (layered_positions, describe_causal_graph, draw_causal_graph):
        with pytest.raises(ValueError, match=re.escape(message)):
            function(edges)


@pytest.mark.parametrize("bad", [[("A", "B", "C")], ["AB"], [("A", 1)]])
def test_layered_positions_rejects_malformed_edges(bad):
    with pytest.raises(ValueError, match="edges"):
        layered_positions(bad)


# ------------------------------------------------------------------ draw_causal_graph
def test_draw_returns_white_figure_with_one_circle_per_node_and_one_arrow_per_edge(tmp_path):
    fig = draw_causal_graph(NOISE + HIRING, exogenous=EXOGENOUS, nodes=["A", "Q", "P", "Y"])
    assert isinstance(fig, Figure)
    assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
    assert set(circles(fig)) == {"A", "Q", "P", "Y", *EXOGENOUS}
    assert set(arrows(fig)) == set(NOISE + HIRING)
    render(fig, tmp_path)


def test_intervened_node_loses_its_incoming_arrows(tmp_path):
    fig = draw_causal_graph(NOISE + HIRING, intervened=["P"], exogenous=EXOGENOUS)
    assert len(circles(fig)) == 8
    assert set(arrows(fig)) == set(NOISE + HIRING) - {("U_P", "P"), ("A", "P")}
    circle = circles(fig)["P"]
    assert circle.get_facecolor() == to_rgba(PALETTE["intervened"])
    assert circle.get_path_effects()  # the double outline
    render(fig, tmp_path)


def test_highlighted_arrow_into_intervened_node_is_kept(tmp_path):
    fig = draw_causal_graph(NOISE + HIRING, intervened=["P"], highlight=[("A", "P")], exogenous=EXOGENOUS)
    assert set(arrows(fig)) == set(NOISE + HIRING) - {("U_P", "P")}
    render(fig, tmp_path)


def test_highlight_and_allowed_colours_apply_to_exactly_those_arrows(tmp_path):
    fig = draw_causal_graph(HIRING, highlight=UNFAIR, allowed=FAIR)
    drawn = arrows(fig)
    for edge, arrow in drawn.items():
        colour = arrow.get_edgecolor()
        if edge in UNFAIR:
            assert colour == to_rgba(PALETTE["highlight"]), edge
        elif edge in FAIR:
            assert colour == to_rgba(PALETTE["allowed"]), edge
        assert arrow.get_linewidth() > 2
    highlighted = {e for e, a in drawn.items() if a.get_edgecolor() == to_rgba(PALETTE["highlight"])}
    assert highlighted == set(UNFAIR)
    render(fig, tmp_path)


def test_ordinary_arrows_are_dark_grey(tmp_path):
    fig = draw_causal_graph(HIRING, highlight=[("A", "P")])
    for edge, arrow in arrows(fig).items():
        if edge != ("A", "P"):
            assert arrow.get_edgecolor() == to_rgba(PALETTE["edge"])
    render(fig, tmp_path)


def test_exogenous_nodes_are_smaller_dashed_and_light(tmp_path):
    fig = draw_causal_graph(NOISE + HIRING, exogenous=EXOGENOUS)
    found = circles(fig)
    assert found["U_A"].get_radius() < found["A"].get_radius()
    assert found["U_A"].get_linestyle() != "solid"
    assert found["A"].get_linestyle() == "solid"
    assert found["U_A"].get_facecolor() == to_rgba(PALETTE["exogenous"])
    assert found["A"].get_facecolor() == to_rgba(PALETTE["node"])
    # Each noise node sits next to its own child, not in a far-away first layer.
    for noise, child in NOISE:
        assert math.dist(found[noise].center, found[child].center) < 1.2
    render(fig, tmp_path)


def test_legend_lists_only_the_categories_used(tmp_path):
    def legend_texts(fig: Figure) -> list[str]:
        legend = fig.axes[0].get_legend()
        return [] if legend is None else [t.get_text() for t in legend.get_texts()]

    assert legend_texts(draw_causal_graph(HIRING)) == []
    assert legend_texts(draw_causal_graph(HIRING, highlight=UNFAIR)) == ["highlighted (unfair) path"]
    fig = draw_causal_graph(HIRING, highlight=UNFAIR, allowed=FAIR, intervened=["A"])
    assert legend_texts(fig) == ["highlighted (unfair) path", "allowed path", "intervened: do(·)"]
    render(fig, tmp_path)
    # An allowed arrow cut by the intervention is not drawn, so it gets no legend entry.
    assert legend_texts(draw_causal_graph(HIRING, allowed=[("A", "Q")], intervened=["Q"])) == [
        "intervened: do(·)"
    ]


@pytest.mark.parametrize("intervened", ["A", "P"])
def test_arrowheads_touch_the_circle_borders(tmp_path, intervened):
    # With do(P), the highlighted A -> P is kept: it must end on P's double ring.
    fig = draw_causal_graph(NOISE + HIRING, highlight=UNFAIR, intervened=[intervened], exogenous=EXOGENOUS)
    render(fig, tmp_path)  # clipping to the circles happens at draw time
    ax = fig.axes[0]
    found = circles(fig)
    for (_, effect), arrow in arrows(fig).items():
        circle = found[effect]
        centre = ax.transData.transform(circle.center)
        edge_point = ax.transData.transform((circle.center[0] + circle.get_radius(), circle.center[1]))
        radius_px = edge_point[0] - centre[0]
        tip = min(
            (ax.transData.transform(v) for v in arrow.get_path().vertices),
            key=lambda v: math.dist(v, centre),
        )
        gap_pt = (math.dist(tip, centre) - radius_px) * 72 / fig.dpi
        # The tip vertex sits half a (mitred) line width behind the visible tip; beyond that,
        # it may only be a hair outside the circle's outline (or the intervened double ring).
        allowance = 2.0 + 1.5 * arrow.get_linewidth() + (3.0 if effect == intervened else 0.0)
        assert 0 <= gap_pt < allowance, (effect, gap_pt)


def test_arrow_through_a_node_is_curved_around_it(tmp_path):
    # A, B, C in a row: a straight A -> C would pass through B.
    fig = draw_causal_graph([("A", "B"), ("B", "C"), ("A", "C")], nodes=["A", "B", "C"])
    style = arrows(fig)[("A", "C")].get_connectionstyle()
    assert abs(style.rad) > 0
    assert arrows(fig)[("A", "B")].get_connectionstyle().rad == 0
    render(fig, tmp_path)


def test_labels_are_used_and_fit_their_circles(tmp_path):
    labels = {"U_A": "$U_A$", "A": "Age", "Y": "Outcome"}
    fig = draw_causal_graph([("U_A", "A"), ("A", "Y")], exogenous=["U_A"], labels=labels)
    render(fig, tmp_path)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    texts = {t.get_text(): t for t in ax.texts}
    assert set(texts) == {"$U_A$", "Age", "Outcome"}
    found = circles(fig)
    for name, label in labels.items():
        text = texts[label]
        assert text.get_color() == "black"
        circle = found[name]
        diameter_px = 2 * (
            ax.transData.transform((circle.get_radius(), 0))[0] - ax.transData.transform((0, 0))[0]
        )
        assert text.get_window_extent(renderer).width < diameter_px, label


def test_draws_into_a_given_axes_and_closes_nothing(tmp_path):
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3))
    returned = draw_causal_graph(HIRING, ax=right, title="Hiring")
    assert returned is fig
    assert plt.fignum_exists(fig.number)
    assert not left.patches and right.patches
    assert right.get_title() == "Hiring"
    assert len(plt.get_fignums()) == 1  # no extra figure was created
    render(fig, tmp_path)


def test_explicit_positions_are_used(tmp_path):
    positions = {"A": (0, 0), "Q": (2, 1), "P": (2, -1), "Y": (4, 0)}
    fig = draw_causal_graph(HIRING, positions=positions)
    assert {n: tuple(c.center) for n, c in circles(fig).items()} == {
        n: (float(x), float(y)) for n, (x, y) in positions.items()
    }
    render(fig, tmp_path)


def test_twin_network_is_legible_at_book_width(tmp_path):
    edges, nodes, exogenous = twin_network()
    fig = draw_causal_graph(
        edges, nodes=nodes, exogenous=exogenous, intervened=["A*"], highlight=[("A*", "P*")]
    )
    assert fig.get_figwidth() <= 8 and fig.get_figheight() <= 6
    found = circles(fig)
    assert len(found) == 12
    assert ("U_A", "A*") not in arrows(fig)
    # No two circles overlap or touch.
    items = list(found.values())
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            assert math.dist(a.center, b.center) > a.get_radius() + b.get_radius()
    render(fig, tmp_path)


def test_draw_is_deterministic(tmp_path):
    def picture() -> list:
        edges, nodes, exogenous = twin_network()
        fig = draw_causal_graph(edges, nodes=nodes, exogenous=exogenous, intervened=["A*"])
        result = [(p.get_gid(), tuple(p.center)) for p in circles(fig).values()]
        result += [(g, a.get_connectionstyle().rad) for g, a in arrows(fig).items()]
        render(fig, tmp_path)
        return result

    assert picture() == picture()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"highlight": [("A", "Z")]}, "'Z'"),
        ({"allowed": [("W", "Y")]}, "'W'"),
        ({"intervened": ["Z"]}, "'Z'"),
        ({"exogenous": ["U_Z"]}, "'U_Z'"),
        ({"positions": {"A": (0, 0), "Q": (1, 1), "P": (1, -1), "Y": (2, 0), "Z": (3, 0)}}, "'Z'"),
        ({"labels": {"Z": "z"}}, "'Z'"),
    ],
)
def test_unknown_names_raise_naming_them(kwargs, name):
    with pytest.raises(ValueError, match=name):
        draw_causal_graph(HIRING, **kwargs)


def test_bad_graph_arguments_raise():
    with pytest.raises(ValueError, match="Y → A is not an edge"):
        draw_causal_graph(HIRING, highlight=[("Y", "A")])
    with pytest.raises(ValueError, match="both highlighted and allowed"):
        draw_causal_graph(HIRING, highlight=[("A", "P")], allowed=[("A", "P")])
    with pytest.raises(ValueError, match="no position for node 'Y'"):
        draw_causal_graph(HIRING, positions={"A": (0, 0), "Q": (1, 1), "P": (1, -1)})
    with pytest.raises(ValueError, match="cycle through"):
        draw_causal_graph([*HIRING, ("Y", "A")])
    with pytest.raises(ValueError, match="nothing to draw"):
        draw_causal_graph([])


def test_single_isolated_node(tmp_path):
    fig = draw_causal_graph([], nodes=["A"], intervened="A")  # a bare string is one name
    assert set(circles(fig)) == {"A"}
    assert not arrows(fig)
    render(fig, tmp_path)


# ------------------------------------------------------------------ describe_causal_graph
def test_describe_hiring_graph():
    text = describe_causal_graph(HIRING, highlight=[("A", "P"), ("P", "Y")], intervened=["A"])
    assert text == (
        "Causal graph with 4 variables (A, Q, P, Y) and 5 arrows: A → Q, A → P, A → Y, Q → Y, P → Y. "
        "Highlighted (unfair) arrows: A → P, P → Y. Intervened variables: A."
    )


def test_describe_matches_what_is_drawn():
    text = describe_causal_graph(NOISE + HIRING, allowed=FAIR, intervened=["P"], exogenous=EXOGENOUS)
    assert text.startswith(
        "Causal graph with 4 variables (A, Q, P, Y), 4 exogenous noise variables (U_A, U_Q, U_P, U_Y) "
        "and 7 arrows: "
    )
    assert "Allowed arrows: A → Q, Q → Y." in text
    assert "Intervened variables: P." in text
    assert "cut and not drawn: U_P → P, A → P." in text
    assert text == describe_causal_graph(NOISE + HIRING, allowed=FAIR, intervened=["P"], exogenous=EXOGENOUS)


def test_describe_singular_forms():
    assert describe_causal_graph([("X", "Y")]) == "Causal graph with 2 variables (X, Y) and 1 arrow: X → Y."


def test_describe_rejects_unknown_names():
    with pytest.raises(ValueError, match="'Z'"):
        describe_causal_graph(HIRING, intervened=["Z"])
