"""``upgrade``, ``downgrade`` and ``status``: the chain of files against what ran."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coodie.exceptions import MigrationError
from coodie.migrate.coroutines import run_to_end
from coodie.migrate.files import MigrationFile, load_chain
from coodie.migrate.operations import Operations
from coodie.migrate.state import DEFAULT_LEASE, AppliedMigration, MigrationState

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from coodie.drivers.base import AbstractDriver

__all__ = ["Migrator", "StatusLine"]


@dataclass(frozen=True)
class StatusLine:
    """One migration in ``coodie migrate status``: its revision, name and state."""

    revision: str
    name: str
    #: applied, pending, changed (applied, but the file differs), missing (no file)
    state: str
    applied: AppliedMigration | None = None

    def __str__(self) -> str:
        when = ""
        if self.applied is not None:
            when = f" ({self.applied.applied_at:%Y-%m-%d %H:%M:%S} by {self.applied.applied_by})"
        return f"{self.state:<8} {self.revision}  {self.name}{when}"


class Migrator:
    """The migration files of one folder, run against one keyspace."""

    def __init__(
        self,
        driver: AbstractDriver,
        keyspace: str,
        folder: Path,
        *,
        lease: int = DEFAULT_LEASE,
        echo: Callable[[str], None] = print,
    ) -> None:
        self.driver = driver
        self.keyspace = keyspace
        self.folder = folder
        self.state = MigrationState(driver, keyspace)
        self.lease = lease
        self.echo = echo

    def status(self) -> list[StatusLine]:
        """Every migration of the chain, and each applied one whose file is gone, with its state."""
        self.state.ensure_tables()
        applied = self.state.applied()
        lines = []
        for step in load_chain(self.folder):
            done = applied.pop(step.revision, None)
            if done is None:
                lines.append(StatusLine(step.revision, step.name, "pending"))
            else:
                state = "applied" if done.checksum == step.checksum else "changed"
                lines.append(StatusLine(step.revision, step.name, state, done))
        lines += [StatusLine(r, a.name, "missing", a) for r, a in sorted(applied.items())]
        return lines

    def upgrade(self, target: str | None = None) -> list[str]:
        """Run the pending migrations up to ``target`` (default: the last); returns their
        revisions. A changed applied file is reported, never run again."""
        self.state.ensure_tables()
        chain = load_chain(self.folder)
        end = _index(chain, target) if target else len(chain) - 1
        ran = []
        with self.state.lock(self.lease) as lock:
            applied = self.state.applied()
            for step in chain[: end + 1]:
                done = applied.get(step.revision)
                if done is not None:
                    if done.checksum != step.checksum:
                        self.echo(
                            f"warning: {step.path.name} changed after it was applied "
                            f"({done.applied_at} by {done.applied_by}); it is not run again. "
                            "Put further changes in a new migration."
                        )
                    continue
                lock.renew()
                self.echo(f"upgrade {step.revision}  {step.name}")
                _run(step, "upgrade", Operations(self.driver, self.keyspace, step.revision))
                self.state.record(step.revision, step.name, step.checksum)
                ran.append(step.revision)
        return ran

    def downgrade(self, target: str | None = None) -> list[str]:
        """Undo applied migrations, newest first, down to just after ``target`` (default:
        undo the last one; ``base``: undo all)."""
        self.state.ensure_tables()
        chain = load_chain(self.folder)
        with self.state.lock(self.lease) as lock:
            applied = self.state.applied()
            done = [s for s in chain if s.revision in applied]
            if target is None:
                undo = done[-1:]
            elif target == "base":
                undo = done
            else:
                keep = _index(chain, target)
                undo = [s for s in done if chain.index(s) > keep]
            for step in undo:
                if not step.reversible:
                    raise MigrationError(
                        f"{step.path.name} has no downgrade(op) (or sets irreversible = True): "
                        "it cannot be undone. Write a new migration that reverts it."
                    )
            reverted = []
            for step in reversed(undo):
                lock.renew()
                self.echo(f"downgrade {step.revision}  {step.name}")
                _run(step, "downgrade", Operations(self.driver, self.keyspace, step.revision))
                self.state.forget(step.revision)
                reverted.append(step.revision)
        return reverted


def _index(chain: list[MigrationFile], target: str) -> int:
    matches = [
        i for i, s in enumerate(chain) if s.revision == target or s.revision.startswith(target)
    ]
    if len(matches) != 1:
        known = ", ".join(s.revision for s in chain) or "none"
        what = "matches no" if not matches else "matches more than one"
        raise MigrationError(f"{target!r} {what} revision. Revisions: {known}.")
    return matches[0]


def _run(step: MigrationFile, which: str, op: Operations) -> None:
    body = getattr(step.module, which)
    if inspect.iscoroutinefunction(body):
        run_to_end(body(op))
    else:
        body(op)
