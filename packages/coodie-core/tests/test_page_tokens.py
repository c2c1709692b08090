"""Page tokens: Page.next_token and QuerySet.page(token=...) (no database).

A token is signed and bound to its query; anything else is InvalidPageToken before a
statement reaches the driver.
"""

import base64
import time
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from coodie import InvalidPageToken, InvalidQueryError
from coodie.connect import build_connect_options
from coodie.exceptions import ConfigurationError
from coodie.query import page_tokens
from coodie.query.page_tokens import MAX_TOKEN_LENGTH, set_signing_keys
from coodie.testing import RecordingDriver

PID = UUID("11111111-2222-3333-4444-555555555555")
OTHER = UUID("99999999-2222-3333-4444-555555555555")
COLS = ["id", "name", "price", "category", "tags", "description"]
STATE = b"\x00\x0a\x00\x08\x00\x00\x01\xa2\x16\xce\x84\xc1\xf0\x7f\xff\xff\xfd"


def row(name: str) -> tuple[Any, ...]:
    return (PID, name, 1.0, "office", None, None)


@pytest.fixture(autouse=True)
def default_key() -> Iterator[None]:
    """Every test starts and ends on the per-process key of the default connection."""
    set_signing_keys("default", None)
    yield
    set_signing_keys("default", None)


async def first_token(api: Any, driver: RecordingDriver, query: Any = None) -> str:
    driver.queue_rows(COLS, [row("a"), row("b")], paging_state=STATE)
    query = api.m.Product.find(category="office") if query is None else query
    page = await api(query.page(page_size=2))
    assert page.paging_state == STATE
    assert page.next_token is not None
    return str(page.next_token)


async def test_next_token_leads_to_the_next_page(api: Any, driver: RecordingDriver) -> None:
    query = api.m.Product.find(category="office")
    token = await first_token(api, driver, query)
    driver.queue_rows(COLS, [row("c")])
    nxt = await api(query.page(token=token, page_size=2))
    assert [p.name for p in nxt.items] == ["c"]
    assert driver.last.paging_state == STATE
    assert nxt.paging_state is None
    assert nxt.next_token is None
    assert not nxt.has_more


async def test_token_is_url_safe_and_opaque(api: Any, driver: RecordingDriver) -> None:
    token = await first_token(api, driver)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert STATE not in token.encode()
    assert len(token) < 200


async def test_a_page_size_change_keeps_the_token_valid(api: Any, driver: RecordingDriver) -> None:
    query = api.m.Product.find(category="office")
    token = await first_token(api, driver, query)
    driver.queue_rows(COLS, [row("c")])
    await api(query.page(token=token, page_size=50))
    assert driver.last.paging_state == STATE
    assert driver.last.fetch_size == 50


@pytest.mark.parametrize(
    "other",
    [
        lambda m: m.Product.find(category="garden"),  # another filter value
        lambda m: m.Product.find(category="office").limit(5),  # another limit
        lambda m: m.Product.find(),  # another filter
        lambda m: m.Product.find(category="office").values_list("name"),  # other columns
        lambda m: m.Review.find(product_id=PID, region="eu"),  # another model
    ],
)
async def test_a_token_of_another_query_is_refused(
    api: Any, driver: RecordingDriver, other: Any
) -> None:
    token = await first_token(api, driver)
    sent = len(driver.statements)
    with pytest.raises(InvalidPageToken, match="made for another query") as caught:
        await api(other(api.m).page(token=token))
    assert caught.value.reason == "foreign"
    assert len(driver.statements) == sent  # nothing reached the driver


async def test_a_token_of_another_keyspace_is_refused(api: Any, driver: RecordingDriver) -> None:
    query = api.m.Product.find(category="office")
    token = await first_token(api, driver, query)
    elsewhere = api.m.Product.using(keyspace="elsewhere")
    with pytest.raises(InvalidPageToken, match="made for another query"):
        await api(elsewhere.find(category="office").page(token=token))


