"""A JSON API per stored query (`/api/queries/{name}`), described in /openapi.json.

Each stored query becomes its own route with its parameters declared (type, list,
choices, example), so a dashboard or a generated client sees what each one takes.
Values are the same natural values the CLI and the forms accept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ctgraph.queries.library import Parameter, StoredQuery
from ctgraph.web.app import web
from ctgraph.web.render import api_document

router = APIRouter()

SCHEMA_TYPES = {
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "year": {"type": "string", "pattern": "^[0-9]{4}$"},
    "boolean": {"type": "boolean"},
}
RESULT_SCHEMA = {
    "type": "object",
    "required": ["query", "columns", "rows", "truncated"],
    "properties": {
        "query": {"type": "string"},
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": True},
        },
        "truncated": {
            "type": "boolean",
            "description": "true when the row cap cut the result short",
        },
    },
}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}


def parameter_schema(param: Parameter, example: Any) -> dict[str, Any]:
    """One OpenAPI query parameter for a stored query's parameter."""
    schema: dict[str, Any] = dict(SCHEMA_TYPES.get(param.type, {"type": "string"}))
    if param.choices:
        schema["enum"] = list(param.choices)
    if param.default is not None and not param.multiple:
        schema["default"] = str(param.default[0])
    if param.multiple:
        schema = {"type": "array", "items": schema}
    out: dict[str, Any] = {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": (param.description + " " if param.description else "")
        + f"({param.hint})",
        "schema": schema,
    }
    if param.multiple:
        out["style"], out["explode"] = "form", True
    if example is not None:
        out["example"] = example
    return out


def operation(stored: StoredQuery) -> dict[str, Any]:
    return {
        "parameters": [
            parameter_schema(p, stored.example.get(p.name)) for p in stored.parameters
        ],
        "responses": {
            "200": {
                "description": "the rows",
                "content": {"application/json": {"schema": RESULT_SCHEMA}},
            },
            "400": {
                "description": "a missing, unknown or ill-typed parameter",
                "content": {"application/json": {"schema": ERROR_SCHEMA}},
            },
            "503": {
                "description": "the query took longer than the time limit",
                "content": {"application/json": {"schema": ERROR_SCHEMA}},
            },
        },
    }


def handler(name: str) -> Callable[[Request], Any]:
    async def run(request: Request) -> JSONResponse:
        from ctgraph.web.routers.queries import execute, stored_query

        def work() -> JSONResponse:
            state = web(request)
            stored = stored_query(state, name)
            _, outcome = execute(state, stored, request)
            assert outcome.table is not None
            return JSONResponse(api_document(name, outcome.table, outcome.truncated))

        return await run_in_threadpool(work)

    return run


def query_router(queries: dict[str, StoredQuery]) -> APIRouter:
    """One GET route per stored query, its parameters in the OpenAPI description."""
    router = APIRouter()
    for name, stored in sorted(queries.items()):
        router.add_api_route(
            f"/api/queries/{name}",
            handler(name),
            methods=["GET"],
            summary=stored.summary,
            description=stored.description or stored.summary,
            tags=list(stored.tags[:1]) or ["queries"],
            operation_id=name.replace("-", "_"),
            openapi_extra=operation(stored),
            response_class=JSONResponse,
        )
    return router


@router.get("/api/queries", summary="The stored queries and their parameters")
def list_queries(request: Request) -> dict[str, Any]:
    return {
        "queries": [
            {
                "name": stored.name,
                "summary": stored.summary,
                "tags": list(stored.tags),
                "parameters": [p.describe() for p in stored.parameters],
                "url": f"/api/queries/{stored.name}",
            }
            for stored in web(request).kg.queries.values()
        ]
    }
