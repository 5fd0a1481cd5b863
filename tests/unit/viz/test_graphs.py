"""Tests for ``book.viz.graphs``: an SCM's graph and twin network as figures with generated alt text.

``show_scm`` and ``show_twin`` render and close their figure; a spy on
``book.viz.graphs.show`` keeps the Figure so its circles and arrows can be
inspected, while the real ``show`` still renders it.
"""

import re
import struct

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

import book.viz.graphs as graphs
from book.models import hiring, hospitals, loans, records, tutoring, umbrella
from book.models.hiring import ALLOWED as HIRING_ALLOWED
from book.models.hiring import UNFAIR as HIRING_UNFAIR
from book.models.umbrella import ALLOWED as UMBRELLA_ALLOWED
from book.models.umbrella import UNFAIR as UMBRELLA_UNFAIR
from book.viz.display import ShownFigure
from book.viz.graphs import show_scm, show_twin
from book.viz.palette import PALETTE

MODELS = {"tutoring": tutoring, "umbrella": umbrella, "hiring": hiring, "hospitals": hospitals, "loans": loans,
          "records": lambda: records(4)}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def drawn(monkeypatch) -> list[Figure]:
    """The figures ``show_scm``/``show_twin`` hand to ``show``, in call order."""
    figures: list[Figure] = []
    real_show = graphs.show

    def spy(fig, **kwargs):
        figures.append(fig)
        return real_show(fig, **kwargs)

    monkeypatch.setattr(graphs, "show", spy)
    return figures


def circles(fig: Figure) -> dict[str, Circle]:
    return {p.get_gid().removeprefix("node:"): p for p in fig.axes[0].patches if isinstance(p, Circle)}


def arrows(fig: Figure) -> dict[tuple[str, str], FancyArrowPatch]:
    found = {}
    for p in fig.axes[0].patches:
        if isinstance(p, FancyArrowPatch):
            cause, effect = p.get_gid().removeprefix("edge:").split("->")
            found[(cause, effect)] = p
    return found


def labels(fig: Figure) -> set[str]:
    return {t.get_text() for t in fig.axes[0].texts}


def legend(fig: Figure) -> list[str]:
    box = fig.axes[0].get_legend()
    return [] if box is None else [t.get_text() for t in box.get_texts()]


def alt_arrows(alt: str) -> set[tuple[str, str]]:
    """The arrows the alt text says are drawn (its first sentence)."""
    match = re.search(r"arrows?: (.*?)\.(?: |$)", alt)
    assert match, alt
    return {tuple(pair.split(" → ")) for pair in match.group(1).split(", ")}


def alt_variables(alt: str, kind: str = "variables") -> set[str]:
    """The names the alt text lists as ``kind`` ("variables" or "exogenous noise variables")."""
    match = re.search(rf"\d+ {kind} \(([^)]*)\)", alt)
    assert match, alt
    return set(match.group(1).split(", "))


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_MAGIC
    return struct.unpack(">II", png[16:24])


# ------------------------------------------------------------------ show_scm
def test_show_scm_draws_every_variable_and_edge_with_noise(drawn):
    model = tutoring()
    shown = show_scm(model, caption="The tutoring model.")
    assert isinstance(shown, ShownFigure)
    assert shown.png[:8] == PNG_MAGIC
    (fig,) = drawn
    assert set(circles(fig)) == set(model.variables)
    assert set(arrows(fig)) == set(model.edges(include_exogenous=True))
    assert {("U_M", "Motivated"), ("Motivated", "Tutored"), ("Tutored", "Pass")} <= set(arrows(fig))
    assert repr(shown) == "Figure: The tutoring model."
    assert plt.get_fignums() == []  # rendered and closed: Jupyter will not show it a second time


def test_exogenous_nodes_are_dashed_smaller_and_white(drawn):
    model = tutoring()
    show_scm(model)
    found = circles(drawn[0])
    for name in model.exogenous:
        assert found[name].get_linestyle() != "solid", name
        assert found[name].get_facecolor() == to_rgba(PALETTE["exogenous"]), name
    for name in model.endogenous:
        assert found[name].get_linestyle() == "solid", name
        assert found[name].get_facecolor() == to_rgba(PALETTE["node"]), name
    assert max(found[n].get_radius() for n in model.exogenous) < min(found[n].get_radius() for n in model.endogenous)
    noise_arrows = {e: a for e, a in arrows(drawn[0]).items() if e[0] in model.exogenous}
    assert noise_arrows and all(a.get_linestyle() != "solid" for a in noise_arrows.values())


