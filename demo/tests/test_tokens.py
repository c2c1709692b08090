"""The 400 of a refused page_token (no database).

Signing and checking tokens is coodie's (its tests: packages/coodie-core/tests/
test_page_tokens.py); the demo only words the answer for an HTTP client.
"""

import pytest

from coodie import InvalidPageToken, InvalidQueryError
from coodie_demo.tokens import page_token_detail


def test_a_token_of_another_product_says_so() -> None:
    error = InvalidPageToken("made for another query", "foreign")
    detail = page_token_detail(error, "product")
    assert "does not belong to this query" in detail
    assert "made for another product" in detail
    assert "Leave page_token out" in detail


@pytest.mark.parametrize("reason", ["malformed", "forged", "expired"])
def test_other_refusals_pass_coodie_s_reason_on(reason: str) -> None:
    error = InvalidPageToken("The page token is empty.", reason)
    assert page_token_detail(error, "product") == "page_token: The page token is empty."


def test_invalid_page_token_is_an_invalid_query_error() -> None:
    assert issubclass(InvalidPageToken, InvalidQueryError)
