"""Contact points: every accepted spelling of ``hosts=`` parsed once, into one record each.

Accepted: ``"host"``, ``"host:port"``, ``"[v6]"``, ``"[v6]:port"``, a bare IPv6 address
(``"::1"``, which has no room for a port), ``(host, port)`` pairs, and a comma-separated string
or a list/tuple of any of these. Entries without a port get the default port.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coodie.exceptions import ConfigurationError

__all__ = ["DEFAULT_PORT", "ContactPoint", "check_port", "parse_contact_points"]

DEFAULT_PORT = 9042

_FORMS = "'host', 'host:port', '[ipv6]:port' or (host, port)"


@dataclass(frozen=True)
class ContactPoint:
    """One node to contact first; the driver discovers the rest of the cluster from it."""

    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def check_port(port: object, what: str) -> int:
    """``port`` as an int in 1..65535, else a ConfigurationError naming ``what``."""
    value = -1
    if isinstance(port, int) and not isinstance(port, bool):
        value = port
    elif isinstance(port, str) and port.strip().isdigit():
        value = int(port)
    if not 0 < value < 65536:
        raise ConfigurationError(
            f"Bad port {port!r} in {what}: a port must be a number between 1 and 65535, e.g. 9042."
        )
    return value


def parse_contact_points(hosts: object, default_port: int) -> tuple[ContactPoint, ...]:
    """Parse ``hosts`` (see the module docstring); raise ConfigurationError naming the entry."""
    items: list[Any]
    if isinstance(hosts, str):
        items = [part for part in hosts.split(",") if part.strip()]
    elif isinstance(hosts, (list, tuple, set, frozenset)):
        items = [item for item in hosts if not (isinstance(item, str) and not item.strip())]
    else:
        raise ConfigurationError(
            f"hosts must be a string or a list of contact points ({_FORMS}), got {hosts!r}."
        )
    if not items:
        raise ConfigurationError(
            "hosts is empty: give at least one contact point, e.g. hosts=['127.0.0.1'] or "
            "hosts='10.0.0.1:9042,10.0.0.2:9042'."
        )
    return tuple(_parse_one(item, default_port) for item in items)


def _parse_one(item: object, default_port: int) -> ContactPoint:
    if isinstance(item, tuple) and len(item) == 2:
        host, port = item
        if not isinstance(host, str) or not host.strip():
            raise ConfigurationError(f"Bad contact point {item!r}: empty host. Use {_FORMS}.")
        return ContactPoint(host.strip(), check_port(port, f"contact point {item!r}"))
    if not isinstance(item, str):
        raise ConfigurationError(
            f"Bad contact point {item!r}: contact points must be strings like {_FORMS}."
        )
    text = item.strip()
    if text.startswith("["):  # [ipv6] or [ipv6]:port
        end = text.find("]")
        if end < 0:
            raise ConfigurationError(
                f"Bad contact point {item!r}: missing ']' after the IPv6 address; write "
                "'[address]:port'."
            )
        host, rest = text[1:end].strip(), text[end + 1 :]
        if not host:
            raise ConfigurationError(f"Bad contact point {item!r}: empty address in '[]'.")
        if not rest:
            return ContactPoint(host, default_port)
        if not rest.startswith(":"):
            raise ConfigurationError(
                f"Bad contact point {item!r}: expected ':port' after ']'; write '[address]:port'."
            )
        return ContactPoint(host, check_port(rest[1:], f"contact point {item!r}"))
    if text.count(":") == 1:
        host, port = text.split(":")
        if not host.strip():
            raise ConfigurationError(
                f"Bad contact point {item!r}: empty address before ':port'; write 'host:port', "
                "e.g. '127.0.0.1:9042'."
            )
        return ContactPoint(host.strip(), check_port(port, f"contact point {item!r}"))
    return ContactPoint(text, default_port)  # a name, IPv4, or a bare IPv6 address
