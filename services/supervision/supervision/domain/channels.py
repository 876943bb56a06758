"""Public supervision channels (公开监督方式, seed §二.2 主动向社会公开监督方式; contract
§ Round 2): every organisation of the tree publishes how the public can object, complain or
report. Until an organisation enters its own contacts it is shown with placeholders that
say so, never with invented numbers."""

from __future__ import annotations

from shared.kernel.codes.orgtree import Organisation

PLACEHOLDER = "【占位，待本机构公布】 / [placeholder, to be published by the organisation]"
PLACEHOLDER_EMAIL = "placeholder@example.invalid"

# This system's filing path (contract: `POST /cases`, public, for all three kinds).
FILING = {
    "method": "POST",
    "path": "/api/v1/cases",
    "kinds": ["objection", "complaint", "report"],
    "how": (
        "异议限公示期内实名（姓名、手机号）或单位（加盖公章的证明）提出；投诉、举报可匿名。"
        "提交事实与证据，系统返回案件编号。"
    ),
    "how_en": (
        "Objections only during the publicity period, by a named person (name and mobile"
        " number) or an organisation (with its seal as evidence); complaints and reports may"
        " be anonymous. Give facts and evidence; the answer carries the case id."
    ),
}


def placeholder_for(org: Organisation) -> dict[str, str]:
    return {
        "phone": PLACEHOLDER,
        "email": PLACEHOLDER_EMAIL,
        "address": f"{org.name}（{PLACEHOLDER}）",
        "office_hours": PLACEHOLDER,
    }
