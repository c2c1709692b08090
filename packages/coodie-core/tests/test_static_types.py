"""The public API's types as a type checker sees them: mypy (strict) over typing/*.py."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SNIPPETS = Path(__file__).parent / "typing"


def test_mypy_infers_the_documented_types() -> None:
    api = pytest.importorskip("mypy.api")
    files = sorted(str(p) for p in SNIPPETS.glob("*.py"))
    assert files
    stdout, stderr, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-incremental", *files]
    )
    assert status == 0, stdout + stderr


def test_the_check_can_fail(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "from typing_extensions import assert_type\n"
        "import coodie.sync\n"
        "class P(coodie.sync.Document):\n"
        "    id: int\n"
        "assert_type(P.find().all(), list[int])\n"
    )
    stdout, _, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(wrong)])
    assert status == 1
    assert "assert_type" in stdout or "Expression is of type" in stdout
