"""Bilingual descriptions of the API's fields, by field name, for the OpenAPI document.

A model's own `Field(description=...)` wins; a field without one takes the entry here for
`"<Schema>.<field>"`, else for `"<field>"`. `tests/contract/test_openapi_complete.py` fails
for any field left without a description, so a new field needs one line here (or a
description on the model). Format: "中文 / English".
"""

from __future__ import annotations

from typing import Any

FIELDS: dict[str, str] = {
    # identities and bookkeeping
    "id": "记录标识 / Identifier of the record",
    "uscc": "统一社会信用代码（18 位，GB 32100）/ "
    "Unified social credit code (18 characters, GB 32100)",
    "subject_uscc": "被举报或异议企业的统一社会信用代码 / USCC of the enterprise the case is about",
    "year": "评价年度 / Evaluation year",
    "quarter": "季度（1–4）/ Quarter (1-4)",
    "agency": "受理机构代码（盟市或旗县科技管理部门）/ Code of the agency of jurisdiction",
    "region_code": "行政区划代码（6 位，GB/T 2260）/ "
    "Administrative division code (6 digits, GB/T 2260)",
    "industry_code": "国民经济行业代码（GB/T 4754）/ Industry code (GB/T 4754)",
    "name": "名称 / Name",
    "name_en": "英文名称 / Name in English",
    "enterprise_name": "企业名称 / Enterprise name",
    "subject_name": "所涉企业名称 / Name of the enterprise the case is about",
    "application_id": "申请标识 / Identifier of the application",
    "document_id": "证明材料标识 / Identifier of the evidence document",
    "case_id": "评审案件标识 / Identifier of the review case",
    "case_ids": "纳入公示批次的评审案件标识 / Review cases to put in the publicity batch",
    "batch_id": "公示批次标识 / Identifier of the publicity batch",
    "entry_id": "信用档案条目标识 / Identifier of the credit archive entry",
    "event_id": "事件标识（CloudEvents id）/ Event identifier (CloudEvents id)",
    "event_type": "事件类型，如 cn.sme.application.submitted.v1 / Event type, e.g. "
    "cn.sme.application.submitted.v1",
    "registration_number": "入库登记编号 / Registration number in the registry",
    "number": "编号 / Number",
    "reference": "证书、文件或项目编号 / Number of the certificate, document or project",
    "status": "状态 / Status",
    "state": "状态 / State",
    "kind": "类别 / Kind",
    "type": "类型 / Type",
    "code": "稳定的代码 / Stable code",
    "message": "中文说明 / Message in Chinese",
    "message_en": "英文说明 / Message in English",
    "title": "标题 / Title",
    "title_en": "英文标题 / Title in English",
    "items": "本页条目 / The items of this page",
    "next_cursor": "下一页游标，无更多时为 null / Cursor of the next page, null when there is "
    "no more",
    "created_at": "创建时间（RFC 3339，UTC）/ Created at (RFC 3339, UTC)",
    "updated_at": "最后修改时间（RFC 3339，UTC）/ Last changed at (RFC 3339, UTC)",
    "at": "发生时间（RFC 3339，UTC）/ When it happened (RFC 3339, UTC)",
    "recorded_at": "记录时间（RFC 3339，UTC）/ Recorded at (RFC 3339, UTC)",
    "raised_at": "提出时间 / Raised at",
    "submitted_at": "提交时间 / Submitted at",
    "first_submitted_at": "首次提交时间 / First submitted at",
    "reported_at": "报送时间 / Reported at",
    "overdue_at": "标记逾期时间 / Marked overdue at",
    "filed_at": "提交时间 / Filed at",
    "parked_at": "暂停投递时间 / Parked at",
    "replayed_at": "重新投递时间 / Replayed at",
    "today": "执行日期 / The date the run used as today",
    "round": "评审轮次（退回补正后加一）/ Review round (one more after each return)",
    "revision": "修订次数 / Revision of the report",
    "policy_version": "所依据的年度政策版本 / Version of the year's policy applied",
    "editable": "企业当前能否修改 / Whether the enterprise may change it now",
    "reason": "理由 / Reason",
    "reasons": "理由列表 / Reasons",
    "note": "备注 / Note",
    "notes": "备注 / Notes",
    "description": "说明 / Description",
    "detail": "详情 / Detail",
    "data": "附加数据 / Additional data",
    "basis": "依据 / Basis",
    "actor": "操作人 / Who did it",
    "actor_role": "操作人角色 / Role of who did it",
    "actor_org": "操作人所属机构 / Organisation of who did it",
    "action": "操作 / Action",
    "step": "办理步骤 / Step of the procedure",
    "history": "办理记录 / History of the record",
    "timeline": "状态变化记录 / Status changes",
    "result": "结果 / Result",
    "outcome": "处理结果 / Outcome",
    "source": "来源 / Source",
    "origin": "来源（机构提出或省级发起）/ "
    "Origin (proposed by an agency or opened by the province)",
    "evidence": "证据材料 / Evidence",
    "warnings": "提示 / Warnings",
    "severity": "严重程度 / Severity",
    "resolved": "是否已处理 / Resolved",
    "resolution": "处理方式 / Resolution",
    "subject": "所涉对象 / What it is about",
    "active": "当前是否有效 / In force now",
    "decision": "决定 / Decision",
    "decision_reason": "决定理由 / Reason of the decision",
    "decided_on": "决定日期 / Decided on",
    "role": "角色 / Role",
    "level": "级别 / Level",
    "rank": "等级或顺序 / Rank",
    "group": "分组 / Group",
    "category": "类别 / Category",
    "category_label": "类别名称 / Category label",
    "category_label_en": "类别英文名称 / Category label in English",
    "error": "错误 / Error",
    "last_error": "最近一次错误 / Last error",
    "attempts": "尝试次数 / Attempts",
    "topic": "Kafka 主题 / Kafka topic",
    "key": "消息键 / Message key",
    "partition": "Kafka 分区 / Kafka partition",
    "offset": "Kafka 位移 / Kafka offset",
    "consumer": "消费者（服务）/ Consuming service",
    "seed": "随机抽样种子（可复现）/ Seed of the random sample (reproducible)",
    "ratio": "比例 / Ratio",
    "population": "抽样总体数量 / Size of the population sampled",
    "sample_size": "抽取数量 / Size of the sample",
    "score": "评分 / Score",
    "points": "得分 / Points",
    "total": "总分 / Total score",
    "eligible": "是否符合评价条件 / Whether the form meets every condition",
    "passed": "是否满足 / Whether the condition is met",
    "conditions": "逐项条件判断 / Each condition and whether it is met",
    "qualified": "是否符合直接认定条件 / Whether a fast-track condition is met",
    "chosen": "采用的研发费用比例口径 / The R&D ratio used",
    "ratio_sales": "研发费用占销售收入比例 / R&D expense over sales revenue",
    "ratio_cost": "研发费用占成本费用比例 / R&D expense over cost and expense",
    "class1": "I 类知识产权数量 / Number of Class I IP items",
    "class2": "II 类知识产权数量 / Number of Class II IP items",
    "evaluated_on": "评价所依据的日期 / The date the evaluation was made for",
    "personnel": "人员 / Personnel",
    "rd": "研发 / Research and development (R&D)",
    "achievements": "科技成果 / Technological achievements",
    "form": "企业填报的信息表 / The information form as filed",
    "self_evaluation": "自评结果 / Self-evaluation",
    "onsite": "现场核查记录 / On-site check record",
    "overdue": "是否已逾期 / Overdue",
    "due_on": "办理期限 / Due date",
    "due_on_provisional": "期限是否为暂定（节假日安排未公布）/ Whether the due date is "
    "provisional (holiday calendar not yet published)",
    # the information form
    "enterprise": "企业基本信息 / The enterprise",
    "established_on": "成立日期 / Established on",
    "high_tech_zone": "所在高新区的组织代码，不在高新区为 null / Organisation code of the "
    "high-tech zone, null when outside one",
    "tax_collection": "企业所得税征收方式：audit 查账征收，deemed 核定征收 / Income tax "
    "collection: audit or deemed",
    "resident": "是否为居民企业 / Resident enterprise",
    "accounting_sound": "财务会计核算是否健全 / Sound accounting",
    "contact": "联系人 / Contact person",
    "phone": "联系电话 / Phone number",
    "email": "电子邮箱 / E-mail address",
    "employees_total": "职工总数 / Employees in total",
    "st_personnel": "科技人员数 / Science and technology personnel",
    "finance": "上一会计年度财务数据 / Finance of the last fiscal year",
    "sales_revenue": "销售收入（元）/ Sales revenue (yuan)",
    "total_assets": "资产总额（元）/ Total assets (yuan)",
    "cost_expense_total": "成本费用总额（元）/ Costs and expenses in total (yuan)",
    "rd_expense_total": "研发费用总额（元）/ R&D expense in total (yuan)",
    "rd_ratio_choice": "研发费用比例口径（可选）/ Which R&D ratio to use (optional)",
    "ip": "知识产权 / Intellectual property",
    "granted_on": "授权日期 / Granted on",
    "valid_until": "有效期至 / Valid until",
    "related_to_main_product": "是否与主营产品相关 / Related to the main product",
    "disputed": "是否存在权属纠纷 / Ownership disputed",
    "fast_track": "直接认定条件 / Fast-track claims",
    "issued_on": "发证日期 / Issued on",
    "recognised_on": "认定日期 / Recognised on",
    "declarations": "企业承诺 / Declarations",
    "no_major_incident": "近一年无重大安全、质量事故或严重环境违法 / No major incident in the "
    "last year",
    "no_serious_fraud": "无严重失信或弄虚作假 / No serious fraud",
    "no_research_misconduct": "无科研严重失信行为 / No research misconduct",
    "not_on_credit_lists": "未被列入经营异常名录或严重违法失信名单 / Not on the credit lists",
    "information_true": "承诺所填信息真实 / The information is true",
    # registry, publicity, notices
    "registered": "是否入库 / Registered",
    "registered_on": "入库日期 / Registered on",
    "revoked_on": "撤销日期 / Revoked on",
    "revocation_ground": "撤销事由 / Ground of the revocation",
    "ground": "事由 / Ground",
    "starts_on": "开始日期 / Starts on",
    "ends_on": "结束日期 / Ends on",
    "ends_on_provisional": "结束日期是否暂定 / Whether the end date is provisional",
    "announced_on": "公告日期 / Announced on",
    "published_on": "发布日期 / Published on",
    "entries": "条目 / Entries",
    "held": "暂缓入库的企业数 / Enterprises held back",
    "applied_on": "生效日期 / Applied on",
    "proposed_by": "提出机构 / Proposed by",
    "dismissed_reason": "不予撤销的理由 / Why it was dismissed",
    "superseded_by": "被哪项撤销取代 / Superseded by",
    # supervision cases
    "grounds": "异议、投诉或举报的理由 / Grounds of the objection, complaint or report",
    "facts": "事实与经过 / Facts",
    "filer": "提出人（匿名时为空）/ Who filed it (empty when anonymous)",
    "filer_type": "提出人类型 / Kind of filer",
    "anonymous": "是否匿名 / Anonymous",
    "organisation": "提出人所在单位 / Organisation of the filer",
    "filed_on": "提交日期 / Filed on",
    "accepted": "是否受理 / Accepted",
    "accepted_on": "受理日期 / Accepted on",
    "accept_due_on": "受理期限 / Acceptance due on",
    "not_accepted_reason": "不予受理理由 / Why it was not accepted",
    "conclude_due_on": "办结期限 / Conclusion due on",
    "concluded_on": "办结日期 / Concluded on",
    "finding": "查实情况：substantiated 属实，unsubstantiated 不属实 / Finding",
    "measures": "处理措施 / Measures taken",
    # tracking
    "obligated": "应报企业数 / Enterprises obliged to report",
    "submitted": "已报数 / Reports submitted",
    "on_time": "按时报送数 / Reports on time",
    "late": "逾期报送 / Reported late",
    "open": "尚未报送数 / Reports still open",
    "on_time_rate": "按时报送率（四位小数）/ On-time rate (four decimals)",
    "sums": "合计 / Sums",
    "medians": "中位数 / Medians",
    "growth": "环比增长率 / Quarter-on-quarter growth",
    "revenue": "营业收入（元）/ Revenue (yuan)",
    "employees": "从业人数 / Employees",
    "group_by": "分组方式 / Grouping",
    "group_name": "分组名称 / Name of the group",
    "needs": "企业提出的需求 / Needs stated by the enterprise",
    "by_category": "按类别计数 / Counts per category",
    "enterprises": "企业数 / Enterprises",
    "marked": "本次标记为逾期的数量 / Marked overdue by this run",
    "tier": "分层 / Tier",
    "tiers": "各分层企业数 / Enterprises per tier",
    "figures": "分层所依据的数据 / Figures the tier is based on",
    "quarters": "季度数 / Quarters",
    "first_quarter": "最早季度 / First quarter",
    "last_quarter": "最近季度 / Last quarter",
    "rd_expense": "研发费用（元）/ R&D expense (yuan)",
    "operating_revenue": "营业收入（元）/ Operating revenue (yuan)",
    "earliest_revenue": "最早季度营业收入（元）/ Revenue of the first quarter (yuan)",
    "latest_revenue": "最近季度营业收入（元）/ Revenue of the last quarter (yuan)",
    "rd_intensity": "研发强度（研发费用/营业收入）/ R&D intensity (R&D expense over revenue)",
    "revenue_growth": "营业收入增长率 / Revenue growth",
    "uscc_checksum_ok": "统一社会信用代码校验位是否正确 / Whether the USCC check digit is right",
    "announced": "是否已公告 / Announced",
    # query and path parameters
    "limit": "每页条数（默认 50，最多 500）/ Page size (default 50, at most 500)",
    "cursor": "上一页返回的 next_cursor / The next_cursor of the previous page",
    "format": "返回格式：json 或 xlsx / Answer format: json or xlsx",
    "on": "查询日期（默认今天）/ The date asked about (default today)",
    "region": "行政区划代码（6 位）/ Administrative division code (6 digits)",
    "letter_id": "死信标识 / Identifier of the dead letter",
    "event_row": "发件箱事件行号 / Row of the outbox event",
    "notice_id": "公告标识 / Identifier of the notice",
    "revocation_id": "撤销记录标识 / Identifier of the revocation",
    "spot_check_id": "抽查标识 / Identifier of the spot check",
}


