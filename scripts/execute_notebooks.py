"""Execute the book's chapter notebooks in place, deterministically.

Usage: python scripts/execute_notebooks.py [NOTEBOOK ...]   (default: every chapter in _toc.yml)

Running it twice changes no byte: no execution timestamps are recorded, widget
model ids are replaced by ids derived from the notebook path and their order,
widget state is not stored (the book shows static explorers instead), adjacent
stream outputs are merged (the kernel's message chunking varies), and the
notebook is written in a canonical JSON form.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
UUID = re.compile(r"\b[0-9a-f]{32}\b")


def chapters_in_toc() -> list[Path]:
    """Every notebook listed in _toc.yml, in book order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [ROOT / f"{f}.ipynb" for f in files if (ROOT / f"{f}.ipynb").exists()]


def stable_widget_ids(nb: nbformat.NotebookNode, name: str) -> None:
    """Replace random widget model ids in outputs by ids derived from content order."""
    mapping: dict[str, str] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view and view.get("model_id"):
                old = view["model_id"]
                if old not in mapping:
                    digest = hashlib.sha1(f"{name}:{len(mapping)}".encode()).hexdigest()
                    mapping[old] = digest[:32]
                view["model_id"] = mapping[old]


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
    stable_widget_ids(nb, path.name)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    nbformat.validate(nb)
    nbformat.write(nb, path)  # canonical JSON: sorted keys, indent 1


def main(argv: list[str]) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    paths = [Path(a).resolve() for a in argv] or chapters_in_toc()
    for path in paths:
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
