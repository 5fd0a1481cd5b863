"""The package as Colab and Binder install it: a built wheel, used from outside the checkout."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
                   check=True, capture_output=True)
    (built,) = out.glob("invariance_book-*.whl")
    return built


def test_the_wheel_holds_every_module_of_the_package(wheel):
    shipped = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "book"], cwd=ROOT, check=True, capture_output=True, text=True)
    modules = [p for p in tracked.stdout.split() if p.endswith(".py")]
    assert len(modules) > 40, "the restructured package has subpackages"
    missing = [p for p in modules if p not in shipped]
    assert not missing, f"modules missing from the wheel: {missing}"


def test_an_installed_wheel_runs_a_chapter_and_the_old_import_paths(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    script = (
        "import book, book.hiring, book.scms\n"
        "from book.chapters import fairness_accuracy as ch\n"
        "from book.exercises import check_forced_fpr\n"
        "print(book.__file__)\n"
        "print(book.hiring.hiring_predictors is ch.hiring_predictors)\n"
        "print(ch.predictor_table(ch.hiring()).loc['selective', 'accuracy (Y)'])\n"
    )
    # Run outside the checkout, with the installed copy first on the path (ahead of the editable install).
    env = {"PYTHONPATH": str(site), "HF_HUB_OFFLINE": "1", "MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    where, same, accuracy = result.stdout.split()
    assert Path(where).is_relative_to(site), f"imported {where}, not the installed wheel"
    assert same == "True"
    assert accuracy == "0.735"


def test_the_wheel_ships_the_data_files(wheel):
    shipped = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "book/data"], cwd=ROOT, check=True, capture_output=True, text=True)
    data = [p for p in tracked.stdout.split() if p.endswith((".csv", ".md", ".json"))]
    assert {"book/data/german_credit.csv", "book/data/limits_scale.json"} <= set(data)
    missing = [p for p in data if p not in shipped]
    assert not missing, f"data files missing from the wheel: {missing}"
