"""What ran, kept in the keyspace itself, and the lock that keeps migrations one at a time.

The lock is a row written with a lightweight transaction (``IF NOT EXISTS``) and a TTL: a
process that dies leaves a lease that expires by itself, and a live one renews it
(``UPDATE ... IF owner = ?``) from a background thread every third of the lease, so a long
step (a data migration) keeps it, and once more before each step, which stops the run if
the lease was lost.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coodie.drivers.statement import Statement
from coodie.exceptions import MigrationLockedError
from coodie.model.identifiers import check_identifier, quote

if TYPE_CHECKING:
    from datetime import datetime

    from coodie.drivers.base import AbstractDriver

__all__ = ["AppliedMigration", "MigrationLock", "MigrationState", "whoami"]

HISTORY = "coodie_migrations"
LOCK = "coodie_migration_lock"
DEFAULT_LEASE = 300


def whoami() -> str:
    """``host/pid``: who ran a migration, or holds the lock."""
    return f"{socket.gethostname()}/{os.getpid()}"


@dataclass(frozen=True)
class AppliedMigration:
    """A row of the migration history table."""

    revision: str
    name: str
    checksum: str
    applied_at: datetime | None
    applied_by: str


class MigrationState:
    """The ``coodie_migrations`` table of one keyspace."""

    def __init__(self, driver: AbstractDriver, keyspace: str) -> None:
        self.driver = driver
        self.space = quote(check_identifier(keyspace, "keyspace", "coodie migrate"))

    def ensure_tables(self) -> None:
        """Create the history and lock tables if they do not exist."""
        for cql in (
            f"CREATE TABLE IF NOT EXISTS {self.space}.{HISTORY} (revision text PRIMARY KEY, "
            "name text, checksum text, applied_at timestamp, applied_by text)",
            f"CREATE TABLE IF NOT EXISTS {self.space}.{LOCK} (name text PRIMARY KEY, "
            "owner text, since timestamp)",
        ):
            self.driver.execute(Statement(cql, prepare=False))

    def applied(self) -> dict[str, AppliedMigration]:
        """The applied migrations by revision."""
        page = self.driver.execute(
            Statement(
                f"SELECT revision, name, checksum, applied_at, applied_by FROM "
                f"{self.space}.{HISTORY}"
            )
        )
        return {row[0]: AppliedMigration(*row) for row in page.rows}

    def record(self, revision: str, name: str, checksum: str) -> None:
        """Write ``revision`` to the history as applied now, by this host and process."""
        self.driver.execute(
            Statement(
                f"INSERT INTO {self.space}.{HISTORY} (revision, name, checksum, applied_at, "
                "applied_by) VALUES (?, ?, ?, toTimestamp(now()), ?)",
                [revision, name, checksum, whoami()],
            )
        )

    def forget(self, revision: str) -> None:
        """Remove ``revision`` from the history (it was downgraded)."""
        self.driver.execute(
            Statement(f"DELETE FROM {self.space}.{HISTORY} WHERE revision = ?", [revision])
        )

    def lock(self, lease: int = DEFAULT_LEASE) -> MigrationLock:
        """The migration lock of this keyspace, held for ``lease`` seconds at a time."""
        return MigrationLock(self, lease)


class MigrationLock:
    """``with state.lock():`` holds the keyspace's migration lock, or raises
    MigrationLockedError naming who holds it."""

    def __init__(self, state: MigrationState, lease: int) -> None:
        self.state = state
        self.lease = int(lease)
        self.owner = f"{whoami()}/{uuid.uuid4().hex[:8]}"
        self._released = threading.Event()
        self._keeper: threading.Thread | None = None
        #: The error of a background renewal; renew() raises it.
        self.lost: MigrationLockedError | None = None

    def _run(self, cql: str, values: list[Any]) -> tuple[bool, dict[str, Any]]:
        page = self.state.driver.execute(Statement(cql, values))
        row = dict(zip(page.columns, page.rows[0], strict=True)) if page.rows else {}
        return bool(row.get("[applied]", False)), row

    def acquire(self) -> None:
        """Take the lock (an LWT insert with a TTL); MigrationLockedError naming the holder if
        taken."""
        applied, row = self._run(
            f"INSERT INTO {self.state.space}.{LOCK} (name, owner, since) VALUES "
            "('migrate', ?, toTimestamp(now())) IF NOT EXISTS USING TTL ?",
            [self.owner, self.lease],
        )
        if not applied:
            raise MigrationLockedError(
                f"{row.get('owner')} holds the migration lock of {self.state.space} since "
                f"{row.get('since')}: wait for it to finish (its lease expires at most "
                f"{self.lease} s after its last step), then run the command again."
            )

    def renew(self) -> None:
        """Extend the lease while this process still owns the lock; MigrationLockedError once it
        lost it."""
        if self.lost is not None:
            raise self.lost
        applied, row = self._run(
            f"UPDATE {self.state.space}.{LOCK} USING TTL ? SET owner = ?, since = "
            "toTimestamp(now()) WHERE name = 'migrate' IF owner = ?",
            [self.lease, self.owner, self.owner],
        )
        if not applied:
            raise MigrationLockedError(
                f"the migration lock of {self.state.space} expired and {row.get('owner')} took "
                "it: stop here and run the command again. Raise the lease for longer steps."
            )

    def _keep_alive(self) -> None:
        while not self._released.wait(self.lease / 3):
            try:
                self.renew()
            except MigrationLockedError as error:
                self.lost = error
                return
            except Exception:  # a renewal that timed out: the next one may pass, in time
                continue

    def release(self) -> None:
        """Stop renewing and delete the lock if this process still owns it."""
        self._released.set()
        if self._keeper is not None:
            self._keeper.join()
        self._run(
            f"DELETE FROM {self.state.space}.{LOCK} WHERE name = 'migrate' IF owner = ?",
            [self.owner],
        )

    def __enter__(self) -> MigrationLock:
        self.acquire()
        self._keeper = threading.Thread(
            target=self._keep_alive, name="coodie-migration-lease", daemon=True
        )
        self._keeper.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
