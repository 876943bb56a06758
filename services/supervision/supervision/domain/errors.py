"""Errors of supervision's rules, with stable codes and bilingual messages.

The HTTP status comes from the base class (shared.kernel.errors → shared.platform.web.errors), once.
"""

from __future__ import annotations

from shared.kernel.errors import Conflict, FieldError, InvalidInput, NotFound, field_error


def _field(loc: tuple[str, ...], zh: str, en: str, kind: str) -> list[FieldError]:
    return [field_error(["body", *loc], zh, en, kind)]


class ObjectionRefused(InvalidInput):
    """An objection (异议) that the rules of domain.md §5.5 do not admit."""

    code = "objection_refused"
    message = "异议不予接收"
    message_en = "The objection cannot be accepted"

    def __init__(self, zh: str, en: str, *, code: str, loc: tuple[str, ...]) -> None:
        super().__init__(
            f"异议不予接收：{zh}",
            f"The objection cannot be accepted: {en}",
            code=code,
            details=_field(loc, zh, en, code),
        )


class ObjectionWindowNotOpen(ObjectionRefused):
    def __init__(self, starts_on: str) -> None:
        super().__init__(
            f"公示期自 {starts_on} 开始，公示开始前不能提出异议",
            f"the publicity period starts on {starts_on}; objections open on that day",
            code="objection_window_not_open",
            loc=("batch_id",),
        )


class ObjectionWindowClosed(ObjectionRefused):
    """A late objection (逾期异议): the publicity period has ended."""

    def __init__(self, ends_on: str) -> None:
        super().__init__(
            f"公示期已于 {ends_on} 结束，逾期提出的异议不予受理",
            f"the publicity period ended on {ends_on}; late objections are refused",
            code="objection_window_closed",
            loc=("batch_id",),
        )


class FilingRefused(InvalidInput):
    """A filing that breaks a rule of its kind (identity, facts, evidence, batch)."""

    code = "filing_refused"
    message = "提交内容不符合要求"
    message_en = "The filing does not meet the requirements"

    def __init__(self, zh: str, en: str, *, code: str, loc: tuple[str, ...]) -> None:
        super().__init__(zh, en, code=code, details=_field(loc, zh, en, code))


class CaseNotFound(NotFound):
    code = "case_not_found"
    message = "未找到该监督案件"
    message_en = "Supervision case not found"


class CaseStateConflict(Conflict):
    code = "case_state_conflict"
    message = "案件当前状态下不能执行该操作"
    message_en = "Not possible in the case's current status"


class RevocationNotFound(NotFound):
    code = "revocation_not_found"
    message = "未找到该撤销记录"
    message_en = "Revocation not found"


class RevocationConflict(Conflict):
    code = "revocation_conflict"
    message = "该登记编号当前不能撤销"
    message_en = "The registration cannot be revoked in its current state"


class RevocationClash(RevocationConflict):
    """A second open proposal on one ground, procedure under way or decision for a number
    (the partial unique indexes of the `revocation` table; a concurrent request won)."""

    def __init__(self) -> None:
        super().__init__(
            "该登记编号已有相同事由的撤销建议、进行中的撤销程序或撤销决定",
            "the number already has an open proposal on this ground, a procedure under way "
            "or a decision",
        )


class UnknownRegistration(InvalidInput):
    code = "registration_unknown"
    message = "登记编号不存在或不在本机构管辖范围内"
    message_en = "Unknown registration number (or not in your jurisdiction)"

    def __init__(self, number: str) -> None:
        zh = f"登记编号 {number} 不存在或不在本机构管辖范围内"
        en = f"registration number {number} is unknown or not in your jurisdiction"
        super().__init__(
            zh,
            en,
            details=_field(("registration_number",), zh, en, "registration_unknown"),
        )


class InvalidCreditInterval(ValueError):
    """An inbound list event whose dates contradict each other (goes to dead letters)."""
