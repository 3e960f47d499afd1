"""Layering rules that keep the product maintainable (docs/architecture.md, "Who may import whom").

The import contracts live in ``pyproject.toml`` (import-linter); this module runs them and adds what
import-linter does not express: no import cycle anywhere in ``app/``, and pages and components
importing each capability through its package only.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
CAPABILITY_PACKAGES = tuple(sorted(p.name for p in (ROOT / "app" / "services").iterdir() if (p / "__init__.py").is_file()))
"""Every capability package under app/services (found, not listed: a new one is checked too)."""
UI_FORBIDDEN = ("app.db", "app.ml", "app.verify", "app.llm", "app.search", "app.world", "app.cli", "app.build")
"""What pages and components never import directly (they go through ``app.services``)."""
UI_ALLOWED_EXCEPTIONS = {("components/resources.py", "app.db.engine")}
"""The one place the UI gets the engine factory from (every query still goes through a service)."""


def _imports(path: Path, *, type_checking: bool = True) -> set[str]:
    """Modules (and ``module.name``) a file imports; ``type_checking=False`` skips ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if not type_checking:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped |= {id(n) for n in ast.walk(node)}
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Groups of two or more modules that import each other, directly or in a ring (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


# --------------------------------------------------------------------------- contracts


def test_import_contracts_are_kept() -> None:
    """Streamlit-free logic, who may import the world and the ORM, the foundation layer, the UI seam."""
    # import-linter's CLI configures logging with dictConfig, which disables every logger that
    # exists already (the product's own among them); later tests that read those logs would see
    # nothing, so their state is put back.
    loggers = [lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    disabled = {lg: lg.disabled for lg in loggers}
    try:
        assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0
    finally:
        for lg, was_disabled in disabled.items():
            lg.disabled = was_disabled


def test_cycle_finder_finds_rings_and_ignores_chains() -> None:
    assert strongly_connected({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]
    assert strongly_connected({"a": ["b"], "b": ["c"], "c": []}) == []


def test_no_import_cycles_in_app() -> None:
    """Lazy imports inside functions count too: a cycle hidden in a function is still a cycle."""
    graph = grimp.build_graph("app", exclude_type_checking_imports=True)
    edges = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    assert strongly_connected(edges) == []


def test_app_never_imports_streamlit() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "app").rglob("*.py")
        if any(name == "streamlit" or name.startswith("streamlit.") for name in _imports(p))
    ]
    assert offenders == []


# --------------------------------------------------------------------------- the UI seam


def _ui_files() -> list[Path]:
    return sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "components").glob("*.py")) + [ROOT / "streamlit_app.py"]


@pytest.mark.parametrize("path", _ui_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_and_components_import_capability_packages_only(path: Path) -> None:
    rel = str(path.relative_to(ROOT))
    offenders = []
    for name in _imports(path, type_checking=False):
        parts = name.split(".")
        if parts[:2] == ["app", "services"] and len(parts) > 3 and parts[2] in CAPABILITY_PACKAGES:
            submodule = ".".join(parts[:4])
            if importlib.util.find_spec(submodule) is not None:  # a name from the package is fine
                offenders.append(name)
        elif name.startswith(UI_FORBIDDEN) and not any(name.startswith(m) for r, m in UI_ALLOWED_EXCEPTIONS if r == rel):
            offenders.append(name)
    assert offenders == [], f"{rel} reaches past the capability packages: {sorted(offenders)}"


def test_the_capability_packages_are_found() -> None:
    assert {"hiring", "employment", "ads", "posting"} <= set(CAPABILITY_PACKAGES)


@pytest.mark.parametrize("package", CAPABILITY_PACKAGES)
def test_capability_packages_export_what_the_ui_uses(package: str) -> None:
    module = importlib.import_module(f"app.services.{package}")
    exported = set(module.__all__)
    assert all(hasattr(module, name) for name in exported)
    used = set()
    for path in _ui_files():
        for name in _imports(path):
            prefix = f"app.services.{package}."
            if name.startswith(prefix) and name.count(".") == 3:
                used.add(name.removeprefix(prefix))
    assert used <= exported, f"imported but not in __all__: {sorted(used - exported)}"


# --------------------------------------------------------------------------- truth stays out of the models


def test_models_never_import_truth_equations() -> None:
    """Only the world generator samples from truth.py; app/ml, services and pages never import it."""
    offenders = []
    for folder in ("app/ml", "app/services", "app/db", "pages", "components"):
        for p in (ROOT / folder).rglob("*.py"):
            if any(name.startswith("app.world.truth") for name in _imports(p)):
                offenders.append(str(p.relative_to(ROOT)))
    assert offenders == []


def test_only_evaluation_reads_truth_tables() -> None:
    """truth_* tables are read by evaluation code only (no feature may come from them)."""
    allowed = {"app/ml/evaluate.py", "app/db/orm.py", "app/world/generate.py", "app/db/fingerprint.py",
               "app/world/match_oracle.py", "app/world/activity.py", "app/world/matching.py", "app/world/truth.py",
               "app/world/jobs.py"}
    names = ("TruthPosting", "TruthSeeker", "TruthMatchSeeker", "TruthPair", "truth_postings", "truth_seekers",
             "truth_match_seekers", "truth_pairs", "TruthCertificateValue", "truth_certificate_values")
    offenders = []
    for p in list((ROOT / "app").rglob("*.py")) + list((ROOT / "pages").rglob("*.py")) + list((ROOT / "components").rglob("*.py")):
        rel = str(p.relative_to(ROOT))
        text = p.read_text(encoding="utf-8")
        if rel not in allowed and any(name in text for name in names):
            offenders.append(rel)
    assert offenders == []
