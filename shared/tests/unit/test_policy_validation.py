"""A broken policy is refused with the file and the field path, before any form is scored."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from shared.kernel.policy import (
    PolicyFileError,
    load_policy_dir,
    load_policy_file,
    policy_from_document,
    shipped_policy,
)
from shared.kernel.policy.loader import SHIPPED_DIR

Edit = Callable[[dict[str, Any]], None]


def document() -> dict[str, Any]:
    return shipped_policy(2026).to_document()


def refused(edit: Edit) -> ValidationError:
    doc = document()
    edit(doc)
    with pytest.raises(ValidationError) as caught:
        policy_from_document(doc)
    return caught.value


def locs(error: ValidationError) -> list[tuple[int | str, ...]]:
    return [tuple(e["loc"]) for e in error.errors()]


def _set(path: str, value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return edit


INVALID = [
    ("scoring.personnel_bands.4.points", 15, ("scoring", "personnel_bands")),  # points drop
    ("scoring.rd_sales_bands.1.at_least", "0.01", ("scoring", "rd_sales_bands")),  # unsorted
    ("scoring.rd_cost_bands", [], ("scoring", "rd_cost_bands")),
    ("scoring.personnel_bands.0.at_least", "1.5", ("scoring", "personnel_bands", 0, "at_least")),
    ("scoring.personnel_bands.0.at_least", "abc", ("scoring", "personnel_bands", 0, "at_least")),
    ("scoring.achievements.class1_points", 20, ("scoring", "achievements")),  # < 24
    ("scoring.pass_score", 101, ("scoring", "pass_score")),
    ("scoring.ip_classes.trademark", "class3", ("scoring", "ip_classes", "trademark")),
    ("window.opens_on", "2027-01-01", ("window",)),
    ("window.closes_on", "2206-10-20", ()),
    ("spot_check.ratio", "1.5", ("spot_check", "ratio")),
    ("spot_check.ratio", "0", ("spot_check", "ratio")),
    ("eligibility.size_limits.sales_revenue_max", "-1", ("eligibility", "size_limits",
                                                        "sales_revenue_max")),
    ("eligibility.excluded_industries.0.code_prefix", "16", ("eligibility",
                                                            "excluded_industries", 0,
                                                            "code_prefix")),
    ("warnings.credit_record.severity", "fatal", ("warnings", "credit_record", "severity")),
    ("warnings.jump_vs_previous_year.factor", "1", ("warnings", "jump_vs_previous_year",
                                                   "factor")),
    ("registration.number_format", "{year}{region}", ("registration", "number_format")),
    ("registration.number_format", "{year}{name}{serial}", ("registration", "number_format")),
    ("registration.validity", "fixed_date", ("registration",)),
    ("evaluation_date.rule", "fixed_date", ("evaluation_date",)),
    ("tracking.day_counting", "lunar", ("tracking", "day_counting")),
    ("tracking.tiers", [{"code": "leading", "name": "领军", "name_en": "Leading",
                         "min_rd_intensity": "0.06"}], ("tracking", "tiers")),
    ("tracking.report_fields.1.name", "operating_revenue", ("tracking", "report_fields")),
    ("calendar", {"2027": {"holidays": [], "workdays": ["2027-02-08"]}}, ("calendar",)),
    ("version", 0, ("version",)),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "loc"), INVALID)
def test_an_invalid_setting_is_refused_with_its_field_path(
    path: str, value: Any, loc: tuple[int | str, ...]
) -> None:
    assert loc in locs(refused(_set(path, value)))


def test_an_unknown_key_is_refused_not_ignored() -> None:
    def typo(doc: dict[str, Any]) -> None:
        doc["scoring"]["pass_scroe"] = 50

    assert ("scoring", "pass_scroe") in locs(refused(typo))


def test_a_missing_ip_class_is_refused() -> None:
    def drop(doc: dict[str, Any]) -> None:
        del doc["scoring"]["ip_classes"]["software_copyright"]

    error = refused(drop)
    assert "software_copyright" in str(error)


def test_a_missing_section_is_refused() -> None:
    def drop(doc: dict[str, Any]) -> None:
        del doc["publicity"]

    assert ("publicity",) in locs(refused(drop))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def shipped_text(year: int = 2026) -> str:
    return (SHIPPED_DIR / f"{year}.yaml").read_text("utf-8")


def test_a_broken_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    text = shipped_text().replace("pass_score: 60", "pass_score: sixty")
    path = write(tmp_path, "2026.yaml", text)
    with pytest.raises(PolicyFileError) as caught:
        load_policy_file(path)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert "scoring.pass_score" in str(caught.value)


def test_a_yaml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "2026.yaml", shipped_text() + "\n  bad: [unclosed\n")
    with pytest.raises(PolicyFileError, match=r"2026\.yaml"):
        load_policy_file(path)


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "2026.yaml", "- just\n- a list\n")
    with pytest.raises(PolicyFileError, match="expected a mapping"):
        load_policy_file(path)


def test_a_file_named_for_another_year_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "2025.yaml", shipped_text(2026))
    with pytest.raises(PolicyFileError, match="does not match the file name"):
        load_policy_file(path)


def test_one_broken_file_stops_the_whole_directory(tmp_path: Path) -> None:
    write(tmp_path, "2025.yaml", shipped_text(2025))
    write(tmp_path, "2026.yaml", shipped_text().replace("employees_max: 500", "employees_max: -3"))
    with pytest.raises(PolicyFileError, match=r"eligibility\.size_limits\.employees_max"):
        load_policy_dir(tmp_path)


def test_a_directory_of_valid_files_loads_by_year(tmp_path: Path) -> None:
    write(tmp_path, "2025.yaml", shipped_text(2025))
    write(tmp_path, "2026.yaml", shipped_text(2026))
    assert sorted(load_policy_dir(tmp_path)) == [2025, 2026]


def test_unquoted_yaml_decimals_are_read_exactly(tmp_path: Path) -> None:
    path = write(tmp_path, "2026.yaml", shipped_text().replace('ratio: "0.10"', "ratio: 0.10"))
    assert load_policy_file(path).spot_check.ratio == Decimal("0.10")


def test_a_json_number_is_accepted_for_a_decimal_threshold() -> None:
    doc = document()
    doc["spot_check"]["ratio"] = 0.2
    assert policy_from_document(doc).spot_check.ratio == Decimal("0.2")


def test_shipped_files_quote_every_decimal() -> None:
    # An unquoted 0.1 in a hand-edited file would still be exact (see above), but the
    # shipped files show the convention.
    for path in sorted(SHIPPED_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text("utf-8"))
        assert isinstance(raw["spot_check"]["ratio"], str)
