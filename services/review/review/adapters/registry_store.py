"""The registry's storage: the locked serial counter and set-based inserts.

Serials are allocated by one UPDATE of the (year, province) counter row: the row stays
locked until the transaction ends, so a concurrent announcement waits and then continues
after the last serial this one took — unique and gap-free (a rolled-back transaction
rolls its range back too).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters.tables import RegistrationChangeRow, RegistrationRow
from review.domain.registration import serial_range
from review.domain.status import CaseStatus, move_cases

_ENSURE_COUNTER = text("""
    INSERT INTO registration_counter (year, province, last_serial)
    VALUES (:year, :province, 0)
    ON CONFLICT DO NOTHING
""")

_TAKE_SERIALS = text("""
    UPDATE registration_counter SET last_serial = last_serial + :count
    WHERE year = :year AND province = :province
    RETURNING last_serial
""")

_INSERT_REGISTRATIONS = text("""
    INSERT INTO registration (
        number, year, province, serial, uscc, case_id, application_id, enterprise_name,
        region_code, industry_code, agency, batch_id, registered_on, valid_until, status,
        created_at)
    SELECT t.number, :year, :province, t.serial, t.uscc, t.case_id, t.application_id,
           t.enterprise_name, t.region_code, t.industry_code, t.agency, :batch_id,
           :registered_on, :valid_until, 'valid', :now
    FROM unnest(
        CAST(:numbers AS text[]), CAST(:serials AS int[]), CAST(:usccs AS text[]),
        CAST(:case_ids AS uuid[]), CAST(:application_ids AS uuid[]),
        CAST(:names AS text[]), CAST(:regions AS text[]), CAST(:industries AS text[]),
        CAST(:agencies AS text[])
    ) AS t(number, serial, uscc, case_id, application_id, enterprise_name, region_code,
           industry_code, agency)
""")

# The cases take their numbers, history rows record it: one statement each.
_MARK_CASES_REGISTERED = text("""
    UPDATE review_case c
    SET status = 'registered', registration_number = t.number, updated_at = :now
    FROM unnest(CAST(:case_ids AS uuid[]), CAST(:numbers AS text[])) AS t(case_id, number)
    WHERE c.id = t.case_id
""")

_HISTORY = text("""
    INSERT INTO review_case_history (case_id, at, action, status, actor, reason)
    SELECT t.case_id, :now, 'registered', 'registered', :actor, t.number
    FROM unnest(CAST(:case_ids AS uuid[]), CAST(:numbers AS text[])) AS t(case_id, number)
""")


@dataclass(frozen=True, slots=True)
class ToRegister:
    case_id: uuid.UUID
    application_id: uuid.UUID
    uscc: str
    enterprise_name: str
    region_code: str
    industry_code: str
    agency: str


async def take_serials(session: AsyncSession, year: int, province: str, count: int) -> int:
    """Reserve `count` consecutive serials; returns the first. Holds the counter row lock."""
    params = {"year": year, "province": province}
    await session.execute(_ENSURE_COUNTER, params)
    last = (await session.execute(_TAKE_SERIALS, {**params, "count": count})).scalar_one()
    return serial_range(int(last), count).start


async def insert_registrations(
    session: AsyncSession,
    *,
    year: int,
    province: str,
    batch_id: uuid.UUID,
    registered_on: date,
    valid_until: date,
    now: datetime,
    actor: str,
    cases: Sequence[ToRegister],
    numbered: Sequence[tuple[int, str]],
) -> None:
    """Registry rows, the cases' new status and their history, set-based."""
    case_ids = [c.case_id for c in cases]
    numbers = [n for _, n in numbered]
    await session.execute(
        _INSERT_REGISTRATIONS,
        {
            "year": year,
            "province": province,
            "batch_id": batch_id,
            "registered_on": registered_on,
            "valid_until": valid_until,
            "now": now,
            "numbers": numbers,
            "serials": [s for s, _ in numbered],
            "usccs": [c.uscc for c in cases],
            "case_ids": case_ids,
            "application_ids": [c.application_id for c in cases],
            "names": [c.enterprise_name for c in cases],
            "regions": [c.region_code for c in cases],
            "industries": [c.industry_code for c in cases],
            "agencies": [c.agency for c in cases],
        },
    )
    params = {"case_ids": case_ids, "numbers": numbers, "now": now}
    # Set-based: the table is checked once per (source, registered) pair, not per row; the
    # callers register cases in publicity (the announcement) or held ones just released.
    move_cases({CaseStatus.IN_PUBLICITY, CaseStatus.HELD}, CaseStatus.REGISTERED)
    await session.execute(_MARK_CASES_REGISTERED, params)
    await session.execute(_HISTORY, {**params, "actor": actor})


async def lock_registration(
    session: AsyncSession, number: str, *, uscc: str | None = None, year: int | None = None
) -> RegistrationRow | None:
    """The registration by its number, locked; if the number is unknown (mistyped upstream)
    and the enterprise and year are given, the enterprise's registration of that year."""
    stmt = select(RegistrationRow).where(RegistrationRow.number == number).with_for_update()
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None and uscc is not None and year is not None:
        stmt = (
            select(RegistrationRow)
            .where(RegistrationRow.uscc == uscc, RegistrationRow.year == year)
            .with_for_update()
        )
        row = (await session.execute(stmt)).scalar_one_or_none()
    return row


async def changes_of(session: AsyncSession, number: str) -> list[RegistrationChangeRow]:
    """The changes reported for a registration, oldest first."""
    stmt = (
        select(RegistrationChangeRow)
        .where(RegistrationChangeRow.number == number)
        .order_by(RegistrationChangeRow.created_at, RegistrationChangeRow.id)
    )
    return list((await session.execute(stmt)).scalars().all())
