"""The built book in a real browser, offline: every page, every explorer, every image.

Runs after `jupyter-book build` (make test builds first). Serves _build/html on 127.0.0.1,
drives Debian's chromium through Playwright with every request outside 127.0.0.1 blocked
(as for a reader with no network), and saves screenshots (light, dark, phone) of each page
under _build/screenshots/ for humans to look at.
"""

from __future__ import annotations

import html.parser
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
FILES = [TOC["root"]] + [c["file"] for part in TOC["parts"] for c in part["chapters"]]
PAGES = [f"{f}.html" for f in FILES]
NOTEBOOK_PAGES = [f"{f}.html" for f in FILES if (ROOT / f"{f}.ipynb").exists()]
PAGE_BUDGET = 2 * 1024 * 1024
GENERIC_ALT = {"", "image", "figure", "plot", "chart", "graph", "picture", "png"}
VISIBLE_FRAMES = "els => els.filter(e => e.offsetHeight > 0).length"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]



class Visit:
    """A page opened offline, with its failed requests and page errors recorded."""

    def __init__(self, browser, site: str, path: str, *, width: int = 1280, scheme: str = "light") -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        self.context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), self._block)
        self.page = self.context.new_page()
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(urljoin(site, path), wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _block(self, route) -> None:
        self.failed.append(route.request.url)  # a reader without network would wait for this
        route.abort()

    def __enter__(self) -> Visit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_without_errors(browser, site, path):
    with Visit(browser, site, path) as visit:
        assert visit.failed == [], f"requests that need the network or fail: {visit.failed}"
        assert visit.errors == [], f"JavaScript errors: {visit.errors}"
        assert visit.page.locator("main h1").count() >= 1


def test_math_renders_offline(browser, site):
    with Visit(browser, site, "chapters/01_seeing_doing_imagining.html") as visit:
        visit.page.wait_for_selector("mjx-container", timeout=15000)
        rendered = visit.page.locator("mjx-container").count()
        raw = visit.page.evaluate("document.querySelector('main').innerText.includes('\\\\begin{aligned}')")
        assert rendered > 10 and not raw, f"{rendered} rendered formulas; raw TeX left: {raw}"


@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_every_static_explorer_responds(browser, site, path):
    with Visit(browser, site, path) as visit:
        explorers = visit.page.locator(".book-explorer")
        assert explorers.count() >= 1, "each chapter has an explorer"
        for i in range(explorers.count()):
            box = explorers.nth(i)
            shown = box.locator(".bx-frame:not([hidden])")
            # The explorer's stylesheet applies in the book: controls shown, the unrun-notebook note hidden.
            assert box.locator(".bx-controls").is_visible()
            assert not box.locator(".bx-note").is_visible()
            assert box.locator(".bx-frame").evaluate_all(VISIBLE_FRAMES) == 1
            sliders = box.locator("input[type=range]")
            for j in range(sliders.count()):
                slider = sliders.nth(j)
                label = box.locator("output").nth(j)
                # A screen reader announces the value shown ("0.3", "∞"), not the position ("3"), from the start.
                assert slider.get_attribute("aria-valuetext") == label.inner_text() != ""
                for target in ("0", slider.get_attribute("max")):
                    before_alt = shown.locator("img").get_attribute("alt")
                    before_caption = shown.locator("figcaption").inner_text()
                    before_label = label.inner_text()
                    if slider.input_value() == target:
                        continue
                    slider.fill(target)  # a real input event, as a reader's drag fires
                    assert shown.count() == 1
                    assert box.locator(".bx-frame").evaluate_all(VISIBLE_FRAMES) == 1
                    assert shown.locator("img").get_attribute("alt") != before_alt
                    assert label.inner_text() != before_label
                    assert slider.get_attribute("aria-valuetext") == label.inner_text()
                    caption = shown.locator("figcaption").inner_text()  # the frame states every setting
                    assert caption != before_caption
                    for k in range(sliders.count()):
                        name = box.locator("label").nth(k).inner_text()
                        assert f"{name}: {box.locator('output').nth(k).inner_text()}" in caption


@pytest.mark.parametrize("path", PAGES)
def test_every_image_has_meaningful_alt_text(browser, site, path):
    with Visit(browser, site, path) as visit:
        alts = visit.page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('alt'))")
        for alt in alts:  # every image, including the theme's (e.g. "Binder logo")
            assert alt is not None and alt.strip().lower().rstrip(".") not in GENERIC_ALT, alt
        figures = visit.page.eval_on_selector_all(
            "main .book-figure img, main .book-explorer img", "els => els.map(e => e.getAttribute('alt'))"
        )
        for alt in figures:  # the book's figures and explorer frames describe what they show
            assert len(alt) > 40, alt
            assert "<Figure" not in alt and "matplotlib" not in alt, alt


