"""Write the student edition: every chapter without its solutions.

Usage: python scripts/student_edition.py [OUTDIR]   (make student; default _build/student)

In every chapter notebook:
* each ```{solution} ... ``` (or :::{solution}) block is removed from markdown cells;
* cells between {solution-start} and {solution-end} markers are dropped;
* code cells tagged ``solution`` keep their place but get a placeholder source and no
  outputs, so the rest of the chapter still runs top to bottom.
The book's sources are copied beside the stripped notebooks, so OUTDIR is a buildable book;
`make student` builds its HTML into OUTDIR/_build/html.
"""

from __future__ import annotations

import copy
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
OPENING = re.compile(r"^\s*(`{3,}|:{3,})\{solution\}")
GATE_START = re.compile(r"^\s*(`{3,}|:{3,})\{solution-start\}")
GATE_END = re.compile(r"^\s*(`{3,}|:{3,})\{solution-end\}")
PLACEHOLDER = "# Your solution here: the student edition leaves this cell for you.\n"
COPIED = ["_config.yml", "_toc.yml", "references.bib", "_ext", "_vendor"]


def strip_markdown(text: str) -> str:
    """Remove every solution directive block (its fence may be backticks or colons)."""
    out: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        if fence is None:
            match = OPENING.match(line)
            if match:
                fence = match.group(1)
                continue
            out.append(line)
        elif line.strip() == fence:
            fence = None
    if fence is not None:
        raise ValueError(f"unclosed {{solution}} block (fence {fence!r}) in:\n{text[:200]}")
    return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip("\n")


def strip_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without solutions (see the module docstring)."""
    nb = copy.deepcopy(nb)
    cells = []
    gated = False
    for cell in nb.cells:
        if cell.cell_type == "markdown" and GATE_START.search(cell.source):
            gated = True
            continue
        if gated:
            gated = not (cell.cell_type == "markdown" and GATE_END.search(cell.source))
            continue
        if cell.cell_type == "markdown":
            cell.source = strip_markdown(cell.source)
            if not cell.source.strip():
                continue
        elif "solution" in cell.metadata.get("tags", []):
            cell.source = PLACEHOLDER
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    return nb


def write_edition(out: Path) -> list[Path]:
    """Copy the book's sources to ``out`` with every chapter stripped; return the notebooks."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, out / name)
        elif source.exists():
            shutil.copy2(source, out / name)
    config = yaml.safe_load((out / "_config.yml").read_text())
    config["title"] = f"{config['title']} (student edition)"
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    written = []
    (out / "chapters").mkdir()
    for path in sorted((ROOT / "chapters").iterdir()):
        target = out / "chapters" / path.name
        if path.suffix == ".ipynb":
            nbformat.write(strip_notebook(nbformat.read(path, as_version=4)), target)
            written.append(target)
        elif path.suffix == ".md":
            target.write_text(strip_markdown(path.read_text()) + "\n")
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "_build" / "student"
    for path in write_edition(out):
        print(f"wrote {path.relative_to(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
