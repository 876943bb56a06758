"""The enterprise profile: a USCC checksum mismatch is a warning, not a refusal (§6, §9)."""

from __future__ import annotations

from intake.domain.profile import profile_warnings
from shared.kernel.codes.uscc import ALPHABET, with_check_digit


def test_valid_code_has_no_warning() -> None:
    assert profile_warnings(with_check_digit("91150105MA0Q40001")) == []


def test_checksum_mismatch_is_a_warning_with_both_languages() -> None:
    good = with_check_digit("91150105MA0Q40001")
    wrong = good[:17] + next(c for c in ALPHABET if c != good[17])
    [warning] = profile_warnings(wrong)
    assert warning.code == "uscc_checksum"
    assert warning.message
    assert "check digit" in warning.message_en
