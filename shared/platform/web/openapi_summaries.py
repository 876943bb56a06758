"""Bilingual one-line summaries of the operations, by operation id ("中文 / English").

Swagger UI and ReDoc list operations by their summary; FastAPI's default is the function
name ("Submit Application"), which says nothing to the portal's Chinese-speaking users.
A route's own bilingual `summary=` wins; every other operation takes its line here.
`tests/contract/test_openapi_complete.py` names any operation left without a bilingual
summary, so a new endpoint needs a line here (or a `summary=` on its decorator).
"""

from __future__ import annotations

SUMMARIES: dict[str, str] = {
    # intake
    "applications_create": "以信息表创建申请草稿 / Create a draft application from the form",
    "applications_list": "申请列表 / List applications",
    "applications_replace_form": "替换申请的信息表 / Replace an application's form",
    "applications_get": "申请详情 / Get an application",
    "applications_submit": "提交评价信息表 / Submit the information form",
    "applications_withdraw": "撤回申请 / Withdraw an application",
    "enterprises_register": "登记或更新企业基本信息 / Register or update the enterprise profile",
    "enterprises_get": "企业基本信息 / Get an enterprise profile",
    "evaluations_preview": "自评试算（不保存）/ Preview the self-evaluation (not saved)",
    "policy_years": "有政策的评价年度 / Years with a policy",
    "policy_get": "年度现行政策 / Get a year's current policy",
    "policy_put": "替换年度政策 / Replace a year's policy",
    # review
    "review_cases_list": "评审案件列表 / List review cases",
    "review_cases_get": "评审案件详情 / Get a review case",
    "review_cases_decide": "作出评审决定 / Decide a review case",
    "review_cases_record_onsite_check": "记录现场核查结果 / Record an on-site check",
    "publicity_batches_create": "创建公示批次 / Create a publicity batch",
    "publicity_batches_list": "公示批次列表 / List publicity batches",
    "publicity_batches_get": "公示批次详情 / Get a publicity batch",
    "publicity_batches_announce": "公告入库登记 / Announce a publicity batch's registrations",
    "publicity_batches_export": "导出公示批次（Excel）/ Export a publicity batch (xlsx)",
    "public_notices_list": "公告列表（公开）/ List public notices",
    "public_notices_get": "公告详情（公开）/ Get a public notice",
    "registrations_list": "入库登记列表 / List registrations",
    "spot_checks_draw_sample": "抽取抽查样本 / Draw a spot-check sample",
    "spot_checks_list": "抽查列表 / List spot checks",
    "spot_checks_get": "抽查详情 / Get a spot check",
    "spot_checks_record_result": "记录抽查结果 / Record a spot-check result",
    # supervision
    "cases_file": "提出异议、投诉或举报 / File an objection, complaint or report",
    "cases_list": "监督案件列表 / List supervision cases",
    "cases_get": "监督案件详情 / Get a supervision case",
    "cases_accept": "受理或不予受理 / Accept a case or decline it",
    "cases_conclude": "办结案件 / Conclude a case",
    "credit_archive": "企业信用档案 / An enterprise's credit archive",
    "revocation_proposals_list": "待处理的撤销建议 / List open revocation proposals",
    "revocations_list": "撤销程序列表 / List revocation procedures",
    "revocations_get": "撤销程序详情 / Get a revocation procedure",
    "revocations_dismiss": "不予撤销 / Dismiss a revocation",
    # tracking
    "obligations_list": "季度报送义务列表 / List quarterly reporting obligations",
    "quarterly_reports_list": "季度报告列表 / List quarterly reports",
    "quarterly_reports_put": "报送季度报告 / Submit a quarterly report",
    "quarterly_reports_get": "季度报告详情 / Get a quarterly report",
    "tracking_needs": "企业需求统计 / Count enterprises' needs",
    "tracking_overdue_detection": "标记逾期季度报告 / Mark overdue quarterly reports",
    "tracking_statistics": "报送与经营数据统计 / Reporting and business statistics",
    "tracking_tiers": "分层分类企业 / Registered enterprises by tier",
}

# The operations every service has under /api/v1/ops/<service>: by the verb part of the id.
OPS_SUMMARIES: dict[str, str] = {
    "list_dead_letters": "死信列表（{service}）/ List dead letters ({service})",
    "replay_dead_letter": "重新投递死信（{service}）/ Replay a dead letter ({service})",
    "list_parked_events": "暂停投递的事件（{service}）/ List parked events ({service})",
    "retry_parked_event": "重新投递暂停的事件（{service}）/ Retry a parked event ({service})",
}


def summary_for(operation_id: str) -> str | None:
    if operation_id in SUMMARIES:
        return SUMMARIES[operation_id]
    parts = operation_id.split("_", 2)
    if len(parts) == 3 and parts[0] == "ops" and parts[2] in OPS_SUMMARIES:
        return OPS_SUMMARIES[parts[2]].format(service=parts[1])
    return None
