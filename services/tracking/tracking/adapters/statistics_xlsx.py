"""The statistics as an Excel workbook (openpyxl write-only: rows go straight to the zip)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from typing import IO

from openpyxl import Workbook

from tracking.adapters.statistics import MEASURES, GroupBy, StatisticsRow

CHUNK = 64 * 1024
_MEASURE_LABELS = {
    "revenue": ("营业收入", "operating revenue"),
    "rd": ("研发费用", "R&D expense"),
    "employees": ("职工人数", "employees"),
}
_GROUP_LABELS = {
    GroupBy.REGION: ("行政区划代码", "region code"),
    GroupBy.AGENCY: ("评价工作机构", "agency"),
    GroupBy.INDUSTRY: ("行业门类", "industry section"),
    GroupBy.INDUSTRY_DIVISION: ("行业大类", "industry division"),
}


def _headers(group_by: GroupBy) -> list[tuple[str, str]]:
    headers = [
        _GROUP_LABELS[group_by],
        ("年度", "year"),
        ("季度", "quarter"),
        ("报告义务企业数", "obligated"),
        ("已报送", "submitted"),
        ("按时报送", "on time"),
        ("逾期报送", "late"),
        ("逾期未报", "overdue"),
        ("未到期未报", "open"),
        ("按时报送率", "on-time rate"),
    ]
    for kind_zh, kind_en in (("合计", "sum"), ("中位数", "median"), ("环比增长", "QoQ growth")):
        headers += [(f"{zh}{kind_zh}", f"{en} {kind_en}") for zh, en in _MEASURE_LABELS.values()]
    return headers


def write_statistics(rows: Sequence[StatisticsRow], group_by: GroupBy, title: str) -> IO[bytes]:
    """Build the workbook into a temporary file (memory first, disk when large)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("统计 Statistics")
    sheet.append([title])
    headers = _headers(group_by)
    sheet.append([zh for zh, _ in headers])
    sheet.append([en for _, en in headers])
    for row in rows:
        sheet.append(
            [
                row.group,
                row.year,
                row.quarter,
                row.obligated,
                row.submitted,
                row.on_time,
                row.late,
                row.overdue,
                row.open,
                row.on_time_rate,
                *(row.sums[m] for m in MEASURES),
                *(row.medians[m] for m in MEASURES),
                *(row.growth[m] for m in MEASURES),
            ]
        )
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - streamed, closed by the reader
    workbook.save(out)
    out.seek(0)
    return out


def chunks(file: IO[bytes]) -> Iterator[bytes]:
    try:
        while block := file.read(CHUNK):
            yield block
    finally:
        file.close()
