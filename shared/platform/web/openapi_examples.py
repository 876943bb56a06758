"""Realistic response examples for the OpenAPI document, built from the schemas themselves.

Swagger UI and ReDoc show a response's example; without one a portal developer sees
`"string"` everywhere. Rather than a hand-written copy per model (which drifts from the
model the day a field is added), `example_of` walks a response schema and fills each field
from one table of realistic values by field name (`VALUES`: one enterprise of Hohhot with a
valid USCC, dates in the 2026 policy year), falling back on the field's type, format and
enum. A model that wants a different example declares it once with
`model_config = ConfigDict(json_schema_extra={"examples": [...]})`; that one wins.
`tests/contract/test_openapi_complete.py` checks every example against its own schema.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

from shared.kernel.codes.uscc import with_check_digit
from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.samples import sample_document
from shared.kernel.policy.loader import shipped_policy

# One enterprise and its agency, used throughout (region 150105: 赛罕区, Hohhot).
USCC = with_check_digit("91150105MA0N8K3Q2")
ENTERPRISE = "内蒙古草原云数据科技有限公司"
AGENCY = "150100"
YEAR = 2026
ID = "3f2b8c1e-6a4d-4e8b-9c71-2d5f0a9e7b13"

# Realistic values by field name. Applied only where the value validates against the
# field's schema type (checked by the walk), so one name may serve several models.
VALUES: dict[str, Any] = {
    "id": ID,
    "uscc": USCC,
    "subject_uscc": USCC,
    "name": ENTERPRISE,
    "enterprise_name": ENTERPRISE,
    "subject_name": ENTERPRISE,
    "name_en": "Inner Mongolia Grassland Cloud Data Technology Co., Ltd.",
    "agency": AGENCY,
    "org": AGENCY,
    "organisation": "呼和浩特市科学技术局",
    "actor_org": AGENCY,
    "region_code": "150105",
    "industry_code": "I6510",
    "high_tech_zone": "呼和浩特金山高新技术产业开发区",
    "tax_collection": "audit",
    "year": YEAR,
    "quarter": 2,
    "round": 1,
    "revision": 1,
    "policy_version": 1,
    "application_id": "8d0c5a7e-1f3b-4c2a-b6e9-5a4d3c2b1f00",
    "case_id": "b7e1d2c3-4a5f-4b6e-8c7d-9e0f1a2b3c4d",
    "batch_id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
    "entry_id": "e4f5a6b7-c8d9-4e0f-9a1b-2c3d4e5f6a7b",
    "event_id": "0b9f6d2e-3c4a-4f5b-8e7d-1a2c3b4d5e6f",
    "event_type": "cn.sme.application.submitted.v1",
    "registration_number": f"{YEAR}150105A0000042",
    "number": f"{YEAR}150105A0000042",
    "established_on": "2019-03-12",
    "contact": {"name": "王晓燕", "phone": "0471-6512345", "email": "rd@caoyuanyun.cn"},
    "email": "kjj@huhhot.gov.cn",
    "phone": "0471-6965432",
    "address": "呼和浩特市新城区新华大街 63 号",
    "office_hours": "工作日 8:30–12:00，14:30–17:30",
    "how": "电话或来信 / by phone or letter",
    "how_en": "By phone or letter",
    "actor": "wangxy",
    "actor_role": "agency",
    "reason": "研发费用归集口径与审计报告一致 / R&D expenses as in the audit report",
    "decision_reason": None,
    "title": f"{YEAR} 年第一批科技型中小企业入库登记公示",
    "title_en": f"{YEAR} first batch of registered S&T SMEs (publicity)",
    "message": "统一社会信用代码校验位不符",
    "message_en": "The USCC check digit does not match",
    "code": "uscc_checksum",
    "severity": "warning",
    "filename": "2025年度审计报告.pdf",
    "media_type": "application/pdf",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "size": 482113,
    "content_url": f"/api/v1/documents/{ID}/content",
    "facts": "该企业申报的研发人员数量与社保缴纳记录不符。",
    "seed": "7a1c9e",
    "ratio": "0.05",
    "topic": "sme.intake.events.v1",
    "consumer": "review",
    "key": USCC,
    "partition": 0,
    "offset": 1842,
    "attempts": 3,
    "last_error": "broker unavailable",
    "error": "broker unavailable",
    "path": "/api/v1/applications",
    "method": "POST",
    "total": 1,
    "next_cursor": None,
    "employees": "86",
    "rd_intensity": "0.0842",
    "revenue_growth": "0.1500",
    "on_time_rate": "0.9500",
    "ratio_cost": "0.0842",
    "ratio_sales": "0.0612",
    "reasons": ["研发投入强度不足 / R&D intensity below the threshold"],
    "kinds": ["audit_report"],
    "basis": "《科技型中小企业评价办法》第六条 / Measures for the evaluation, art. 6",
    "action": "approve",
    "description": "企业名称变更 / Change of name",
    "detail": "safety",
    "filer_type": "person",
    "type": "person",
    "grounds": "研发人员名单与社保缴纳记录不符 / R&D staff do not match social insurance records",
    "statement": "研发人员均在本企业缴纳社保，附缴费记录。/ All R&D staff are insured here; "
    "records attached.",
    "measures": "责令整改并记入信用档案 / Ordered to correct; recorded in the credit archive",
    "note": "现场核查资料齐全 / On-site documents complete",
    "notes": "现场核查资料齐全 / On-site documents complete",
    "subject": "企业名称变更 / Change of name",
    "old_value": ENTERPRISE,
    "new_value": "内蒙古草原云智能科技有限公司",
    "refers_to": "ZL202110123456.7",
    "proposed_by": AGENCY,
    "group": "150105",
    "group_by": "region",
    "group_name": "赛罕区",
    "category_label": "融资",
    "category_label_en": "Financing",
    "outcome": "queued",
    "result": "passed",
    "step": "accepted",
    "rd": "3120000.00",
    "by_category": {"financing": 3, "talent": 1},
    "decision": {"decision": "approve", "reason": None},
    "finding": None,
    # By "<Schema>.<field>" where the plain name would mislead.
    "TierOut.code": "growing",
    "TierOut.name": "成长",
    "TierOut.name_en": "Growing",
    "TierCountOut.code": "growing",
    "TierCountOut.name": "成长",
    "TierCountOut.name_en": "Growing",
    "NoticeOut.kind": "announcement",
    "CaseOut.anonymous": False,
    "CaseDetailOut.anonymous": False,
    "EvidenceOut.kind": "financial_statements",
    # Nullable, and null in the usual case.
    "dismissed_reason": None,
    "not_accepted_reason": None,
    "superseded_by": None,
    "resolution": None,
    "chosen": None,
    "first_quarter": None,
    "last_quarter": None,
}


def sample_form() -> dict[str, Any]:
    """The contract's sample information form, filed by the example enterprise."""
    return sample_document(
        {
            "enterprise.uscc": USCC,
            "enterprise.name": ENTERPRISE,
            "enterprise.contact": VALUES["contact"],
        }
    )


