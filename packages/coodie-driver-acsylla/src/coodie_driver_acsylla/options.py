"""Turn coodie connection options into ``acsylla.create_cluster`` keyword arguments.

Pure functions (no acsylla import) so they are unit-testable without a database.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coodie.exceptions import ConfigurationError
from coodie.statement import Consistency

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping

__all__ = ["DEFAULT_PORT", "SSL_FILE_OPTIONS", "cluster_kwargs", "parse_hosts"]

DEFAULT_PORT = 9042

#: acsylla options that take PEM *text*; a path (``Path`` or an existing file name) is read.
SSL_FILE_OPTIONS = ("ssl_cert", "ssl_private_key", "ssl_trusted_cert")
_SSL_OPTIONS = (*SSL_FILE_OPTIONS, "ssl_private_key_password", "ssl_verify_flags")

#: create_cluster arguments that coodie's own options set; passing them raw is an error.
_RESERVED = {
    "contact_points": "hosts",
    "port": "port",
    "username": "username",
    "password": "password",
    "load_balance_dc_aware": "local_dc",
    "ssl_enabled": "ssl",
}


def parse_hosts(hosts: str | Iterable[str], port: int | None = None) -> tuple[list[str], int]:
    """Split ``"host"``, ``"host:port"``, ``"[v6]:port"`` entries into addresses and one port.

    acsylla (like the C++ driver) uses one port for every contact point, so entries naming
    different ports, or a port different from ``port=``, are a ConfigurationError.
    """
    if isinstance(hosts, str):
        hosts = hosts.split(",")
    addresses: list[str] = []
    ports: set[int] = set()
    for raw in hosts:
        if not isinstance(raw, str):
            raise ConfigurationError(
                f"acsylla hosts must be strings like 'host' or 'host:port', got {raw!r}"
            )
        entry = raw.strip()
        if not entry:
            continue
        address, entry_port = _split_host(entry)
        addresses.append(address)
        if entry_port is not None:
            ports.add(entry_port)
    if not addresses:
        raise ConfigurationError(
            "acsylla needs at least one contact point: pass hosts=['127.0.0.1'] "
            "(or 'host:port' entries)."
        )
    if port is not None:
        _check_port(port, "port")
        ports.add(port)
    if len(ports) > 1:
        shown = ", ".join(str(p) for p in sorted(ports))
        raise ConfigurationError(
            f"acsylla connects to every contact point on the same port, but hosts/port name "
            f"several ({shown}). Use one port for all hosts."
        )
    return addresses, ports.pop() if ports else DEFAULT_PORT


def _split_host(entry: str) -> tuple[str, int | None]:
    if entry.startswith("["):
        end = entry.find("]")
        if end == -1:
            raise ConfigurationError(f"bad host {entry!r}: missing ']' after an IPv6 address")
        address, rest = entry[1:end], entry[end + 1 :]
        if not rest:
            return address, None
        if not rest.startswith(":"):
            raise ConfigurationError(f"bad host {entry!r}: expected '[address]:port'")
        return address, _parse_port(rest[1:], entry)
    if entry.count(":") == 1:
        address, port_text = entry.split(":")
        if not address:
            raise ConfigurationError(f"bad host {entry!r}: empty address")
        return address, _parse_port(port_text, entry)
    return entry, None  # a bare name, IPv4 or IPv6 address


def _parse_port(text: str, entry: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise ConfigurationError(f"bad host {entry!r}: port {text!r} is not a number") from None
    _check_port(port, f"port of host {entry!r}")
    return port


def _check_port(port: object, what: str) -> None:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigurationError(f"{what} must be an integer between 1 and 65535, got {port!r}")


def _consistency_name(value: object, what: str) -> str:
    if isinstance(value, Consistency):
        return value.value
    if isinstance(value, str) and value.upper() in Consistency.__members__:
        return value.upper()
    names = ", ".join(Consistency.__members__)
    raise ConfigurationError(
        f"{what} must be a coodie Consistency or one of {names}; got {value!r}"
    )


def _seconds(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigurationError(f"{what} must be a number of seconds >= 0, got {value!r}")
    return float(value)


def _pem(value: object, option: str) -> str:
    if isinstance(value, Path):
        return value.read_text(encoding="utf-8")
    if isinstance(value, str):
        if "-----BEGIN" not in value and os.path.isfile(value):
            return Path(value).read_text(encoding="utf-8")
        return value
    raise ConfigurationError(f"{option} must be PEM text or a path to a PEM file, got {value!r}")


def cluster_kwargs(
    *,
    hosts: str | Iterable[str] | None,
    port: int | None = None,
    username: str | None = None,
    password: str | None = None,
    ssl: bool | None = None,
    ssl_context: object | None = None,
    local_dc: str | None = None,
    protocol_version: int | str | None = None,
    consistency: Consistency | str | None = None,
    serial_consistency: Consistency | str | None = None,
    request_timeout: float | None = None,
    connect_timeout: float | None = None,
    allowed: Collection[str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Validate everything and return ``create_cluster`` keyword arguments.

    Consistency levels come back as level *names* (the caller maps them to acsylla's enum).
    ``allowed`` is the set of ``create_cluster`` parameter names used to reject unknown
    ``extra`` options with a suggestion.
    """
    if hosts is None:
        raise ConfigurationError(
            "the acsylla driver needs hosts=['host' or 'host:port', ...] (or session=<an "
            "acsylla session> together with loop=<the event loop it was created on>)."
        )
    contact_points, cluster_port = parse_hosts(hosts, port)
    kwargs: dict[str, Any] = {"contact_points": contact_points, "port": cluster_port}
    if (username is None) != (password is None):
        raise ConfigurationError("pass both username= and password= (or neither)")
    if username is not None:
        kwargs["username"] = username
        kwargs["password"] = password
    if ssl_context is not None:
        raise ConfigurationError(
            "acsylla cannot use an ssl.SSLContext: pass ssl=True with ssl_trusted_cert=<CA PEM "
            "or path>, and for client certificates ssl_cert= / ssl_private_key= (and "
            "ssl_verify_flags='NONE'|'PEER_CERT'|'PEER_IDENTITY'|'PEER_IDENTITY_DNS')."
        )
    extra = dict(extra or {})
    for name, coodie_name in _RESERVED.items():
        if name in extra:
            raise ConfigurationError(
                f"do not pass acsylla's {name}= to the coodie driver; use {coodie_name}= instead"
            )
    if allowed is not None:
        unknown = sorted(set(extra) - set(allowed))
        if unknown:
            hints = []
            for name in unknown:
                close = difflib.get_close_matches(name, list(allowed), n=1)
                hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            raise ConfigurationError(
                f"unknown acsylla option(s): {', '.join(hints)}. Options of "
                "acsylla.create_cluster are accepted as keyword arguments."
            )
    ssl_given = {k: extra.pop(k) for k in _SSL_OPTIONS if k in extra}
    if ssl is False and ssl_given:
        raise ConfigurationError(
            f"ssl=False but {', '.join(sorted(ssl_given))} given; pass ssl=True to use TLS"
        )
    if ssl or ssl_given:
        kwargs["ssl_enabled"] = True
        for name, value in ssl_given.items():
            kwargs[name] = _pem(value, name) if name in SSL_FILE_OPTIONS else value
    if local_dc is not None:
        if not isinstance(local_dc, str) or not local_dc:
            raise ConfigurationError(f"local_dc must be a data-centre name, got {local_dc!r}")
        kwargs["load_balance_dc_aware"] = local_dc
    if protocol_version is not None:
        allowed_versions = {3, 4, 5}
        version = protocol_version
        if isinstance(version, str) and version.upper().lstrip("V").isdigit():
            version = int(version.upper().lstrip("V"))
        if isinstance(version, bool) or version not in allowed_versions:
            raise ConfigurationError(
                f"protocol_version must be 3, 4 or 5 (acsylla downgrades automatically when "
                f"the server needs it), got {protocol_version!r}"
            )
        kwargs["protocol_version"] = version
    if consistency is not None:
        kwargs["consistency"] = _consistency_name(consistency, "consistency")
    if serial_consistency is not None:
        name = _consistency_name(serial_consistency, "serial_consistency")
        if name not in ("SERIAL", "LOCAL_SERIAL"):
            raise ConfigurationError(
                f"serial_consistency must be SERIAL or LOCAL_SERIAL, got {serial_consistency!r}"
            )
        kwargs["serial_consistency"] = name
    if request_timeout is not None:
        kwargs["request_timeout"] = _seconds(request_timeout, "request_timeout")
    if connect_timeout is not None:
        kwargs["connect_timeout"] = _seconds(connect_timeout, "connect_timeout")
    kwargs.update(extra)
    return kwargs
