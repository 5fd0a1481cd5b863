"""Execute the book's chapter notebooks in place, deterministically.

Usage: python scripts/execute_notebooks.py [NOTEBOOK ...]   (default: every chapter in _toc.yml)

Running it twice changes no byte: no execution timestamps are recorded, no widget
is stored (neither widget state nor the widget views in outputs: a stored view
without its state shows "model not found" in JupyterLab, while the static explorer
beside it works without a kernel; running the notebook brings the live widget
back), adjacent stream outputs are merged (the kernel's message chunking varies),
and the notebook is written in a canonical JSON form.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def chapters_in_toc() -> list[Path]:
    """Every notebook listed in _toc.yml, in book order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [ROOT / f"{f}.ipynb" for f in files if (ROOT / f"{f}.ipynb").exists()]


def drop_widget_views(nb: nbformat.NotebookNode) -> None:
    """Remove the widget views from every output; the outputs' other views (the static explorer) stay.

    A view refers to a widget model that lives in the kernel that ran the notebook. Stored without
    that kernel's state, JupyterLab would prefer it to the static explorer and show "Error
    displaying widget: model not found"; without it, an unrun notebook shows the static explorer.
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)


def merge_streams(nb: nbformat.NotebookNode) -> None:
    """Join adjacent stream outputs of the same name.

    The kernel may deliver two prints as one message or as two, depending on timing;
    merged, the stored notebook is the same on every run.
    """
    for cell in nb.cells:
        merged: list = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (output.output_type == "stream" and previous is not None
                    and previous.output_type == "stream" and previous.name == output.name):
                previous.text += output.text
            else:
                merged.append(output)
        if cell.cell_type == "code":
            cell.outputs = merged


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
        allow_errors=False,
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    merge_streams(nb)
    drop_widget_views(nb)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    nbformat.validate(nb)
    nbformat.write(nb, path)  # canonical JSON: sorted keys, indent 1


def main(argv: list[str]) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    # The stored explorers hold every frame: the book and an unrun notebook show them (a reader's
    # kernel, which shows the live widget instead, stores the default frame only).
    os.environ["BOOK_EXPLORER_FRAMES"] = "all"
    paths = [Path(a).resolve() for a in argv] or chapters_in_toc()
    for path in paths:
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
