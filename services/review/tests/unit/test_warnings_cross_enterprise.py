"""Cross-enterprise and history rules: duplicate IP, shared contact, jumps against the
previous year, credit records (domain.md §6)."""

from __future__ import annotations

from datetime import date

from review.domain.warnings import ContactUsage, CreditEntry, evaluate_warnings
from review.domain.warnings.contacts import normalise_contact, shared_contact, subject_of
from review.domain.warnings.credit import credit_record
from review.domain.warnings.ip_claims import duplicate_ip, normalise_ip_number
from review.domain.warnings.jump import jump_vs_previous_year
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy.model import Policy

from .conftest import ContextFactory


def test_ip_claimed_by_another_enterprise_warns(context: ContextFactory, policy: Policy) -> None:
    ctx = context(ip_claimed_elsewhere={"ZL202110000001.1": ("91150105MA0Q4YYYY1",)})
    [warning] = duplicate_ip(ctx, policy.warnings)
    assert (warning.code, warning.severity, warning.subject) == (
        "duplicate_ip",
        "warn",
        "ZL202110000001.1",
    )
    assert warning.data["other_enterprises"] == ["91150105MA0Q4YYYY1"]


def test_ip_claimed_by_nobody_else_raises_nothing(context: ContextFactory, policy: Policy) -> None:
    ctx = context(ip_claimed_elsewhere={"ZL202110000001.1": ()})
    assert duplicate_ip(ctx, policy.warnings) == []


def test_ip_numbers_compare_without_spaces_and_case() -> None:
    assert normalise_ip_number(" zl 2021 1000 0001.1") == "ZL202110000001.1"


def test_contact_on_five_enterprises_warns(context: ContextFactory, policy: Policy) -> None:
    ctx = context(contact_usage=(ContactUsage("phone", "13800000000", 5),))
    [warning] = shared_contact(ctx, policy.warnings)
    assert (warning.code, warning.severity) == ("shared_contact", "warn")
    assert warning.data == {"kind": "phone", "enterprises": 5, "threshold": 5}
    # The subject identifies the contact without showing it.
    assert "13800000000" not in warning.subject + warning.message + warning.message_en


def test_contact_on_four_enterprises_raises_nothing(
    context: ContextFactory, policy: Policy
) -> None:
    ctx = context(contact_usage=(ContactUsage("email", "a@example.cn", 4),))
    assert shared_contact(ctx, policy.warnings) == []


def test_phone_numbers_compare_without_formatting() -> None:
    assert normalise_contact("phone", "+86 138-0000-0000") == "13800000000"
    assert normalise_contact("email", " A@Example.CN ") == "a@example.cn"
    assert subject_of("phone", "13800000000") == subject_of("phone", "13800000000")


def test_rd_ratio_three_times_last_year_warns(context: ContextFactory, policy: Policy) -> None:
    previous = sample_form({"year": 2025, "finance.rd_expense_total": "300000.00"})
    # 2026: 1,100,000 / 15,000,000 = 7.33% against 2% a year earlier.
    [sales, cost] = jump_vs_previous_year(context(previous_form=previous), policy.warnings)
    assert sales.subject == "rd_ratio_sales"
    assert cost.subject == "rd_ratio_cost"
    assert sales.data["previous_year"] == 2025


def test_a_modest_rise_raises_nothing(context: ContextFactory, policy: Policy) -> None:
    previous = sample_form({"year": 2025, "finance.rd_expense_total": "900000.00"})
    assert jump_vs_previous_year(context(previous_form=previous), policy.warnings) == []


def test_no_previous_application_raises_nothing(context: ContextFactory, policy: Policy) -> None:
    assert jump_vs_previous_year(context(), policy.warnings) == []


def test_abnormal_operation_listing_last_year_blocks(
    context: ContextFactory, policy: Policy
) -> None:
    entry = CreditEntry("e1", "abnormal_operation", "samr", date(2025, 3, 1), date(2025, 4, 1))
    [warning] = credit_record(context(credit_entries=(entry,)), policy.warnings)
    assert (warning.code, warning.severity, warning.subject) == ("credit_record", "block", "e1")
    assert "abnormal-operation" in warning.message_en


def test_listing_still_in_force_from_years_ago_blocks(
    context: ContextFactory, policy: Policy
) -> None:
    entry = CreditEntry("e2", "serious_dishonesty", "samr", date(2020, 1, 1), None)
    assert len(credit_record(context(credit_entries=(entry,)), policy.warnings)) == 1


def test_listing_closed_before_the_previous_year_raises_nothing(
    context: ContextFactory, policy: Policy
) -> None:
    entry = CreditEntry("e3", "abnormal_operation", "samr", date(2023, 1, 1), date(2024, 12, 31))
    assert credit_record(context(credit_entries=(entry,)), policy.warnings) == []


def test_a_major_incident_is_named_by_its_detail(context: ContextFactory, policy: Policy) -> None:
    entry = CreditEntry(
        "i1", "major_incident", "incident_authority", date(2025, 8, 1), date(2025, 8, 1), "quality"
    )
    [warning] = credit_record(context(credit_entries=(entry,)), policy.warnings)
    assert "major quality accident" in warning.message_en
    assert "重大质量事故" in warning.message


def test_a_substantiated_complaint_in_the_archive_raises_nothing(
    context: ContextFactory, policy: Policy
) -> None:
    entry = CreditEntry(
        "c1", "substantiated_case", "supervision", date(2026, 2, 1), None, "complaint"
    )
    assert credit_record(context(credit_entries=(entry,)), policy.warnings) == []


def test_a_revocation_blocks_only_on_a_ground_that_bars_by_itself(
    context: ContextFactory, policy: Policy
) -> None:
    def revoked(ground: str) -> CreditEntry:
        return CreditEntry("r1", "revocation", "supervision", date(2025, 9, 1), None, ground)

    for ground in ("failed_spot_check", "no_longer_eligible"):
        assert credit_record(context(credit_entries=(revoked(ground),)), policy.warnings) == []
    for ground in ("serious_fraud", "research_misconduct", "major_incident", "credit_listing"):
        assert len(credit_record(context(credit_entries=(revoked(ground),)), policy.warnings)) == 1


def test_all_rules_together_on_a_clean_form_raise_nothing(
    context: ContextFactory, policy: Policy
) -> None:
    assert evaluate_warnings(context(), policy.warnings) == []
