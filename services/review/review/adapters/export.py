"""Excel export of a publicity list (openpyxl write-only: rows go straight to the file,
whatever the batch size). Public columns only — never contact data."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO, NamedTuple

from openpyxl import Workbook

from shared.kernel.codes.orgtree import org_tree

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_STATES = {
    "in_publicity": "公示中",
    "held": "异议暂缓",
    "registered": "已入库",
    "rejected": "不予入库",
    "withdrawn": "已撤回",
}
HEADER = (
    "序号 No.",
    "企业名称 Enterprise",
    "统一社会信用代码 USCC",
    "所在地区 Region",
    "评价工作机构 Agency",
    "状态 State",
    "入库登记编号 Registration number",
)


class ExportRow(NamedTuple):
    enterprise_name: str
    uscc: str
    region_code: str
    agency: str
    state: str
    registration_number: str | None


def batch_workbook(title: str, entries: Iterable[ExportRow]) -> IO[bytes]:
    """The workbook in a temporary file (spilled to disk when large), positioned at 0."""
    tree = org_tree()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="公示名单")
    sheet.append([title])
    sheet.append(list(HEADER))
    for i, entry in enumerate(entries, start=1):
        agency = tree.get(entry.agency)
        sheet.append(
            [
                i,
                entry.enterprise_name,
                entry.uscc,
                entry.region_code,
                agency.name if agency else entry.agency,
                _STATES.get(entry.state, entry.state),
                entry.registration_number or "",
            ]
        )
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - streamed
    workbook.save(spool)
    spool.seek(0)
    return spool
