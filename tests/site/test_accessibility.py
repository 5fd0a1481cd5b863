"""WCAG 2.1 AA in a real browser: axe-core on every page, light and dark, desktop and phone width.

axe-core is vendored from the npm registry by the Makefile (tests/site/_vendor/axe.min.js), so this
runs offline. A violation of any impact fails, with the rule, its impact and the first elements.
"""

from __future__ import annotations

import html.parser
from pathlib import Path

import pytest
from test_site import HTML, PAGES, Visit

AXE = Path(__file__).parent / "_vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = f"""axe.run(document, {{runOnly: {{type: 'tag', values: {TAGS}}}, resultTypes: ['violations']}})
  .then(r => r.violations.map(v =>
    [v.id, v.impact, v.nodes.length, v.nodes.slice(0, 3).map(n => n.target.join(' '))]))"""


def violations(visit: Visit) -> list:
    visit.page.add_script_tag(content=AXE.read_text())
    return visit.page.evaluate(RUN)


@pytest.fixture(scope="module", autouse=True)
def axe_is_vendored():
    assert AXE.exists(), "vendor axe-core first (make site does: npm install axe-core into tests/site/_vendor)"


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations_on_desktop_and_phone(browser, site, path, scheme, width):
    # Each width is a fresh load, as a phone opens the page (not a desktop page resized): the theme
    # lays out its navigation, and its script marks the scrollable boxes, for the width it loads at.
    with Visit(browser, site, path, scheme=scheme, width=width) as visit:
        assert visit.page.evaluate("document.documentElement.dataset.theme") == scheme
        found = violations(visit)
    assert found == []


class Head(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = self.title = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title and data.strip():
            self.title = data.strip()
            self._in_title = False


def test_root_redirect_has_a_title_and_a_language():
    # The browser follows its meta refresh at once, so axe would audit the target: check it here.
    head = Head()
    head.feed((HTML / "index.html").read_text())
    assert head.lang == "en" and head.title, (head.lang, head.title)


class Tables(html.parser.HTMLParser):
    """Each ``<table>`` of a page with the text of its ``<caption>`` ("" if it has none)."""

    def __init__(self) -> None:
        super().__init__()
        self.captions: list[str] = []
        self._open: list[int] = []  # indices into captions of the tables we are inside
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.captions.append("")
            self._open.append(len(self.captions) - 1)
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag == "table" and self._open:
            self._open.pop()
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption and self._open:
            self.captions[self._open[-1]] += data


@pytest.mark.parametrize("path", PAGES)
def test_every_table_has_a_caption(path):
    # WCAG 1.3.1: a table says what it holds. The chapters' pandas tables go through book.viz.table
    # (or book.Audit), markdown tables through MyST's {table} directive. No exclusions: neither the
    # theme nor the bibliography draws a <table> on any page of this book.
    tables = Tables()
    tables.feed((HTML / path).read_text())
    missing = [i for i, caption in enumerate(tables.captions) if not caption.strip()]
    assert not missing, f"{len(missing)} of {len(tables.captions)} tables have no caption (numbers {missing})"


# The smallest chart text the book draws: 8 pt (test_no_chart_text_below_8_points keeps it so)
# at the smallest figure resolution, 80 dpi, in PNG pixels; on screen it is this times the image's
# displayed width over its pixel width.
SMALLEST_TEXT_PX = 8 * 80 / 72
MEASURE = """els => els.filter(e => e.offsetParent !== null).map(e => {
  const card = e.closest('.cell_output > .output');
  return [e.closest('.book-explorer') ? 'explorer' : 'figure', e.getBoundingClientRect().width / e.naturalWidth,
          getComputedStyle(card).overflowX];
})"""


# Text that must be read without scrolling sideways at phone width: figure, explorer and table captions
# and the explorer's controls and heading. Each: [what, left, right, overflow inside it, white-space].
IN_VIEW = """els => els.filter(e => e.offsetParent !== null).map(e => {
  const r = e.getBoundingClientRect();
  return [e.tagName.toLowerCase() + '.' + e.className + ': ' + e.innerText.slice(0, 40), r.left, r.right,
          e.scrollWidth - e.clientWidth, getComputedStyle(e).whiteSpace];
})"""
READ_IN_PLACE = ", ".join(f"main {s}" for s in ("figcaption", "caption", ".book-explorer .bx-controls",
                                                  ".book-explorer h4", ".book-explorer p"))
CHAPTER_PAGES = [p for p in PAGES if p.startswith("chapters/0") or p.startswith("chapters/1")]


@pytest.mark.parametrize("path", CHAPTER_PAGES)
def test_chart_text_is_readable_at_phone_width(browser, site, path):
    with Visit(browser, site, path, width=375) as visit:
        shown = visit.page.eval_on_selector_all(
            "main .book-figure img, main .book-explorer .bx-frame:not([hidden]) img", MEASURE
        )
        in_view = visit.page.eval_on_selector_all(READ_IN_PLACE, IN_VIEW)
        viewport = visit.page.evaluate("document.documentElement.clientWidth")
        floating = visit.page.eval_on_selector_all(
            "#pst-back-to-top", "els => els.filter(e => e.offsetParent !== null).length"
        )
    for kind, scale, overflow in shown:
        assert SMALLEST_TEXT_PX * scale >= 8.8, f"{kind}: chart text {SMALLEST_TEXT_PX * scale:.1f} px"
        assert overflow == "auto", f"{kind}: its cell output must scroll sideways at phone width"
    assert floating == 0, "the back-to-top button floats over the text"
    assert in_view, "no caption found"
    for what, left, right, overflow, white_space in in_view:  # wraps inside the screen, no sideways scroll
        assert left >= 0 and right <= viewport, f"{what}: spans {left:.0f}-{right:.0f} px of {viewport} px"
        assert overflow <= 1 and white_space in ("normal", "pre-wrap", "pre-line"), f"{what}: does not wrap"


def test_no_chart_text_below_8_points():
    # The bound SMALLEST_TEXT_PX rests on: no font size below 8 pt and no figure below 80 dpi in book/.
    import re

    root = Path(__file__).resolve().parents[2] / "book"
    for source in root.rglob("*.py"):
        code = "\n".join(line for line in source.read_text().splitlines() if ">>>" not in line)  # not doctests
        for size in re.findall(r"(?:fontsize|labelsize)=([0-9.]+)", code):
            assert float(size) >= 8, f"{source.name}: font size {size} pt"
        for dpi in re.findall(r"\bdpi=([0-9]+)", code):
            assert int(dpi) >= 80, f"{source.name}: dpi {dpi}"
