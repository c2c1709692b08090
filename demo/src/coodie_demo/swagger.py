"""Swagger UI served by the app itself, so ``/docs`` works on a machine without internet.

FastAPI's default ``/docs`` page loads swagger-ui's script and stylesheet from a CDN (and
``/redoc`` loads ReDoc from one), so offline both pages are blank. The swagger-ui files come
from the ``swagger-ui-bundle`` package, which ships swagger-ui's release files; FastAPI's
``get_swagger_ui_html`` writes the page, pointed at them.
"""

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

__all__ = ["ASSETS_PATH", "DOCS_PATH", "add_local_swagger_ui"]

#: Where the page is, as FastAPI's default.
DOCS_PATH = "/docs"
#: Where swagger-ui's files are served from.
ASSETS_PATH = "/docs-assets"
_OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"


def add_local_swagger_ui(app: FastAPI) -> None:
    """Serve Swagger UI at ``/docs`` from local files; ``app`` must be made with
    ``docs_url=None`` (and ``redoc_url=None``) so FastAPI's CDN pages are not there too."""
    app.mount(ASSETS_PATH, StaticFiles(directory=swagger_ui_path), name="swagger-ui-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(DOCS_PATH, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        # Behind a proxy that mounts the app under a prefix, as FastAPI's own page does.
        root = str(request.scope.get("root_path", "")).rstrip("/")
        assets = root + ASSETS_PATH
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=root + _OAUTH2_REDIRECT_PATH,
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
        )

    @app.get(_OAUTH2_REDIRECT_PATH, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