async def test_an_altered_token_is_refused(api: Any, driver: RecordingDriver) -> None:
    query = api.m.Product.find(category="office")
    token = await first_token(api, driver, query)
    sent = len(driver.statements)
    # not the last character: its low bits are padding that decoding ignores
    for i in (0, len(token) // 2, len(token) - 2):
        altered = token[:i] + ("B" if token[i] == "A" else "A") + token[i + 1 :]
        with pytest.raises(InvalidPageToken, match="altered") as caught:
            await api(query.page(token=altered))
        assert caught.value.reason in ("forged", "malformed")
    assert len(driver.statements) == sent


async def test_a_token_signed_with_another_key_is_refused(
    api: Any, driver: RecordingDriver
) -> None:
    query = api.m.Product.find(category="office")
    set_signing_keys("default", (b"key of another worker",))
    token = await first_token(api, driver, query)
    set_signing_keys("default", None)
    with pytest.raises(InvalidPageToken, match="signed with another key") as caught:
        await api(query.page(token=token))
    assert caught.value.reason == "forged"


async def test_key_rotation_accepts_the_previous_key(api: Any, driver: RecordingDriver) -> None:
    query = api.m.Product.find(category="office")
    set_signing_keys("default", (b"old key",))
    token = await first_token(api, driver, query)
    set_signing_keys("default", (b"new key", b"old key"))
    driver.queue_rows(COLS, [row("c")])
    await api(query.page(token=token))
    assert driver.last.paging_state == STATE
    fresh = await first_token(api, driver, query)
    set_signing_keys("default", (b"new key",))
    driver.queue_rows(COLS, [row("c")])
    await api(query.page(token=fresh))  # signed with the newest key
    with pytest.raises(InvalidPageToken):
        await api(query.page(token=token))


async def test_a_bare_paging_state_is_not_a_token(api: Any, driver: RecordingDriver) -> None:
    bare = base64.urlsafe_b64encode(STATE).rstrip(b"=").decode()
    with pytest.raises(InvalidPageToken, match="does not belong to this query"):
        await api(api.m.Product.find().page(token=bare))
    assert driver.statements == []


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "empty"),
        ("abc=", "without '=' padding"),
        ("ab+/", "URL-safe base64"),
        ("not a token", "URL-safe base64"),
        ("é", "URL-safe base64"),
        ("\x00garbage", "URL-safe base64"),
        ("A", "does not belong"),
        ("AAAA.AAAA.AAAA", "does not belong"),
        ("A" * (MAX_TOKEN_LENGTH + 1), "too long"),
    ],
)
async def test_malformed_tokens_have_clear_messages(
    api: Any, driver: RecordingDriver, token: str, message: str
) -> None:
    with pytest.raises(InvalidPageToken, match=message) as caught:
        await api(api.m.Product.find().page(token=token))
    assert isinstance(caught.value, InvalidQueryError)
    assert "first page" in str(caught.value)
    assert driver.statements == []


@pytest.mark.parametrize("token", [b"bytes", 7, ["x"]])
async def test_a_token_must_be_a_string(api: Any, driver: RecordingDriver, token: Any) -> None:
    with pytest.raises(InvalidPageToken, match="is a str"):
        await api(api.m.Product.find().page(token=token))


async def test_bad_tokens_are_refused_without_a_connection(api: Any, no_connection: None) -> None:
    """The signature is checked first, so a web app answers 400 even before it connects."""
    with pytest.raises(InvalidPageToken, match="does not belong"):
        await api(api.m.Product.find().page(token="AAAA.AAAA.AAAA"))


