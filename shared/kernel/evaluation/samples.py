"""Sample information forms: the contract's example, and variations of it by field path.

For tests, benchmarks and API examples in every service, so that none of them keeps its
own copy of a valid form.

    form = sample_form({"personnel.employees_total": 100, "ip": []})
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from shared.kernel.evaluation.form import InformationForm

# contract.md "The information form", with a USCC whose check digit is right.
CONTRACT_EXAMPLE: Mapping[str, Any] = {
    "year": 2026,
    "enterprise": {
        "uscc": "91150105MA0Q4XXXXA",
        "name": "内蒙古示例科技有限公司",
        "region_code": "150105",
        "established_on": "2016-04-12",
        "high_tech_zone": None,
        "industry_code": "I6513",
        "tax_collection": "audit",
        "resident": True,
        "accounting_sound": True,
        "contact": {"name": "张三", "phone": "13800000000", "email": "a@example.cn"},
    },
    "personnel": {"employees_total": 48, "st_personnel": 16},
    "finance": {
        "sales_revenue": "15000000.00",
        "total_assets": "22000000.00",
        "cost_expense_total": "11000000.00",
        "rd_expense_total": "1100000.00",
    },
    "rd_ratio_choice": None,
    "ip": [
        {
            "kind": "invention_patent",
            "number": "ZL202110000001.1",
            "granted_on": "2022-08-09",
            "valid_until": "2041-03-01",
            "related_to_main_product": True,
            "disputed": False,
        }
    ],
    "fast_track": [
        {
            "kind": "high_tech_certificate",
            "reference": "GR202315000001",
            "issued_on": "2023-11-20",
            "valid_until": "2026-11-19",
        }
    ],
    "declarations": {
        "no_major_incident": True,
        "no_serious_fraud": True,
        "no_research_misconduct": True,
        "not_on_credit_lists": True,
        "information_true": True,
    },
}


def sample_document(changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A fresh copy of the contract example with `changes` applied.

    Keys are dotted paths (`"finance.sales_revenue"`); a list index is a path part too
    (`"ip.0.disputed"`).
    """
    document: dict[str, Any] = copy.deepcopy(dict(CONTRACT_EXAMPLE))
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        node: Any = document
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return document


def sample_form(changes: Mapping[str, Any] | None = None) -> InformationForm:
    return InformationForm.model_validate(sample_document(changes))
