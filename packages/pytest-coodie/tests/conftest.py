"""Shared fixtures of pytest-coodie's own tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def state_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the CLI records its node in this test (COODIE_STATE_FILE, not written yet)."""
    path = tmp_path / "state.json"
    monkeypatch.setenv("COODIE_STATE_FILE", str(path))
    return path
