"""Schema migrations: migration files, their state in the cluster, autogenerate, data scans.

``coodie migrate ...`` (coodie.cli) is the command line over this package; migration files
import :class:`Operations` for their ``upgrade(op)`` / ``downgrade(op)`` bodies.
"""

from __future__ import annotations

from coodie.migrate.data import ScanReport, scan_async, token_ranges
from coodie.migrate.operations import Operations
from coodie.migrate.runner import Migrator, StatusLine

__all__ = ["Migrator", "Operations", "ScanReport", "StatusLine", "scan_async", "token_ranges"]
