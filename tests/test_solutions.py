"""The code in every exercise's solution runs in its chapter and gives the number its comment promises.

Solutions are prose (a MyST code block inside a ``{solution}``), so nbval never runs them: a renamed
function would leave a student copying a solution with a NameError. Each chapter's code cells are run
in one IPython shell, then each solution block; a trailing ``# 0.621``-style comment is checked.
"""

import contextlib
import io
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.ipynb"))
BLOCK = re.compile(r"```(?:python|ipython3)?\n(.*?)```", re.S)
PROMISE = re.compile(r"#\s*(-?\d+\.\d+)\s*$")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_solution_code_runs_and_keeps_its_promise(path, monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.chdir(path.parent)
    shell = InteractiveShell.instance()
    shell.reset(new_session=True)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        # Exercise cells hold `answer = None` for the student to fill in; the Colab cell installs.
        if cell.cell_type != "code" or "google.colab" in cell.source or re.search(r"^(answer|action) = None",
                                                                                  cell.source, re.M):
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            result = shell.run_cell(cell.source, silent=True)
        assert result.success, f"chapter cell failed: {cell.source[:80]!r}"
    blocks = [b for cell in nb.cells if cell.cell_type == "markdown" for b in BLOCK.findall(cell.source)
              if "(" in b]
    for block in blocks:
        with contextlib.redirect_stdout(io.StringIO()):
            result = shell.run_cell(block, store_history=False)
        assert result.success, f"solution code fails in {path.name}: {block!r}: {result.error_in_exec!r}"
        promise = PROMISE.search(block.strip().splitlines()[-1])
        if promise and isinstance(result.result, int | float):
            decimals = len(promise.group(1).split(".")[1])
            assert round(float(result.result), decimals) == pytest.approx(float(promise.group(1))), block
