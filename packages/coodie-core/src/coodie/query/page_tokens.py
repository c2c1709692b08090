"""Page tokens: a query's paging state, signed and bound to that query, safe to hand to a
browser (no I/O).

A token is ``payload.timestamp.signature`` in URL-safe base64, signed by itsdangerous'
``TimestampSigner`` (HMAC-SHA256, with key rotation and an optional age limit). The payload
holds a digest of the query it was made for (model, keyspace, CQL text and the values bound
into it) and the driver's paging state. A token is opened in two steps, both before anything
reaches the driver: :func:`open_token` checks its form and signature (no connection needed),
then :func:`check_binding` compares the digest with the query it is used for. A raw paging
state the server cannot parse is a protocol error, on which cassandra-driver drops the
connection, so nothing a client sends may reach it unsigned.

Each connection signs with the key given to ``init_coodie(page_token_key=...)``, else with a
key made once per process: such tokens stop working when the process restarts and are not
accepted by another process (another web worker behind the same load balancer).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner
from itsdangerous.encoding import base64_decode, base64_encode
from pydantic import BaseModel

from coodie.exceptions import InvalidPageToken

if TYPE_CHECKING:
    from coodie.query.state import QueryState

__all__ = [
    "MAX_TOKEN_LENGTH",
    "OpenedToken",
    "check_binding",
    "issue_token",
    "open_token",
    "query_binding",
    "set_signing_keys",
]

#: Longer tokens are refused before anything else (real ones are about 150 characters).
MAX_TOKEN_LENGTH = 4096

_VERSION = b"\x01"
_BINDING_SIZE = 16
_SALT = b"coodie.page-token"
_TOKEN = re.compile(r"[A-Za-z0-9_.-]+")
_START_AGAIN = "Start again from the first page: leave the token out."

#: The key of connections that were given none: random, so it lives as long as the process.
_PROCESS_KEY = secrets.token_bytes(32)
_keys: dict[str, tuple[bytes, ...]] = {}
_signers: dict[str, TimestampSigner] = {}


def set_signing_keys(connection: str, keys: tuple[bytes, ...] | None) -> None:
    """Sign connection ``connection``'s tokens with ``keys[0]`` and accept any of ``keys``
    (newest first, for key rotation); ``None``: the per-process key."""
    _signers.pop(connection, None)
    if keys:
        _keys[connection] = keys
    else:
        _keys.pop(connection, None)


def _signer(connection: str) -> TimestampSigner:
    signer = _signers.get(connection)
    if signer is None:
        keys = _keys.get(connection, (_PROCESS_KEY,))
        # itsdangerous signs with the last key and verifies with all of them.
        signer = _signers[connection] = TimestampSigner(
            list(reversed(keys)), salt=_SALT, digest_method=hashlib.sha256
        )
    return signer


def query_binding(model: str, keyspace: str | None, cql: str, state: QueryState) -> bytes:
    """The digest a token carries of the query it was made for: model, keyspace, the CQL text
    (table, columns, filters, order, limits) and every value bound into it."""
    values = [value for _, _, value in state.filters]
    values += [state.token_start, state.token_end, state.per_partition_limit, state.limit]
    text = "\0".join((model, keyspace or "", cql, _canonical(values)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:_BINDING_SIZE]


#: Types whose repr is already the same in every process (the usual bound values).
_PLAIN = frozenset(
    (type(None), bool, int, float, str, bytes, Decimal, UUID, dt.date, dt.datetime, dt.time)
)


def _canonical(value: Any) -> str:
    """A text for ``value`` that is the same in every process (sets and dicts sorted)."""
    if type(value) in _PLAIN:
        return f"{type(value).__qualname__}:{value!r}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, Mapping):
        items = sorted(f"{_canonical(k)}:{_canonical(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, BaseModel):
        return f"{type(value).__qualname__}{_canonical(value.model_dump())}"
    return f"{type(value).__qualname__}:{value!r}"


def issue_token(connection: str, binding: bytes, paging_state: bytes | None) -> str | None:
    """The token of the page after ``paging_state`` (``None``: there is no next page)."""
    if not paging_state:
        return None
    payload = base64_encode(_VERSION + binding + paging_state)
    return _signer(connection).sign(payload).decode("ascii")


class OpenedToken(NamedTuple):
    """A token whose signature was checked: the query digest it carries and its paging state."""

    binding: bytes
    paging_state: bytes


def open_token(connection: str, token: object, max_age: float | None = None) -> OpenedToken:
    """Check ``token``'s form, signature and (with ``max_age``, seconds) age; InvalidPageToken
    unless connection ``connection`` issued it. Needs no database."""
    if not isinstance(token, str):
        raise InvalidPageToken(
            f"A page token is a str (a Page's next_token), got {type(token).__name__}. "
            "Raw paging state bytes go in paging_state=, from trusted code only.",
            "malformed",
        )
    if not token:
        raise InvalidPageToken(f"The page token is empty. {_START_AGAIN}", "malformed")
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidPageToken(
            f"The page token is too long ({len(token)} characters, at most "
            f"{MAX_TOKEN_LENGTH}): pass a Page's next_token unchanged. {_START_AGAIN}",
            "malformed",
        )
    if not _TOKEN.fullmatch(token):
        raise InvalidPageToken(
            "The page token is malformed: only URL-safe base64 characters (A-Z a-z 0-9 - _) "
            f"and '.' occur in one, without '=' padding. {_START_AGAIN}",
            "malformed",
        )
    try:
        payload = _signer(connection).unsign(token, max_age=max_age)  # type: ignore[arg-type]
    except SignatureExpired:
        raise InvalidPageToken(
            f"The page token has expired (older than {max_age} seconds). {_START_AGAIN}",
            "expired",
        ) from None
    except BadSignature:
        raise InvalidPageToken(
            "The page token does not belong to this query: it was altered, or signed with "
            "another key (without init_coodie(page_token_key=...) each process signs with a "
            f"key of its own, lost when it restarts). {_START_AGAIN}",
            "forged",
        ) from None
    raw = base64_decode(payload)
    if raw[:1] != _VERSION or len(raw) <= 1 + _BINDING_SIZE:
        raise InvalidPageToken(
            f"The page token was made by another version of coodie. {_START_AGAIN}", "malformed"
        )
    return OpenedToken(raw[1 : 1 + _BINDING_SIZE], raw[1 + _BINDING_SIZE :])


def check_binding(opened: OpenedToken, binding: bytes, model: str) -> bytes:
    """``opened``'s paging state if it was made for the query whose digest is ``binding``."""
    if not secrets.compare_digest(opened.binding, binding):
        raise InvalidPageToken(
            f"The page token does not belong to this query of {model}: it was made for "
            "another query (another model or keyspace, other filter values, order or limit). "
            f"{_START_AGAIN}",
            "foreign",
        )
    return opened.paging_state
