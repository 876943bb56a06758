"""A sample quarterly report body under the shipped field list (API docs, tests, benchmarks),
as `shared.kernel.evaluation.samples` is for the information form."""

from __future__ import annotations

from typing import Any

_SAMPLE: dict[str, Any] = {
    "operating_revenue": "3200000.00",
    "total_profit": "-150000.50",
    "taxes_paid": "96000.00",
    "export_revenue": "0.00",
    "employees": 48,
    "st_personnel": 16,
    "rd_expense": "280000.00",
    "invention_patent_applications": 2,
    "ip_granted": 1,
    "financing_received": "0.00",
}


def sample_report(**changes: Any) -> dict[str, Any]:
    """The sample body with `changes` applied; a change to `None` drops that field."""
    body = {**_SAMPLE, **changes}
    return {k: v for k, v in body.items() if v is not None}
