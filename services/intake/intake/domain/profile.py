"""The enterprise profile (企业信息) an enterprise registers itself: what is checked on it.

The format of the USCC is validated with the request (malformed → 422); a checksum
mismatch is only a warning, because some genuine early codes fail it (domain.md §6, §9).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.kernel.codes.uscc import check_uscc


@dataclass(frozen=True, slots=True)
class ProfileWarning:
    code: str
    message: str
    message_en: str


def profile_warnings(uscc: str) -> list[ProfileWarning]:
    """Warnings shown with a well-formed profile (the USCC's format is already checked)."""
    if check_uscc(uscc).checksum_ok:
        return []
    return [
        ProfileWarning(
            code="uscc_checksum",
            message="统一社会信用代码校验位不符（部分早期代码如此），评价工作机构将予核实",
            message_en=(
                "The USCC check digit does not match (true of some early codes); "
                "the agency will verify it"
            ),
        )
    ]
