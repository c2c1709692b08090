"""The connect record: ``init_coodie(...)``'s arguments, validated once, frozen.

Core builds one :class:`ConnectOptions` per ``init_coodie`` call and hands it to the driver,
which only translates it to its client's settings (as a SQLAlchemy dialect translates the
URL SQLAlchemy parsed). Options coodie does not know are driver extras: passed through
untouched, for the driver to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from coodie.connect.contact_points import DEFAULT_PORT, ContactPoint, check_port
from coodie.connect.contact_points import parse_contact_points as _parse_hosts
from coodie.drivers.statement import Consistency
from coodie.exceptions import ConfigurationError, InvalidKeyspaceError, SchemaError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["DEFAULT_PREPARED_CACHE_SIZE", "ConnectOptions", "build_connect_options"]

DEFAULT_PREPARED_CACHE_SIZE = 1000

_NO_EXTRAS: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class ConnectOptions:
    """Everything a driver needs to open a connection, already validated by core.

    Exactly one of ``contact_points`` (coodie opens and owns a new connection) and
    ``session`` (an open client session the caller keeps owning) is set.
    """

    contact_points: tuple[ContactPoint, ...] = ()
    #: The port of entries that named none (``port=``, default 9042).
    port: int = DEFAULT_PORT
    session: Any = None
    keyspace: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    #: TLS: an ``ssl.SSLContext`` (drivers that take PEM files use extras instead).
    ssl_context: Any = None
    local_dc: str | None = None
    protocol_version: int | None = None
    #: Default consistency of every request that sets none.
    consistency: Consistency | None = None
    serial_consistency: Consistency | None = None
    #: Seconds; None leaves the client's default.
    connect_timeout: float | None = None
    request_timeout: float | None = None
    prepared_cache_size: int = DEFAULT_PREPARED_CACHE_SIZE
    #: Keys that sign page tokens, newest first (None: a random key per process).
    page_token_key: tuple[bytes, ...] | None = field(default=None, repr=False)
    #: Driver-specific keyword options, passed through untouched (read-only).
    extras: Mapping[str, Any] = field(default_factory=lambda: _NO_EXTRAS, hash=False)

    @property
    def hosts(self) -> tuple[str, ...]:
        """The contact points' addresses, without ports."""
        return tuple(point.host for point in self.contact_points)

    @property
    def ports(self) -> frozenset[int]:
        """The distinct ports of the contact points."""
        return frozenset(point.port for point in self.contact_points)

    @property
    def shared_port(self) -> int | None:
        """The one port every contact point uses, or None when they name several."""
        ports = self.ports
        if len(ports) > 1:
            return None
        return next(iter(ports), self.port)


#: The names ``init_coodie`` turns into record fields; every other keyword is an extra.
FIELDS = (
    "port",
    "username",
    "password",
    "ssl_context",
    "local_dc",
    "protocol_version",
    "consistency",
    "serial_consistency",
    "connect_timeout",
    "request_timeout",
    "prepared_cache_size",
    "page_token_key",
)


def build_connect_options(
    hosts: object = None,
    session: Any = None,
    keyspace: object = None,
    options: Mapping[str, Any] | None = None,
) -> ConnectOptions:
    """Validate ``init_coodie``'s arguments and return the record (ConfigurationError if bad)."""
    given = dict(options or {})
    named = {name: given.pop(name) for name in FIELDS if name in given}
    if hosts is None and session is None:
        raise ConfigurationError(
            "init_coodie() needs hosts=[...] (contact points) or session=<an existing driver "
            "session>."
        )
    if hosts is not None and session is not None:
        raise ConfigurationError(
            "init_coodie() takes hosts= (coodie opens and owns a new connection) or session= "
            "(coodie uses your session and leaves its lifetime to you), not both."
        )
    if session is not None:
        _check_session_options(named)
    port = check_port(named.get("port", DEFAULT_PORT), "port=")
    username, password = _credentials(named.get("username"), named.get("password"))
    return ConnectOptions(
        contact_points=() if hosts is None else _parse_hosts(hosts, port),
        port=port,
        session=session,
        keyspace=_keyspace(keyspace),
        username=username,
        password=password,
        ssl_context=named.get("ssl_context"),
        local_dc=_local_dc(named.get("local_dc")),
        protocol_version=_protocol_version(named.get("protocol_version")),
        consistency=_consistency(named.get("consistency"), "consistency"),
        serial_consistency=_serial(named.get("serial_consistency")),
        connect_timeout=_seconds(named.get("connect_timeout"), "connect_timeout"),
        request_timeout=_seconds(named.get("request_timeout"), "request_timeout"),
        prepared_cache_size=_cache_size(
            named.get("prepared_cache_size", DEFAULT_PREPARED_CACHE_SIZE)
        ),
        page_token_key=_page_token_key(named.get("page_token_key")),
        extras=MappingProxyType(given) if given else _NO_EXTRAS,
    )


