"""A student's first hour in JupyterLab, in a real browser.

Each chapter with an explorer is opened **unrun**, as Binder and a fresh clone open it: the
notebook was executed elsewhere, so JupyterLab does not trust it and sanitises its HTML outputs.
Then every explorer must show exactly one visible frame and no control that pretends to work;
jupyterlab-myst must render the chapter's MyST (admonitions, exercises) and keep every solution
collapsed, with none of its text in view until the student opens it. Then the student runs all
cells: no cell may print an error, and moving an explorer's slider must change its image.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "_build" / "lab"  # screenshots, beside the timings conftest.py writes
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]
from student_edition import strip_notebook  # noqa: E402 (after the path is set)
from test_student_edition import solution_lines  # noqa: E402

CHAPTERS = sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb"))
RUN_ALL_TIMEOUT_MS = 180_000
SLIDER_TIMEOUT_MS = 10_000
VIEWPORT = {"width": 1280, "height": 900}
EXPLORER = re.compile(r"book-explorer")
SOLUTION_OPENING = re.compile(r"^\s*(`{3,}|:{3,})\{solution\}", re.M)
EXERCISE_OPENING = re.compile(r"^\s*(`{3,}|:{3,})\{exercise\}", re.M)

# JavaScript helpers, defined once per page.
HELPERS = r"""
() => {
  window.bookVisible = (el) => {
    // visible: rendered (not display:none, not hidden, not inside a closed <details>), with a size
    if (!el.isConnected || el.closest('[hidden]')) return false;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  window.bookText = (root, onlyVisible) => {
    // the text of root's text nodes (of the visible ones only, if asked), whitespace collapsed
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!onlyVisible || window.bookVisible(node.parentElement)) parts.push(node.textContent);
    }
    return parts.join('').replace(/\s+/g, ' ');
  };
}
"""


SMART = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def normal(text: str) -> str:
    """Text compared as a reader sees it: plain quotes (MyST typesets curly ones), spaces collapsed."""
    return " ".join(text.translate(SMART).split())


def plain(line: str) -> str:
    """The longest stretch of a Markdown line that renders as the same plain text (no markup, math)."""
    pieces = re.split(r"\$[^$]*\$|`[^`]*`|\{[a-z-]+\}|[*_\[\]()<>#|\\]", line)
    return max((normal(p) for p in pieces), key=len)


def solution_fragments(nb) -> list[str]:
    """Plain-text fragments (20 characters or more) found in the solutions and nowhere else."""
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    student = strip_notebook(nb)
    texts = [c.source for c in student.cells] + [
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
        for c in student.cells for o in c.get("outputs", [])]
    elsewhere = normal(" ".join(texts))
    fragments = {plain(line) for line in solution_lines(markdown)}
    return sorted(f for f in fragments if len(f) >= 20 and f not in elsewhere)


def exercise_fragments(nb) -> list[str]:
    """Plain-text fragments of the exercise statements: these must be in view."""
    fragments = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for match in EXERCISE_OPENING.finditer(cell.source):
            fence = match.group(1)
            body = cell.source[match.end():].split("\n" + fence, 1)[0]
            lines = [plain(ln) for ln in body.splitlines()[1:] if not ln.strip().startswith(":")]
            best = max(lines, key=len, default="")
            if len(best) >= 20:
                fragments.append(best)
    return fragments


class Notebook:
    """One chapter open in JupyterLab in a fresh browser context."""

    def __init__(self, browser, lab, name: str) -> None:
        self.name = name
        self.nb = nbformat.read(lab.root / "chapters" / name, as_version=4)
        self.context = browser.new_context(viewport=VIEWPORT)
        # as offline as a lecture hall: only the JupyterLab server answers
        self.context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        opened = time.perf_counter()
        self.page.goto(f"{lab.url}/lab/tree/chapters/{name}?reset", wait_until="domcontentloaded")
        self.panel = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        cells = len(self.nb.cells)
        self.page.wait_for_function(
            "n => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').length === n",
            arg=cells, timeout=60_000)
        self.cells_shown = time.perf_counter() - opened
        self.page.evaluate(HELPERS)
        self.wait_idle()
        self.kernel_idle = time.perf_counter() - opened
        self.page.wait_for_load_state("networkidle")
        self.wait_settled()

    def wait_settled(self, quiet: float = 1.0, timeout: float = 30.0) -> None:
        """Wait until the notebook's rendered text stops changing (MyST and MathJax render late)."""
        started, last, since = time.perf_counter(), None, time.perf_counter()
        while time.perf_counter() - since < quiet:
            text = self.text(only_visible=True)
            if text != last:
                last, since = text, time.perf_counter()
            assert time.perf_counter() - started < timeout, f"{self.name}: the page never settled"
            time.sleep(0.2)

    def wait_idle(self, timeout: int = 60_000) -> None:
        self.page.wait_for_selector(
            ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']",
            timeout=timeout)

    def shot(self, suffix: str) -> None:
        OUT.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(OUT / f"{Path(self.name).stem}_{suffix}.png"))

    def explorer_outputs(self):
        """Output areas that show an explorer, static (book-explorer) or live (an HTML widget holding the frame)."""
        return self.panel.locator(
            ".jp-OutputArea-output:has(.book-explorer), .jp-OutputArea-output:has(.widget-html .bx-frame)")

    def visible_images(self, output) -> int:
        return output.evaluate("o => [...o.querySelectorAll('img')].filter(window.bookVisible).length")

    def text(self, only_visible: bool) -> str:
        return normal(self.page.evaluate(
            "v => window.bookText(document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook'), v)",
            only_visible))

    def close(self) -> None:
        self.context.close()


