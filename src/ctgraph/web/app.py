"""The web application: `create_app(graph, config)` assembles it, nothing global.

Pages are plain server-rendered HTML (Jinja2) that work without JavaScript; the
styles and the one small script are the project's own files under `static/`, so the
site works offline. Every query runs through one `QueryRunner` (time limit, row
cap); every error becomes a page (or a plain message for programs) that says what
went wrong, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib.metadata import metadata, version
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from ctgraph.queries.library import KnowledgeGraph
from ctgraph.web.describe import Describer
from ctgraph.web.negotiate import choose
from ctgraph.web.runner import Limits, QueryRunner

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
log = logging.getLogger("ctgraph.web")


@dataclass(frozen=True)
class WebConfig:
    """What a deployment may change: limits, CORS, and what the home page says."""

    limits: Limits = field(default_factory=Limits)
    #: origins allowed to call the endpoint and the API from a browser ("*": any)
    cors_origins: tuple[str, ...] = ()
    #: when the graph was built, as the home page shows it
    built: str | None = None
    #: where the graph comes from, as the home page shows it
    origin: str = "embedded Oxigraph store"


def built_at(path: Path) -> str | None:
    """When a built graph file was written, as the home page shows it."""
    import datetime as dt

    if not path.is_file():
        return None
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return stamp.strftime("%Y-%m-%d %H:%M UTC")


class WebError(Exception):
    """An error a visitor sees: a status, a short title and what to do about it."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


@dataclass
class Web:
    """What every route needs, held by the app (`request.app.state.web`)."""

    kg: KnowledgeGraph
    runner: QueryRunner
    describer: Describer
    templates: Jinja2Templates
    config: WebConfig
    cache: dict[str, Any] = field(default_factory=dict)

    def page(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> Response:
        context.setdefault("title", "ctgraph")
        response = self.templates.TemplateResponse(
            request, template, context, status_code=status
        )
        return response


def web(request: Request) -> Web:
    return request.app.state.web


def create_app(kg: KnowledgeGraph, config: WebConfig | None = None) -> FastAPI:
    """The application serving one graph: pages, stored queries, /sparql, /api."""
    from ctgraph.web.routers import api, home, queries, resources, sparql

    config = config or WebConfig()
    runner = QueryRunner(kg, config.limits)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        runner.close()

    app = FastAPI(
        title="ctgraph",
        summary="The UN Global Counter-Terrorism Coordination Compact knowledge "
        "graph: stored queries as a JSON API.",
        version=version("ctgraph"),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["version"] = version("ctgraph")
    templates.env.globals["licence"] = (
        metadata("ctgraph").get("License") or "see its files"
    )
    app.state.web = Web(kg, runner, Describer(runner), templates, config)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (home, queries, resources, sparql, api):
        app.include_router(module.router)
    app.include_router(api.query_router(kg.queries))
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept"],
            allow_credentials=False,
        )
    install_error_pages(app)
    return app


def wants_html(request: Request) -> bool:
    """A browser (HTML preferred), not a program; /api and /sparql clients get text."""
    accept = request.headers.get("accept") or ""
    if request.url.path.startswith("/api/") or "html" not in accept:
        return False  # programs (curl sends */*) get the message as plain text
    try:
        return choose(accept, ["text/html", "text/plain"]) == "text/html"
    except ValueError:
        return False


def error_response(request: Request, status: int, title: str, message: str) -> Response:
    if wants_html(request):
        return web(request).page(
            request,
            "error.html",
            status=status,
            title=title,
            heading=title,
            message=message,
        )
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": title, "message": message}, status_code=status)
    return PlainTextResponse(f"{title}: {message}\n", status_code=status)


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def on_web_error(request: Request, exc: WebError) -> Response:
        return error_response(request, exc.status, exc.title, exc.message)

    @app.exception_handler(HTTPException)
    async def on_http(request: Request, exc: HTTPException) -> Response:
        titles = {404: "Not found", 405: "Method not allowed"}
        title = titles.get(exc.status_code, "Request not served")
        message = (
            f"there is no page at {request.url.path}"
            if exc.status_code == 404
            else str(exc.detail)
        )
        response = error_response(request, exc.status_code, title, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for item in exc.errors():
            where = ".".join(str(p) for p in item.get("loc", ()) if p != "query")
            parts.append(f"{where}: {item.get('msg', 'invalid')}")
        return error_response(request, 400, "Bad request", "; ".join(parts))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error serving %s", request.url.path)
        return error_response(
            request,
            500,
            "Server error",
            "the server could not answer this request; the error is in its log",
        )