@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_dark_mode_keeps_figures_on_white(browser, site, path):
    with Visit(browser, site, path, scheme="dark") as visit:
        assert visit.page.evaluate("document.documentElement.dataset.theme") == "dark"
        styles = visit.page.eval_on_selector_all(
            "main .book-figure img, main .book-explorer .bx-frame:not([hidden]) img",
            "els => els.map(e => [getComputedStyle(e).filter, getComputedStyle(e).backgroundColor])",
        )
        assert styles, "no figures found"
        for filter_, background in styles:
            assert filter_ == "none", f"figure dimmed in dark mode: {filter_}"
            assert background == "rgb(255, 255, 255)", background
        captions = visit.page.eval_on_selector_all(
            "main .book-figure figcaption, main .book-explorer .bx-frame:not([hidden]) figcaption",
            "els => els.map(e => getComputedStyle(e).color)",
        )
        for colour in captions:  # dark text on the white card
            assert sum(int(c) for c in re.findall(r"\d+", colour)[:3]) < 3 * 128, colour
        SHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SHOTS / f"{Path(path).stem}-dark.png"), full_page=True)


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_has_no_horizontal_scrolling(browser, site, path):
    with Visit(browser, site, path, width=375) as visit:
        width = visit.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"page is {width}px wide at a 375px viewport"
        SHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SHOTS / f"{Path(path).stem}-phone.png"), full_page=True)
    with Visit(browser, site, path) as visit:  # the desktop screenshot, for humans to compare
        visit.page.screenshot(path=str(SHOTS / f"{Path(path).stem}-light.png"), full_page=True)


@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_launch_buttons_point_to_this_notebook(path):
    page = (HTML / path).read_text()
    repo = urlparse(CONFIG["repository"]["url"]).path.strip("/")
    branch = CONFIG["repository"]["branch"]
    notebook = path.replace(".html", ".ipynb")
    binder = f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{notebook}"
    colab = f"https://colab.research.google.com/github/{repo}/blob/{branch}/{notebook}"
    assert f'href="{binder}"' in page
    assert f'href="{colab}"' in page
    assert (ROOT / notebook).exists()


class Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(errors="ignore"))
    return parser


def test_no_broken_internal_links():
    broken = []
    # The book's pages; _static/ holds the themes' Jinja templates (copied verbatim), not pages.
    pages = sorted(p for p in HTML.rglob("*.html") if p.relative_to(HTML).parts[0] not in {"_static", "_sources"})
    assert pages
    for page in pages:
        for link in parse(page).links:
            url = urlparse(link)
            if url.scheme or link.startswith(("//", "mailto:", "data:", "javascript:")):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(HTML)} -> {link}")
            elif url.fragment and target.suffix == ".html" and url.fragment not in parse(target).ids:
                broken.append(f"{page.relative_to(HTML)} -> {link} (no such anchor)")
    assert broken == []


@pytest.mark.parametrize("path", PAGES)
def test_page_weight_within_budget(path):
    size = (HTML / path).stat().st_size
    assert size <= PAGE_BUDGET, f"{path} is {size / 1024:.0f} KB (budget 2048 KB)"


@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_every_chapter_offers_its_notebook_for_download(path):
    page = (HTML / path).read_text()
    name = Path(path).stem
    assert f'href="../_sources/chapters/{name}.ipynb"' in page
    served = HTML / "_sources" / "chapters" / f"{name}.ipynb"
    assert served.read_bytes() == (ROOT / "chapters" / f"{name}.ipynb").read_bytes(), "the executed notebook"
