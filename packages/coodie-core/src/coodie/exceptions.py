"""Every error coodie raises derives from :class:`CoodieError`.

Messages name the problem and the fix, so a caller can act on them without reading coodie's
source.
"""

from __future__ import annotations

from typing import Any


class CoodieError(Exception):
    """Base class of all coodie errors."""


class ConfigurationError(CoodieError):
    """coodie is not set up the way an operation needs (no connection, unknown driver, ...)."""


class DriverNotFoundError(ConfigurationError):
    """No installed driver plugin provides the requested driver name."""


class PluginLoadError(ConfigurationError):
    """A driver plugin is installed but failed to import or register."""


class DuplicateDriverError(ConfigurationError):
    """Two plugins claim the same driver name or alias."""


class SchemaError(CoodieError):
    """A Document model cannot be mapped to a Cassandra table."""


class InvalidKeyspaceError(SchemaError, ConfigurationError):
    """``init_coodie(keyspace=...)`` is not a valid CQL keyspace name.

    Both a schema error (a bad identifier, as in a model's Settings) and a configuration
    error (a bad connect option), so either ``except`` catches it.
    """


class UnsupportedTypeError(SchemaError):
    """A field annotation has no CQL equivalent."""


class InvalidQueryError(CoodieError):
    """A query or write would be rejected by Cassandra (or is malformed); nothing was sent."""


class InvalidPageToken(InvalidQueryError):
    """A page token that coodie did not hand out for this query, or no longer accepts.

    ``reason`` says which: ``"malformed"`` (empty, too long, not a token at all),
    ``"forged"`` (altered, or signed with another key), ``"foreign"`` (genuine, but made for
    another query) or ``"expired"`` (older than ``max_age``). Nothing was sent.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class DocumentNotFound(CoodieError):
    """A lookup that expects exactly one row found none."""


class MultipleDocumentsFound(CoodieError):
    """A lookup that expects exactly one row found several."""


class ConditionalWriteFailed(CoodieError):
    """A lightweight transaction (IF NOT EXISTS / IF EXISTS / IF col = ...) was not applied.

    ``existing`` holds the values Cassandra reported for the row as it is now (converted to
    the model's Python types where the column is known); ``document`` is the existing row as
    a model instance when every column was reported, else ``None``.
    """

    def __init__(self, message: str, existing: dict[str, Any], document: Any = None) -> None:
        super().__init__(message)
        self.existing = existing
        self.document = document


class DriverError(CoodieError):
    """A driver failed to execute a statement; ``__cause__`` holds the client's exception."""


class CoodieWarning(UserWarning):
    """Something in a model works but probably not as intended (e.g. a static column whose
    default overwrites the partition's value on every save)."""
