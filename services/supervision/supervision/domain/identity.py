"""Who may file what (domain.md §5.5 and §7), as pure rules.

- An objection (异议) needs a named filer: a person with a real name and a mainland mobile
  number, or an organisation with its name and evidence bearing its seal (加盖公章). It also
  needs facts and at least one evidence item. Anonymous objections are refused.
- Complaints (投诉) and reports (举报) may be anonymous; then nothing that could reply to the
  filer is stored. A filer who does name themselves must give a usable phone number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from supervision.domain.cases import CaseKind
from supervision.domain.errors import FilingRefused, ObjectionRefused


class FilerType(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


# A case filed without an identity is stored (and shown) with this filer type.
ANONYMOUS = "anonymous"
FILED_AS: tuple[str, ...] = (*(t.value for t in FilerType), ANONYMOUS)


class EvidenceKind(StrEnum):
    DOCUMENT = "document"
    SEAL = "seal"  # a letter or statement bearing the organisation's official seal (公章)
    PHOTO = "photo"
    LINK = "link"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Filer:
    type: FilerType
    name: str | None = None
    phone: str | None = None
    organisation: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: EvidenceKind
    description: str
    reference: str | None = None


# Mainland mobile numbers: 11 digits starting 13-19 (MIIT numbering plan).
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline with area code (0xx-xxxxxxxx), accepted as a reply channel for complaints only.
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
# A real name: Chinese characters (with the middle dot of minority and foreign names) or
# Latin letters with spaces, hyphens and apostrophes.
_NAME = re.compile(r"^(?:[\u3400-\u9fff\u00b7\u30fb]{2,20}|[A-Za-z][A-Za-z .'\-]{1,59})$")
# What people type instead of a name (匿名 = anonymous, 某某 = so-and-so).
_PLACEHOLDER_NAMES = frozenset(
    {
        "匿名",
        "无名",
        "无名氏",
        "不详",
        "未知",
        "群众",
        "知情人",
        "anonymous",
        "unknown",
        "none",
        "na",
    }
)


def normalise_phone(raw: str) -> str:
    """Digits only, without the +86 / 0086 / 86 country prefix of a mobile number."""
    digits = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", raw))
    digits = digits.removeprefix("+")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    return digits


def is_mobile_number(raw: str) -> bool:
    return bool(_MOBILE.match(normalise_phone(raw)))


def is_phone_number(raw: str) -> bool:
    phone = normalise_phone(raw)
    return bool(_MOBILE.match(phone) or _LANDLINE.match(phone))


def is_real_name(raw: str) -> bool:
    name = unicodedata.normalize("NFKC", raw).strip()
    if not _NAME.match(name):
        return False
    # "张某" / "某某": the placeholder 某 is no surname and no given name.
    return "某" not in name and name.casefold() not in _PLACEHOLDER_NAMES


def check_filing(
    kind: CaseKind, filer: Filer | None, facts: str, evidence: tuple[Evidence, ...]
) -> None:
    """Raise the first rule a filing breaks, with the field it blames."""
    if kind is CaseKind.OBJECTION:
        _check_objection(filer, facts, evidence)
    elif filer is not None:
        _check_named_complainant(filer)


def _check_objection(filer: Filer | None, facts: str, evidence: tuple[Evidence, ...]) -> None:
    if filer is None:
        raise ObjectionRefused(
            "匿名异议不予受理，请以真实姓名和手机号码（个人）或单位名称并加盖公章（单位）提出",
            "anonymous objections are refused; give your real name and mobile number "
            "(person) or the organisation's name with its seal (organisation)",
            code="objection_anonymous",
            loc=("filer",),
        )
    if not facts.strip():
        raise ObjectionRefused(
            "异议须写明事实",
            "an objection must state the facts",
            code="facts_missing",
            loc=("facts",),
        )
    if not evidence:
        raise ObjectionRefused(
            "异议须附至少一项证据",
            "an objection needs at least one evidence item",
            code="evidence_missing",
            loc=("evidence",),
        )
    if filer.type is FilerType.PERSON:
        if filer.name is None or not is_real_name(filer.name):
            raise ObjectionRefused(
                "个人提出异议须填写真实姓名",
                "a person filing an objection must give their real name",
                code="objection_real_name_required",
                loc=("filer", "name"),
            )
        if filer.phone is None or not is_mobile_number(filer.phone):
            raise ObjectionRefused(
                "个人提出异议须填写有效的手机号码（11 位）",
                "a person filing an objection must give a valid mobile number (11 digits)",
                code="objection_mobile_required",
                loc=("filer", "phone"),
            )
        return
    if not filer.organisation or len(filer.organisation.strip()) < 2:
        raise ObjectionRefused(
            "单位提出异议须填写单位名称",
            "an organisation filing an objection must give its name",
            code="objection_organisation_name_required",
            loc=("filer", "organisation"),
        )
    if not any(e.kind is EvidenceKind.SEAL for e in evidence):
        raise ObjectionRefused(
            "单位提出异议须附加盖单位公章的材料（证据类型 seal）",
            "an organisation's objection needs evidence bearing its official seal "
            "(an evidence item of kind 'seal')",
            code="objection_seal_required",
            loc=("evidence",),
        )
    if filer.phone is not None and not is_phone_number(filer.phone):
        raise ObjectionRefused(
            "联系电话格式不正确",
            "the contact phone number is not valid",
            code="phone_invalid",
            loc=("filer", "phone"),
        )


def _check_named_complainant(filer: Filer) -> None:
    if filer.type is FilerType.ORGANISATION and (
        not filer.organisation or len(filer.organisation.strip()) < 2
    ):
        raise FilingRefused(
            "以单位名义提交须填写单位名称",
            "a filing by an organisation must give its name",
            code="organisation_name_required",
            loc=("filer", "organisation"),
        )
    if filer.phone is not None and not is_phone_number(filer.phone):
        raise FilingRefused(
            "联系电话格式不正确（手机 11 位或带区号的固定电话）",
            "the phone number is not valid (11-digit mobile or landline with area code)",
            code="phone_invalid",
            loc=("filer", "phone"),
        )