def explorer_cells(nb) -> int:
    return sum(1 for c in nb.cells for o in c.get("outputs", [])
               if EXPLORER.search(str(o.get("data", {}).get("text/html", ""))))


EXPLORER_CHAPTERS = [name for name in CHAPTERS
                     if explorer_cells(nbformat.read(ROOT / "chapters" / name, as_version=4))]


def test_the_chapters_under_test_include_chapters_1_and_3():
    assert {"01_seeing_doing_imagining.ipynb", "03_fairness_accuracy.ipynb"} <= set(EXPLORER_CHAPTERS)


@pytest.mark.parametrize("name", EXPLORER_CHAPTERS)
def test_a_student_opens_runs_and_explores(browser, lab, timings, name):
    notebook = Notebook(browser, lab, name)
    try:
        timings.add("open an unrun notebook: every cell shown", notebook.cells_shown)
        timings.add("open an unrun notebook: kernel started and idle", notebook.kernel_idle)
        check_unrun(notebook)
        check_run_all(notebook, timings)
        check_slider(notebook, timings)
        assert notebook.errors == [], f"{name}: errors in the page: {notebook.errors}"
    finally:
        notebook.close()
        lab.shut_down_kernels()


def check_unrun(notebook: Notebook) -> None:
    name = notebook.name
    # MyST is rendered: no directive or role syntax in view, admonitions and exercises rendered
    visible = notebook.text(only_visible=True)
    for raw in ("{exercise}", "{solution}", "{tip}", ":class: dropdown", "{term}", "{cite}"):
        assert raw not in visible, f"{name}: raw MyST {raw!r} in view (is jupyterlab-myst installed?)"
    for fragment in exercise_fragments(notebook.nb):
        assert fragment in visible, f"{name}: exercise text not in view: {fragment!r}"

    # every solution is rendered, collapsed, and none of its text is in view
    n_solutions = sum(len(SOLUTION_OPENING.findall(c.source)) for c in notebook.nb.cells
                      if c.cell_type == "markdown")
    summaries = notebook.panel.locator(".jp-MarkdownCell details:has(> summary)")
    assert n_solutions >= 3 and summaries.count() == n_solutions, (
        f"{name}: {summaries.count()} collapsible blocks for {n_solutions} solutions")
    assert summaries.evaluate_all("ds => ds.filter(d => d.open).length") == 0, f"{name}: a solution is open"
    everything = notebook.text(only_visible=False)
    fragments = solution_fragments(notebook.nb)
    assert fragments, f"{name}: no solution text found to check"
    for fragment in fragments:
        assert fragment in everything, f"{name}: solution text not rendered at all: {fragment!r}"
        assert fragment not in visible, f"{name}: solution text in plain view: {fragment!r}"
    # and opening one (a click on its summary) shows it: the check above can see solution text
    first = summaries.first
    first.locator("> summary").click()
    assert first.evaluate("d => d.open")
    shown = notebook.text(only_visible=True)
    assert any(f in shown for f in fragments), f"{name}: an opened solution shows none of its text"
    first.locator("> summary").click()

    # each explorer: exactly one visible frame, a note, no visible control
    outputs = notebook.explorer_outputs()
    assert outputs.count() == explorer_cells(notebook.nb), f"{name}: not every explorer was found"
    for k in range(outputs.count()):
        output = outputs.nth(k)
        output.scroll_into_view_if_needed()
        frames = notebook.visible_images(output)
        assert frames == 1, f"{name}: explorer {k} shows {frames} frames"
        note = output.locator(".bx-note")
        assert note.count() == 1 and note.is_visible() and note.inner_text().strip(), (
            f"{name}: explorer {k} has no visible note saying how to make it live")
        controls = output.evaluate(
            "o => [...o.querySelectorAll('input, select, button, .bx-controls')].filter(window.bookVisible).length")
        assert controls == 0, f"{name}: explorer {k} shows {controls} controls that cannot work unrun"
        if k == 0:
            notebook.shot("unrun_explorer")
    notebook.panel.locator(".jp-Cell").first.scroll_into_view_if_needed()
    notebook.shot("unrun_top")