# Money on the wire: a decimal string with at most two decimals ("12000000.00").
MONEY_PATTERN = r"^-?\d{1,13}(\.\d{1,2})?$"
NON_NEGATIVE_MONEY_PATTERN = r"^\d{1,13}(\.\d{1,2})?$"


def describe_schemas(schemas: dict[str, Any]) -> None:
    for name, schema in schemas.items():
        for field, prop in (schema.get("properties") or {}).items():
            text = FIELDS.get(f"{name}.{field}") or FIELDS.get(field)
            if text and not _bilingual(prop.get("description")):
                prop["description"] = text
            if "(yuan)" in prop.get("description", ""):
                _money_format(prop)


def _money_format(prop: dict[str, Any]) -> None:
    """Money fields (the form's `Money`, tracking's sums): the string form has a pattern."""
    branches = [prop, *prop.get("anyOf", [])]
    signed = not any(b.get("type") == "number" and b.get("minimum") == 0 for b in branches)
    for branch in branches:
        if branch.get("type") == "string" and "format" not in branch:
            branch.setdefault("pattern", MONEY_PATTERN if signed else NON_NEGATIVE_MONEY_PATTERN)
            branch.setdefault("examples", ["12000000.00"])


def describe_parameters(parameters: list[dict[str, Any]]) -> None:
    """A parameter takes the glossary's bilingual text unless it has one of its own."""
    for parameter in parameters:
        text = FIELDS.get(parameter["name"])
        if text and not _bilingual(parameter.get("description")):
            parameter["description"] = text


def _bilingual(text: str | None) -> bool:
    # A model's own description wins only when it already has both languages.
    return (
        bool(text)
        and not (text or "").isascii()
        and any(c.isascii() and c.isalpha() for c in text or "")
    )
