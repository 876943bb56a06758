"""Who may file what: objections need a named filer (domain.md §5.5); complaints and
reports may be anonymous (§7)."""

from __future__ import annotations

import pytest

from supervision.domain.cases import CaseKind
from supervision.domain.errors import FilingRefused, ObjectionRefused
from supervision.domain.identity import (
    Evidence,
    EvidenceKind,
    Filer,
    FilerType,
    check_filing,
    is_mobile_number,
    is_real_name,
    normalise_phone,
)

DOC = (Evidence(EvidenceKind.DOCUMENT, "工资表"),)
SEAL = (Evidence(EvidenceKind.SEAL, "加盖公章的异议书"),)
PERSON = Filer(FilerType.PERSON, name="王小明", phone="13912345678")
ORGANISATION = Filer(FilerType.ORGANISATION, organisation="包头稀土材料有限公司")


def refused_code(
    kind: CaseKind, filer: Filer | None, facts: str, evidence: tuple[Evidence, ...]
) -> str:
    with pytest.raises((ObjectionRefused, FilingRefused)) as refused:
        check_filing(kind, filer, facts, evidence)
    return refused.value.code


def test_a_named_person_with_facts_and_evidence_may_object() -> None:
    check_filing(CaseKind.OBJECTION, PERSON, "事实", DOC)


def test_an_organisation_with_its_seal_may_object() -> None:
    check_filing(CaseKind.OBJECTION, ORGANISATION, "事实", SEAL)


@pytest.mark.parametrize(
    ("filer", "facts", "evidence", "code"),
    [
        (None, "事实", DOC, "objection_anonymous"),
        (PERSON, "   ", DOC, "facts_missing"),
        (PERSON, "事实", (), "evidence_missing"),
        (
            Filer(FilerType.PERSON, name=None, phone="13912345678"),
            "事实",
            DOC,
            "objection_real_name_required",
        ),
        (
            Filer(FilerType.PERSON, name="匿名", phone="13912345678"),
            "事实",
            DOC,
            "objection_real_name_required",
        ),
        (
            Filer(FilerType.PERSON, name="张某", phone="13912345678"),
            "事实",
            DOC,
            "objection_real_name_required",
        ),
        (
            Filer(FilerType.PERSON, name="王小明", phone=None),
            "事实",
            DOC,
            "objection_mobile_required",
        ),
        (
            Filer(FilerType.PERSON, name="王小明", phone="0471-6661234"),
            "事实",
            DOC,
            "objection_mobile_required",
        ),
        (
            Filer(FilerType.PERSON, name="王小明", phone="1391234567"),
            "事实",
            DOC,
            "objection_mobile_required",
        ),
        (
            Filer(FilerType.ORGANISATION, organisation=None),
            "事实",
            SEAL,
            "objection_organisation_name_required",
        ),
        (ORGANISATION, "事实", DOC, "objection_seal_required"),
        (
            Filer(FilerType.ORGANISATION, organisation="某公司", phone="abc"),
            "事实",
            SEAL,
            "phone_invalid",
        ),
    ],
)
def test_an_objection_breaking_a_rule_is_refused_with_its_reason(
    filer: Filer | None, facts: str, evidence: tuple[Evidence, ...], code: str
) -> None:
    assert refused_code(CaseKind.OBJECTION, filer, facts, evidence) == code


@pytest.mark.parametrize("kind", [CaseKind.COMPLAINT, CaseKind.REPORT])
def test_complaints_and_reports_may_be_anonymous_without_evidence(kind: CaseKind) -> None:
    check_filing(kind, None, "", ())


def test_a_named_complainant_may_give_a_landline() -> None:
    check_filing(
        CaseKind.COMPLAINT, Filer(FilerType.PERSON, name="李四", phone="0471-6661234"), "", ()
    )


def test_a_named_complainant_with_an_unusable_phone_is_refused() -> None:
    filer = Filer(FilerType.PERSON, name="李四", phone="12345")
    assert refused_code(CaseKind.REPORT, filer, "", ()) == "phone_invalid"


def test_an_organisation_complaint_needs_the_organisation_name() -> None:
    filer = Filer(FilerType.ORGANISATION, organisation=" ")
    assert refused_code(CaseKind.COMPLAINT, filer, "", ()) == "organisation_name_required"


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("13912345678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("0086 13912345678", "13912345678"),
        ("８６１３９１２３４５６７８", "13912345678"),  # full-width digits
    ],
)
def test_mobile_numbers_are_normalised(raw: str, normalised: str) -> None:
    assert normalise_phone(raw) == normalised
    assert is_mobile_number(raw)


@pytest.mark.parametrize(
    ("name", "real"),
    [
        ("王小明", True),
        ("阿依古丽·买买提", True),
        ("Zhang Wei", True),
        ("王", False),
        ("匿名", False),
        ("某某", False),
        ("anonymous", False),
        ("王小明2", False),
    ],
)
def test_real_names(name: str, real: bool) -> None:
    assert is_real_name(name) is real
