"""Configuration promises: pins, Binder files, launch buttons, static explorers, one repository URL."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
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


def test_jupyterlab_with_myst_is_pinned_for_binder_and_make_lab():
    pins = dict(line.split("==") for line in requirement_lines("requirements.txt") if "==" in line)
    assert pins["jupyterlab"].startswith("4."), "jupyterlab-myst 2.x is a JupyterLab 4 extension"
    assert pins["jupyterlab-myst"].startswith("2.")
    assert {"ipywidgets", "ipykernel"} <= set(pins)
    text = (ROOT / "requirements.txt").read_text()
    assert "3.11" in text and "root" in text, "requirements.txt says the Python version and where to run it"


def test_launch_buttons_open_the_student_branch():
    sys.path.insert(0, str(ROOT / "scripts"))
    from student_edition import BRANCH

    assert CONFIG["repository"]["branch"] == BRANCH == "student"
    assert CONFIG["launch_buttons"]["notebook_interface"] == "jupyterlab"


def test_student_edition_links_follow_the_repository_url():
    owner, repo = CONFIG["repository"]["url"].removeprefix("https://github.com/").split("/")
    branch = CONFIG["repository"]["branch"]
    pages = f"https://{owner.lower()}.github.io/{repo}/student/"
    expected = {
        "student_site": pages,
        "student_zip": f"{pages}student-edition.zip",
        "student_binder": f"{CONFIG['launch_buttons']['binderhub_url']}/v2/gh/{owner}/{repo}/{branch}"
                          "?urlpath=lab/tree/chapters",
        "student_colab": f"{CONFIG['launch_buttons']['colab_url']}/github/{owner}/{repo}/blob/{branch}"
                         "/chapters/01_seeing_doing_imagining.ipynb",
    }
    links = CONFIG["parse"]["myst_substitutions"]
    assert set(links) == set(expected)
    guide = (ROOT / "chapters" / "instructor_guide.md").read_text()
    for name, url in expected.items():
        assert links[name] == f"[{url.removeprefix('https://')}]({url})", name
        assert "{{ " + name + " }}" in guide, f"the instructor guide does not give {name}"
    assert (ROOT / url.split(f"/blob/{branch}/")[1]).exists(), "the Colab link names a chapter that exists"


def make_target(name):
    """The recipe lines of a Makefile target, and its prerequisites."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    match = re.search(rf"^{re.escape(name)}:([^\n]*)\n((?:\t[^\n]*\n)*)", text, re.M)
    assert match, f"no target {name} in the Makefile"
    return match.group(1).split(), match.group(2)


def test_make_test_gets_chromium_first_and_runs_the_jupyterlab_tests():
    prerequisites, _ = make_target("test")
    assert prerequisites[0] == "chromium", "a machine that cannot get chromium must stop at once"
    assert {"lab-test", "site", "unit", "nbval", "student", "build-check", "lint"} <= set(prerequisites)
    lab_prerequisites, recipe = make_target("lab-test")
    assert "chromium" in lab_prerequisites and "BOOK_LAB_TESTS=1" in recipe and "tests/lab" in recipe
    _, unit = make_target("unit")
    assert "--ignore=tests/lab" in unit and "--ignore=tests/site" in unit
    _, lab = make_target("lab")
    assert "jupyter-lab" in lab and "127.0.0.1" in lab
    assert "lab" in (ROOT / "Makefile").read_text().split(".PHONY:")[1].split("\n\n")[0].split()


def test_ci_runs_make_test():
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("make test")


@pytest.fixture
def fake_machine(tmp_path):
    """A copy of the Makefile and a PATH whose `id`, `sudo` and `apt-get` are stand-ins that log calls."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    chromium = tmp_path / "usr-bin-chromium"

    def stand_in(name, body):
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\necho \"{name} $*\" >> '{log}'\n{body}\n")
        path.chmod(0o755)

    def run(uid, sudo_works):
        stand_in("id", f"echo {uid}")
        stand_in("sudo", "[ \"$1\" = -n ] && shift; " + ("exec \"$@\"" if sudo_works else "exit 1"))
        # apt-get install puts the browser where the Makefile looks for it
        stand_in("apt-get", f"case \"$*\" in *install*chromium*) touch '{chromium}'; chmod +x '{chromium}';; esac")
        env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
        result = subprocess.run(["make", "--no-print-directory", "chromium", f"CHROMIUM={chromium}"],
                                cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        calls = log.read_text().splitlines() if log.exists() else []
        return result, calls, chromium.exists()

    return run


def test_make_chromium_installs_as_root(fake_machine):
    result, calls, installed = fake_machine(uid=0, sudo_works=False)
    assert result.returncode == 0, result.stderr
    assert installed and any(c.startswith("apt-get install") and "chromium" in c for c in calls)
    assert not any(c.startswith("sudo") for c in calls)


def test_make_chromium_installs_with_sudo_without_password(fake_machine):
    result, calls, installed = fake_machine(uid=1000, sudo_works=True)
    assert result.returncode == 0, result.stderr
    assert installed and any(c.startswith("sudo -n") and "apt-get install" in c for c in calls)


def test_make_chromium_stops_at_once_with_the_command_otherwise(fake_machine):
    result, calls, installed = fake_machine(uid=1000, sudo_works=False)
    assert result.returncode != 0 and not installed
    assert not any(c.startswith("apt-get") for c in calls), "nothing is installed without permission"
    assert "sudo apt-get update && sudo apt-get install -y chromium" in result.stderr


def test_make_chromium_does_nothing_when_chromium_is_there(fake_machine, tmp_path):
    present = tmp_path / "usr-bin-chromium"
    present.write_text("")
    present.chmod(0o755)
    result, calls, _ = fake_machine(uid=1000, sudo_works=False)
    assert result.returncode == 0 and not any(c.startswith(("apt-get", "sudo")) for c in calls)


def test_pages_workflow_publishes_both_editions_and_pushes_the_student_branch():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    assert workflow["permissions"]["contents"] == "write", "the workflow pushes the branch student"
    steps = workflow["jobs"]["build"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "make publish" in runs and "make student-branch" in runs
    assert f"git push --force origin {CONFIG['repository']['branch']}" in runs
    upload = next(step for step in steps if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "_build/publish"
    python = next(step for step in steps if "setup-python" in step.get("uses", ""))
    assert python["with"]["python-version"] == (ROOT / "runtime.txt").read_text().strip().removeprefix("python-")
    publish_prerequisites, recipe = make_target("publish")
    assert {"book", "student"} <= set(publish_prerequisites)
    assert "cp -r $(HTML) _build/publish" in recipe and "_build/publish/student/" in recipe
    _, book = make_target("book")
    assert "--publish $(HTML)/student" in book


def test_students_read_how_to_run_the_book():
    readme = (ROOT / "README.md").read_text()
    students = readme.split("## For students", 1)[1].split("\n## ", 1)[0]
    for needed in ("Python 3.11", "make lab", "Binder", "Colab", "requirements.txt", "root"):
        assert needed in students, f"README's 'For students' does not mention {needed}"
    preface = (ROOT / "chapters" / "preface.md").read_text()
    running = preface.split("## How to read and run it", 1)[1].split("\n## ", 1)[0]
    for needed in ("Python 3.11", "make lab", "requirements.txt", "root folder", "jupyterlab-myst",
                   "student edition", "renders no MyST"):
        assert needed in running, f"the preface's instructions do not mention {needed}"
