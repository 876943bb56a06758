"""One place that makes every service's OpenAPI document tell what the API really answers.

FastAPI's generated document knows the success schema only. `complete_document` adds, per
operation, from what the route *depends on* (so no route repeats it):

- the bearer security scheme when the route needs a token (`require_principal`, any
  `require_roles(...)`), optional when it only reads one (`optional_principal`), none on
  public routes;
- the error statuses it can answer, all with the one shared `ErrorEnvelope` schema:
  401 (a token is read), 403 (a token is required), 404 (a path parameter names a record),
  413 (a request body), 422 (any parameter or body), 503 (every operation: the database or
  broker is unavailable), plus whatever a dependency declares with `@raises(...)` or a
  route with `responses=error_responses(...)` (409 where a state can conflict, 404 where
  the query or body names a record): nothing blanket, so a client does not handle statuses
  that cannot come;
- a stable operation id `<resource>_<verb>` (`applications_submit`), see `operation_id`,
  and a bilingual summary (`openapi_summaries`);
- an example of every 2xx JSON response (`openapi_examples`);
- the roles allowed (`x-roles`) and field descriptions from `openapi_glossary`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, TypeVar, get_args

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from shared.kernel.evaluation.samples import sample_document
from shared.platform.web.openapi_examples import add_response_examples
from shared.platform.web.openapi_glossary import describe_parameters, describe_schemas
from shared.platform.web.openapi_summaries import summary_for

API_VERSION = "1.0.0"
# The title of the gateway's one document (localdev.openapi_doc merges it; the docs pages).
GATEWAY_TITLE = "科技型中小企业评价 API · S&T SME evaluation API"
BEARER = "bearerAuth"
ENVELOPE_REF = "#/components/schemas/ErrorEnvelope"

# Status → (中文, English) for the response description.
ERROR_TEXTS: dict[int, tuple[str, str]] = {
    401: ("未登录或令牌无效", "Missing, malformed, expired or unverifiable bearer token"),
    403: ("当前角色或辖区无权执行该操作", "The caller's role or jurisdiction may not do this"),
    404: (
        "路径、查询参数或请求体所指的记录不存在（或调用方不可见）",
        "A record named in the path, query or body does not exist (or is not visible)",
    ),
    409: ("与当前状态冲突", "Conflicts with the record's current state"),
    413: ("请求内容过大", "Request body too large"),
    422: (
        "输入无效：details 列出字段路径与中英文原因",
        "Invalid input: details name each field path with the reason in Chinese and English",
    ),
    429: ("请求过于频繁", "Too many requests from this client; try again later"),
    503: ("服务暂不可用（数据库或消息队列）", "Service unavailable (database or broker); retry"),
}

F = TypeVar("F", bound=Callable[..., Any])


class ErrorDetail(BaseModel):
    """One reason of an error, with where it is. 一条错误原因及其位置。"""

    model_config = ConfigDict(title="ErrorDetail")

    loc: list[str | int] = Field(
        description='字段路径，如 ["body", "finance", "sales_revenue"] / '
        'Field path, e.g. ["body", "finance", "sales_revenue"]'
    )
    msg: str = Field(description="中文原因 / The reason in Chinese")
    msg_en: str = Field(description="英文原因 / The reason in English")
    type: str | None = Field(
        default=None, description="机器可读的原因类别 / Machine-readable kind of the reason"
    )


class ErrorBody(BaseModel):
    """The error itself. 错误内容。"""

    model_config = ConfigDict(title="ErrorBody")

    code: str = Field(
        description="稳定的错误代码，如 validation_error / Stable error code, e.g. validation_error"
    )
    message: str = Field(description="中文说明 / Message in Chinese")
    message_en: str = Field(description="英文说明 / Message in English")
    details: list[ErrorDetail] = Field(
        description="逐项原因（可为空）/ One entry per reason (may be empty)"
    )


class ErrorEnvelope(BaseModel):
    """Every error of every service and of the gateway. 所有错误的统一结构。"""

    model_config = ConfigDict(title="ErrorEnvelope")

    error: ErrorBody = Field(description="错误 / The error")


def closed_set(values: Any) -> WithJsonSchema:
    """`Annotated[str, closed_set(ApplicationStatus)]`: an output field whose values are a
    domain enum's (or a `Literal`'s, or a domain tuple's) is documented with that `enum`,
    taken from the domain type itself (one list). The field stays a `str` at run time: the
    routes that build it are unchanged, and Schemathesis checks every answer against the
    documented enum."""
    if isinstance(values, type) and issubclass(values, Enum):
        members = [member.value for member in values]
    elif isinstance(values, tuple):  # a domain tuple of values (e.g. an enum plus one more)
        members = list(values)
    else:
        members = list(get_args(values))
    if not members or not all(isinstance(m, str) for m in members):
        raise TypeError(f"closed_set needs a str enum or Literal, got {values!r}")
    return WithJsonSchema({"type": "string", "enum": members})


def raises(*statuses: int) -> Callable[[F], F]:
    """Mark a dependency with the error statuses it answers (e.g. a rate limit: 429);
    every route that depends on it documents them."""

    def mark(func: F) -> F:
        func.__openapi_errors__ = frozenset(statuses)  # type: ignore[attr-defined]
        return func

    return mark


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that answers a status its dependencies do not imply."""
    return {status: _error_response(status) for status in statuses}