def _keyspace(keyspace: object) -> str | None:
    if keyspace is None:
        return None
    from coodie.model.identifiers import check_identifier

    try:
        return check_identifier(keyspace, "keyspace", "init_coodie")  # type: ignore[arg-type]
    except SchemaError as error:
        raise InvalidKeyspaceError(str(error)) from None


def _credentials(username: object, password: object) -> tuple[str | None, str | None]:
    if (username is None) != (password is None):
        raise ConfigurationError("Give both username= and password= (or neither).")
    for name, value in (("username", username), ("password", password)):
        if value is not None and not isinstance(value, str):
            raise ConfigurationError(f"{name}= must be a string, got {type(value).__name__}.")
    return username, password  # type: ignore[return-value]


def _local_dc(value: object) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ConfigurationError(f"local_dc must be a data-centre name, got {value!r}.")
    return value


_VERSION = re.compile(r"[vV]?([1-9][0-9]*)")


def _protocol_version(value: object) -> int | None:
    if value is None:
        return None
    match = _VERSION.fullmatch(value) if isinstance(value, str) else None
    if match is not None:
        return int(match.group(1))
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ConfigurationError(
        f"protocol_version must be a protocol number such as 4 or 5 (or 'v4'), got {value!r}."
    )


def _consistency(value: object, what: str) -> Consistency | None:
    if value is None:
        return None
    if isinstance(value, Consistency):
        return value
    if isinstance(value, str) and value.upper() in Consistency.__members__:
        return Consistency[value.upper()]
    raise ConfigurationError(
        f"Unknown {what} level {value!r}. Use a coodie.Consistency member or one of: "
        f"{', '.join(Consistency.__members__)}."
    )


def _serial(value: object) -> Consistency | None:
    level = _consistency(value, "serial_consistency")
    if level is not None and level not in (Consistency.SERIAL, Consistency.LOCAL_SERIAL):
        raise ConfigurationError(
            f"serial_consistency must be SERIAL or LOCAL_SERIAL, got {value!r}."
        )
    return level


def _seconds(value: object, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ConfigurationError(f"{what} must be a number of seconds > 0, got {value!r}.")
    return float(value)


def _cache_size(value: object) -> int:
    # 0 turns caching off on drivers that allow it (a driver may require >= 1).
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"prepared_cache_size must be an int >= 0, got {value!r}.")
    return value


def _page_token_key(value: object) -> tuple[bytes, ...] | None:
    """A key (str or bytes) or a list of keys, newest first: the first signs, all verify."""
    if value is None:
        return None
    keys: list[bytes] = []
    for key in value if isinstance(value, (list, tuple)) else [value]:
        if isinstance(key, str):
            key = key.encode()
        if not isinstance(key, bytes) or not key:
            raise ConfigurationError(
                "page_token_key must be a non-empty secret (str or bytes, e.g. "
                "secrets.token_urlsafe(32)) or a list of them, newest first; got a "
                f"{type(key).__name__}."
            )
        keys.append(key)
    if not keys:
        raise ConfigurationError("page_token_key=[] names no key; give at least one.")
    return tuple(keys)


#: Options that configure a new connection, so cannot apply to a session= the caller opened.
_NEW_CONNECTION_ONLY = (
    "port",
    "username",
    "ssl_context",
    "local_dc",
    "protocol_version",
    "connect_timeout",
)


def _check_session_options(named: Mapping[str, Any]) -> None:
    given = sorted(
        name
        for name in _NEW_CONNECTION_ONLY
        if named.get(name) is not None and not (name == "port" and named[name] == DEFAULT_PORT)
    )
    if given:
        raise ConfigurationError(
            f"Options {', '.join(given)} configure a new connection and cannot apply to an "
            "existing session=. Set them where you open your session, or pass hosts= instead "
            "of session=."
        )
