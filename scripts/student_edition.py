"""Write the student edition: every chapter without its solutions.

Usage: python scripts/student_edition.py [OUTDIR] [--publish DIR] [--branch NAME]
(make student, make book, make student-branch; OUTDIR defaults to _build/student)

In every chapter notebook:
* each ```{solution} ... ``` (or :::{solution}) block is removed from markdown cells;
* cells between {solution-start} and {solution-end} markers are dropped;
* code cells tagged ``solution`` keep their place but get a placeholder source and no
  outputs, so the rest of the chapter still runs top to bottom.
The book's sources are copied beside the stripped notebooks, so OUTDIR is a buildable book
(`make student` builds its HTML into OUTDIR/_build/html) and a launchable repository: with
requirements.txt, runtime.txt, pyproject.toml and the package ``book/``, Binder builds it and
``pip install -r requirements.txt`` works from its root. Its _config.yml points the launch
buttons at the branch ``student`` (as the main book's does).

``--publish DIR`` also puts the student notebooks in DIR/chapters/ and the whole edition in
DIR/student-edition.zip (`make book` publishes them inside the built site, under student/).
``--branch NAME`` also commits the edition as the tip of branch NAME of this repository, a
commit with no parent, without touching the working tree, the index or the current branch
(`make student-branch`; the Pages workflow pushes it so that Binder and Colab links open it).
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
OPENING = re.compile(r"^\s*(`{3,}|:{3,})\{solution\}")
GATE_START = re.compile(r"^\s*(`{3,}|:{3,})\{solution-start\}")
GATE_END = re.compile(r"^\s*(`{3,}|:{3,})\{solution-end\}")
PLACEHOLDER = "# Your solution here: the student edition leaves this cell for you.\n"
COPIED = [
    "_config.yml", "_toc.yml", "references.bib", "_ext", "_vendor", "_templates", "_theme",  # a buildable book
    "LICENSE", "LICENSE-TEXT.md", "CITATION.cff",  # its licences and how to cite it
    "book", "pyproject.toml", "README.md", "requirements.txt", "runtime.txt",  # a launchable repository
    "requirements-dev.txt", "Makefile", ".gitignore",  # make lab, make book
]
NOT_COPIED = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints")
BRANCH = "student"  # the branch the launch buttons open (repository.branch in _config.yml)
ZIP_NAME = "student-edition.zip"
UNPUBLISHED = ("_build", "_vendor")  # build outputs: neither zipped nor committed


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
            shutil.copytree(source, out / name, ignore=NOT_COPIED)
        elif source.exists():
            shutil.copy2(source, out / name)
    config = yaml.safe_load((out / "_config.yml").read_text())
    config["title"] = f"{config['title']} (student edition)"
    config["repository"]["branch"] = BRANCH
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


def published_files(edition: Path) -> list[Path]:
    """The files of an edition that are zipped and committed (not its build outputs), sorted."""
    return sorted(p for p in edition.rglob("*") if p.is_file()
                  and p.relative_to(edition).parts[0] not in UNPUBLISHED)


def publish(edition: Path, target: Path) -> Path:
    """Put the edition's notebooks in ``target/chapters`` and the edition in a zip; return the zip."""
    notebooks = sorted((edition / "chapters").glob("*.ipynb"))
    if not notebooks:
        raise ValueError(f"no student notebooks in {edition / 'chapters'}: write the edition first")
    (target / "chapters").mkdir(parents=True, exist_ok=True)
    for path in notebooks:
        shutil.copy2(path, target / "chapters" / path.name)
    archive = target / ZIP_NAME
    top = "invariance-book-student"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in published_files(edition):
            zf.write(path, f"{top}/{path.relative_to(edition).as_posix()}")
    return archive


def git(repo: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd or repo, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def commit_branch(edition: Path, branch: str, repo: Path = ROOT) -> str:
    """Commit ``edition`` (without build outputs) as the parentless tip of ``branch``; return its id.

    Uses a temporary index, so the repository's working tree, index and HEAD are untouched.
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", branch) or branch in {"main", "master"}:
        raise ValueError(f"branch {branch!r} is not a name for the generated student edition")
    git_dir = git(repo, "rev-parse", "--absolute-git-dir")
    source = git(repo, "rev-parse", "--short", "HEAD")
    identity = []
    if subprocess.run(["git", "config", "user.email"], cwd=repo, capture_output=True).returncode != 0:
        identity = ["-c", "user.name=Student edition", "-c", "user.email=student-edition@localhost"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        base = ["--git-dir", git_dir, "--work-tree", str(edition.resolve())]
        paths = [str(p.relative_to(edition)) for p in published_files(edition)]
        git(repo, *base, "add", "--force", "--", *paths, env=env, cwd=edition)
        tree = git(repo, *base, "write-tree", env=env, cwd=edition)
        commit = git(repo, *identity, "commit-tree", tree, "-m",
                     f"Student edition of {source}: the chapters without solutions (generated)", env=env)
    git(repo, "update-ref", f"refs/heads/{branch}", commit)
    return commit


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path, default=ROOT / "_build" / "student")
    parser.add_argument("--publish", type=Path, metavar="DIR",
                        help="also copy the notebooks to DIR/chapters and zip the edition into DIR")
    parser.add_argument("--branch", metavar="NAME", help="also commit the edition as the tip of branch NAME")
    args = parser.parse_args(argv)
    out = args.outdir
    for path in write_edition(out):
        print(f"wrote {path.relative_to(out)}")
    if args.publish:
        print(f"published {publish(out, args.publish)}")
    if args.branch:
        print(f"branch {args.branch} is now {commit_branch(out, args.branch)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
