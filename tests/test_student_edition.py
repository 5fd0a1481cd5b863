"""The student edition keeps every exercise, drops every solution, and still runs."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from student_edition import (  # noqa: E402
    BRANCH,
    PLACEHOLDER,
    ZIP_NAME,
    commit_branch,
    publish,
    published_files,
    strip_markdown,
    strip_notebook,
    write_edition,
)

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


def test_the_edition_is_a_launchable_repository(edition):
    out, _ = edition
    for name in ("requirements.txt", "runtime.txt", "pyproject.toml", "README.md", "book/__init__.py",
                 "Makefile", "requirements-dev.txt"):
        assert (out / name).read_bytes() == (ROOT / name).read_bytes(), f"{name} differs or is missing"
    assert "-e ." in (out / "requirements.txt").read_text()
    assert not list(out.rglob("__pycache__")) and not list(out.rglob("*.egg-info"))
    config = yaml.safe_load((out / "_config.yml").read_text())
    assert config["repository"]["branch"] == BRANCH
    assert config["repository"]["url"] == yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def test_publish_puts_the_notebooks_and_a_zip_in_the_site(edition, tmp_path):
    out, notebooks = edition
    (out / "_build" / "html").mkdir(parents=True)
    (out / "_build" / "html" / "index.html").write_text("built")  # build outputs are not published
    archive = publish(out, tmp_path / "site" / "student")
    assert archive == tmp_path / "site" / "student" / ZIP_NAME
    published = sorted((tmp_path / "site" / "student" / "chapters").iterdir())
    assert [p.name for p in published] == sorted(p.name for p in notebooks)
    assert all(p.read_bytes() == (out / "chapters" / p.name).read_bytes() for p in published)
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        top = {n.split("/")[0] for n in names}
        assert len(top) == 1, "the zip unpacks into one folder"
        inside = sorted(n.split("/", 1)[1] for n in names)
        assert inside == [p.relative_to(out).as_posix() for p in published_files(out)]
        assert "requirements.txt" in inside and "book/__init__.py" in inside
        assert not any(n.startswith(("_build/", "_vendor/")) for n in inside)
        for name in (n for n in names if n.endswith(".ipynb")):
            assert "{solution}" not in zf.read(name).decode()
    with pytest.raises(ValueError, match="no student notebooks"):
        publish(tmp_path / "empty", tmp_path / "nowhere")


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def test_commit_branch_leaves_the_checkout_alone(edition, tmp_path):
    out, _ = edition
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "tracked.txt").write_text("main's file\n")
    git(repo, "add", "tracked.txt")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@localhost", "commit", "-q", "-m", "start")
    (repo / "tracked.txt").write_text("an uncommitted change\n")
    head, status = git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain")

    first = commit_branch(out, "student", repo)
    assert git(repo, "rev-parse", "student") == first
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == status
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    files = git(repo, "ls-tree", "-r", "--name-only", "student").splitlines()
    assert files == [p.relative_to(out).as_posix() for p in published_files(out)]
    assert "tracked.txt" not in files and not any(f.startswith(("_build/", "_vendor/")) for f in files)
    for name in (f for f in files if f.endswith(".ipynb")):
        assert "{solution}" not in git(repo, "show", f"student:{name}")
    assert git(repo, "log", "--format=%s", "student").startswith(f"Student edition of {head[:7]}")

    second = commit_branch(out, "student", repo)  # regenerated: a new parentless commit, same tree
    assert git(repo, "rev-list", "--count", "student") == "1"
    assert git(repo, "rev-parse", f"{second}^{{tree}}") == git(repo, "rev-parse", f"{first}^{{tree}}")
    for bad in ("main", "-x", "a b"):
        with pytest.raises(ValueError, match="branch"):
            commit_branch(out, bad, repo)
