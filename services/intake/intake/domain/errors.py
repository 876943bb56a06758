"""Intake's domain errors, each a named rule with a bilingual message.

The HTTP status comes from the base class (shared.platform.web.errors maps it once): `InvalidInput`
422, `NotFound` 404, `Conflict` 409, `Forbidden` 403.
"""

from __future__ import annotations

from datetime import date

from shared.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error


class ApplicationNotFound(NotFound):
    code = "application_not_found"
    message = "未找到该申请"
    message_en = "Application not found"


class EnterpriseNotFound(NotFound):
    code = "enterprise_not_found"
    message = "未找到该企业信息"
    message_en = "Enterprise profile not found"


class NotYourEnterprise(Forbidden):
    code = "not_your_enterprise"
    message = "只能为本企业（令牌中的统一社会信用代码）填报"
    message_en = "You may file only for your own enterprise (the USCC of your token)"


class NotEligible(InvalidInput):
    """art. 6-8: a form that fails eligibility cannot be submitted (§5.2)."""

    code = "not_eligible"
    message = "不符合评价条件，不能提交"
    message_en = "The enterprise does not meet the conditions; the form cannot be submitted"


class EvidenceMissing(InvalidInput):
    """contract.md Round 2: the year's required evidence must be uploaded before submitting."""

    code = "evidence_missing"
    message = "缺少年度政策要求的证明材料，不能提交"
    message_en = "Evidence the year's policy requires is missing; the form cannot be submitted"


class OutsideWindow(Conflict):
    """§5.1: submissions only between the year's open date and its cut-off."""

    code = "outside_window"

    def __init__(self, year: int, opens_on: date, closes_on: date) -> None:
        super().__init__(
            message=f"{year}年度评价申报时间为{opens_on}至{closes_on}，当前不在申报期内",
            message_en=(
                f"Submissions for {year} are accepted from {opens_on} to {closes_on}; "
                "the window is not open"
            ),
        )


class ResubmissionClosed(Conflict):
    """contract § Round 2 "Year close": resubmissions until `resubmission_closes_on`."""

    code = "resubmission_closed"

    def __init__(self, year: int, resubmission_closes_on: date) -> None:
        super().__init__(
            message=f"{year}年度退回补正后的重新提交已于{resubmission_closes_on}截止",
            message_en=(
                f"Resubmissions for {year} closed on {resubmission_closes_on}; "
                "the application can no longer be submitted"
            ),
        )


class LiveApplicationExists(Conflict):
    """§5.2: one live application per enterprise and year."""

    code = "application_exists"

    def __init__(self, year: int, existing_id: str | None) -> None:
        suffix = f"（{existing_id}）" if existing_id else ""
        suffix_en = f" ({existing_id})" if existing_id else ""
        super().__init__(
            message=f"本企业{year}年度已有一份未结束的申请{suffix}，请修改或撤回该申请",
            message_en=(
                f"Your enterprise already has a live application for {year}{suffix_en}; "
                "edit or withdraw it"
            ),
        )


class RegistrationRevokedThisYear(Conflict):
    """§5.2 and §7: an enterprise whose registration was revoked this year cannot apply again."""

    code = "registration_revoked_this_year"

    def __init__(self, year: int, number: str) -> None:
        super().__init__(
            message=f"本企业的入库登记编号{number}已被撤销，{year}年度不能再次申请评价",
            message_en=(
                f"Your registration {number} was revoked; you cannot apply again for {year}"
            ),
        )


class NotEditable(Conflict):
    code = "application_not_editable"

    def __init__(self, status: str) -> None:
        super().__init__(
            message=f"申请状态为 {status}，只有草稿或被退回的申请可以修改",
            message_en=f"The application is {status}; only a draft or a returned one can change",
        )


class NotSubmittable(Conflict):
    code = "application_not_submittable"

    def __init__(self, status: str) -> None:
        super().__init__(
            message=f"申请状态为 {status}，只有草稿或被退回的申请可以提交",
            message_en=(
                f"The application is {status}; only a draft or a returned one can be submitted"
            ),
        )


class NotWithdrawable(Conflict):
    code = "application_not_withdrawable"

    def __init__(self, status: str) -> None:
        super().__init__(
            message=f"申请状态为 {status}，作出决定后不能撤回",
            message_en=f"The application is {status}; it cannot be withdrawn after a decision",
        )


class UnknownEvaluationYear(InvalidInput):
    code = "policy_year_unknown"

    def __init__(self, year: int, loc: list[str | int]) -> None:
        super().__init__(
            message="该评价年度没有政策配置，不能填报",
            message_en="There is no policy for that evaluation year",
            details=[
                field_error(
                    loc,
                    f"{year}年度没有政策配置",
                    f"no policy for evaluation year {year}",
                    "policy_year_unknown",
                )
            ],
        )


class FormDoesNotMatchApplication(InvalidInput):
    """A replaced form must keep the application's year and enterprise."""

    code = "form_does_not_match_application"
    message = "修改后的信息表必须与原申请的年度和企业一致"
    message_en = "A replacement form must keep the application's year and enterprise"


class PolicyVersionConflict(Conflict):
    """Optimistic concurrency on PUT /policy/{year}: edit the version you read."""

    code = "policy_version_conflict"

    def __init__(self, sent: int, current: int) -> None:
        super().__init__(
            message=f"政策已被他人修改：提交的版本为{sent}，当前版本为{current}，请重新读取后再修改",
            message_en=(
                f"The policy changed meanwhile: you edited version {sent}, the current one is "
                f"{current}; read it again and reapply your change"
            ),
            details=[
                field_error(
                    ["body", "version"],
                    f"应为当前版本{current}",
                    f"must be the current version {current}",
                    "policy_version_conflict",
                )
            ],
        )


class PolicyYearMismatch(InvalidInput):
    code = "policy_year_mismatch"

    def __init__(self, path_year: int, body_year: int) -> None:
        super().__init__(
            message="请求路径中的年度与政策文件中的年度不一致",
            message_en="The year in the path and the year in the policy differ",
            details=[
                field_error(
                    ["body", "year"],
                    f"应为{path_year}，实际为{body_year}",
                    f"must be {path_year}, not {body_year}",
                    "policy_year_mismatch",
                )
            ],
        )
