"""Layering rules: core never imports streamlit; SQL lives only in pci_metrics/store; pages stay thin."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

CORE = [p for p in (ROOT / "pci_metrics").rglob("*.py") if "ui" not in p.relative_to(ROOT / "pci_metrics").parts]
SQL = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b",
                 re.IGNORECASE | re.DOTALL)


def imports(path) -> set[str]:
    tree = ast.parse(path.read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def test_core_never_imports_streamlit():
    offenders = [str(p) for p in CORE if "streamlit" in imports(p)]
    assert not offenders


def test_sql_only_in_the_store():
    store = ROOT / "pci_metrics" / "store"
    offenders = []
    for path in [*ROOT.joinpath("pci_metrics").rglob("*.py"), *ROOT.joinpath("pages").rglob("*.py"),
                 ROOT / "app.py"]:
        if path.parent == store:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders


def test_pages_are_thin():
    for path in ROOT.joinpath("pages").rglob("*.py"):
        names = imports(path)
        assert not names & {"duckdb", "sqlite3"}, path
        assert len(path.read_text().splitlines()) < 200, f"{path.name} is not thin"