def sample_self_evaluation() -> dict[str, Any]:
    """The real self-evaluation of `sample_form` under the shipped policy of `YEAR`."""
    form = InformationForm.model_validate(sample_form())
    result = evaluate(form, shipped_policy(YEAR), evaluation_date=date.fromisoformat(DATE))
    return result.model_dump(mode="json")


# A loosely typed object field (`dict[str, Any]`) that holds a documented shape.
SHAPES: dict[str, Callable[[], dict[str, Any]]] = {
    "form": sample_form,
    "self_evaluation": sample_self_evaluation,
}

# Dates: the day is in the policy year; a name ending in `_on` is a date, `_at` a time.
DATE = f"{YEAR}-05-20"
DATE_TIME = f"{YEAR}-05-20T09:30:00Z"
DATES: dict[str, str] = {
    "valid_from": f"{YEAR}-06-30",
    "valid_until": f"{YEAR}-12-31",
    "year_closes_on": f"{YEAR}-12-31",
    "due_on": f"{YEAR}-06-19",
    "report_due_on": f"{YEAR}-07-15",
    "starts_on": f"{YEAR}-05-21",
    "ends_on": f"{YEAR}-05-30",
    "submitted_at": f"{YEAR}-04-15T02:30:00Z",
    "created_at": f"{YEAR}-04-10T01:12:00Z",
}


