"""Configuration promises: pins, Binder files, launch buttons, static explorers, one repository URL."""

import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())


def requirement_lines(name):
    lines = (ROOT / name).read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def test_every_direct_dependency_is_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in requirement_lines(name):
            if line.startswith(("-e", "-r")):
                continue
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*", line), f"{name}: {line!r} is not pinned"
    assert "-e ." in requirement_lines("requirements.txt"), "Binder must be able to `import book`"
    assert re.search(r"^jupyter-book==1\.", (ROOT / "requirements-dev.txt").read_text(), re.M)


def test_binder_files():
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"
    assert not (ROOT / "binder").exists(), "a binder/ folder makes Binder ignore the root files"


def test_book_renders_stored_outputs_and_static_explorers():
    assert CONFIG["execute"]["execute_notebooks"] == "off"
    sphinx = CONFIG["sphinx"]["config"]
    assert sphinx["nb_ipywidgets_js"] == {}
    overrides = {(b, m): p for b, m, p in sphinx["nb_mime_priority_overrides"]}
    assert overrides[("html", "text/html")] == 0
    assert overrides[("html", "application/vnd.jupyter.widget-view+json")] is None
    assert "sphinx_exercise" in CONFIG["sphinx"]["extra_extensions"]
    assert CONFIG["bibtex_bibfiles"] == ["references.bib"]


def test_launch_buttons_and_one_repository_url():
    url = CONFIG["repository"]["url"]
    assert url.startswith("https://github.com/")
    assert CONFIG["launch_buttons"]["binderhub_url"] and CONFIG["launch_buttons"]["colab_url"]
    notebooks = [ROOT / f"{c['file']}.ipynb" for p in TOC["parts"] for c in p["chapters"]]
    for path in (p for p in notebooks if p.exists()):
        nb = nbformat.read(path, as_version=4)
        setup = [c for c in nb.cells if c.cell_type == "code" and "google.colab" in c.source]
        assert len(setup) == 1, f"{path.name}: one Colab setup cell"
        assert f"git+{url}" in setup[0].source, f"{path.name}: setup cell must use _config.yml's URL"
        assert "remove-cell" in setup[0].metadata.get("tags", [])
    other = [p for p in ROOT.rglob("*") if p.suffix in {".md", ".py", ".yml", ".txt", ".toml"}
             and ".venv" not in p.parts and "_build" not in p.parts and p.name != "_config.yml"]
    for path in other:  # the URL is written only in _config.yml (notebooks are checked above)
        assert url not in path.read_text(errors="ignore"), f"{path} repeats the repository URL"
