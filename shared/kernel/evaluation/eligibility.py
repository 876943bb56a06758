"""Basic conditions 1-4 of art. 6 (基本条件), each an explained `ConditionResult`.

Conditions 1, 3 (the industry code) and 4 are declared by the enterprise; size (2) is
checked from the figures, the industry against the policy's exclusion list, and 4 also
against the credit records the system knows.
"""

from __future__ import annotations

from datetime import date

from shared.kernel.evaluation.facts import KnownFacts
from shared.kernel.evaluation.form import InformationForm, TaxCollection
from shared.kernel.evaluation.result import ConditionResult
from shared.kernel.policy.eligibility_rules import EligibilityPolicy, IndustryExclusion


def _condition(code: str, passed: bool, zh: str, en: str) -> ConditionResult:
    return ConditionResult(code=code, passed=passed, message=zh, message_en=en, group="basic")


def _yuan(amount: object) -> str:
    return f"{amount:,.2f}"


def _outcomes(
    code: str, passed: tuple[str, str], failed: tuple[str, str]
) -> dict[bool, ConditionResult]:
    """Both results of a condition whose message depends only on the answer.

    Built once at import: results are immutable, so every evaluation shares them.
    """
    return {True: _condition(code, True, *passed), False: _condition(code, False, *failed)}


_RESIDENT = _outcomes(
    "resident",
    (
        "企业为在中国境内（不含港、澳、台地区）注册的居民企业",
        "The enterprise is a resident enterprise registered in mainland China",
    ),
    (
        "企业不是在中国境内（不含港、澳、台地区）注册的居民企业",
        "The enterprise is not a resident enterprise registered in mainland China",
    ),
)
_ACCOUNTING_SOUND = _outcomes(
    "accounting_sound",
    (
        "企业财务核算健全，能够准确归集研发费用",
        "Accounting is sound and R&D expenses are collected accurately",
    ),
    (
        "企业财务核算不健全，不能准确归集研发费用",
        "Accounting is not sound enough to collect R&D expenses accurately",
    ),
)
_TAX_COLLECTION_AUDIT = _outcomes(
    "tax_collection_audit",
    ("企业实行查账征收", "Taxed on audited accounts"),
    (
        "企业实行核定征收，须为查账征收",
        "Taxed on a deemed basis; audited collection is required",
    ),
)


def resident_and_accounting(form: InformationForm) -> list[ConditionResult]:
    """art. 6(1): resident enterprise, sound accounting, taxed on audited accounts."""
    e = form.enterprise
    return [
        _RESIDENT[e.resident],
        _ACCOUNTING_SOUND[e.accounting_sound],
        _TAX_COLLECTION_AUDIT[e.tax_collection is TaxCollection.AUDIT],
    ]


def size_within_limits(form: InformationForm, policy: EligibilityPolicy) -> list[ConditionResult]:
    """art. 6(2): employees, sales revenue and total assets, every limit inclusive."""
    limits = policy.size_limits
    employees = form.personnel.employees_total
    sales, assets = form.finance.sales_revenue, form.finance.total_assets
    ok_employees = employees <= limits.employees_max
    ok_sales = sales <= limits.sales_revenue_max
    ok_assets = assets <= limits.total_assets_max
    return [
        _condition(
            "size_employees",
            ok_employees,
            f"职工总数{employees}人，{'不超过' if ok_employees else '超过'}"
            f"{limits.employees_max}人",
            f"{employees} employees, {'within' if ok_employees else 'above'} the limit of "
            f"{limits.employees_max}",
        ),
        _condition(
            "size_sales",
            ok_sales,
            f"年销售收入{_yuan(sales)}元，{'不超过' if ok_sales else '超过'}"
            f"{_yuan(limits.sales_revenue_max)}元",
            f"Annual sales revenue {_yuan(sales)} yuan, {'within' if ok_sales else 'above'} "
            f"the limit of {_yuan(limits.sales_revenue_max)} yuan",
        ),
        _condition(
            "size_assets",
            ok_assets,
            f"资产总额{_yuan(assets)}元，{'不超过' if ok_assets else '超过'}"
            f"{_yuan(limits.total_assets_max)}元",
            f"Total assets {_yuan(assets)} yuan, {'within' if ok_assets else 'above'} "
            f"the limit of {_yuan(limits.total_assets_max)} yuan",
        ),
    ]


