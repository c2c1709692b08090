"""The page-token codec (no database)."""

import base64

import pytest

from coodie_demo.tokens import MAX_PAGE_TOKEN_LENGTH, InvalidPageToken, PageTokenCodec

STATE = b"\x00\x0a\x00\x08\x00\x00\x01\xa2\x16\xce\x84\xc1\xf0\x7f\xff\xff\xfd"


@pytest.fixture
def codec() -> PageTokenCodec:
    return PageTokenCodec(b"test key")


def test_round_trip(codec: PageTokenCodec) -> None:
    token = codec.encode(STATE, "reviews/a")
    assert token is not None
    assert codec.decode(token, "reviews/a") == STATE


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 64, 1000])
def test_round_trip_any_length_is_url_safe_without_padding(
    codec: PageTokenCodec, size: int
) -> None:
    state = bytes(range(256))[:size] if size <= 256 else b"\xff" * size
    token = codec.encode(state, "q")
    assert token is not None
    assert "=" not in token
    assert "+" not in token
    assert "/" not in token
    assert codec.decode(token, "q") == state


def test_token_carries_the_paging_state(codec: PageTokenCodec) -> None:
    token = codec.encode(STATE, "q")
    assert token is not None
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert raw.startswith(STATE)


@pytest.mark.parametrize("state", [None, b""])
def test_no_state_means_no_token(codec: PageTokenCodec, state: bytes | None) -> None:
    assert codec.encode(state, "q") is None


def test_no_token_means_first_page(codec: PageTokenCodec) -> None:
    assert codec.decode(None, "q") is None


def test_token_of_another_query_is_rejected(codec: PageTokenCodec) -> None:
    token = codec.encode(STATE, "reviews/a")
    with pytest.raises(InvalidPageToken, match="does not belong to this query"):
        codec.decode(token, "reviews/b")


def test_token_signed_with_another_key_is_rejected(codec: PageTokenCodec) -> None:
    token = PageTokenCodec(b"other key").encode(STATE, "q")
    with pytest.raises(InvalidPageToken, match="server restarted"):
        codec.decode(token, "q")


def test_random_keys_differ() -> None:
    token = PageTokenCodec().encode(STATE, "q")
    with pytest.raises(InvalidPageToken):
        PageTokenCodec().decode(token, "q")


def test_altered_token_is_rejected(codec: PageTokenCodec) -> None:
    token = codec.encode(STATE, "q")
    assert token is not None
    altered = ("B" if token[0] == "A" else "A") + token[1:]
    with pytest.raises(InvalidPageToken, match="altered"):
        codec.decode(altered, "q")


def test_bare_paging_state_is_rejected(codec: PageTokenCodec) -> None:
    bare = base64.urlsafe_b64encode(STATE).rstrip(b"=").decode()
    with pytest.raises(InvalidPageToken):
        codec.decode(bare, "q")


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "empty"),
        ("abc=", "without '=' padding"),
        ("ab+/", "URL-safe base64"),
        ("not a token", "URL-safe base64"),
        ("é", "URL-safe base64"),
        ("A", "malformed"),  # one base64 character cannot encode a byte
        ("AAAA", "does not belong"),  # decodes, but too short to hold a MAC
        ("A" * (MAX_PAGE_TOKEN_LENGTH + 1), "too long"),
    ],
)
def test_malformed_tokens_have_clear_messages(
    codec: PageTokenCodec, token: str, message: str
) -> None:
    with pytest.raises(InvalidPageToken, match=message):
        codec.decode(token, "q")


def test_invalid_page_token_is_a_value_error() -> None:
    assert issubclass(InvalidPageToken, ValueError)
