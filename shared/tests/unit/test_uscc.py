"""Unified social credit code, GB 32100-2015 (domain.md §9)."""

from __future__ import annotations

import pytest

from shared.kernel.codes.uscc import MalformedUSCC, check_digit, check_uscc, with_check_digit


def test_a_known_good_code_passes_its_checksum() -> None:
    # 91350100M000100Y43 is the standard's worked example code (check character 3).
    assert check_uscc("91350100M000100Y43").checksum_ok


def test_check_value_31_maps_to_zero() -> None:
    # Find a 17-character prefix whose weighted sum is divisible by 31: check = 0.
    prefix = next(p for p in (f"9115010{n:010d}" for n in range(200)) if check_digit(p) == "0")
    assert check_uscc(prefix + "0").checksum_ok


def test_a_wrong_check_character_is_only_a_warning() -> None:
    good = with_check_digit("91150105MA0Q4XXXX")
    wrong = good[:17] + ("1" if good[17] != "1" else "2")
    result = check_uscc(wrong)
    assert not result.checksum_ok
    assert result.region_code == "150105"


@pytest.mark.parametrize(
    "code",
    [
        "",
        "91150105MA0Q4XXXX",  # 17 characters
        "91150105MA0Q4XXXXAB",  # 19 characters
        "91150105MA0Q4XXXXI",  # I is not in the alphabet
        "91150105ma0q4xxxxa",  # lower case
        "91150105MA0Q4XXXXO",  # O is not in the alphabet
    ],
)
def test_malformed_codes_are_refused(code: str) -> None:
    with pytest.raises(MalformedUSCC):
        check_uscc(code)
