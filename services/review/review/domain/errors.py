"""Review's domain errors, each with a bilingual message (mapped to HTTP in shared.platform.web)."""

from __future__ import annotations

from shared.kernel.errors import Conflict, FieldError, InvalidInput, NotFound


class CaseNotFound(NotFound):
    code = "review_case_not_found"
    message = "未找到该审查案件"
    message_en = "Review case not found"


class BatchNotFound(NotFound):
    code = "publicity_batch_not_found"
    message = "未找到该公示批次"
    message_en = "Publicity batch not found"


class SpotCheckNotFound(NotFound):
    code = "spot_check_not_found"
    message = "未找到该抽查"
    message_en = "Spot check not found"


class NotDecidable(Conflict):
    code = "case_not_decidable"
    message = "该案件当前状态下不能作出审查决定"
    message_en = "The case cannot be decided in its current state"


class BlockingWarningsOpen(Conflict):
    code = "blocking_warnings_open"
    message = "存在未解决的阻断性预警，不能通过审查"
    message_en = "A blocking warning is still open; the case cannot be approved"


class OnsiteCheckMissing(Conflict):
    code = "onsite_check_missing"
    message = "需先录入现场核查结果，方可通过审查"
    message_en = "The on-site check result must be recorded before approval"


class OnsiteCheckFailed(Conflict):
    code = "onsite_check_failed"
    message = "现场核查未通过，不能通过审查"
    message_en = "The on-site check failed; the case cannot be approved"


class OnsiteNotRequired(Conflict):
    code = "onsite_not_required"
    message = "该案件无需现场核查或已不在审查中"
    message_en = "No on-site check is due for this case"


class WarningNotesMissing(InvalidInput):
    code = "warning_notes_missing"
    message = "每条提示性预警都需要填写处理说明"
    message_en = "Each warning needs a note when approving"


class ReasonRequired(InvalidInput):
    code = "reason_required"
    message = "退回或不予通过须说明理由"
    message_en = "A reason is required to return or reject"


class CasesNotApproved(Conflict):
    code = "cases_not_approved"
    message = "只有审查通过且未列入其他公示批次的案件才能列入公示"
    message_en = "Only approved cases not yet in a publicity batch can be put into publicity"


class UnknownCases(InvalidInput):
    code = "unknown_cases"
    message = "部分案件不存在或不属于该年度"
    message_en = "Some cases do not exist or belong to another year"


class PublicityNotEnded(Conflict):
    code = "publicity_not_ended"
    message = "公示期尚未结束，不能公告"
    message_en = "The publicity period has not ended yet"


class BatchAlreadyAnnounced(Conflict):
    code = "batch_already_announced"
    message = "该批次已公告"
    message_en = "The batch has already been announced"


class NothingToSample(Conflict):
    code = "nothing_to_sample"
    message = "该年度没有有效的入库登记，无法抽查"
    message_en = "No valid registrations that year to sample"


class NotInSample(NotFound):
    code = "not_in_sample"
    message = "该登记编号不在本次抽查样本中"
    message_en = "The registration number is not in this sample"


class ResultAlreadyRecorded(Conflict):
    code = "spot_check_result_recorded"
    message = "该企业的抽查结果已录入"
    message_en = "The spot-check result for this registration is already recorded"


class StartTooLate(FieldError):
    """The `details` entry of `PublicityPastYearClose`: the field, plus both dates."""

    latest_starts_on: str | None
    year_closes_on: str


class PublicityPastYearClose(Conflict):
    code = "publicity_past_year_close"
    message = "公示期无法在年度关闭日前结束，登记编号将在签发时即已失效"
    message_en = (
        "The publicity cannot end before the year close; the numbers would be issued expired"
    )


class YearClosed(Conflict):
    code = "year_closed"
    message = "该评价年度已关闭，不再发放登记编号"
    message_en = "The evaluation year is closed; no more numbers are issued for it"


class ObjectionExists(Conflict):
    """Only an event handler meets it (a concurrent delivery won the race; the consumer
    retries and then finds the objection): never an API answer."""

    code = "objection_exists"
    message = "该异议已记录"
    message_en = "The objection is already recorded"
