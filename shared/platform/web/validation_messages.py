"""Chinese and English texts for validation errors, by pydantic error type.

Custom errors raised in our models carry "中文 / English" in their message; built-in
pydantic errors are translated here so that a clerk reads Chinese and an integrator English.
"""

from __future__ import annotations

from typing import Any

_ZH: dict[str, str] = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为文本",
    "string_too_short": "内容过短（至少 {min_length} 个字符）",
    "string_too_long": "内容过长（最多 {max_length} 个字符）",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为是/否（true/false）",
    "bool_parsing": "应为是/否（true/false）",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_max_digits": "数字位数过多（最多 {max_digits} 位）",
    "decimal_whole_digits": "整数部分位数过多",
    "finite_number": "应为有限数字",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "必须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "必须小于 {lt}",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不含时间",
    "datetime_parsing": "应为时间（RFC 3339）",
    "datetime_type": "应为时间（RFC 3339）",
    "enum": "取值不在允许范围内：{expected}",
    "literal_error": "取值不在允许范围内：{expected}",
    "union_tag_invalid": "类型取值不在允许范围内：{expected_tags}",
    "union_tag_not_found": "缺少类型字段 {discriminator}",
    "list_type": "应为列表",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "JSON 格式错误",
    "json_type": "应为 JSON",
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "value_error": "取值无效",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
}


def _format(template: str, ctx: dict[str, Any]) -> str:
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template


def bilingual(error: dict[str, Any]) -> tuple[str, str]:
    """(中文, English) for one pydantic error dict."""
    msg = str(error.get("msg", ""))
    if " / " in msg:  # our own PydanticCustomError texts
        zh, en = msg.split(" / ", 1)
        return zh.removeprefix("Value error, "), en
    template = _ZH.get(str(error.get("type")))
    zh = _format(template, dict(error.get("ctx") or {})) if template else msg
    return zh, msg
