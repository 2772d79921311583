"""The package's shape, as docs/architecture.md draws it: layers that only import downwards, no
import cycles (imports inside functions counted), sizes a newcomer can hold, and comments that say
what the code does rather than which work item made it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "pci_metrics"
MODULES = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
           for p in PACKAGE.rglob("*.py")}

# What each package may import from pci_metrics (besides itself). The base knows nothing of the
# rest; the domain is pure; the store knows the domain's rules it checks on write; nothing below the
# user interface and the command line imports them.
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "domain": {"base"},
    "store": {"base", "domain"},
    "trust": {"base", "domain", "store"},
    "imports": {"base", "domain", "store", "trust"},
    "views": {"base", "domain", "store", "trust", "imports"},
    "outputs": {"base", "domain", "store", "trust", "imports", "views"},
    "ops": {"base", "domain", "store", "trust", "imports", "views"},
    "cli": {"base", "domain", "store", "trust", "imports", "views", "outputs", "ops"},
    "ui": {"base", "domain", "store", "trust", "imports", "views", "outputs", "ops"},
}

# Declarative catalogues of strings (two languages per key) may be long; code may not.
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 60
CATALOGUES = re.compile(r"strings_\w+\.py$")


def imported_modules(module: str, path: Path) -> set[str]:
    """The pci_metrics modules ``module`` imports anywhere in its file (inside functions too):
    ``from pci_metrics.store import storage`` names the module ``pci_metrics.store.storage``."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pci_metrics")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                source = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                source = node.module or ""
            if not source.startswith("pci_metrics"):
                continue
            for alias in node.names:
                child = f"{source}.{alias.name}"
                found.add(child if child in MODULES else source)
    return {m for m in found if m in MODULES and m != module}


GRAPH = {m: imported_modules(m, p) for m, p in MODULES.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None.

    >>> find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}), find_cycle({"a": {"b"}, "b": set()})
    (['a', 'b', 'c', 'a'], None)
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import(tmp_path):
    a = tmp_path / "a.py"
    a.write_text("def f():\n    from pci_metrics.base import i18n\n")
    assert imported_modules("pci_metrics.base.other", a) == {"pci_metrics.base.i18n"}


def test_no_import_cycles_counting_imports_inside_functions():
    assert find_cycle(GRAPH) is None, " -> ".join(find_cycle(GRAPH) or [])


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below(package):
    offenders = []
    for module, targets in GRAPH.items():
        parts = module.split(".")
        if len(parts) < 3 or parts[1] != package:
            continue
        for target in targets:
            other = target.split(".")[1] if target.count(".") >= 1 else ""
            if other != package and other not in ALLOWED[package]:
                offenders.append(f"{module} imports {target}")
    assert not offenders, "\n".join(sorted(offenders))


def test_every_module_lives_in_a_package_by_concept():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"], top
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(ALLOWED)


def test_no_module_or_function_too_long_to_hold():
    too_long = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_MODULE_LINES and not CATALOGUES.search(path.name):
            too_long.append(f"{module}: {len(lines)} lines")
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    too_long.append(f"{module}.{node.name}: {size} lines")
    assert not too_long, "\n".join(too_long)


WORK_ITEMS = re.compile(r"\b(issue|issues)\s*#?\d+|\bsession\s+\d+|\bround\s+\d+\b", re.IGNORECASE)


def test_comments_say_what_the_code_does_not_which_work_item_made_it():
    offenders = []
    for path in [*PACKAGE.rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WORK_ITEMS.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
