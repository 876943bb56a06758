"""Names, reasons and free text refuse what no person types; dates are plausible; a JSON
object with a key twice is a 422 (issue 10 "Text and dates")."""

from __future__ import annotations

import json
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI
from pydantic import BaseModel, Field, ValidationError

from shared.kernel.evaluation.samples import sample_form
from shared.kernel.text import LongText, SingleLineText
from shared.platform.web.duplicate_keys import (
    duplicate_key,
    parse_json_once,
    refuse_duplicate_json_keys,
)
from shared.platform.web.errors import install_error_handlers


class Note(BaseModel):
    name: Annotated[SingleLineText, Field(min_length=1, max_length=100)]
    body: LongText = ""


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "\u200b\u200b\u200b", "text_invisible"),
        ("name", "\ufeff \u2060", "text_invisible"),
        ("name", "Acme\r\nX-Injected: 1", "text_line_break"),
        ("name", "Acme\nLtd", "text_line_break"),
        ("name", "\x1b[31mred\x1b[0m", "text_control_character"),
        ("name", "nul\x00", "text_control_character"),
        ("name", "\u202egnp.exe", "text_bidi_override"),
        ("name", "a\u2066b\u2069", "text_bidi_override"),
        ("body", "line\x07bell", "text_control_character"),
        ("body", "\u202eabc", "text_bidi_override"),
    ],
)
def test_text_that_nobody_types_is_refused(field: str, value: str, error: str) -> None:
    data = {"name": "ok", field: value}
    with pytest.raises(ValidationError) as refused:
        Note.model_validate(data)
    assert [e["type"] for e in refused.value.errors()] == [error]
    assert refused.value.errors()[0]["loc"] == (field,)


def test_ordinary_text_is_kept_and_long_text_keeps_its_lines() -> None:
    note = Note.model_validate({"name": "内蒙古某科技有限公司 (Ltd.)", "body": "第一行\r\n第二行"})
    assert note.name == "内蒙古某科技有限公司 (Ltd.)"
    assert note.body == "第一行\n第二行"
    # A zero-width joiner inside real text (emoji, some scripts) is not refused.
    assert Note.model_validate({"name": "a\u200db"}).name == "a\u200db"


def form_errors(changes: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as refused:
        sample_form(changes)
    return [(tuple(e["loc"]), e["type"]) for e in refused.value.errors()]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"enterprise.established_on": "0001-01-01"}, "date_too_early"),
        ({"enterprise.established_on": "1948-12-31"}, "date_too_early"),
        ({"ip.0.granted_on": "9999-12-31"}, "date_in_future"),
        ({"ip.0.valid_until": "9999-12-31"}, "validity_too_long"),
        ({"enterprise.name": "\u200b\u200b"}, "text_invisible"),
        ({"enterprise.contact.name": "张三\r\n李四"}, "text_line_break"),
        ({"ip.0.number": "ZL\x1b[0m"}, "text_control_character"),
    ],
)
def test_the_form_refuses_implausible_dates_and_text(
    changes: dict[str, Any], expected: str
) -> None:
    assert expected in [kind for _, kind in form_errors(changes)]


def test_the_form_accepts_a_founding_in_1949_and_a_20_year_patent() -> None:
    form = sample_form(
        {
            "enterprise.established_on": "1949-10-01",
            "ip.0.granted_on": "2022-08-09",
            "ip.0.valid_until": "2042-08-08",
        }
    )
    assert form.enterprise.established_on.year == 1949


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (b'{"uscc": "A", "uscc": "B"}', "uscc"),
        (b'{"enterprise": {"name": "x", "name": "y"}}', "name"),
        (b'[{"a": 1}, {"a": 2, "a": 3}]', "a"),
        (b'{"a": 1, "b": {"a": 2}}', None),
        (b"{not json", None),
    ],
)
def test_duplicate_keys_are_found_at_any_depth(body: bytes, key: str | None) -> None:
    assert duplicate_key(body) == key


@pytest.mark.parametrize("once", [False, True], ids=["plain-app", "parse-json-once"])
async def test_a_body_with_a_duplicate_key_is_a_422_naming_the_key(once: bool) -> None:
    app = FastAPI(dependencies=[Depends(refuse_duplicate_json_keys)])
    install_error_handlers(app)

    @app.post("/enterprises")
    async def create(note: Note) -> dict[str, str]:
        return {"name": note.name}

    if once:
        parse_json_once(app)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        refused = await client.post(
            "/enterprises",
            content=b'{"name": "A", "name": "B"}',
            headers={"content-type": "application/json"},
        )
        accepted = await client.post("/enterprises", json={"name": "A"})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["loc"] == ["body", "name"]
    assert refused.json()["error"]["details"][0]["type"] == "duplicate_key"
    assert accepted.status_code == 200


async def test_a_service_app_parses_a_json_body_once(monkeypatch: pytest.MonkeyPatch) -> None:
    app = FastAPI(dependencies=[Depends(refuse_duplicate_json_keys)])
    install_error_handlers(app)

    @app.post("/enterprises")
    async def create(note: Note) -> dict[str, str]:
        return {"name": note.name}

    parse_json_once(app)
    parses = []
    real_loads = json.loads

    def counting_loads(*args: Any, **kwargs: Any) -> Any:
        parses.append(args[0])
        return real_loads(*args, **kwargs)

    monkeypatch.setattr(json, "loads", counting_loads)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        accepted = await client.post("/enterprises", json={"name": "A"})
        invalid = await client.post(
            "/enterprises", content=b"{not json", headers={"content-type": "application/json"}
        )
    assert len(parses) == 2  # one per request, the invalid one included
    assert accepted.status_code == 200
    assert accepted.json() == {"name": "A"}
    assert invalid.status_code == 422