def binary_response(media_type: str, zh: str, en: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a 200 that is a file (xlsx, a document's bytes)."""
    return {
        200: {
            "description": f"{zh} / {en}",
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
    }


def _error_response(status: int) -> dict[str, Any]:
    zh, en = ERROR_TEXTS.get(status, ("错误", "Error"))
    return {
        "description": f"{zh} / {en}",
        "content": {"application/json": {"schema": {"$ref": ENVELOPE_REF}}},
    }


def operation_id(route: Any) -> str:
    """`<resource>_<verb>`: the first path segment after /api/v1 and the function name
    without the resource's own words (`submit_application` on /api/v1/applications →
    `applications_submit`). A route may set `operation_id=` itself; ids must be unique
    across the gateway (openapi-spec-validator checks)."""
    segments = [s for s in route.path_format.split("/") if s and not s.startswith("{")]
    if segments[:2] == ["api", "v1"]:
        segments = segments[2:]
    # /ops/<service>/... and /public/<thing>/...: the second segment names the resource.
    head = segments[:2] if segments[:1] in (["ops"], ["public"]) else segments[:1]
    resource = "_".join(head or ["root"]).replace("-", "_").replace(".", "_")
    words = set(resource.split("_"))
    words |= {w[:-1] for w in words if w.endswith("s")} | {
        w[:-2] for w in words if w.endswith("es")
    }
    words |= {w[:-3] + "y" for w in words if w.endswith("ies")}
    verb = [t for t in route.name.split("_") if t not in words]
    return f"{resource}_{'_'.join(verb) or route.name}"


def _calls(dependant: Dependant) -> Iterable[Callable[..., Any]]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _calls(dep)


def _roles_of(call: Callable[..., Any]) -> list[str]:
    # `require_roles(...)` returns a closure over the frozenset of allowed roles.
    for cell in getattr(call, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, frozenset) and all(hasattr(r, "value") for r in value):
            return sorted(str(r.value) for r in value)
    return []


def _route_facts(route: Any) -> tuple[str | None, list[str], set[int]]:
    """(auth: "required" | "optional" | None, roles, declared statuses) of one route."""
    from shared.platform.web.auth import optional_principal, require_principal

    auth: str | None = None
    roles: list[str] = []
    statuses: set[int] = set()
    for call in _calls(route.dependant):
        if call is require_principal:
            auth = "required"
        elif call is optional_principal and auth is None:
            auth = "optional"
        roles = roles or _roles_of(call)
        statuses |= set(getattr(call, "__openapi_errors__", ()))
    return auth, roles, statuses


def _complete_operation(op: dict[str, Any], route: Any) -> None:
    if not is_bilingual(op.get("summary")) and (line := summary_for(op.get("operationId", ""))):
        op["summary"] = line
    auth, roles, statuses = _route_facts(route)
    if auth == "required":
        op["security"] = [{BEARER: []}]
        statuses |= {401, 403}
    elif auth == "optional":
        op["security"] = [{}, {BEARER: []}]
        statuses.add(401)
    if roles:
        op["x-roles"] = roles
        op["description"] = (
            op.get("description", "").rstrip() + f"\n\n角色 / Roles: {', '.join(roles)}"
        ).lstrip()
    params = op.get("parameters", [])
    describe_parameters(params)
    if any(p.get("in") == "path" for p in params):
        # A path parameter names a record. A record the query or body refers to (a year
        # without a policy, a case id in a batch) and a conflict with the record's state
        # (409) are the route's own `responses=error_responses(...)`: only where it can.
        statuses.add(404)
    if "requestBody" in op:
        statuses |= {413, 422}
    if params:
        statuses.add(422)
    statuses.add(503)
    responses = op.setdefault("responses", {})
    for status in sorted(statuses):
        existing = responses.get(str(status))
        if existing is None or "HTTPValidationError" in str(existing):
            responses[str(status)] = _error_response(status)


def _envelope_components() -> dict[str, Any]:
    schema = ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {"ErrorEnvelope": schema, **defs}


def complete_document(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    # Included routers are contexts around the original APIRoute (FastAPI ≥ 0.160): the
    # context has the full path and the effective dependencies.
    routes = {
        (context.path_format, method.lower()): context
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        for method in context.methods or ()
    }
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            route = routes.get((path, method))
            if route is not None:
                _complete_operation(op, route)
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update(_envelope_components())
    components["securitySchemes"] = {
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "JWT，声明 sub、role、uscc（企业）、org（机构）、exp / "
            "JWT with claims sub, role, uscc (enterprise), org (agency), exp",
        }
    }
    describe_schemas(schemas)
    if "InformationForm" in schemas:
        # The contract's sample form (the one the tests submit), valid for the shipped policy.
        schemas["InformationForm"]["examples"] = [sample_document()]
    add_response_examples(doc.get("paths", {}), schemas)
    return doc


def install_openapi(app: FastAPI) -> None:
    """Replace `app.openapi` with the completed document (built once, then cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]{3,}")


def is_bilingual(text: str | None) -> bool:
    return bool(text) and bool(_CJK.search(text or "")) and bool(_LATIN.search(text or ""))