def example_of(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """An example instance of `schema` (refs resolved against `components`)."""
    return _example(schema, components, field=None, depth=0)


def _value(owner: str | None, field: str, schema: dict[str, Any]) -> tuple[bool, Any]:
    for key in (f"{owner}.{field}", field):
        if key in VALUES and _fits(VALUES[key], schema):
            return True, copy.deepcopy(VALUES[key])
    return False, None


def _example(
    schema: dict[str, Any], components: dict[str, Any], field: str | None, depth: int
) -> Any:
    if "$ref" in schema:
        target = components[schema["$ref"].rsplit("/", 1)[-1]]
        return _example(target, components, field, depth + 1)
    if schema.get("examples"):
        return copy.deepcopy(schema["examples"][0])
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if field is not None and "." in field:
        owner, _, name = field.partition(".")
        found, value = _value(owner, name, schema)
        if found:
            return value
        field = name
    elif field is not None:
        found, value = _value(None, field, schema)
        if found:
            return value
    if field in SHAPES and schema.get("type") == "object" and "properties" not in schema:
        return SHAPES[field]()
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branches = [b for b in schema[key] if b.get("type") != "null"] or schema[key]
            return _example(branches[0], components, field, depth)
    if "allOf" in schema:
        return _example(schema["allOf"][0], components, field, depth)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        title = schema.get("title")
        example = {
            name: _example(prop, components, f"{title}.{name}" if title else name, depth + 1)
            for name, prop in (schema.get("properties") or {}).items()
            if depth < 8
        }
        extra = schema.get("additionalProperties")
        if not example and isinstance(extra, dict) and extra and depth < 8:
            # A map (e.g. year -> versions): one entry, keyed by the policy year.
            example = {str(YEAR): _example(extra, components, None, depth + 1)}
        return example
    if kind == "array":
        if depth >= 8:
            return []
        return [_example(schema.get("items", {}), components, _singular(field), depth + 1)]
    if kind == "string":
        return _string(schema, field)
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return None


def _string(schema: dict[str, Any], field: str | None) -> str:
    fmt = schema.get("format")
    if field in DATES and fmt in ("date", "date-time"):
        return DATES[field]
    if fmt == "date" or (field or "").endswith("_on"):
        return DATE
    if fmt == "date-time" or (field or "").endswith("_at"):
        return DATE_TIME
    if fmt == "uuid":
        return ID
    return field.replace("_", " ") if field else "示例 / example"


def _singular(field: str | None) -> str | None:
    if field and field.endswith("s"):
        return field[:-1]
    return field


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    """Whether a table value has the field's type (enums and patterns are left to the
    schema walk: a value outside an enum is not used)."""
    if "anyOf" in schema or "oneOf" in schema:
        return any(_fits(value, b) for b in schema.get("anyOf", schema.get("oneOf", [])))
    if "enum" in schema:
        return value in schema["enum"]
    if "$ref" in schema or "pattern" in schema:
        return False
    kind = schema.get("type")
    checks: dict[str, Any] = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    }
    if kind not in checks or not checks[kind](value):
        return False
    # A date field takes its day from DATES (the policy year), not from the table.
    return not (kind == "string" and schema.get("format") in ("date", "date-time"))


def add_response_examples(document_paths: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Give every 2xx JSON response an example: on the component schema it refers to
    (declared once, shown wherever it is used), or on the response itself when the schema
    is inline."""
    for item in document_paths.values():
        for op in item.values():
            for status, response in op.get("responses", {}).items():
                media = response.get("content", {}).get("application/json")
                if not status.startswith("2") or media is None or "schema" not in media:
                    continue
                schema = media["schema"]
                if "$ref" in schema:
                    name = schema["$ref"].rsplit("/", 1)[-1]
                    target = schemas[name]
                    if name == "SelfEvaluation" and not target.get("examples"):
                        target["examples"] = [sample_self_evaluation()]
                    if not target.get("examples"):
                        target["examples"] = [example_of(target, schemas)]
                elif "example" not in media and not schema.get("examples"):
                    media["example"] = example_of(schema, schemas)
