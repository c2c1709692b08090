"""Migration files: one Python module per step, chained by ``revision`` and ``parent``."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from coodie.exceptions import MigrationError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["MigrationFile", "load_chain", "new_migration"]

_SLUG = re.compile(r"[^a-z0-9]+")

TEMPLATE = '''"""{name}

Revision {revision}, parent {parent}, created {created}.
"""

from __future__ import annotations

from coodie.migrate import Operations

revision = {revision_literal}
parent = {parent_literal}


def upgrade(op: Operations) -> None:
{upgrade}


def downgrade(op: Operations) -> None:
{downgrade}
'''


@dataclass(frozen=True)
class MigrationFile:
    """One loaded migration file."""

    revision: str
    parent: str | None
    name: str
    path: Path
    checksum: str
    module: Any

    @property
    def reversible(self) -> bool:
        """Whether the file has a ``downgrade`` and is not marked ``irreversible``."""
        return callable(getattr(self.module, "downgrade", None)) and not getattr(
            self.module, "irreversible", False
        )


def checksum(path: Path) -> str:
    """What the migrations table stores, so a file edited after it ran is noticed."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:32]


def _load(path: Path) -> MigrationFile:
    spec = importlib.util.spec_from_file_location(f"coodie_migration_{path.stem}", path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py path always loads
        raise MigrationError(f"{path}: cannot be loaded as a Python module.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    revision = getattr(module, "revision", None)
    if not isinstance(revision, str) or not revision:
        raise MigrationError(f"{path}: set revision = '...' (a unique id) at the top level.")
    if not callable(getattr(module, "upgrade", None)):
        raise MigrationError(f"{path}: define upgrade(op) (def or async def).")
    parent = getattr(module, "parent", None)
    doc = (module.__doc__ or path.stem).strip().splitlines()
    return MigrationFile(
        revision, parent, doc[0] if doc else path.stem, path, checksum(path), module
    )


def load_chain(folder: Path) -> list[MigrationFile]:
    """The migration files of ``folder`` in order, from the first (``parent = None``) on.

    Refuses a chain that forks, has no start, two starts or a file no chain reaches.
    """
    files = [_load(p) for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")]
    by_revision: dict[str, MigrationFile] = {}
    children: dict[str | None, list[MigrationFile]] = {}
    for found in files:
        if found.revision in by_revision:
            raise MigrationError(
                f"revision {found.revision!r} is in both {by_revision[found.revision].path} and "
                f"{found.path}: give one of them a new revision."
            )
        by_revision[found.revision] = found
        children.setdefault(found.parent, []).append(found)
    for parent, kids in children.items():
        if len(kids) > 1:
            names = ", ".join(k.path.name for k in kids)
            raise MigrationError(
                f"{names} all follow {parent or 'the start'}: migrations form one line. Set "
                "the parent of all but one to the revision before it."
            )
    chain: list[MigrationFile] = []
    current: str | None = None
    while current in children:
        step = children[current][0]
        chain.append(step)
        current = step.revision
    if len(chain) != len(files):
        lost = sorted(f.path.name for f in files if f not in chain)
        raise MigrationError(
            f"{', '.join(lost)} name a parent no migration has: fix their parent = '...'."
        )
    return chain


def new_migration(
    folder: Path, name: str, *, upgrade: str = "    pass", downgrade: str = "    pass"
) -> Path:
    """Write a migration after the last one of ``folder`` and return its path."""
    chain = load_chain(folder)
    parent = chain[-1].revision if chain else None
    now = datetime.now(timezone.utc)
    revision = f"{now:%Y%m%d%H%M%S}_{uuid.uuid4().hex[:6]}"
    slug = _SLUG.sub("_", name.lower()).strip("_")[:40] or "migration"
    path = folder / f"{len(chain) + 1:04d}_{slug}.py"  # names sort in chain order
    text = TEMPLATE.format(
        name=name.replace('"""', "'''"),
        revision=revision,
        parent=parent,
        revision_literal=json.dumps(revision),
        parent_literal=json.dumps(parent) if parent else "None",
        created=f"{now:%Y-%m-%d %H:%M} UTC",
        upgrade=upgrade,
        downgrade=downgrade,
    )
    path.write_text(text, encoding="utf-8")
    return path
