"""Measure the book against the budgets in CONTRIBUTING.md and print one table.

Usage: python scripts/bench.py   (make bench; run on an otherwise idle machine)

Measured here, on this machine: each chapter executed top to bottom in a fresh kernel (wall
time, peak RSS of the kernel), the live-widget update of every explorer in book.chapters
(median over its grid, both with frames already rendered, which is what a reader's slider does,
and cold, i.e. recompute + render), `import book.scm` in a fresh interpreter, a clean
`jupyter-book build`, and the size of every built page. Nothing here is asserted: budgets are for humans to read.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import os
import pkgutil
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import numpy as np
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from execute_notebooks import chapters_in_toc  # noqa: E402

from book.scm import DiscreteSCM  # noqa: E402

if TYPE_CHECKING:
    from book.viz.explorer import Explorer

PEAK_RSS = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
rows: list[tuple[str, str, str]] = []


def row(what: str, value: str, budget: str) -> None:
    rows.append((what, value, budget))
    print(f"  {what:<55} {value:>12}   {budget}", flush=True)


def bench_chapters() -> None:
    # Twice per chapter: as a reader's kernel runs it (explorers store their default frame only)
    # and as `make notebooks` executes it for the book (BOOK_EXPLORER_FRAMES=all: every frame).
    for path in chapters_in_toc():
        for frames, what, budget in (("default", "Run All (reader)", "<= 10 s"),
                                     ("all", "execute for the book", "<= 20 s (goal 10 s)")):
            os.environ["BOOK_EXPLORER_FRAMES"] = frames
            nb = nbformat.read(path, as_version=4)
            nb.cells.append(nbformat.v4.new_code_cell(PEAK_RSS))
            client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}})
            start = time.perf_counter()
            client.execute()
            seconds = time.perf_counter() - start
            peak_mb = int(nb.cells[-1].outputs[0]["text"]) / 1024
            row(f"{what} {path.name}", f"{seconds:.1f} s", budget)
            row(f"peak kernel memory, {what}, {path.name}", f"{peak_mb:.0f} MB", "<= 500 MB")
    os.environ.pop("BOOK_EXPLORER_FRAMES")


def explorers() -> list[tuple[str, Callable[[], Explorer]]]:
    """Every chapter's explorer factory, as ``(slug.function, factory)``, sorted by slug.

    Explorers live in ``book.chapters.<slug>``: functions named ``*_explorer`` defined there (not
    re-exported from elsewhere). Only ``book.chapters`` is walked, so the deprecated shims of
    ``book._legacy`` (which re-export the same functions under the old names) are never counted.
    """
    import book.chapters

    found = []
    for info in pkgutil.walk_packages(book.chapters.__path__, prefix="book.chapters."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_explorer") and fn.__module__ == module.__name__:
                found.append((f"{info.name.removeprefix('book.chapters.')}.{name}", fn))
    return found


def bench_widgets() -> None:
    for name, factory in explorers():
        cold_explorer = factory()
        cold = []
        for params in cold_explorer.grid()[:6]:  # recompute + render, nothing cached
            start = time.perf_counter()
            cold_explorer.frame(**params)
            cold.append(time.perf_counter() - start)
        explorer = factory()
        explorer.html()  # displaying the explorer renders every frame once
        box = explorer.widget()
        sliders = [w for w in box.children if w.__class__.__name__ == "SelectionSlider"]
        warm = []
        for params in explorer.grid():
            for spec, slider in zip(explorer.sliders, sliders, strict=True):
                if slider.value == params[spec.name]:
                    continue  # no change, no update to time
                start = time.perf_counter()
                slider.value = params[spec.name]  # fires the observe callback synchronously
                warm.append(time.perf_counter() - start)
        row(f"widget update {name} (frames rendered)", f"{statistics.median(warm) * 1e3:.2f} ms",
            "<= 100 ms median (goal 50 ms)")
        row(f"widget update {name} (cold recompute)", f"{statistics.median(cold) * 1e3:.0f} ms",
            "<= 100 ms median (goal 50 ms)")


def audit_model(n_variables: int, seed: int = 0, window: int = 3) -> tuple[DiscreteSCM, tuple[str, ...]]:
    """A random binary SCM with ``n_variables`` endogenous variables, for the audit's cost curve.

    A (sensitive) and E (environment) are roots; the causal features X1, X2, ... each read the
    ``window`` previous ones (the treewidth grows with the window), their own noise and,
    alternately, A or E; the label Y reads X1, X2 and A; the last third of the features are
    effects of Y. Returned with the six features a benchmark predictor reads: the last three
    causes and the first three effects (fewer in small models).
    """
    rng = np.random.default_rng(seed)
    k = n_variables - 3
    if k < 3:
        raise ValueError(f"the benchmark model needs at least 6 variables, got {n_variables}")
    names = [f"X{i}" for i in range(1, k + 1)]
    effects = names[k - k // 3:]
    causes = [x for x in names if x not in effects]
    exo = {f"U_{v}": {0: 0.5, 1: 0.5} for v in ("A", "E", "Y", *names)}
    eq: dict = {"A": (["U_A"], lambda U_A: U_A), "E": (["U_E"], lambda U_E: U_E)}

    def lookup(parents: list[str]) -> tuple[list[str], Callable[..., int]]:
        table = dict(zip(itertools.product((0, 1), repeat=len(parents)),
                         rng.integers(0, 2, 2 ** len(parents)).tolist(), strict=True))
        return parents, lambda **v: table[tuple(v[q] for q in parents)]

    for i, x in enumerate(causes):
        eq[x] = lookup([*causes[max(0, i - window):i], "A" if i % 2 else "E", f"U_{x}"])
    eq["Y"] = lookup([*causes[:2], "A", "U_Y"])
    for i, x in enumerate(effects):
        eq[x] = lookup(["Y", "E" if i % 2 else "A", f"U_{x}"])
    return DiscreteSCM(exo, eq), (*causes[-3:], *effects[:3])


def bench_audit() -> None:
    """The exact rows of the audit (fairness, robustness, explainability) as the model grows."""
    from book.audits import audit
    from book.predictors import Predictor, attach

    for shape, window in (("sparse: 3 parents", 3), ("dense: all earlier", 10**6)):
        for n_variables in (6, 8, 10, 12, 14, 16, 18, 20):
            model, features = audit_model(n_variables, window=window)
            rng = np.random.default_rng(n_variables)
            cells = list(itertools.product((0, 1), repeat=len(features)))
            table = dict(zip(cells, rng.integers(0, 2, len(cells)).tolist(), strict=True))
            attached = attach(model, "Yhat", Predictor(features, table, (0, 1)))
            start = time.perf_counter()
            audit(attached, "Yhat", "Y", attribute="A", environment="E")
            seconds = time.perf_counter() - start
            budget = "<= 1 s" if n_variables == 12 else "(cost curve)"
            row(f"audit ({shape}), {n_variables} variables, predictor on {len(features)}",
                f"{seconds:.2f} s", budget)
            if seconds > 60:
                break  # exact inference is no longer practical at this size


def bench_limits_scale() -> None:
    """The limits chapter's scale benchmark: exact cost, twin networks, sampling error; stored for the chapter."""
    import json

    from book.chapters.limits import SCALE_FILE, measure_scale

    result = measure_scale()
    SCALE_FILE.parent.mkdir(parents=True, exist_ok=True)
    SCALE_FILE.write_text(json.dumps(result, indent=1) + "\n")
    for entry in result["grid"]:
        for rung in ("rung 2", "rung 3"):
            seconds = entry[rung]["seconds"]
            row(f"limits: {rung}, grid {entry['rows']} x {result['columns']}, largest table {entry[rung]['largest']}",
                "stopped" if seconds is None else f"{seconds:.3f} s", "(cost curve)")
    for s in result["sampling"]["sizes"]:
        row(f"limits: forward sampling n = {s['n']}, error {s['rmse']:.4f} (s.e. {s['se']:.4f})",
            f"{s['seconds']:.3f} s", "(cost curve)")


def bench_import() -> None:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import book.scm"], check=True)
    row("import book.scm (includes pgmpy)", f"{time.perf_counter() - start:.2f} s", "<= 2.5 s")


def bench_build() -> None:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "--all", "-q"],
                   check=True, stdout=subprocess.DEVNULL)
    row("jupyter-book build (clean, stored outputs)", f"{time.perf_counter() - start:.1f} s", "<= 60 s")
    for page in sorted((ROOT / "_build" / "html" / "chapters").glob("*.html")):
        size = page.stat().st_size / 1024
        row(f"page {page.name}", f"{size:.0f} KB", "<= 2048 KB")


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(f"Benchmarks on {os.cpu_count()} cores (budgets: CONTRIBUTING.md)")
    bench_import()
    bench_chapters()
    bench_widgets()
    bench_audit()
    bench_limits_scale()
    bench_build()
    print("\n| what | measured | budget |\n|---|---|---|")
    for what, value, budget in rows:
        print(f"| {what} | {value} | {budget} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
