"""What a driver reports about each request it sends: the request-observer contract.

Options a driver ignores leave no trace in the rows (a node with one replica answers a
statement the same at any consistency, and ``idempotent`` only matters on a retry), so the
conformance suite asks the driver instead. A driver whose ``request_observer`` is set calls
it once per request it sends, with a :class:`SentRequest` describing the client request it
*built*: read back from the client's request object where the client allows it, else the
values the driver passed to the client's setters. Core never sets the observer; the suite
does, so the cost for applications is one attribute check per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coodie.drivers.statement import BatchStatement, BatchType, Consistency, Statement

__all__ = ["RequestObserver", "SentRequest"]


@dataclass(frozen=True)
class SentRequest:
    """The options one client request carried. ``None`` means "left to the session's
    default" (the driver set nothing on the request)."""

    #: The coodie statement (or batch) the request was built from.
    statement: Statement | BatchStatement
    consistency: Consistency | None = None
    serial_consistency: Consistency | None = None
    #: Seconds.
    timeout: float | None = None
    fetch_size: int | None = None
    paging_state: bytes | None = None
    idempotent: bool = False
    #: For batches: the batch type sent.
    batch_type: BatchType | None = None
    #: The client library's own request object, for driver-specific tests.
    request: Any = None


#: Called by the driver with each request it sends (see the module docstring).
RequestObserver = Callable[[SentRequest], None]
