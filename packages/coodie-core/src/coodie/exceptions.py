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


class InvalidDriverNameError(ConfigurationError):
    """``coodie new-driver`` got a name that cannot name a driver package, or a folder that
    is already in use."""


class UnsupportedByDriverError(ConfigurationError):
    """The statement needs a capability (LWT, a batch type, ...) the driver does not declare;
    nothing was sent."""


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


class ViewWriteError(InvalidQueryError):
    """A write (save, insert, update, delete, batch, ...) aimed at a materialized view: views
    are read-only, Cassandra keeps them up to date from their base table. Write the base."""


class UnknownDiscriminatorError(SchemaError):
    """A row of a polymorphic table holds a discriminator value that no class of the model's
    hierarchy declares (``Settings.discriminator_value``), or none at all."""


class DocumentNotFound(CoodieError):
    """A lookup that expects exactly one row found none."""


class MultipleDocumentsFound(CoodieError):
    """A lookup that expects exactly one row found several."""


class UnloadedFieldError(CoodieError, AttributeError):
    """A field that a projected query (``only()`` / ``defer()``) did not load was read.

    Also an AttributeError, so ``getattr(doc, name, default)`` and ``hasattr`` keep working.
    """


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
    """A driver failed to execute a statement; ``__cause__`` holds the client's exception.

    Both drivers raise the subclasses below for the failures an application decides on, so
    ``except`` clauses and retry loops need no driver-specific class. Two answers on every
    instance (class attributes, so a plain ``DriverError`` has them too):

    * ``maybe_applied``: the write may have taken effect on some replicas. False only when
      the request is known not to have been applied (refused before any replica wrote it).
    * ``retryable``: sending the same request again may succeed. For a write that
      ``maybe_applied``, retry only when it is idempotent (a retried ``list`` append or
      counter increment applies twice).
    """

    maybe_applied: bool = True
    retryable: bool = False


class BlockingCallOnLoopError(DriverError):
    """A blocking (sync) call was made from inside the event loop that owns the driver's
    connection: it would wait for itself. Nothing was sent; use the async API on that loop,
    or open the driver with the sync API so that it runs on a loop thread of its own."""

    maybe_applied = False


class ReplicaCountError(DriverError):
    """A failure the server reports with the consistency level asked for (``consistency``)
    and the replicas it needed (``required``); subclasses add the replicas it had. Each is
    None when the driver does not say (cassandra-driver does; acsylla does not)."""

    def __init__(
        self, message: str, *, consistency: str | None = None, required: int | None = None
    ) -> None:
        super().__init__(message)
        self.consistency = consistency
        self.required = required


class RequestTimeoutError(ReplicaCountError):
    """No answer in time. ``consistency`` / ``required`` / ``received`` (replicas) are set
    when the server reported them (cassandra-driver does; acsylla does not)."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        consistency: str | None = None,
        required: int | None = None,
        received: int | None = None,
    ) -> None:
        super().__init__(message, consistency=consistency, required=required)
        self.received = received


class WriteTimeoutError(RequestTimeoutError):
    """The coordinator did not hear from enough replicas in time for a write: some replicas
    may have applied it (``maybe_applied``); retry only idempotent writes."""


class ReadTimeoutError(RequestTimeoutError):
    """The coordinator did not hear from enough replicas in time for a read: nothing was
    written, a retry is safe."""

    maybe_applied = False


class ClientTimeoutError(RequestTimeoutError):
    """The client stopped waiting (the request's ``timeout`` / ``request_timeout``) before
    the server answered: the request may still run (``maybe_applied``)."""


class UnavailableError(ReplicaCountError):
    """Too few replicas alive for the consistency level: refused before anything was
    written. ``consistency``, ``required`` and ``alive`` are set when the driver knows them."""

    maybe_applied = False
    retryable = True

    def __init__(
        self,
        message: str,
        *,
        consistency: str | None = None,
        required: int | None = None,
        alive: int | None = None,
    ) -> None:
        super().__init__(message, consistency=consistency, required=required)
        self.alive = alive


class OverloadedError(DriverError):
    """The coordinator (or the client's request queue) refused the request as overloaded:
    not applied; retry after backing off."""

    maybe_applied = False
    retryable = True


class NoHostAvailableError(DriverError):
    """No node could be reached (nothing listening, connections failed). ``errors`` maps each
    host tried to what the client reported, when the driver says."""

    maybe_applied = False
    retryable = True

    def __init__(self, message: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors: dict[str, str] = dict(errors or {})


class ConnectTimeoutError(NoHostAvailableError):
    """``init_coodie`` kept trying until its ``connect_timeout`` and never connected.
    ``waited`` (seconds) and ``attempts`` say how long and how often it tried; the last
    attempt's error is ``__cause__``."""

    def __init__(
        self,
        message: str,
        *,
        waited: float = 0.0,
        attempts: int = 0,
        errors: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, errors=errors)
        self.waited = waited
        self.attempts = attempts


class AuthenticationFailedError(DriverError):
    """The server refused the credentials (username= / password=): fix them, do not retry."""

    maybe_applied = False


class InvalidRequestError(DriverError):
    """The server refused the CQL itself (invalid query, syntax error, unknown table,
    unauthorized): nothing was applied and a retry fails the same way. Unlike
    :class:`InvalidQueryError`, this one reached the server."""

    maybe_applied = False


class CoodieWarning(UserWarning):
    """Something in a model works but probably not as intended (e.g. a static column whose
    default overwrites the partition's value on every save)."""


class MigrationError(CoodieError):
    """A migration cannot run as asked: a broken chain of migration files, an unknown target,
    a step that is not reversible, or a file changed after it was applied."""


class MigrationLockedError(MigrationError):
    """Another process holds the migration lock of the keyspace; it expires with its lease."""
