"""Swagger UI (and ReDoc where its bundle is present) served from our own process.

A government intranet has no internet: the docs pages must not load anything from a CDN.
Swagger UI comes from the `swagger-ui-bundle-v2` PyPI package (a runtime dependency, so
every image has it); ReDoc's single-file bundle is given as a path (the local gateway takes
it from the npm cache that `make client` fills; an image has it from the `redoc` npm
package, see deploy/docker/Dockerfile).

Behind the compose and Kubernetes gateways, the gateway's one document (`/openapi.json`)
and its `/docs` and `/redoc` are served by a service (`install_gateway_docs`, routes.yaml
names which) from the committed `openapi/openapi.json` the image carries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from shared.platform.web.openapi import GATEWAY_TITLE

SWAGGER_UI_DIR = Path(str(swagger_ui_path))


def docs_routes(docs_path: str, openapi_url: str, title: str) -> list[BaseRoute]:
    """`docs_path` (the page) and `docs_path/assets/...` (its JavaScript, CSS, icon)."""
    assets = f"{docs_path}/assets"

    async def page(_: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title} · API",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
        )

    return [
        Route(docs_path, page, include_in_schema=False),
        Mount(assets, app=StaticFiles(directory=SWAGGER_UI_DIR), name=f"{docs_path}-assets"),
    ]


def redoc_routes(redoc_path: str, openapi_url: str, title: str, bundle: Path) -> list[BaseRoute]:
    """`redoc_path` and `redoc_path/redoc.standalone.js` from a local ReDoc bundle file."""
    script = f"{redoc_path}/redoc.standalone.js"

    async def page(_: Request) -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{title} · ReDoc",
            redoc_js_url=script,
            redoc_favicon_url=f"{redoc_path}/favicon.png",
            with_google_fonts=False,
        )

    async def js(_: Request) -> Response:
        return FileResponse(bundle, media_type="text/javascript")

    async def icon(_: Request) -> Response:
        return FileResponse(SWAGGER_UI_DIR / "favicon-32x32.png", media_type="image/png")

    return [
        Route(redoc_path, page, include_in_schema=False),
        Route(script, js, include_in_schema=False),
        Route(f"{redoc_path}/favicon.png", icon, include_in_schema=False),
    ]


def install_docs(app: Any, docs_path: str, openapi_url: str, title: str) -> None:
    app.router.routes.extend(docs_routes(docs_path, openapi_url, title))


def install_gateway_docs(app: Any, document: Path | None, redoc_bundle: Path | None) -> None:
    """`/openapi.json` (the file `document`, as committed), `/docs` and, with a bundle,
    `/redoc`: what the local gateway serves itself. Nothing when `document` is unset; a
    path that does not exist stops the service at start (a broken image, not a blank page)."""
    if document is None:
        return
    if not document.is_file():
        raise FileNotFoundError(f"SME_GATEWAY_OPENAPI: no file {document}")
    body = document.read_bytes()

    async def openapi_json(_: Request) -> Response:
        return Response(body, media_type="application/json")

    routes: list[BaseRoute] = [Route("/openapi.json", openapi_json, include_in_schema=False)]
    routes += docs_routes("/docs", "/openapi.json", GATEWAY_TITLE)
    if redoc_bundle is not None:
        if not redoc_bundle.is_file():
            raise FileNotFoundError(f"SME_REDOC_BUNDLE: no file {redoc_bundle}")
        routes += redoc_routes("/redoc", "/openapi.json", GATEWAY_TITLE, redoc_bundle)
    app.router.routes.extend(routes)