def check_run_all(notebook: Notebook, timings) -> None:
    name, page = notebook.name, notebook.page
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    started = time.perf_counter()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    # the stored prompts already read [n]: Run All queues every cell ([*]) at once; done when none is left
    prompts = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt"
    page.wait_for_function(
        "s => [...document.querySelectorAll(s)].some(p => p.textContent.includes('*'))", arg=prompts)
    page.wait_for_function(
        "s => ![...document.querySelectorAll(s)].some(p => p.textContent.includes('*'))",
        arg=prompts, timeout=RUN_ALL_TIMEOUT_MS, polling=100)
    notebook.wait_idle()
    timings.add(f"Run All, {Path(name).stem}", time.perf_counter() - started)
    errors = notebook.panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, f"{name}: error output after Run All:\n" + "\n".join(errors.all_inner_texts())
    unrun = page.evaluate(
        "s => [...document.querySelectorAll(s)].filter(p => !/^\\[\\d+\\]:$/.test(p.textContent.trim())).length",
        prompts)
    assert unrun == 0, f"{name}: {unrun} cells did not run"
    assert "Error displaying widget" not in notebook.text(only_visible=True), f"{name}: a widget failed to display"


def image_source(output) -> str:
    return output.evaluate("o => [...o.querySelectorAll('img')].filter(window.bookVisible).map(i => i.src).join()")


def check_slider(notebook: Notebook, timings) -> None:
    name, page = notebook.name, notebook.page
    outputs = notebook.panel.locator(".jp-OutputArea-output:has(.widget-html .bx-frame)")
    assert outputs.count() == explorer_cells(notebook.nb), f"{name}: not every explorer became a live widget"
    for k in range(outputs.count()):
        output = outputs.nth(k)
        output.scroll_into_view_if_needed()
        images = notebook.visible_images(output)
        assert images == 1, f"{name}: live explorer {k} shows {images} images"
        handles = output.locator(".noUi-handle")
        assert handles.count() >= 1, f"{name}: live explorer {k} has no slider"
        if k == 0:
            notebook.shot("run_explorer")
        for j in range(handles.count()):
            handle = handles.nth(j)
            now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
            forth, back = ("ArrowRight", "ArrowLeft") if now < top else ("ArrowLeft", "ArrowRight")
            for key in (forth, back):  # one step and back: each must show a new image
                before = image_source(output)
                handle.focus()
                page.evaluate("() => { window.bookT0 = performance.now(); }")
                page.keyboard.press(key)
                page.wait_for_function(
                    """([o, b]) => {
                      const s = [...o.querySelectorAll('img')].filter(window.bookVisible).map(i => i.src).join();
                      if (s && s !== b) { window.bookT1 = performance.now(); return true; }
                      return false;
                    }""", arg=[output.element_handle(), before], timeout=SLIDER_TIMEOUT_MS, polling="raf")
                timings.add("slider step to new image in JupyterLab",
                            page.evaluate("() => (window.bookT1 - window.bookT0) / 1000"))
                assert notebook.visible_images(output) == 1
                if k == j == 0 and key == forth:
                    notebook.shot("run_explorer_moved")
