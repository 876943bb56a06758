"""Validation errors carry the field path and Chinese and English messages."""

from __future__ import annotations

from pydantic import ValidationError

from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.samples import sample_document
from shared.platform.web.errors import validation_details


def details_for(changes: dict[str, object]) -> list[dict[str, object]]:
    try:
        InformationForm.model_validate(sample_document(changes))
    except ValidationError as exc:
        return validation_details(exc.errors(include_url=False), ("body",))
    raise AssertionError("the form was accepted")


def test_negative_money_names_the_field_in_both_languages() -> None:
    [detail] = details_for({"finance.sales_revenue": "-1"})
    assert detail["loc"] == ["body", "finance", "sales_revenue"]
    assert detail["msg"] == "不能小于 0"
    assert "greater than or equal to 0" in str(detail["msg_en"])


def test_custom_rule_messages_are_split_into_chinese_and_english() -> None:
    [detail] = details_for({"personnel.st_personnel": 100})
    assert detail["loc"] == ["body", "personnel", "st_personnel"]
    assert detail["msg"] == "科技人员数不能大于职工总数"
    assert detail["msg_en"] == "S&T personnel cannot exceed total employees"


def test_cross_field_rules_point_at_the_blamed_field() -> None:
    [detail] = details_for({"enterprise.established_on": "2026-02-01"})
    assert detail["loc"] == ["body", "enterprise", "established_on"]