def test_noise_names_are_drawn_as_subscripts(drawn):
    show_scm(tutoring())
    assert labels(drawn[0]) == {"Motivated", "Tutored", "Pass", "$U_{M}$", "$U_{T}$", "$U_{P}$"}
    show_scm(records(1))
    assert {"$U_{N1_0}$", "$U_{N1_1}$", "N1", "Y"} <= labels(drawn[1])  # split at the first underscore only


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("exogenous", [True, False])
def test_every_variable_and_arrow_is_drawn_and_named_in_the_alt_text(drawn, name, exogenous):
    model = MODELS[name]()
    shown = show_scm(model, exogenous=exogenous)
    found = circles(drawn[0])
    assert set(found) == set(model.variables if exogenous else model.endogenous)
    dashed = {n for n, c in found.items() if c.get_linestyle() != "solid"}
    assert dashed == (set(model.exogenous) if exogenous else set())
    assert shown.alt.startswith(f"Causal graph with {len(model.endogenous)} variables (")
    assert alt_variables(shown.alt) == set(model.endogenous)
    if exogenous:
        assert alt_variables(shown.alt, "exogenous noise variables") == set(model.exogenous)
    else:
        assert "exogenous" not in shown.alt and not any(n in shown.alt for n in model.exogenous)
    edges = model.edges(include_exogenous=exogenous)
    assert f"{len(edges)} arrows" in shown.alt
    assert alt_arrows(shown.alt) == set(edges) == set(arrows(drawn[0]))


def test_highlight_and_allowed_colour_exactly_those_arrows(drawn):
    model = umbrella()
    shown = show_scm(model, exogenous=False, allowed=list(UMBRELLA_ALLOWED), highlight=list(UMBRELLA_UNFAIR))
    for edge, arrow in arrows(drawn[0]).items():
        if edge in UMBRELLA_UNFAIR:
            expected = PALETTE["highlight"]
        elif edge in UMBRELLA_ALLOWED:
            expected = PALETTE["allowed"]
        else:
            expected = PALETTE["edge"]
        assert arrow.get_edgecolor() == to_rgba(expected), edge
    assert legend(drawn[0]) == ["highlighted (unfair) path", "allowed path"]
    assert "Highlighted (unfair) arrows: A → P, A → Y." in shown.alt
    assert "Allowed arrows: A → C." in shown.alt


def test_hiring_figure_of_chapter_three(drawn):
    shown = show_scm(hiring(), exogenous=False, allowed=list(HIRING_ALLOWED), highlight=list(HIRING_UNFAIR))
    found = arrows(drawn[0])
    assert {e for e, a in found.items() if a.get_edgecolor() == to_rgba(PALETTE["highlight"])} == set(HIRING_UNFAIR)
    assert {e for e, a in found.items() if a.get_edgecolor() == to_rgba(PALETTE["allowed"])} == set(HIRING_ALLOWED)
    assert "Allowed arrows: A → Q." in shown.alt


def test_no_highlight_means_no_legend_and_grey_arrows(drawn):
    show_scm(hiring(), exogenous=False)
    assert legend(drawn[0]) == []
    assert {a.get_edgecolor() for a in arrows(drawn[0]).values()} == {to_rgba(PALETTE["edge"])}


def test_intervened_node_is_orange_double_ringed_and_its_arrows_are_cut(drawn):
    model = tutoring()
    shown = show_scm(model, intervened=["Tutored"])
    fig = drawn[0]
    found = circles(fig)
    assert found["Tutored"].get_facecolor() == to_rgba(PALETTE["intervened"])
    assert found["Tutored"].get_path_effects()  # the double outline: do() does not rely on colour alone
    assert not found["Pass"].get_path_effects()
    cut = {e for e in model.edges(include_exogenous=True) if e[1] == "Tutored"}
    assert cut == {("U_T", "Tutored"), ("Motivated", "Tutored")}
    assert set(arrows(fig)) == set(model.edges(include_exogenous=True)) - cut
    assert "Tutored" in circles(fig)  # the node stays; only its mechanism is replaced
    assert legend(fig) == ["intervened: do(·)"]
    assert "Intervened variables: Tutored." in shown.alt
    assert "Arrows into intervened variables are cut and not drawn: U_T → Tutored, Motivated → Tutored." in shown.alt
    assert alt_arrows(shown.alt) == set(arrows(fig))


def test_width_rescales_the_figure_keeping_its_shape(drawn):
    model = hiring()
    default = show_scm(model, exogenous=False)
    narrow = show_scm(model, exogenous=False, width=4.0)
    (w0, h0), (w1, h1) = drawn[0].get_size_inches(), drawn[1].get_size_inches()
    assert w1 == pytest.approx(4.0)
    assert h1 / w1 == pytest.approx(h0 / w0)
    assert png_size(narrow.png) == (400, int(h1 * 100))  # rendered at 100 dpi
    assert png_size(default.png) == (int(w0 * 100), int(h0 * 100))


