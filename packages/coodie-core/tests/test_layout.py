"""The source layout keeps its layers and its sizes (docs/architecture.md is the map).

Each sub-package of ``coodie`` is a layer; a module may import from its own layer and the ones
below, never above (``TYPE_CHECKING`` imports included: a type hint pointing up is a design
smell too). Classes stay under 250 lines everywhere, core modules under 400.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGES = Path(__file__).resolve().parents[2]
CORE = PACKAGES / "coodie-core" / "src" / "coodie"

#: Bottom to top. Groups on one line form a tier and may import each other.
LAYERS: list[set[str]] = [
    {"exceptions", "fields"},
    {"model"},  # annotations -> CQL types, identifiers, table schema
    {"cql"},  # CQL text
    {"drivers"},  # the driver boundary: Statement, ResultPage, AbstractDriver
    {"connections", "connect", "plugins"},  # named connections, connect record, plugins
    {"query"},  # query state and its validation
    {"mapping"},  # codecs, generated code, statements and outcomes per model
    {"api"},  # what the two API shells share
    {"aio", "sync"},  # the API shells (sync generated from aio)
    {"migrate"},  # migration files, their state in the cluster, autogenerate, data scans
    {"testing", "__init__", "__main__", "cli"},
]
RANK = {name: rank for rank, tier in enumerate(LAYERS) for name in tier}
MAX_CLASS_LINES = 250
MAX_CORE_MODULE_LINES = 400


def layer_of(module: str) -> str:
    """``coodie.model.schema`` -> ``model``; ``coodie`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "coodie":
                found += [(node.lineno, f"coodie.{alias.name}") for alias in node.names]
            elif node.module.startswith("coodie."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("coodie.")]
    return found


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_every_core_module_belongs_to_a_layer() -> None:
    unplaced = {
        layer_of(".".join(p.relative_to(CORE.parent).with_suffix("").parts)) for p in core_modules()
    } - set(RANK)
    assert not unplaced, f"add these to LAYERS (and docs/architecture.md): {sorted(unplaced)}"


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(CORE)))
def test_imports_point_down_or_across(path: Path) -> None:
    module = ".".join(path.relative_to(CORE.parent).with_suffix("").parts)
    own = RANK[layer_of(module)]
    upward = [
        f"line {line}: {target}"
        for line, target in imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if RANK.get(layer_of(target), -1) > own
    ]
    assert not upward, f"{module} imports from a layer above it: {upward}"


def test_no_class_is_over_the_limit() -> None:
    too_big = []
    for path in sorted(PACKAGES.glob("*/src/**/*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                size = node.end_lineno - node.lineno + 1
                if size > MAX_CLASS_LINES:
                    too_big.append(f"{path.relative_to(PACKAGES)}: {node.name} ({size} lines)")
    assert not too_big


def test_no_core_module_is_over_the_limit() -> None:
    too_big = [
        f"{p.relative_to(CORE)} ({n} lines)"
        for p in core_modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_CORE_MODULE_LINES
    ]
    assert not too_big
