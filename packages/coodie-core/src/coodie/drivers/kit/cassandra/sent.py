"""What a cassandra-driver request carried, read back from it for a driver's
``request_observer`` (see :mod:`coodie.drivers.sent`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.drivers.kit.cassandra.terms import BATCH_TYPES, CONSISTENCY_LEVELS
from coodie.drivers.sent import SentRequest
from coodie.drivers.statement import BatchStatement, Consistency

if TYPE_CHECKING:
    from collections.abc import Mapping

    from coodie.drivers.statement import Statement

__all__ = ["sent_request"]

#: cassandra-driver's constants -> coodie's.
_CONSISTENCIES: dict[int, Consistency] = {
    level: Consistency(name) for name, level in CONSISTENCY_LEVELS.table.items()
}


def sent_request(
    statement: Statement | BatchStatement, query: Any, kwargs: Mapping[str, Any]
) -> SentRequest:
    """What the cassandra-driver request ``query`` (to be sent with ``kwargs``) carries, read
    back from the request itself, not from ``statement``."""
    fetch_size = getattr(query, "fetch_size", None)  # a sentinel object when unset
    batch_type = None
    if isinstance(statement, BatchStatement):
        batch_type = next(t for t, native in BATCH_TYPES.items() if native == query.batch_type)
    return SentRequest(
        statement,
        consistency=_CONSISTENCIES.get(query.consistency_level),
        serial_consistency=_CONSISTENCIES.get(query.serial_consistency_level),
        timeout=kwargs.get("timeout"),
        fetch_size=fetch_size if isinstance(fetch_size, int) else None,
        paging_state=kwargs.get("paging_state"),
        idempotent=bool(query.is_idempotent),
        batch_type=batch_type,
        request=query,
    )
