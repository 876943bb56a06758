"""The contract's error shape for every kind of failure, on a small app (no database)."""

from __future__ import annotations

from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI, Query

from shared.kernel.errors import Conflict
from shared.kernel.evaluation.form import InformationForm
from shared.platform.observability.metrics import ServiceMetrics
from shared.platform.web.errors import install_error_handlers
from shared.platform.web.middleware import BodySizeLimitMiddleware, RequestContextMiddleware


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=2_000)
    app.add_middleware(RequestContextMiddleware, metrics=ServiceMetrics("test"))

    @app.post("/forms")
    async def take_form(form: InformationForm) -> dict[str, int]:
        return {"year": form.year}

    @app.get("/items")
    async def items(limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, int]:
        return {"limit": limit}

    @app.post("/conflict")
    async def conflict() -> None:
        raise Conflict(
            message="不在申报期内", message_en="outside the window", code="outside_window"
        )

    @app.get("/bug")
    async def bug() -> None:
        raise RuntimeError("a programming error")

    return app


@pytest.fixture
async def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def assert_shape(body: dict[str, object]) -> dict[str, object]:
    error = body["error"]
    assert isinstance(error, dict)
    assert set(error) == {"code", "message", "message_en", "details"}
    return error


async def test_malformed_json_is_a_422_not_a_500(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/forms", content=b"{broken", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert assert_shape(response.json())["code"] == "validation_error"


@pytest.mark.parametrize(("body", "position"), [(b'{"year": 2026,', 14), (b'{"year": \xff}', 9)])
async def test_unparsable_json_is_a_422_with_the_position(
    client: httpx.AsyncClient, body: bytes, position: int
) -> None:
    # Malformed JSON and bytes that are not UTF-8 alike (FastAPI itself answers 400 to the
    # latter): the contract's 422 with the byte position in the body.
    response = await client.post(
        "/forms", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    detail = assert_shape(response.json())["details"][0]  # type: ignore[index]
    assert detail["loc"] == ["body", position]
    assert detail["type"] == "json_invalid"


async def test_a_query_parameter_out_of_bounds_names_the_parameter(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/items", params={"limit": 501})
    assert response.status_code == 422
    detail = assert_shape(response.json())["details"][0]  # type: ignore[index]
    assert detail["loc"] == ["query", "limit"]
    assert detail["msg"] == "不能大于 500"


async def test_a_domain_conflict_is_a_409_with_both_languages(client: httpx.AsyncClient) -> None:
    response = await client.post("/conflict")
    assert response.status_code == 409
    error = assert_shape(response.json())
    assert (error["code"], error["message"], error["message_en"]) == (
        "outside_window",
        "不在申报期内",
        "outside the window",
    )


async def test_an_unknown_path_is_a_404_in_the_same_shape(client: httpx.AsyncClient) -> None:
    response = await client.get("/nowhere")
    assert response.status_code == 404
    assert assert_shape(response.json())["code"] == "not_found"


async def test_a_wrong_method_is_a_405_in_the_same_shape(client: httpx.AsyncClient) -> None:
    response = await client.delete("/items")
    assert response.status_code == 405
    assert assert_shape(response.json())["code"] == "method_not_allowed"


async def test_an_oversized_body_is_refused_before_parsing(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/forms", content=b"x" * 5_000, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert assert_shape(response.json())["code"] == "payload_too_large"


async def test_a_bug_is_a_500_without_internals(client: httpx.AsyncClient) -> None:
    response = await client.get("/bug")
    assert response.status_code == 500
    error = assert_shape(response.json())
    assert "programming" not in str(error)


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/items", headers={"x-request-id": "req-42"})
    assert response.headers["x-request-id"] == "req-42"


async def test_an_oversized_streamed_body_without_length_is_a_413_too(
    client: httpx.AsyncClient,
) -> None:
    async def chunks():  # no Content-Length: the limit is found while reading
        for _ in range(10):
            yield b"x" * 500

    response = await client.post(
        "/forms", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert assert_shape(response.json())["code"] == "payload_too_large"


async def test_a_500_still_carries_the_request_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/bug", headers={"x-request-id": "req-500"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "req-500"


async def test_a_request_id_that_is_not_a_plain_token_is_replaced(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/items", headers={"x-request-id": "a b<script>"})
    assert response.headers["x-request-id"] != "a b<script>"