def test_show_scm_is_deterministic():
    first = show_scm(umbrella(), exogenous=False, allowed=list(UMBRELLA_ALLOWED), highlight=list(UMBRELLA_UNFAIR))
    second = show_scm(umbrella(), exogenous=False, allowed=list(UMBRELLA_ALLOWED), highlight=list(UMBRELLA_UNFAIR))
    assert first.png == second.png
    assert first.alt == second.alt


def test_caption_and_alt_reach_the_html(drawn):
    shown = show_scm(tutoring(), caption="Noise is dashed & arrows point from cause to effect.")
    page = shown._repr_html_()
    assert "Noise is dashed &amp; arrows point from cause to effect.</figcaption>" in page
    assert 'alt="Causal graph with 3 variables (Motivated, Tutored, Pass)' in page


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"highlight": [("A", "Nope")]}, "highlight: unknown node 'Nope'"),
        ({"allowed": [("Nope", "Y")]}, "allowed: unknown node 'Nope'"),
        ({"highlight": [("Y", "A")]}, "highlight: Y → A is not an edge of the graph"),
        ({"intervened": ["Nope"]}, "intervened: unknown node 'Nope'"),
        ({"highlight": [("A", "P")], "allowed": [("A", "P")]}, "edge A → P is both highlighted and allowed"),
        # Without noise nodes, a noise edge is unknown too.
        ({"exogenous": False, "highlight": [("U_A", "A")]}, "highlight: unknown node 'U_A'"),
        ({"exogenous": False, "intervened": ["U_A"]}, "intervened: unknown node 'U_A'"),
        ({"intervened": ["U_A"]}, "node 'U_A' is both intervened and exogenous"),
    ],
)
def test_bad_input_raises_naming_it(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        show_scm(hiring(), **kwargs)
    assert plt.get_fignums() == []  # nothing half-drawn left open


# ------------------------------------------------------------------ show_twin
def test_twin_network_of_tutoring(drawn):
    model = tutoring()
    shown = show_twin(model, {"Tutored": 0}, caption="Twin network.")
    fig = drawn[0]
    found = circles(fig)
    twin = model.twin_network({"Tutored": 0})
    assert set(found) == set(twin.nodes())
    starred = {n for n in found if n.endswith("*")}
    # Only what do(Tutored) can reach gets a counterfactual copy; Motivated is shared by both worlds.
    assert starred == {"Tutored*", "Pass*"}
    assert set(model.variables) <= set(found)
    assert {"Tutored*", "Pass*"} <= labels(fig)
    # The starred copy of the intervened variable is the one set by do(): orange, double ring.
    assert found["Tutored*"].get_facecolor() == to_rgba(PALETTE["intervened"])
    assert found["Tutored*"].get_path_effects()
    assert found["Tutored"].get_facecolor() == to_rgba(PALETTE["node"])
    assert not any(effect == "Tutored*" for _, effect in arrows(fig))
    assert set(arrows(fig)) == {tuple(e) for e in twin.edges()}
    # Both worlds share the noise: U_P points into Pass and into Pass*.
    assert {("U_P", "Pass"), ("U_P", "Pass*")} <= set(arrows(fig))
    for noise in model.exogenous:
        assert found[noise].get_linestyle() != "solid"
    assert "Intervened variables: Tutored*." in shown.alt
    assert "3 exogenous noise variables (U_M, U_T, U_P)" in shown.alt
    assert alt_arrows(shown.alt) == set(arrows(fig))
    assert repr(shown) == "Figure: Twin network."


def test_twin_network_of_hiring_copies_every_descendant(drawn):
    model = hiring()
    shown = show_twin(model, {"A": 1})
    found = circles(drawn[0])
    assert {n for n in found if n.endswith("*")} == {f"{v}*" for v in model.endogenous}
    assert found["A*"].get_facecolor() == to_rgba(PALETTE["intervened"])
    assert ("U_A", "A*") not in arrows(drawn[0])
    for variable in model.endogenous:
        assert f"{variable}*" in shown.alt
    assert drawn[0].get_figwidth() <= 8 and drawn[0].get_figheight() <= 6  # fits the page


def test_twin_network_with_an_unknown_variable_raises_naming_it():
    with pytest.raises(ValueError, match="'Nope'"):
        show_twin(tutoring(), {"Nope": 0})


def test_a_noise_variable_without_arrows_is_drawn_and_named():
    # The analyst's wrong loan model drops X1 -> D, so D's own noise U_D feeds nothing.
    shown = show_scm(loans(missing_edge=("X1", "D")))
    assert "U_D" in shown.alt
    assert "X1 → D" not in shown.alt
