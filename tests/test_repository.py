"""The repository's structural rules (CONTRIBUTING.md): self-contained, documented, layered, compatible."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"


# ------------------------------------------------------------------ helpers
def module_name(path: Path) -> str:
    """``book/objectives/ledger.py`` -> ``book.objectives.ledger``; ``book/viz/__init__.py`` -> ``book.viz``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    if parts[:2] == ["book", "_legacy"] and len(parts) > 2:  # served as book.<old name>
        parts = ["book", *parts[2:]]
    return ".".join(parts)


ALL_FILES = sorted(BOOK.rglob("*.py"))
MODULE_FILES = [p for p in ALL_FILES if "_legacy" not in p.relative_to(BOOK).parts]
LEGACY_DIR = BOOK / "_legacy"
LEGACY = sorted(p.stem for p in LEGACY_DIR.glob("*.py") if p.stem != "__init__")
MODULES = {module_name(p) for p in ALL_FILES}  # every importable module of book, legacy names included


def ids(path: Path) -> str:
    return str(path.relative_to(ROOT))


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def resolve(path: Path, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` reads from (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


# ------------------------------------------------------------------ (a) self-contained
def repository_files() -> list[Path]:
    """Tracked files, plus new files not yet added (both minus .gitignore), that exist."""
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                             cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    paths = (ROOT / p for p in out.decode().split("\0") if p)
    return sorted({p for p in paths if p.is_file()})


# Spelled in pieces so that this file, which is scanned too, does not contain them itself.
FORBIDDEN = ("DESIGN" + ".md", ".." + "/shared")


def test_no_file_refers_outside_the_repository():
    offenders = []
    for path in repository_files():
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary
        text = data.decode("utf-8", errors="replace")
        for needle in FORBIDDEN:
            for number, line in enumerate(text.splitlines(), 1):
                if needle in line:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {needle}")
    assert offenders == [], "the repository must stand alone (see CONTRIBUTING.md):\n" + "\n".join(offenders)


# ------------------------------------------------------------------ (b) CONTRIBUTING.md covers the layout
def chapter_slugs() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [Path(c["file"]).name for part in toc["parts"] for c in part["chapters"]]
    return [m.group(1) for f in files if (m := re.fullmatch(r"\d\d_(\w+)", f))]


def subpackages() -> list[str]:
    return sorted(p.parent.name for p in BOOK.glob("*/__init__.py") if not p.parent.name.startswith("_"))


def test_contributing_names_every_slug_subpackage_and_legacy_module():
    text = CONTRIBUTING.read_text(encoding="utf-8")
    slugs = chapter_slugs()
    assert len(slugs) >= 6
    assert {"models", "objectives", "viz", "chapters", "exercises"} <= set(subpackages())
    missing = [s for s in slugs if s not in text]
    missing += [f"book/{p}/" for p in subpackages() if f"{p}/" not in text]
    missing += [f"book.{m}" for m in LEGACY if f"`book.{m}`" not in text]  # the deprecation table
    assert missing == [], f"CONTRIBUTING.md does not name: {missing}"


# ------------------------------------------------------------------ (c) docstrings and __all__
@pytest.mark.parametrize("path", MODULE_FILES, ids=ids)
def test_module_has_docstring_and_a_true_all(path):
    tree = parse(path)
    assert ast.get_docstring(tree), f"{ids(path)} has no module docstring"
    declared = [n for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign)
                and any(isinstance(t, ast.Name) and t.id == "__all__"
                        for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))]
    assert declared, f"{ids(path)} does not define __all__"
    module = importlib.import_module(module_name(path))
    names = module.__all__
    assert all(isinstance(n, str) for n in names), f"{ids(path)}: __all__ must list strings"
    assert len(set(names)) == len(names), f"{ids(path)}: __all__ lists a name twice"
    absent = [n for n in names if not hasattr(module, n)]
    assert absent == [], f"{ids(path)}: __all__ names what the module lacks: {absent}"


# ------------------------------------------------------------------ (d) only book.viz draws
DRAWING = ("matplotlib", "ipywidgets")


@pytest.mark.parametrize("path", [p for p in ALL_FILES if "viz" not in p.relative_to(BOOK).parts[:1]], ids=ids)
def test_only_viz_imports_matplotlib_or_ipywidgets(path):
    bad = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            modules = [node.module or ""]
        else:
            continue
        bad += [f"line {node.lineno}: {m}" for m in modules if m.split(".")[0] in DRAWING]
    assert bad == [], f"{ids(path)} imports a drawing library outside book/viz: {bad}"


# ------------------------------------------------------------------ (e) no private names across modules
# Private *modules* meant for the package; importing them (or public names from them) is fine.
SHARED_PRIVATE_MODULES = {"book._pgmpy", "book.models._parameters"}


def private_uses(path: Path, tree: ast.Module | None = None) -> list[str]:
    """Every use in ``path`` (parsed, unless ``tree`` is given) of another book module's private name."""
    this = module_name(path)
    tree = tree or parse(path)
    bound: dict[str, str] = {}  # local name -> dotted book path it is bound to (module or object)
    found = []

    def report(node: ast.AST, dotted: str) -> None:
        owner = dotted.rsplit(".", 1)[0]
        if dotted not in SHARED_PRIVATE_MODULES and owner != this:
            found.append(f"line {node.lineno}: {dotted}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "book":
                    continue
                parts = alias.name.split(".")
                for i, part in enumerate(parts[1:], 2):
                    prefix = ".".join(parts[:i])
                    if private(part) and prefix not in SHARED_PRIVATE_MODULES:
                        report(node, prefix)
                        break
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound["book"] = "book"
        elif isinstance(node, ast.ImportFrom):
            source = resolve(path, node)
            if source.split(".")[0] != "book":
                continue
            for alias in node.names:
                dotted = f"{source}.{alias.name}"
                if private(alias.name):
                    report(node, dotted)
                bound[alias.asname or alias.name] = dotted

    def dotted_name(node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return bound.get(node.id)
        if isinstance(node, ast.Attribute):
            base = dotted_name(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr):
            base = dotted_name(node.value)
            if base is not None:
                report(node, f"{base}.{node.attr}")
    return found


@pytest.mark.parametrize("path", ALL_FILES, ids=ids)
def test_no_module_uses_another_modules_private_names(path):
    uses = private_uses(path)
    assert uses == [], f"{ids(path)} uses private names of other modules: {uses}"


def test_the_private_name_check_sees_what_it_should():
    probe = ast.parse(
        "import book.scm as s\n"
        "import book.objectives.ledger\n"
        "import book._pgmpy\n"
        "from book.metrics import _rate\n"
        "from book import predictors\n"
        "from book._pgmpy import TabularCPD\n"
        "from book.models._parameters import bernoulli\n"
        "from book.models import _parameters\n"
        "from book.objectives.fairness import accuracy_against as _ok\n"
        "from . import fairness_accuracy as fa\n"
        "from .trustworthiness_as_invariance import _private\n"
        "s._World\n"
        "book.objectives.ledger._spread\n"
        "predictors._TIE_DECIMALS\n"
        "fa._frame\n"
        "fa.hiring_explorer, s.__name__, _ok, bernoulli, TabularCPD, _parameters.bernoulli\n"
    )
    uses = private_uses(BOOK / "chapters" / "probe.py", probe)
    assert sorted(u.split(": ")[1] for u in uses) == sorted([
        "book.metrics._rate", "book.chapters.trustworthiness_as_invariance._private", "book.scm._World",
        "book.objectives.ledger._spread", "book.predictors._TIE_DECIMALS", "book.chapters.fairness_accuracy._frame",
    ])


# ------------------------------------------------------------------ (f) the first edition's imports still work
FIRST_EDITION = {
    "book.scms": ["tutoring", "rung_three_triplet", "umbrella", "hiring", "hospitals", "hospitals_reversed",
                  "records", "loans"],
    "book.rungs": ["rung_answers", "rungs_explorer", "rungs_figure"],
    "book.ledger": ["GAPS", "UNFAIR", "ledger_explorer", "ledger_table", "umbrella_candidates", "umbrella_checks"],
    "book.hiring": ["FEATURES", "UNFAIR", "decision_table", "group_table", "hiring_explorer", "hiring_predictors",
                    "predictor_table", "tradeoff_alt", "tradeoff_figure"],
    "book.hospitals": ["FEATURES", "conditional_table", "crossing_mismatch", "deployed_risk", "family",
                       "frontier_figure", "hospital_explorer", "name", "reversed_family", "risk_table"],
    "book.records": ["EPSILONS", "HEADLINE", "bound_alt", "bound_figure", "bound_table", "draw", "frontier_alt",
                     "frontier_figure", "records_explorer", "shift_table", "simulate", "summarise", "table",
                     "unique_fraction"],
    "book.loans": ["APPLICANTS", "attribution_table", "plan_table", "plans", "value_function_table", "model",
                   "deployed", "decision", "score", "attributions", "share", "mean_share_among_refused",
                   "explanation_candidates", "loans_explorer", "wrong_graph_plans", "PREDICTORS", "GAPS"],
    "book.invariance": ["counterfactual_fairness", "path_specific_fairness", "environment_invariance",
                        "explanation_faithfulness", "laplace_privacy", "InvarianceCheck"],
    "book.fairness": ["decision_change", "fairness_frontier", "switch_coupling", "uses", "policy_of",
                      "policy_accuracy"],
    "book.environments": ["Environments", "optimal_predictor", "risk", "risks", "worst_risk", "risk_invariance",
                          "invariance_test", "select_invariant", "frontier", "on_features"],
    "book.privacy": ["replace_record", "count_table", "laplace_mechanism", "privacy_loss", "worst_case_output",
                     "yeom_bound", "accuracy"],
    "book.explanations": ["shapley_values", "bayes_score"],
    "book.recourse": ["causal_recourse", "nearest_counterfactual"],
    "book.graphs": ["show_scm", "show_twin"],
    "book.display": ["show"],
    "book.frontier": ["best", "frontier_figure"],
    "book.plots": ["draw_causal_graph", "describe_causal_graph", "PALETTE"],
    "book.widgets": ["Explorer", "Slider"],
    "book.metrics": ["accuracy", "demographic_parity_difference", "equalized_odds_difference", "population_arrays"],
    "book.predictors": ["attach", "bayes_optimal"],
    "book.exercises": ["check_tutoring_intervention", "check_sam_counterfactual", "check_selective_feature_set",
                       "check_crossing_mismatch", "check_icp_intersection", "check_direction_features",
                       "check_relabelled_accuracy", "check_forced_fpr", "check_shapley_sum", "check_cam_recourse",
                       "check_add_remove_sensitivity", "check_zero_one_advantage",
                       "check_epsilon_for_advantage"],
}


def test_every_legacy_shim_is_covered():
    assert {f"book.{m}" for m in LEGACY} <= set(FIRST_EDITION)


@pytest.mark.parametrize("name", sorted(FIRST_EDITION))
def test_first_edition_import_still_works_without_a_warning(name):
    if name.removeprefix("book.") in LEGACY:
        # Execute the shim again, under the recorder. (Only shims: they define nothing of their own, so
        # re-executing one leaves every class and function of the library the same object.)
        sys.modules.pop(name, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(name)
    assert [f"{w.category.__name__}: {w.message}" for w in caught] == []
    missing = [n for n in FIRST_EDITION[name] if not hasattr(module, n)]
    assert missing == [], f"{name} no longer provides {missing}"


def test_first_edition_imports_in_a_fresh_interpreter():
    """Exactly as a saved notebook of the first edition imports, warnings as errors."""
    code = "\n".join([
        *(f"from {m} import {', '.join(names)}" for m, names in FIRST_EDITION.items()),
        "from book import environments as env, invariance, loans, privacy",  # modules, as chapters 2-6 did
        "assert env.risk and invariance.laplace_privacy and privacy.yeom_bound and loans.share",
    ])
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]


def test_no_merge_conflict_markers_are_committed():
    """A merge that stops half-way leaves <<<<<<< / >>>>>>> lines that Markdown renders as text."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    marker = re.compile(r"^(<{7} |>{7} |={7}$)", re.M)
    suffixes = (".py", ".md", ".yml", ".bib", ".ipynb", ".txt", ".toml", ".css", ".cff")
    texts = [p for p in tracked if p.endswith(suffixes)]
    assert len(texts) > 50
    found = [p for p in texts if marker.search((ROOT / p).read_text(encoding="utf-8"))]
    assert not found, f"conflict markers in {found}"
