"""docs/guide.md runs: its Python blocks, in order, as one script against the real node."""

from __future__ import annotations

from pathlib import Path

import pytest

import coodie.sync

pytestmark = pytest.mark.integration

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide.md"
DRIVERS = ["cassandra", "acsylla"]


def guide_script(hosts: list[str], driver_type: str) -> str:
    """The guide's Python blocks, everything else blanked so line numbers match the file."""
    lines = []
    inside = False
    blocks = 0
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line == "```python"
            blocks += inside
            lines.append("")
        else:
            lines.append(line if inside else "")
    assert blocks >= 10, "docs/guide.md lost its examples"
    script = "\n".join(lines) + "\n"
    for old, new in (
        ('HOSTS = ["127.0.0.1"]', f"HOSTS = {hosts!r}"),
        ('DRIVER = "cassandra"', f"DRIVER = {driver_type!r}"),
        # a clean slate even if an earlier run stopped half way (same line: numbers match)
        ('create_keyspace("guide"', 'drop_keyspace("guide"); create_keyspace("guide"'),
    ):
        assert old in script, f"docs/guide.md no longer contains {old!r}"
        script = script.replace(old, new, 1)
    return script


@pytest.mark.parametrize("driver_type", DRIVERS)
def test_the_guide_runs(coodie_contact_points: list[str], driver_type: str) -> None:
    script = guide_script(coodie_contact_points, driver_type)
    try:
        # dont_inherit: this module's `from __future__ import annotations` must not apply
        exec(compile(script, str(GUIDE), "exec", dont_inherit=True), {"__name__": "guide"})
    finally:
        coodie.sync.close_coodie()
