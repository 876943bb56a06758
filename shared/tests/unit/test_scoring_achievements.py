"""Art. 7(3): which IP counts — valid on the evaluation date, related, undisputed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy import shipped_policy

POLICY = shipped_policy(2026)
ON = date(2026, 6, 1)


def patent(**changes: Any) -> dict[str, Any]:
    item = {
        "kind": "invention_patent",
        "number": "ZL202110000001.1",
        "granted_on": "2022-08-09",
        "valid_until": "2041-03-01",
        "related_to_main_product": True,
        "disputed": False,
    }
    return {**item, **changes}


def score(*items: dict[str, Any], on: date = ON) -> SelfEvaluation:
    return evaluate(sample_form({"fast_track": [], "ip": list(items)}), POLICY, on)


def test_a_valid_related_undisputed_patent_counts() -> None:
    assert score(patent()).achievements.class1 == 1


def test_ip_valid_until_the_evaluation_date_still_counts() -> None:
    assert score(patent(valid_until="2026-06-01")).achievements.points == 30


def test_ip_expired_the_day_before_the_evaluation_date_does_not_count() -> None:
    assert score(patent(valid_until="2026-05-31")).achievements.points == 0


def test_ip_granted_on_the_evaluation_date_counts() -> None:
    assert score(patent(granted_on="2026-06-01")).achievements.points == 30


def test_ip_granted_after_the_evaluation_date_does_not_count() -> None:
    assert score(patent(granted_on="2026-06-02")).achievements.points == 0


def test_ip_without_an_end_date_counts() -> None:
    assert score(patent(valid_until=None)).achievements.points == 30


def test_ip_unrelated_to_the_main_product_does_not_count() -> None:
    assert score(patent(related_to_main_product=False)).achievements.points == 0


def test_disputed_ip_does_not_count() -> None:
    assert score(patent(disputed=True)).achievements.points == 0


def test_the_same_number_listed_twice_counts_once() -> None:
    first = patent(kind="utility_model", number="ZL1")
    again = patent(kind="utility_model", number="zl1")
    assert score(first, again).achievements.class2 == 1


def test_uncounted_ip_is_explained_in_a_notice() -> None:
    result = score(patent(valid_until="2026-05-31"), patent(number="ZL2", disputed=True))
    (notice,) = [c for c in result.conditions if c.code == "ip_not_counted"]
    assert notice.group == "notice"
    assert "ZL202110000001.1（已于2026-05-31失效）" in notice.message
    assert "ZL2 (disputed)" in notice.message_en


def test_trademarks_are_not_listed_as_uncounted() -> None:
    result = score(patent(kind="trademark", number="TM1"))
    assert all(c.code != "ip_not_counted" for c in result.conditions)


@pytest.mark.parametrize(("on", "points"), [(date(2026, 6, 1), 30), (date(2041, 3, 2), 0)])
def test_validity_is_judged_on_the_date_passed_in(on: date, points: int) -> None:
    assert score(patent(), on=on).achievements.points == points
