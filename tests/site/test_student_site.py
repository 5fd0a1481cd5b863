"""The student edition's HTML build (make student) shows the exercises but no solution."""

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
STUDENT_HTML = ROOT / "_build" / "student" / "_build" / "html"
sys.path.insert(0, str(ROOT / "tests"))
from test_student_edition import solution_lines  # noqa: E402


def test_student_html_has_exercises_and_no_solutions():
    assert (STUDENT_HTML / "index.html").exists(), "build the student edition first (make student)"
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        page = (STUDENT_HTML / "chapters" / f"{notebook.stem}.html").read_text()
        text = re.sub(r"<[^>]+>", "", page)
        assert "Exercise" in text and "Solution to" not in text
        original = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells
                             if c.cell_type == "markdown")
        for line in solution_lines(original):
            plain = re.sub(r"[`*$\\{}]", "", line)[:40]
            assert plain not in re.sub(r"[`*$\\{}]", "", text), f"{notebook.stem} leaks: {line}"


def test_student_pdf_has_exercises_and_no_solutions():
    import pytest

    pypdf = pytest.importorskip("pypdf")
    pdf = STUDENT_HTML / "chapters" / "book.pdf"
    assert pdf.exists(), "make student prints the student edition's PDF (its pages link to it)"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(str(pdf)).pages)
    assert "Exercise" in text and "Solution to" not in text
