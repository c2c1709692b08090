"""Translate core's :class:`~coodie.connect.ConnectOptions` into ``acsylla.create_cluster``
keyword arguments.

Core parsed and validated the record (and refused what acsylla cannot honour, such as hosts
on different ports); this module maps its fields and checks the acsylla-specific extras.
Pure functions (no acsylla import) so they are unit-testable without a database.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coodie.connect import DEFAULT_PORT
from coodie.exceptions import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Collection

    from coodie.connect import ConnectOptions

__all__ = ["DEFAULT_PORT", "SSL_FILE_OPTIONS", "cluster_kwargs"]

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


def _pem(value: object, option: str) -> str:
    if isinstance(value, Path):
        return value.read_text(encoding="utf-8")
    if isinstance(value, str):
        if "-----BEGIN" not in value and os.path.isfile(value):
            return Path(value).read_text(encoding="utf-8")
        return value
    raise ConfigurationError(f"{option} must be PEM text or a path to a PEM file, got {value!r}")


def cluster_kwargs(
    options: ConnectOptions,
    *,
    allowed: Collection[str] | None = None,
    own: Collection[str] = (),
) -> dict[str, Any]:
    """``create_cluster`` keyword arguments for ``options``.

    Consistency levels come back as level *names* (the caller maps them to acsylla's enum).
    ``allowed`` is the set of ``create_cluster`` parameter names used to reject unknown
    extras with a suggestion; ``own`` names extras the driver itself takes (``loop``, ...).
    """
    port = options.shared_port
    if port is None:  # core refuses this for acsylla; kept for direct callers
        raise ConfigurationError(
            "acsylla connects to every contact point on the same port; use one port for all hosts."
        )
    kwargs: dict[str, Any] = {"contact_points": list(options.hosts), "port": port}
    if options.username is not None:
        kwargs["username"] = options.username
        kwargs["password"] = options.password
    extra = {k: v for k, v in options.extras.items() if k not in own}
    for name, coodie_name in _RESERVED.items():
        if name in extra:
            raise ConfigurationError(
                f"do not pass acsylla's {name}= to the coodie driver; use {coodie_name}= instead"
            )
    if allowed is not None:
        _check_known(extra, allowed)
    ssl = extra.pop("ssl", None)
    ssl_given = {k: extra.pop(k) for k in _SSL_OPTIONS if k in extra}
    if ssl is False and ssl_given:
        raise ConfigurationError(
            f"ssl=False but {', '.join(sorted(ssl_given))} given; pass ssl=True to use TLS"
        )
    if ssl or ssl_given:
        kwargs["ssl_enabled"] = True
        for name, value in ssl_given.items():
            kwargs[name] = _pem(value, name) if name in SSL_FILE_OPTIONS else value
    if options.local_dc is not None:
        kwargs["load_balance_dc_aware"] = options.local_dc
    if options.protocol_version is not None:
        if options.protocol_version not in (3, 4, 5):
            raise ConfigurationError(
                f"protocol_version must be 3, 4 or 5 (acsylla downgrades automatically when "
                f"the server needs it), got {options.protocol_version!r}"
            )
        kwargs["protocol_version"] = options.protocol_version
    if options.consistency is not None:
        kwargs["consistency"] = options.consistency.value
    if options.serial_consistency is not None:
        kwargs["serial_consistency"] = options.serial_consistency.value
    if options.request_timeout is not None:
        kwargs["request_timeout"] = options.request_timeout
    if options.connect_timeout is not None:
        kwargs["connect_timeout"] = options.connect_timeout
    kwargs.update(extra)
    return kwargs


def _check_known(extra: dict[str, Any], allowed: Collection[str]) -> None:
    unknown = sorted(set(extra) - set(allowed) - {"ssl"})
    if not unknown:
        return
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, list(allowed), n=1)
        hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    raise ConfigurationError(
        f"unknown acsylla option(s): {', '.join(hints)}. Options of "
        "acsylla.create_cluster are accepted as keyword arguments."
    )
