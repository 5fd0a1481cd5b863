"""Notebook hygiene and the chapter template: what nbval cannot see."""

import itertools
import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
FILES = [c["file"] for part in TOC["parts"] for c in part["chapters"]]
NOTEBOOKS = [ROOT / f"{f}.ipynb" for f in FILES if (ROOT / f"{f}.ipynb").exists()]
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
TIMING = re.compile(r"Wall time|CPU times|\d+(\.\d+)? ?(ms|µs|s)/it|elapsed|it/s\]", re.IGNORECASE)


DATA_URI = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")


def outputs_text(output):
    """The output's text, with embedded PNG bytes removed (base64 can spell anything)."""
    if output.output_type == "stream":
        return output.text
    return DATA_URI.sub("<PNG>", json.dumps(output.get("data", {})))


def test_every_toc_entry_exists_and_chapters_are_notebooks():
    for f in FILES:
        assert (ROOT / f"{f}.ipynb").exists() or (ROOT / f"{f}.md").exists(), f
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executed_in_order_with_clean_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "re-run `make notebooks`"
    assert "widgets" not in nb.metadata, "widget state must not be stored (random ids, image bytes)"
    for cell in code:
        assert "execution" not in cell.metadata, "execution timestamps make every run differ"
        kinds = [o.get("name") if o.output_type == "stream" else None for o in cell.outputs]
        assert not any(a and a == b for a, b in itertools.pairwise(kinds)), (
            f"adjacent stream outputs in cell {cell.id}: execute with `make notebooks`"
        )
        for output in cell.outputs:
            assert output.output_type != "error", f"error output in cell {cell.id}"
            assert not (output.output_type == "stream" and output.name == "stderr"), (
                f"stderr output (a warning?) in cell {cell.id}: {output.text[:200]}"
            )
            text = outputs_text(output)
            assert not ADDRESS.search(text), f"memory address in cell {cell.id}"
            assert not TIMING.search(text), f"timing output in cell {cell.id}"
            data = output.get("data", {})
            assert "image/png" not in data, f"bare matplotlib figure without alt text in cell {cell.id}"
            assert "application/vnd.jupyter.widget-view+json" not in data, (
                f"stored widget view in cell {cell.id}: without its kernel JupyterLab shows 'model not found' "
                "instead of the static explorer (execute with `make notebooks`)"
            )


def explorer_outputs(path):
    """The stored static explorers of a notebook: (cell id, HTML)."""
    nb = nbformat.read(path, as_version=4)
    return [(cell.id, html) for cell in nb.cells for output in cell.get("outputs", [])
            if 'class="book-explorer"' in (html := output.get("data", {}).get("text/html", ""))]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_explorers_show_one_frame_before_the_notebook_runs(path):
    # What an unrun, untrusted notebook shows in JupyterLab: the sanitiser drops <style>, the inline
    # handler and bare `hidden` attributes, so the stored markup itself must show one frame, a note
    # naming the default setting, and no controls.
    explorers = explorer_outputs(path)
    assert explorers, "each chapter has an explorer"
    for cell_id, html in explorers:
        frames = re.findall(r'<figure class="bx-frame"[^>]*>', html)
        assert len(frames) >= 2, f"cell {cell_id}: an explorer with one frame"
        assert sum('hidden="hidden"' not in f for f in frames) == 1, f"cell {cell_id}: not exactly one visible frame"
        captions = re.findall(r'<figcaption class="bx-caption"[^>]*>([^<]+)</figcaption>', html)
        assert len(captions) == len(frames) == len(set(captions)), f"cell {cell_id}: every frame states its setting"
        assert re.search(r'<p class="bx-note" style="[^"]*">Static preview of the default setting \(', html), cell_id
        assert '<div class="bx-controls" style="display:none">' in html, f"cell {cell_id}: controls not hidden inline"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_image_has_meaningful_alt_text(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            for img in re.findall(r"<img [^>]*>", html):
                alt = re.search(r'alt="([^"]*)"', img)
                assert alt and len(alt.group(1)) > 20, f"image without meaningful alt text in cell {cell.id}"
                assert alt.group(1).lower() not in {"image", "figure", "plot"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_follows_the_template(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert text.lstrip().startswith("# "), "a chapter starts with its title"
    for needle in ("Learning objectives", "**Prerequisites:**", "**Estimated time:**", "## Summary",
                   "## Where this stops", "## Exercises", "Further reading"):
        assert needle in text, f"missing {needle!r}"
    exercises = re.findall(r"```\{exercise\}", text)
    solutions = re.findall(r"```\{solution\} (\S+)\n:class: dropdown", text)
    assert len(exercises) >= 3 and len(solutions) == len(exercises), "every exercise has a hidden solution"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert re.search(r"from book\.exercises import check_\w+", code), "at least one coding self-check"
    assert "{cite}" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_are_short(path):
    # The story is in the prose; logic longer than this belongs in book/ (CONTRIBUTING.md).
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 15, f"cell {cell.id} is long: move logic into book/"
