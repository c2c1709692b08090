"""What a driver can honour of the connect record, and core's refusal of the rest.

A driver's :class:`~coodie.plugins.spec.DriverSpec` lists its :class:`Capability` members
(connect options here; what statements may ask for, such as LWT or a batch type, is
checked per statement by :mod:`coodie.plugins.uses`).
Contact points on one port and a keyspace are the baseline every driver honours; each other
option the caller sets needs a capability, and core refuses it before the driver is called,
naming the driver and the way out, instead of the option being dropped or failing deep
inside a client library.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from coodie.exceptions import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from coodie.connect.options import ConnectOptions

__all__ = [
    "ALL_CAPABILITIES",
    "CONNECT_CAPABILITIES",
    "PATH_CAPABILITIES",
    "Capability",
    "check_supported",
    "unsupported",
]


class Capability(str, enum.Enum):
    """One connect option (or form of one) that a driver may or may not honour."""

    #: Contact points on different ports (``["a:9042", "b:9043"]``).
    PER_HOST_PORTS = "per-host ports"
    #: ``session=``: wrap a session the caller opened.
    EXISTING_SESSION = "session="
    #: ``consistency=`` / ``serial_consistency=`` / ``request_timeout=`` together with
    #: ``session=`` (applied to the caller's session without changing it).
    SESSION_DEFAULTS = "request defaults on session="
    CREDENTIALS = "username= / password="
    SSL_CONTEXT = "ssl_context="
    LOCAL_DC = "local_dc="
    PROTOCOL_VERSION = "protocol_version="
    CONSISTENCY = "consistency="
    SERIAL_CONSISTENCY = "serial_consistency="
    CONNECT_TIMEOUT = "connect_timeout="
    REQUEST_TIMEOUT = "request_timeout="
    # -- what statements may ask for (checked per statement by coodie.plugins.uses) --------
    #: Resuming a read from a page's ``paging_state`` (``page=`` tokens, paged scans).
    PAGING_STATE = "paging_state (resuming a paged read)"
    #: Conditional writes: ``INSERT ... IF NOT EXISTS``, ``UPDATE/DELETE ... IF ...``.
    LWT = "lightweight transactions (IF conditions)"
    LOGGED_BATCH = "logged batches"
    UNLOGGED_BATCH = "unlogged batches"
    COUNTER_BATCH = "counter batches"
    #: ``vector<float, n>`` columns.
    VECTOR = "vector columns"
    # -- which API path is the client's own (the other is core's bridge, coodie.drivers) ---
    #: The sync API calls the client directly (not through core's background event loop).
    NATIVE_SYNC = "a native sync path (core bridges the sync API)"
    #: The async API awaits the client directly (not through core's worker threads).
    NATIVE_ASYNC = "a native async path (core bridges the async API)"


ALL_CAPABILITIES = frozenset(Capability)


def _per_host_ports(options: ConnectOptions) -> str | None:
    if options.shared_port is not None:
        return None
    ports = ", ".join(str(p) for p in sorted(options.ports))
    return f"hosts on different ports ({ports}), but it connects to every host on the same port"


def _given(name: str) -> Callable[[ConnectOptions], str | None]:
    def given(options: ConnectOptions) -> str | None:
        return f"{name}=" if getattr(options, name) is not None else None

    return given


def _session_defaults(options: ConnectOptions) -> str | None:
    if options.session is None:
        return None
    names = [
        f"{name}="
        for name in ("consistency", "serial_consistency", "request_timeout")
        if getattr(options, name) is not None
    ]
    return f"{' / '.join(names)} with session=" if names else None


#: How to tell that ``options`` uses a capability: a description of what was asked, or None.
_USES: dict[Capability, Callable[[ConnectOptions], str | None]] = {
    Capability.PER_HOST_PORTS: _per_host_ports,
    Capability.EXISTING_SESSION: _given("session"),
    Capability.SESSION_DEFAULTS: _session_defaults,
    Capability.CREDENTIALS: _given("username"),
    Capability.SSL_CONTEXT: _given("ssl_context"),
    Capability.LOCAL_DC: _given("local_dc"),
    Capability.PROTOCOL_VERSION: _given("protocol_version"),
    Capability.CONSISTENCY: _given("consistency"),
    Capability.SERIAL_CONSISTENCY: _given("serial_consistency"),
    Capability.CONNECT_TIMEOUT: _given("connect_timeout"),
    Capability.REQUEST_TIMEOUT: _given("request_timeout"),
}

#: The capabilities that connect options need (the others are about statements and paths).
CONNECT_CAPABILITIES = frozenset(_USES)
#: Which API paths the client serves itself; see DriverSpec.async_only / sync_only.
PATH_CAPABILITIES = frozenset({Capability.NATIVE_SYNC, Capability.NATIVE_ASYNC})


def unsupported(
    options: ConnectOptions, capabilities: frozenset[Capability]
) -> list[tuple[Capability, str]]:
    """The capabilities ``options`` needs beyond ``capabilities``, each with what asked for it."""
    found = []
    for capability, uses in _USES.items():
        if capability in capabilities:
            continue
        asked = uses(options)
        if asked is not None:
            found.append((capability, asked))
    return found


def check_supported(
    driver: str,
    options: ConnectOptions,
    capabilities: frozenset[Capability],
    advice: Mapping[Capability, str] | None = None,
) -> None:
    """Raise ConfigurationError when ``options`` needs what driver ``driver`` cannot honour."""
    problems = unsupported(options, capabilities)
    if not problems:
        return
    lines = []
    for capability, asked in problems:
        fix = (advice or {}).get(capability) or (
            f"Leave out {capability.value}, or pick a driver that supports it "
            "(python -m coodie drivers lists the installed ones)."
        )
        lines.append(f"{asked}: {fix}")
    raise ConfigurationError(
        f"The {driver} driver cannot honour "
        + ("; ".join(lines) if len(lines) == 1 else "these options:\n- " + "\n- ".join(lines))
    )
