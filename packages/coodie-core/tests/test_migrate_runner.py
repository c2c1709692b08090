"""upgrade / downgrade / status against a fake keyspace that keeps the migrations table and
the lock in memory (the node tests run the same against Cassandra)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from coodie.drivers.statement import ResultPage, Statement
from coodie.exceptions import MigrationError, MigrationLockedError
from coodie.migrate import Migrator
from coodie.migrate.files import new_migration
from coodie.migrate.state import MigrationState
from coodie.testing import RecordingDriver

if TYPE_CHECKING:
    from pathlib import Path


class FakeKeyspace:
    """Answers the statements of coodie.migrate.state from memory."""

    def __init__(self) -> None:
        self.history: dict[str, tuple[Any, ...]] = {}
        self.lock_owner: str | None = None

    def __call__(self, statement: Statement) -> ResultPage | None:
        cql, values = statement.cql, list(statement.values)
        if cql.startswith("INSERT INTO shop.coodie_migration_lock"):
            if self.lock_owner is not None:
                return ResultPage(["[applied]", "owner", "since"], [(False, self.lock_owner, None)])
            self.lock_owner = values[0]
            return ResultPage(["[applied]"], [(True,)])
        if cql.startswith("UPDATE shop.coodie_migration_lock"):
            ok = self.lock_owner == values[2]
            return ResultPage(["[applied]", "owner"], [(ok, None if ok else self.lock_owner)])
        if cql.startswith("DELETE FROM shop.coodie_migration_lock"):
            self.lock_owner = None
            return ResultPage(["[applied]"], [(True,)])
        if cql.startswith("INSERT INTO shop.coodie_migrations"):
            self.history[values[0]] = (values[0], values[1], values[2], None, values[3])
        elif cql.startswith("DELETE FROM shop.coodie_migrations"):
            del self.history[values[0]]
        elif cql.startswith("SELECT revision"):
            return ResultPage(["revision"], list(self.history.values()))
        return None


@pytest.fixture
def keyspace() -> FakeKeyspace:
    return FakeKeyspace()


def migrator(folder: Path, keyspace: FakeKeyspace) -> tuple[Migrator, RecordingDriver]:
    driver = RecordingDriver(responder=keyspace)  # type: ignore[arg-type]
    return Migrator(driver, "shop", folder, echo=lambda _: None), driver


def steps(folder: Path, count: int) -> list[str]:
    revisions = []
    for number in range(count):
        path = new_migration(
            folder,
            f"step {number}",
            upgrade=f"    op.execute('UP {number}')",
            downgrade=f"    op.execute('DOWN {number}')",
        )
        revisions.append(path.read_text().split('revision = "')[1].split('"')[0])
    return revisions


def sent(driver: RecordingDriver) -> list[str]:
    return [c for c in driver.cql if c.startswith(("UP ", "DOWN "))]


def test_upgrade_runs_pending_steps_once_in_order(tmp_path: Path, keyspace: FakeKeyspace) -> None:
    revisions = steps(tmp_path, 3)
    runner, driver = migrator(tmp_path, keyspace)
    assert runner.upgrade(revisions[1][:16] + revisions[1][16:]) == revisions[:2]
    assert [line.state for line in runner.status()] == ["applied", "applied", "pending"]
    assert runner.upgrade() == revisions[2:]
    assert runner.upgrade() == []
    assert sent(driver) == ["UP 0", "UP 1", "UP 2"]
    assert keyspace.lock_owner is None  # released


def test_downgrade_undoes_newest_first(tmp_path: Path, keyspace: FakeKeyspace) -> None:
    revisions = steps(tmp_path, 3)
    runner, driver = migrator(tmp_path, keyspace)
    runner.upgrade()
    assert runner.downgrade() == revisions[2:]
    assert runner.downgrade("base") == [revisions[1], revisions[0]]
    assert sent(driver)[3:] == ["DOWN 2", "DOWN 1", "DOWN 0"]
    runner.upgrade()
    assert runner.downgrade(revisions[0]) == [revisions[2], revisions[1]]


def test_a_changed_file_is_reported_and_not_run_again(
    tmp_path: Path, keyspace: FakeKeyspace
) -> None:
    steps(tmp_path, 1)
    messages: list[str] = []
    runner, driver = migrator(tmp_path, keyspace)
    runner.echo = messages.append
    runner.upgrade()
    path = next(tmp_path.glob("*.py"))
    path.write_text(path.read_text().replace("UP 0", "UP changed"))
    assert runner.upgrade() == []
    assert "changed after it was applied" in messages[-1]
    assert [line.state for line in runner.status()] == ["changed"]
    assert sent(driver) == ["UP 0"]
    path.unlink()
    assert [line.state for line in runner.status()] == ["missing"]


def test_the_lock_held_by_another_process_stops_upgrade(
    tmp_path: Path, keyspace: FakeKeyspace
) -> None:
    steps(tmp_path, 1)
    keyspace.lock_owner = "db1/4242/abcd"
    runner, driver = migrator(tmp_path, keyspace)
    with pytest.raises(MigrationLockedError, match="db1/4242/abcd holds the migration lock"):
        runner.upgrade()
    assert sent(driver) == []


def test_a_lost_lease_stops_before_the_next_step(tmp_path: Path, keyspace: FakeKeyspace) -> None:
    driver = RecordingDriver(responder=keyspace)  # type: ignore[arg-type]
    lock = MigrationState(driver, "shop").lock(30)
    lock.acquire()
    keyspace.lock_owner = "someone else"
    with pytest.raises(MigrationLockedError, match="expired and someone else took it"):
        lock.renew()


def test_unknown_targets_and_irreversible_steps(tmp_path: Path, keyspace: FakeKeyspace) -> None:
    steps(tmp_path, 1)
    path = new_migration(tmp_path, "one way")
    path.write_text(path.read_text() + "\nirreversible = True\n")
    runner, driver = migrator(tmp_path, keyspace)
    with pytest.raises(MigrationError, match="'nope' matches no revision"):
        runner.upgrade("nope")
    with pytest.raises(MigrationError, match="matches more than one revision"):
        runner.upgrade("2")
    runner.upgrade()
    with pytest.raises(MigrationError, match="cannot be undone"):
        runner.downgrade("base")
    assert sent(driver) == ["UP 0"]


def test_async_bodies_run_too(tmp_path: Path, keyspace: FakeKeyspace) -> None:
    path = new_migration(tmp_path, "async")
    text = path.read_text().replace(
        "def upgrade(op: Operations) -> None:\n    pass",
        "async def upgrade(op: Operations) -> None:\n    op.execute('UP async')",
    )
    path.write_text(text)
    runner, driver = migrator(tmp_path, keyspace)
    runner.upgrade()
    assert sent(driver) == ["UP async"]


def test_the_lease_is_renewed_while_a_long_step_runs(
    tmp_path: Path, keyspace: FakeKeyspace
) -> None:
    path = new_migration(tmp_path, "slow")
    path.write_text(path.read_text().replace("    pass", "    __import__('time').sleep(1.2)", 1))
    runner, driver = migrator(tmp_path, keyspace)
    runner.lease = 1
    runner.upgrade()
    renewals = [c for c in driver.cql if c.startswith("UPDATE shop.coodie_migration_lock")]
    assert len(renewals) >= 3  # one before the step, two or more from the keeper meanwhile


def test_a_lease_lost_in_the_background_stops_the_next_step(
    tmp_path: Path, keyspace: FakeKeyspace
) -> None:
    driver = RecordingDriver(responder=keyspace)  # type: ignore[arg-type]
    with MigrationState(driver, "shop").lock(1) as lock:
        keyspace.lock_owner = "the next deploy"
        time.sleep(0.8)
        with pytest.raises(MigrationLockedError, match="the next deploy took it"):
            lock.renew()
