"""Properties of the art. 7 score over generated forms (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.kernel.codes.achievements import IPKind
from shared.kernel.evaluation.engine import evaluate, scorer_for
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.samples import sample_document
from shared.kernel.policy import shipped_policy

POLICY = shipped_policy(2026)
ON = date(2026, 6, 1)
LATEST_GRANT = datetime.now(UTC).date() - timedelta(days=1)
REACHABLE = scorer_for(POLICY).tables.reachable_totals()

money = st.integers(min_value=0, max_value=300_000_000_00).map(lambda c: Decimal(c) / 100)
ip_items = st.fixed_dictionaries(
    {
        "kind": st.sampled_from([k.value for k in IPKind]),
        "number": st.from_regex(r"ZL[0-9]{4}", fullmatch=True),
        # Grants up to just after ON, but never in the future (the form refuses those).
        "granted_on": st.dates(date(2010, 1, 1), min(date(2027, 1, 1), LATEST_GRANT)),
        "valid_until": st.none() | st.dates(date(2027, 1, 1), date(2045, 1, 1)),
        # Mostly countable items, so that Class I/II mixes are common.
        "related_to_main_product": st.sampled_from([True, True, True, False]),
        "disputed": st.sampled_from([False, False, False, True]),
    }
)


@st.composite
def forms(draw: st.DrawFn) -> dict[str, Any]:
    employees = draw(st.integers(min_value=0, max_value=1000))
    return sample_document(
        {
            "personnel": {
                "employees_total": employees,
                "st_personnel": draw(st.integers(min_value=0, max_value=employees)),
            },
            "finance": {
                "sales_revenue": str(draw(money)),
                "total_assets": str(draw(money)),
                "cost_expense_total": str(draw(money)),
                "rd_expense_total": str(draw(money)),
            },
            "rd_ratio_choice": draw(st.sampled_from([None, "sales", "cost"])),
            "ip": draw(st.lists(ip_items, max_size=6)),
            "fast_track": [],
        }
    )


def total(document: dict[str, Any]) -> int:
    return evaluate(InformationForm.model_validate(document), POLICY, ON).total


@settings(deadline=None, max_examples=300)
@given(forms(), ip_items)
def test_adding_ip_never_lowers_the_score(document: dict[str, Any], item: dict[str, Any]) -> None:
    more = {**document, "ip": [*document["ip"], item]}
    assert total(more) >= total(document)


@settings(deadline=None)
@given(forms(), money)
def test_raising_rd_expense_never_lowers_the_score(
    document: dict[str, Any], increase: Decimal
) -> None:
    finance = document["finance"]
    higher = Decimal(finance["rd_expense_total"]) + increase
    more = {**document, "finance": {**finance, "rd_expense_total": str(higher)}}
    assert total(more) >= total(document)


@settings(deadline=None)
@given(forms())
def test_the_total_is_always_a_reachable_total_of_at_most_one_hundred(
    document: dict[str, Any],
) -> None:
    result = evaluate(InformationForm.model_validate(document), POLICY, ON)
    assert result.total in REACHABLE
    assert 0 <= result.total <= 100
    assert result.total == result.personnel.points + result.rd.points + result.achievements.points


@settings(deadline=None)
@given(forms(), st.integers(min_value=1, max_value=400))
def test_ip_counted_later_never_scores_more(document: dict[str, Any], days: int) -> None:
    # Only end dates limit validity once granted: judging a later date never adds points
    # for items already granted on the earlier date.
    granted = [i for i in document["ip"] if i["granted_on"] <= ON]
    form = InformationForm.model_validate({**document, "ip": granted})
    earlier = evaluate(form, POLICY, ON).achievements.points
    later = evaluate(form, POLICY, ON + timedelta(days=days)).achievements.points
    assert later <= earlier


def test_reachable_totals_include_the_extremes() -> None:
    assert {0, 60, 100} <= REACHABLE
    assert max(REACHABLE) == 100
