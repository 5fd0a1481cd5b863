"""The student edition keeps every exercise, drops every solution, and still runs."""

import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from student_edition import PLACEHOLDER, strip_markdown, strip_notebook, write_edition  # noqa: E402

SOLUTION = re.compile(r"^(`{3,}|:{3,})\{solution\}.*?^\1\s*$", re.S | re.M)


def solution_lines(text):
    """Distinctive lines inside the solution blocks of a text (what must not leak)."""
    lines = []
    for block in SOLUTION.finditer(text):
        for line in block.group(0).splitlines()[1:-1]:
            line = line.strip()
            if len(line) > 25 and not line.startswith((":class:", ":label:")):
                lines.append(line)
    return lines


def test_strip_markdown_handles_nested_fences_and_colons():
    text = (
        "Intro.\n\n````{solution} ex-1\n:class: dropdown\n\nUse this:\n```python\nsecret = 42\n```\n````\n\n"
        "Middle.\n\n:::{solution} ex-2\nAnother secret.\n:::\nEnd."
    )
    out = strip_markdown(text)
    assert "secret" not in out and "Another" not in out
    assert out.startswith("Intro.") and "Middle." in out and out.endswith("End.")
    with pytest.raises(ValueError, match="unclosed"):
        strip_markdown("````{solution} ex\nleft open")


def test_strip_notebook_placeholders_and_gates():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("```{exercise} Ex\n:label: ex\nDo it.\n```"),
        nbformat.v4.new_code_cell("x = 1 + 1  # the reference solution", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("```{solution-start} ex\n```"),
        nbformat.v4.new_code_cell("hidden = True"),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        nbformat.v4.new_code_cell("print('after')"),
    ]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    out = strip_notebook(nb)
    sources = [c.source for c in out.cells]
    assert sources == [nb.cells[0].source, PLACEHOLDER, "print('after')"]
    assert out.cells[1].outputs == []
    assert "reference solution" in nb.cells[1].source  # the original is untouched


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    return out, write_edition(out)


def test_no_solution_text_survives_and_exercises_remain(edition):
    out, notebooks = edition
    assert {p.name for p in notebooks} == {p.name for p in (ROOT / "chapters").glob("*.ipynb")}
    for student_path in notebooks:
        original = nbformat.read(ROOT / "chapters" / student_path.name, as_version=4)
        nbformat.validate(nbformat.read(student_path, as_version=4))
        original_md = "\n".join(c.source for c in original.cells if c.cell_type == "markdown")
        student_text = student_path.read_text()
        leaked = solution_lines(original_md)
        assert leaked, f"{student_path.name}: expected solutions in the original"
        for line in leaked:
            assert line not in student_text, f"{student_path.name} leaks: {line}"
        assert "{solution}" not in student_text
        assert student_text.count("{exercise}") == original_md.count("{exercise}") >= 3
    assert "(student edition)" in (out / "_config.yml").read_text()


def test_student_notebooks_run_top_to_bottom(edition):
    _, notebooks = edition
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert errors == [], path.name
