"""Opaque page tokens: a driver's paging state plus a MAC, as unpadded URL-safe base64.

Clients get ``next_page_token`` with a page and send it back as ``?page_token=``. The paging
state is signed (HMAC-SHA256, truncated to 16 bytes) together with the query it belongs to,
so a token that was altered, made up or taken from another query is answered with 400 before
anything reaches the database: a paging state the server cannot parse is a protocol error,
and cassandra-driver drops the connection on protocol errors.
"""

import base64
import binascii
import hashlib
import hmac
import re
import secrets

__all__ = ["MAX_PAGE_TOKEN_LENGTH", "InvalidPageToken", "PageTokenCodec"]

#: Longer tokens are rejected before decoding (real paging states are a few dozen bytes).
MAX_PAGE_TOKEN_LENGTH = 4096

_MAC_SIZE = 16
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_MALFORMED = (
    "page_token is malformed: pass the next_page_token of the previous page unchanged, or "
    "leave page_token out to start from the first page."
)


class InvalidPageToken(ValueError):
    """A ``page_token`` that this API did not hand out for this query (HTTP 400)."""


class PageTokenCodec:
    """Turns paging states into tokens and back; ``key`` signs them (random if not given,
    in which case tokens stop working when the process restarts)."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key else secrets.token_bytes(32)

    def _mac(self, scope: str, paging_state: bytes) -> bytes:
        message = scope.encode() + b"\0" + paging_state
        return hmac.new(self._key, message, hashlib.sha256).digest()[:_MAC_SIZE]

    def encode(self, paging_state: bytes | None, scope: str) -> str | None:
        """The token for ``paging_state`` of the query named ``scope``; ``None`` (no more
        pages) stays ``None``."""
        if not paging_state:
            return None
        raw = paging_state + self._mac(scope, paging_state)
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def decode(self, token: str | None, scope: str) -> bytes | None:
        """The paging state in ``token`` (``None`` for the first page); raises
        InvalidPageToken unless :meth:`encode` made ``token`` for ``scope`` with this key."""
        if token is None:
            return None
        if not token:
            raise InvalidPageToken("page_token is empty; leave it out to get the first page.")
        if len(token) > MAX_PAGE_TOKEN_LENGTH:
            raise InvalidPageToken(
                f"page_token is too long ({len(token)} characters, at most "
                f"{MAX_PAGE_TOKEN_LENGTH}). {_MALFORMED}"
            )
        if not _TOKEN.fullmatch(token):
            raise InvalidPageToken(
                "page_token is malformed: only URL-safe base64 characters (A-Z a-z 0-9 - _) "
                "are allowed, without '=' padding."
            )
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            raise InvalidPageToken(_MALFORMED) from None
        paging_state, mac = raw[:-_MAC_SIZE], raw[-_MAC_SIZE:]
        if not paging_state or not hmac.compare_digest(mac, self._mac(scope, paging_state)):
            raise InvalidPageToken(
                "page_token does not belong to this query: it was altered, made for another "
                "product, or the server restarted. Leave page_token out to start again."
            )
        return paging_state
