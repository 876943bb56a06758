"""The one scoping rule (shared.platform.auth.jurisdiction): the WHERE clause of a list and the 404
of a single record agree for every role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Column, MetaData, String, Table, select

from shared.kernel.errors import NotFound
from shared.platform.auth.jurisdiction import Jurisdiction
from shared.platform.auth.principal import Principal, Role

cases = Table("case", MetaData(), Column("agency", String), Column("uscc", String))
OWN = Jurisdiction(agency=cases.c.agency, uscc=cases.c.uscc)
STAFF_ONLY = Jurisdiction(agency=cases.c.agency)

PROVINCE = Principal(sub="p", role=Role.PROVINCE)
HOHHOT = Principal(sub="a", role=Role.AGENCY, org="150100")
BAOTOU = Principal(sub="b", role=Role.AGENCY, org="150200")
ENTERPRISE = Principal(sub="e", role=Role.ENTERPRISE, uscc="91150105MA0Q4XXXXA")
EXTERNAL = Principal(sub="x", role=Role.EXTERNAL, org="tax")


@dataclass
class Record:
    agency: str
    uscc: str


RECORD = Record(agency="150100", uscc="91150105MA0Q4XXXXA")


def where_sql(scope: Jurisdiction, principal: Principal) -> str:
    stmt = select(cases.c.agency).where(scope.where(principal))
    compiled = stmt.compile(compile_kwargs={"literal_binds": True})
    return str(compiled).split("WHERE", 1)[1].strip()


@pytest.mark.parametrize(
    ("scope", "principal", "clause"),
    [
        (OWN, PROVINCE, "true"),
        (OWN, HOHHOT, "\"case\".agency = '150100'"),
        (OWN, ENTERPRISE, "\"case\".uscc = '91150105MA0Q4XXXXA'"),
        (OWN, EXTERNAL, "false"),
        (STAFF_ONLY, ENTERPRISE, "false"),
    ],
)
def test_the_where_clause_of_each_role(
    scope: Jurisdiction, principal: Principal, clause: str
) -> None:
    assert where_sql(scope, principal) == clause


@pytest.mark.parametrize(
    ("scope", "principal", "sees"),
    [
        (OWN, PROVINCE, True),
        (OWN, HOHHOT, True),
        (OWN, BAOTOU, False),
        (OWN, ENTERPRISE, True),
        (OWN, EXTERNAL, False),
        (STAFF_ONLY, ENTERPRISE, False),
    ],
)
def test_a_single_record_is_returned_or_not_found(
    scope: Jurisdiction, principal: Principal, sees: bool
) -> None:
    if sees:
        assert scope.require(principal, RECORD, NotFound()) is RECORD
    else:
        with pytest.raises(NotFound):
            scope.require(principal, RECORD, NotFound())


def test_an_unknown_record_is_the_same_404() -> None:
    with pytest.raises(NotFound):
        OWN.require(PROVINCE, None, NotFound())