async def test_an_old_token_expires_with_max_age(
    api: Any, driver: RecordingDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = api.m.Product.find(category="office")
    token = await first_token(api, driver, query)
    driver.queue_rows(COLS, [row("c")])
    await api(query.page(token=token, max_age=60))
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(InvalidPageToken, match="expired") as caught:
        await api(query.page(token=token, max_age=60))
    assert caught.value.reason == "expired"


@pytest.mark.parametrize("max_age", [0, -1, "60", True])
async def test_max_age_must_be_positive(api: Any, driver: RecordingDriver, max_age: Any) -> None:
    with pytest.raises(InvalidQueryError, match="max_age"):
        await api(api.m.Product.find().page(token="x", max_age=max_age))


async def test_token_and_paging_state_do_not_go_together(api: Any, driver: RecordingDriver) -> None:
    token = await first_token(api, driver)
    with pytest.raises(InvalidQueryError, match="not both"):
        await api(api.m.Product.find(category="office").page(STATE, token=token))


async def test_a_token_in_paging_state_is_refused(api: Any, driver: RecordingDriver) -> None:
    token = await first_token(api, driver)
    with pytest.raises(InvalidQueryError, match="as token="):
        await api(api.m.Product.find(category="office").page(token))


async def test_raw_paging_state_still_works(api: Any, driver: RecordingDriver) -> None:
    driver.queue_rows(COLS, [row("c")])
    await api(api.m.Product.find().page(STATE, page_size=3))
    assert driver.last.paging_state == STATE


def test_binding_is_the_same_in_every_process() -> None:
    """Sets and dicts in bound values are sorted, so hash randomisation changes nothing."""
    from coodie.query.state import QueryState

    state = QueryState(filters=(("tags", "eq", frozenset({"b", "a", "c"})),))
    again = QueryState(filters=(("tags", "eq", frozenset({"c", "a", "b"})),))
    one = page_tokens.query_binding("m.M", "ks", "SELECT", state)
    assert one == page_tokens.query_binding("m.M", "ks", "SELECT", again)
    assert one != page_tokens.query_binding("m.M", "other", "SELECT", state)
    assert one != page_tokens.query_binding("m.N", "ks", "SELECT", state)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("secret", (b"secret",)),
        (b"\x00key", (b"\x00key",)),
        (["new", b"old"], (b"new", b"old")),
        (None, None),
    ],
)
def test_page_token_key_option(given: Any, expected: Any) -> None:
    options = build_connect_options(hosts="h", options={"page_token_key": given})
    assert options.page_token_key == expected
    assert "secret" not in repr(options)


@pytest.mark.parametrize("given", ["", b"", [], ["a", ""], 5, [None]])
def test_bad_page_token_keys_are_refused(given: Any) -> None:
    with pytest.raises(ConfigurationError, match="page_token_key"):
        build_connect_options(hosts="h", options={"page_token_key": given})


async def test_init_coodie_key_signs_the_connection_tokens(
    api: Any, driver: RecordingDriver
) -> None:
    """Two processes given the same page_token_key accept each other's tokens."""
    query = api.m.Product.find(category="office")
    set_signing_keys("default", (b"shared",))
    token = await first_token(api, driver, query)
    page_tokens._signers.clear()  # another process: nothing cached
    driver.queue_rows(COLS, [row("c")])
    await api(query.page(token=token))
    assert driver.last.paging_state == STATE


async def test_init_coodie_page_token_key_and_close_coodie(
    api: Any, registry: Any, no_connection: None
) -> None:
    """init_coodie(page_token_key=...) signs that connection's tokens; after close_coodie
    and a new init_coodie without a key, the per-process key is back."""
    from coodie.connect import ALL_CAPABILITIES
    from coodie.plugins import DriverSpec

    drivers: list[RecordingDriver] = []

    def connect(options: Any) -> RecordingDriver:
        drivers.append(RecordingDriver(keyspace="test"))
        return drivers[-1]

    async def connect_async(options: Any) -> RecordingDriver:
        return connect(options)

    spec = DriverSpec(
        name="fake", connect=connect, connect_async=connect_async, capabilities=ALL_CAPABILITIES
    )

    class Plugin:
        from coodie import hookimpl

        @hookimpl
        def coodie_drivers(self) -> list[DriverSpec]:
            return [spec]

    registry.register(Plugin(), "fake-plugin")
    query = api.m.Product.find(category="office")
    await api(api.module.init_coodie(hosts="h", driver_type="fake", page_token_key="k1"))
    token = await first_token(api, drivers[-1], query)
    assert page_tokens.open_token("default", token).paging_state == STATE
    await api(api.module.close_coodie())
    await api(api.module.init_coodie(hosts="h", driver_type="fake"))
    with pytest.raises(InvalidPageToken, match="signed with another key"):
        await api(query.page(token=token))
    await api(api.module.close_coodie())
