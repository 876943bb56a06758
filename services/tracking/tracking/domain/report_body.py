"""Validation of a quarterly report body (季度报告, domain.md §8).

The figures are the year's `tracking.report_fields` from the policy, so the body model is
built from the policy (once per policy version) rather than written down here. Rules:
- every listed field is required, no other field is accepted (a typo is not silently lost);
- money in yuan with at most two decimals, non-negative except `signed_money` (profit);
  counts are non-negative whole numbers;
- plausible magnitudes: a quarterly figure beyond ten times the SME size limits of
  art. 6(2) (e.g. revenue above 10 × 200 million yuan, more than 10 × 500 people) is a unit
  mistake — yuan typed as fen, or a number pasted twice — not an SME;
- employees at quarter end ≥ S&T personnel (as at intake, domain.md §6), export revenue is a
  part of operating revenue so it cannot exceed it.
A `ValidationError` is the user's input at fault: the web layer answers 422 with the field
path and a Chinese and English message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from shared.kernel.policy.eligibility_rules import SizeLimits
from shared.kernel.policy.tracking_rules import ReportFieldKind, TrackingPolicy
from tracking.domain.needs import MAX_NEEDS, Need

# Figures beyond this multiple of the SME size limits are refused as implausible.
IMPLAUSIBLE_FACTOR = 10

# Cross-field rules, applied when the year's field list has both figures: (smaller, larger).
_NOT_ABOVE = (
    (
        "st_personnel",
        "employees",
        "科技人员数不能大于期末职工人数",
        "S&T personnel cannot exceed employees",
    ),
    (
        "export_revenue",
        "operating_revenue",
        "出口创汇不能大于营业收入",
        "export revenue cannot exceed operating revenue",
    ),
)

Figure = Decimal | int


@dataclass(frozen=True, slots=True)
class QuarterlyReportBody:
    """A validated body: the figures by field name, and the needs section."""

    figures: Mapping[str, Figure]
    needs: tuple[Need, ...]

    def figure(self, name: str) -> Figure | None:
        return self.figures.get(name)


class _BodyBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, protected_namespaces=())

    needs: Annotated[list[Need], Field(max_length=MAX_NEEDS)] = []

    @model_validator(mode="after")
    def _not_above(self) -> Self:
        for smaller, larger, zh, en in _NOT_ABOVE:
            low, high = getattr(self, smaller, None), getattr(self, larger, None)
            if low is not None and high is not None and low > high:
                raise PydanticCustomError("figure_exceeds", f"{zh} / {en}", {"field": [smaller]})
        return self


def _plausible(bound: Decimal) -> AfterValidator:
    def check(value: Figure) -> Figure:
        if not -bound <= value <= bound:
            raise PydanticCustomError(
                "implausible_magnitude",
                "数值大得不合常理（上限 {bound}），请检查单位（元、人、件） / implausibly large "
                "(limit {bound}); check the unit (yuan, persons, items)",
                {"bound": str(bound)},
            )
        return value

    return AfterValidator(check)


def _not_a_boolean(value: Any) -> Any:
    # Lax integers would take JSON `true` as 1 person or 1 patent; a count is a number.
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "应为整数 / Input should be a valid integer")
    return value


def _field_type(kind: ReportFieldKind, limits: SizeLimits) -> Any:
    money_bound = limits.sales_revenue_max * IMPLAUSIBLE_FACTOR
    if kind is ReportFieldKind.COUNT:
        count_bound = Decimal(limits.employees_max * IMPLAUSIBLE_FACTOR)
        return Annotated[
            int,
            BeforeValidator(_not_a_boolean),
            Field(ge=0, strict=False),
            _plausible(count_bound),
        ]
    lower = None if kind is ReportFieldKind.SIGNED_MONEY else 0
    return Annotated[
        Decimal,
        Field(ge=lower, max_digits=15, decimal_places=2, allow_inf_nan=False),
        _plausible(money_bound),
    ]


@cache
def body_model(tracking: TrackingPolicy, limits: SizeLimits) -> type[BaseModel]:
    """The body model of one policy version (policies are frozen, so they are cache keys)."""
    fields: dict[str, Any] = {
        f.name: (_field_type(f.kind, limits), Field(description=f"{f.label} / {f.label_en}"))
        for f in tracking.report_fields
    }
    return create_model("QuarterlyReportBody", __base__=_BodyBase, **fields)


def validate_report(body: Any, tracking: TrackingPolicy, limits: SizeLimits) -> QuarterlyReportBody:
    """The validated body, or pydantic's ValidationError (a 422 with the field paths)."""
    parsed = body_model(tracking, limits).model_validate(body)
    figures = {f.name: getattr(parsed, f.name) for f in tracking.report_fields}
    return QuarterlyReportBody(figures=figures, needs=tuple(parsed.needs))  # type: ignore[attr-defined]
