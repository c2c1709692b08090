"""Migration files and the migrations folder's config (no database)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coodie.exceptions import ConfigurationError, MigrationError
from coodie.migrate.config import MigrateConfig, init_folder, read_config
from coodie.migrate.files import checksum, load_chain, new_migration

if TYPE_CHECKING:
    from pathlib import Path


def write(folder: Path, name: str, revision: str, parent: str | None, body: str = "") -> Path:
    path = folder / f"{name}.py"
    path.write_text(
        f"revision = {revision!r}\nparent = {parent!r}\n\ndef upgrade(op):\n    pass\n{body}",
        encoding="utf-8",
    )
    return path


def test_new_migrations_chain_after_the_last_one(tmp_path: Path) -> None:
    first = new_migration(tmp_path, "Create products!")
    second = new_migration(tmp_path, "add colour", upgrade="    op.execute('SELECT 1')")
    assert first.name == "0001_create_products.py"
    chain = load_chain(tmp_path)
    assert [step.path for step in chain] == [first, second]
    assert chain[0].parent is None
    assert chain[1].parent == chain[0].revision
    assert chain[1].name == "add colour"
    assert chain[1].reversible
    assert "op.execute('SELECT 1')" in second.read_text(encoding="utf-8")
    assert f'parent = "{chain[0].revision}"' in second.read_text(encoding="utf-8")


def test_the_chain_follows_parents_not_file_names(tmp_path: Path) -> None:
    write(tmp_path, "a", "r2", "r1")
    write(tmp_path, "b", "r1", None)
    assert [s.revision for s in load_chain(tmp_path)] == ["r1", "r2"]


def test_a_fork_a_lost_parent_and_a_duplicate_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a", "r1", None)
    write(tmp_path, "b", "r2", "r1")
    fork = write(tmp_path, "c", "r3", "r1")
    with pytest.raises(MigrationError, match="all follow r1: migrations form one line"):
        load_chain(tmp_path)
    fork.unlink()
    write(tmp_path, "c", "r3", "nowhere")
    with pytest.raises(MigrationError, match=r"c\.py name a parent no migration has"):
        load_chain(tmp_path)
    write(tmp_path, "c", "r2", "r1")
    with pytest.raises(MigrationError, match="revision 'r2' is in both"):
        load_chain(tmp_path)


def test_a_file_without_revision_or_upgrade_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("parent = None\n", encoding="utf-8")
    with pytest.raises(MigrationError, match="set revision"):
        load_chain(tmp_path)
    (tmp_path / "x.py").write_text("revision = 'r'\n", encoding="utf-8")
    with pytest.raises(MigrationError, match=r"define upgrade\(op\)"):
        load_chain(tmp_path)


def test_irreversible_and_missing_downgrade(tmp_path: Path) -> None:
    write(tmp_path, "a", "r1", None)
    write(tmp_path, "b", "r2", "r1", "\ndef downgrade(op):\n    pass\nirreversible = True\n")
    assert [s.reversible for s in load_chain(tmp_path)] == [False, False]


def test_the_checksum_changes_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a", "r1", None)
    before = checksum(path)
    path.write_text(path.read_text() + "# edited\n")
    assert checksum(path) != before


def test_config_written_by_init_reads_back(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    init_folder(MigrateConfig(folder, "app.models", "10.0.0.1:9042", "shop", "acsylla"))
    config = read_config(folder)
    assert config == MigrateConfig(folder, "app.models", "10.0.0.1:9042", "shop", "acsylla")
    assert config.versions.is_dir()
    assert config.overridden(keyspace="other", hosts=None).keyspace == "other"
    assert config.overridden(keyspace="other", hosts=None).hosts == "10.0.0.1:9042"
    with pytest.raises(ConfigurationError, match="already exists"):
        init_folder(config)


def test_config_problems_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="run 'coodie migrate init' first"):
        read_config(tmp_path)
    (tmp_path / "coodie.ini").write_text("[other]\n")
    with pytest.raises(ConfigurationError, match=r"needs a \[coodie\] section"):
        read_config(tmp_path)
    (tmp_path / "coodie.ini").write_text("[coodie]\nkeyspce = x\n")
    with pytest.raises(ConfigurationError, match=r"unknown keys \['keyspce'\]"):
        read_config(tmp_path)
