"""Fast-track evidence, USCC check digit, establishment date and the self-evaluation
(domain.md §6)."""

from __future__ import annotations

from datetime import date

from review.domain.warnings.established import established_after_reported_year
from review.domain.warnings.fast_track import fast_track_inconsistent
from review.domain.warnings.self_evaluation import self_evaluation_mismatch
from review.domain.warnings.uscc import uscc_checksum
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy.model import Policy

from .conftest import ContextFactory


def test_expired_high_tech_certificate_blocks(context: ContextFactory, policy: Policy) -> None:
    ctx = context(evaluated_on=date(2026, 11, 26))  # the sample's certificate ended 19 Nov
    [warning] = fast_track_inconsistent(ctx, policy.warnings)
    assert (warning.code, warning.severity) == ("fast_track_inconsistent", "block")
    assert warning.data["reference"] == "GR202315000001"
    assert "expired" in warning.message_en


def test_award_older_than_five_years_blocks(context: ContextFactory, policy: Policy) -> None:
    award = {"kind": "national_award", "reference": "2019-J-1", "year": 2019, "rank": 1}
    ctx = context({"fast_track": [award]})
    [warning] = fast_track_inconsistent(ctx, policy.warnings)
    assert warning.subject == "national_award:2019-J-1"


def test_valid_fast_track_evidence_raises_nothing(context: ContextFactory, policy: Policy) -> None:
    assert fast_track_inconsistent(context(), policy.warnings) == []


def test_only_the_failing_claim_is_named(context: ContextFactory, policy: Policy) -> None:
    claims = [
        {"kind": "national_award", "reference": "OLD", "year": 2015, "rank": 1},
        {"kind": "national_award", "reference": "NEW", "year": 2024, "rank": 1},
    ]
    warnings = fast_track_inconsistent(context({"fast_track": claims}), policy.warnings)
    assert [w.data["reference"] for w in warnings] == ["OLD"]


def test_uscc_check_digit_mismatch_warns(context: ContextFactory, policy: Policy) -> None:
    [warning] = uscc_checksum(context(uscc_checksum_ok=False), policy.warnings)
    assert (warning.code, warning.severity) == ("uscc_checksum", "warn")


def test_correct_uscc_check_digit_raises_nothing(context: ContextFactory, policy: Policy) -> None:
    assert uscc_checksum(context(uscc_checksum_ok=True), policy.warnings) == []


def test_established_after_the_reported_year_blocks(
    context: ContextFactory, policy: Policy
) -> None:
    # Intake refuses such a form; review checks the snapshot again (defence in depth), so the
    # form is built here without validation.
    form = sample_form()
    late = form.model_copy(
        update={
            "enterprise": form.enterprise.model_copy(update={"established_on": date(2026, 1, 5)})
        }
    )
    [warning] = established_after_reported_year(context(form=late), policy.warnings)
    assert (warning.code, warning.severity) == ("established_after_reported_year", "block")
    assert warning.data["reported_year_end"] == "2025-12-31"


def test_established_on_the_last_day_of_the_reported_year_is_fine(
    context: ContextFactory, policy: Policy
) -> None:
    ctx = context({"enterprise.established_on": "2025-12-31"})
    assert established_after_reported_year(ctx, policy.warnings) == []


def test_a_self_evaluation_that_claims_more_points_blocks(
    context: ContextFactory, policy: Policy
) -> None:
    # Without IP the recomputed total is 20 + 50 + 0 = 70; the enterprise claims 100.
    ctx = context({"ip": []}, claimed_changes={"total": 100})
    assert ctx.recomputed.total == 70
    [warning] = self_evaluation_mismatch(ctx, policy.warnings)
    assert (warning.code, warning.severity) == ("self_evaluation_mismatch", "block")
    assert warning.data["differing"] == ["total"]
    assert "100" in warning.message
    assert "70" in warning.message_en


def test_a_matching_self_evaluation_raises_nothing(context: ContextFactory, policy: Policy) -> None:
    assert self_evaluation_mismatch(context(), policy.warnings) == []
