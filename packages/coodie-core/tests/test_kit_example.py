"""examples/session_driver.py, the proof of coodie.drivers.kit: a driver over cassandra-driver's
Session in under 150 lines, from core's public helpers only (the conformance suite runs it on
the node: tests-integration/test_conformance_kit.py)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "session_driver.py"

#: The public modules a third-party driver may import from core.
PUBLIC = {
    "coodie",
    "coodie.connect",
    "coodie.drivers",
    "coodie.drivers.kit",
    "coodie.drivers.kit.cassandra",
    "coodie.exceptions",
    "coodie.model.types",  # CqlType, for the codec hooks' annotations
}


def test_the_example_driver_is_under_150_lines() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 150, f"{EXAMPLE.name} has {len(lines)} lines"


def test_the_example_driver_uses_only_public_core_names() -> None:
    tree = ast.parse(EXAMPLE.read_text(encoding="utf-8"))
    used = [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coodie")
        for alias in node.names
    ]
    assert used, "the example imports nothing from coodie?"
    private = [f"{m}.{n}" for m, n in used if m not in PUBLIC or n.startswith("_")]
    assert not private, f"non-public imports: {private}"
    for module, name in used:
        imported = importlib.import_module(module)
        value = getattr(imported, name, None) or importlib.import_module(f"{module}.{name}")
        exported = name in getattr(imported, "__all__", ()) or isinstance(value, ModuleType)
        assert exported or module == "coodie.model.types", f"{module}.{name} is not exported"
