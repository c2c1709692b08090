"""Page tokens over HTTP: coodie makes and checks them; this module words the 400.

A page of reviews carries ``Page.next_token`` as ``next_page_token``; the client sends it back
as ``?page_token=`` and the route passes it to ``QuerySet.page(token=...)``. coodie signs each
token with the key given to ``init_coodie(page_token_key=...)`` (``COODIE_DEMO_TOKEN_KEY``) and
binds it to its query, so a token that was altered, made up or taken from another product's
reviews raises ``InvalidPageToken`` before anything reaches the database.
"""

from coodie import InvalidPageToken

__all__ = ["page_token_detail"]


def page_token_detail(error: InvalidPageToken, owner: str) -> str:
    """The ``detail`` of the 400 for a refused ``page_token`` of a list that belongs to one
    ``owner`` (e.g. ``"product"``)."""
    if error.reason == "foreign":
        return (
            f"page_token does not belong to this query: it was made for another {owner}. "
            "Leave page_token out to start again."
        )
    return f"page_token: {error}"