def matching_exclusion(
    industry_code: str, exclusions: tuple[IndustryExclusion, ...]
) -> tuple[IndustryExclusion | None, bool]:
    """The exclusion an industry code falls under, and whether the code is too coarse.

    A code is excluded when it starts with an excluded prefix (`F` excludes `F5123`). A code
    coarser than an excluded prefix (`C` against `C16`) may or may not be in it: it is
    reported as undecidable rather than guessed either way.
    """
    coarse = None
    for exclusion in exclusions:
        if industry_code.startswith(exclusion.code_prefix):
            return exclusion, False
        if coarse is None and exclusion.code_prefix.startswith(industry_code):
            coarse = exclusion
    return coarse, coarse is not None


def industry_not_excluded(form: InformationForm, policy: EligibilityPolicy) -> ConditionResult:
    """art. 6(3): not an industry excluded from the R&D super-deduction (GB/T 4754)."""
    code = form.enterprise.industry_code
    exclusion, too_coarse = matching_exclusion(code, policy.excluded_industries)
    if exclusion is None:
        return _condition(
            "industry_not_excluded",
            True,
            f"行业代码{code}不属于不适用研发费用加计扣除的行业",
            f"Industry {code} is not excluded from the R&D super-deduction",
        )
    where = f"{exclusion.name}（{exclusion.code_prefix}）"
    where_en = f"{exclusion.name_en} ({exclusion.code_prefix})"
    if too_coarse:
        return _condition(
            "industry_not_excluded",
            False,
            f"行业代码{code}不够具体，无法判断是否属于{where}，请填写到大类或更细的代码",
            f"Industry code {code} is too coarse to tell whether it is in {where_en}; "
            "give at least the division",
        )
    return _condition(
        "industry_not_excluded",
        False,
        f"行业代码{code}属于{where}，不适用研发费用加计扣除，不能参加评价",
        f"Industry {code} is in {where_en}, excluded from the R&D super-deduction",
    )


# art. 6(4) and the pledge of truthfulness: (field, code, Chinese, English).
_DECLARED = (
    (
        "no_major_incident",
        "declaration_no_major_incident",
        "上一年度及当年内未发生重大安全、重大质量事故和严重环境违法行为",
        "no major safety or quality accident and no serious environmental violation in "
        "the previous and the current year",
    ),
    (
        "no_serious_fraud",
        "declaration_no_serious_fraud",
        "上一年度及当年内未发生严重弄虚作假行为",
        "no serious fraud in the previous and the current year",
    ),
    (
        "no_research_misconduct",
        "declaration_no_research_misconduct",
        "上一年度及当年内未发生科研严重失信行为",
        "no serious research misconduct in the previous and the current year",
    ),
    (
        "not_on_credit_lists",
        "declaration_not_on_credit_lists",
        "上一年度及当年内未列入经营异常名录和严重违法失信名单",
        "not on the abnormal-operation or serious-dishonesty list in the previous and the "
        "current year",
    ),
    (
        "information_true",
        "declaration_information_true",
        "所填报信息真实、准确、完整",
        "the information filed is true, accurate and complete",
    ),
)
_DECLARATIONS = tuple(
    (
        field,
        _outcomes(
            code, (f"已声明：{zh}", f"Declared: {en}"), (f"未作出声明：{zh}", f"Not declared: {en}")
        ),
    )
    for field, code, zh, en in _DECLARED
)


def declarations(form: InformationForm) -> list[ConditionResult]:
    """art. 6(4): what the enterprise declares about the previous and the current year."""
    return [outcomes[bool(getattr(form.declarations, field))] for field, outcomes in _DECLARATIONS]


def credit_records_clear(
    form: InformationForm, policy: EligibilityPolicy, facts: KnownFacts
) -> ConditionResult:
    """art. 6(4) against the credit archive: no listing or incident in the period."""
    first = date(form.year - policy.credit_lookback_years, 1, 1)
    last = date(form.year, 12, 31)
    hits = [r for r in facts.credit_records if r.overlaps(first, last)]
    if not hits:
        return _condition(
            "credit_records_clear",
            True,
            f"未发现{first}至{last}期间的失信名单或重大事故记录",
            f"No credit listing or incident on record between {first} and {last}",
        )
    zh = "、".join(f"{r.names[0]}（{r.starts_on}起）" for r in hits)
    en = ", ".join(f"{r.names[1]} (from {r.starts_on})" for r in hits)
    return _condition(
        "credit_records_clear",
        False,
        f"{first}至{last}期间有记录：{zh}",
        f"On record between {first} and {last}: {en}",
    )


def basic_conditions(
    form: InformationForm, policy: EligibilityPolicy, facts: KnownFacts
) -> list[ConditionResult]:
    """Basic conditions 1-4 (art. 6), in the order of the article."""
    return [
        *resident_and_accounting(form),
        *size_within_limits(form, policy),
        industry_not_excluded(form, policy),
        *declarations(form),
        credit_records_clear(form, policy, facts),
    ]
