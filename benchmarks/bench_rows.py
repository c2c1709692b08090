"""The rows every real-node benchmark variant reads and writes (standard library only).

``real_node.py`` and ``upstream_runner.py`` both build their arguments from here, so coodie 2
and upstream coodie 1.9.3 (which runs in its own venv and cannot import coodie 2) work on
identical rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

KEYSPACE = "coodie_bench"
ROWS_PER_PARTITION = 1_000
STREAM_ROWS = 100_000
STREAM_PARTITIONS = STREAM_ROWS // ROWS_PER_PARTITION
ITEMS = 1_000  # pre-populated items: 100 categories x 10 rows
CATEGORIES = 100
FETCH = 5_000  # page size for streaming (cassandra-driver's default)
BASE_TIME = dt.datetime(2026, 1, 1)

ITEM_COLS = "id, name, category, price, qty, tags, labels, created, note"
WIDE_COLS = "bucket, seq, name, price, qty, created"
ITEM_IDS = [uuid.UUID(int=i + 1) for i in range(ITEMS)]


def item_fields(key: uuid.UUID, i: int) -> dict[str, Any]:
    return {
        "id": key,
        "name": f"item {i}",
        "category": f"cat{i % CATEGORIES}",
        "price": 1.5 + i,
        "qty": 10 * i,
        "tags": ["a", "b"],
        "labels": {"x", "y"},
        "created": BASE_TIME + dt.timedelta(seconds=i),
        "note": "n",
    }


def wide_fields(bucket: int, seq: int) -> dict[str, Any]:
    return {
        "bucket": bucket,
        "seq": seq,
        "name": f"row {seq}",
        "price": seq * 0.5,
        "qty": seq,
        "created": BASE_TIME + dt.timedelta(milliseconds=seq),
    }


def key_pool(n: int, fresh: bool = False) -> list[uuid.UUID]:
    """Keys for the write operations: fixed ones (rewritten every round), or new ones for
    IF NOT EXISTS, which must find no row."""
    return [uuid.uuid4() if fresh else uuid.UUID(int=10**9 + i) for i in range(n)]


def existing_fields(n: int) -> list[dict[str, Any]]:
    """Fields of ``n`` pre-populated items (cycling), for updates of rows that exist."""
    return [item_fields(ITEM_IDS[i % ITEMS], i % ITEMS) for i in range(n)]


def new_fields(n: int, fresh: bool = False) -> list[dict[str, Any]]:
    return [item_fields(k, i) for i, k in enumerate(key_pool(n, fresh))]


def batch_fields(n: int) -> list[list[dict[str, Any]]]:
    """``n`` batches of 100 rows, batch ``b`` filling partition ``b``."""
    return [[wide_fields(b, s) for s in range(100)] for b in range(n)]
