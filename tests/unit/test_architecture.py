"""Layering rules that keep the product maintainable."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_app_never_imports_streamlit() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "app").rglob("*.py")
        if any(name == "streamlit" or name.startswith("streamlit.") for name in _imports(p))
    ]
    assert offenders == []


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
    allowed = {"app/ml/evaluate.py", "app/db/orm.py", "app/world/generate.py", "app/world/fingerprint.py"}
    offenders = []
    for p in list((ROOT / "app").rglob("*.py")) + list((ROOT / "pages").rglob("*.py")) + list((ROOT / "components").rglob("*.py")):
        rel = str(p.relative_to(ROOT))
        text = p.read_text(encoding="utf-8")
        if rel not in allowed and ("TruthPosting" in text or "TruthSeeker" in text or "truth_postings" in text or "truth_seekers" in text):
            offenders.append(rel)
    assert offenders == []
