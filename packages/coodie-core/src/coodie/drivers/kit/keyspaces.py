"""One answer, in core's words, for a keyspace that does not exist when connecting.

Every driver fails fast on it (instead of one driver connecting and the first query
failing later), with the same message.
"""

from __future__ import annotations

from coodie.exceptions import ConfigurationError
from coodie.model.identifiers import quote

__all__ = ["missing_keyspace"]


def missing_keyspace(keyspace: str, detail: object = None) -> ConfigurationError:
    """The error a driver raises when ``init_coodie(keyspace=...)`` names no keyspace."""
    why = f" ({detail})" if detail else ""
    return ConfigurationError(
        f"Keyspace {keyspace!r} does not exist (or cannot be used){why}. Create it first: "
        f"connect without keyspace= and call create_keyspace({keyspace!r}, "
        f"replication_factor=...) (or run CREATE KEYSPACE {quote(keyspace)} WITH replication "
        "= ...), then init_coodie(..., keyspace=...) again; or connect without keyspace= "
        "and name the keyspace in your models' Settings."
    )
