"""Indexed tables behind the cross-enterprise warning rules (domain.md §6): the IP numbers
and the contact phone/e-mail each case claims, by year."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import ColumnElement, and_, any_, delete, func, insert, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from review.adapters.tables import ContactRow, IpClaimRow, ReviewCaseRow

Contact = tuple[str, str]  # (kind, normalised value)


async def claims_of(session: AsyncSession, case_id: uuid.UUID) -> tuple[list[str], list[Contact]]:
    numbers = (
        await session.execute(select(IpClaimRow.ip_number).where(IpClaimRow.case_id == case_id))
    ).scalars()
    contacts = (
        await session.execute(
            select(ContactRow.kind, ContactRow.value).where(ContactRow.case_id == case_id)
        )
    ).all()
    return list(numbers), [(k, v) for k, v in contacts]


async def replace_claims(
    session: AsyncSession,
    case: ReviewCaseRow,
    numbers: Sequence[str],
    contacts: Sequence[Contact],
) -> None:
    await remove_claims(session, case.id)
    if numbers:
        await session.execute(
            insert(IpClaimRow),
            [
                {"case_id": case.id, "ip_number": n, "year": case.year, "uscc": case.uscc}
                for n in numbers
            ],
        )
    if contacts:
        await session.execute(
            insert(ContactRow),
            [
                {"case_id": case.id, "kind": k, "value": v, "year": case.year, "uscc": case.uscc}
                for k, v in contacts
            ],
        )


async def remove_claims(session: AsyncSession, case_id: uuid.UUID) -> None:
    await session.execute(delete(IpClaimRow).where(IpClaimRow.case_id == case_id))
    await session.execute(delete(ContactRow).where(ContactRow.case_id == case_id))


async def claimants(
    session: AsyncSession, year: int, numbers: Iterable[str]
) -> dict[str, list[tuple[uuid.UUID, str]]]:
    """IP number → every (case, enterprise) claiming it in the year (index range scans)."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    stmt = select(IpClaimRow.ip_number, IpClaimRow.case_id, IpClaimRow.uscc).where(
        IpClaimRow.year == year, IpClaimRow.ip_number.in_(wanted)
    )
    found: dict[str, list[tuple[uuid.UUID, str]]] = {n: [] for n in wanted}
    for number, case_id, uscc in (await session.execute(stmt)).all():
        found[number].append((case_id, uscc))
    return found


async def contact_counts(
    session: AsyncSession, year: int, contacts: Iterable[Contact]
) -> dict[Contact, int]:
    """(kind, value) → number of distinct enterprises using it in the year."""
    wanted = sorted(set(contacts))
    if not wanted:
        return {}
    stmt = (
        select(ContactRow.kind, ContactRow.value, func.count(func.distinct(ContactRow.uscc)))
        .where(_any_of(wanted))
        .where(ContactRow.year == year)
        .group_by(ContactRow.kind, ContactRow.value)
    )
    counts = dict.fromkeys(wanted, 0)
    for kind, value, count in (await session.execute(stmt)).all():
        if (kind, value) in counts:
            counts[(kind, value)] = int(count)
    return counts


def _any_of(wanted: Collection[Contact]) -> ColumnElement[bool]:
    """Kind among the kinds and value among the values: two arrays the index on (year, kind,
    value) scans directly. `(kind, value) IN (…)` with a batch's few hundred pairs was
    planned as a filter over every row of the year (a batch took longer the more cases the
    year had); the callers keep only the exact pairs."""
    return and_(
        ContactRow.kind == any_(array(sorted({k for k, _ in wanted}))),
        ContactRow.value == any_(array(sorted({v for _, v in wanted}))),
    )


async def claims_of_cases(
    session: AsyncSession, case_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[list[str], list[Contact]]]:
    """`claims_of` for several cases, in two queries."""
    found: dict[uuid.UUID, tuple[list[str], list[Contact]]] = {c: ([], []) for c in case_ids}
    if not case_ids:
        return found
    ids = list(case_ids)
    for case_id, number in (
        await session.execute(
            select(IpClaimRow.case_id, IpClaimRow.ip_number).where(IpClaimRow.case_id.in_(ids))
        )
    ).all():
        found[case_id][0].append(number)
    for case_id, kind, value in (
        await session.execute(
            select(ContactRow.case_id, ContactRow.kind, ContactRow.value).where(
                ContactRow.case_id.in_(ids)
            )
        )
    ).all():
        found[case_id][1].append((kind, value))
    return found


async def replace_claims_of_cases(
    session: AsyncSession,
    claims: Sequence[tuple[ReviewCaseRow, Sequence[str], Sequence[Contact]]],
) -> None:
    """`replace_claims` for several cases, in four statements."""
    if not claims:
        return
    ids = [case.id for case, _, _ in claims]
    await session.execute(delete(IpClaimRow).where(IpClaimRow.case_id.in_(ids)))
    await session.execute(delete(ContactRow).where(ContactRow.case_id.in_(ids)))
    numbers = [
        {"case_id": case.id, "ip_number": n, "year": case.year, "uscc": case.uscc}
        for case, ns, _ in claims
        for n in ns
    ]
    if numbers:
        await session.execute(insert(IpClaimRow), numbers)
    contacts = [
        {"case_id": case.id, "kind": k, "value": v, "year": case.year, "uscc": case.uscc}
        for case, _, cs in claims
        for k, v in cs
    ]
    if contacts:
        await session.execute(insert(ContactRow), contacts)


async def contact_holders(
    session: AsyncSession, year: int, contacts: Iterable[Contact]
) -> dict[Contact, list[uuid.UUID]]:
    """(kind, value) → the cases using it in the year."""
    wanted = sorted(set(contacts))
    if not wanted:
        return {}
    stmt = select(ContactRow.kind, ContactRow.value, ContactRow.case_id).where(
        ContactRow.year == year, _any_of(wanted)
    )
    found: dict[Contact, list[uuid.UUID]] = {c: [] for c in wanted}
    for kind, value, case_id in (await session.execute(stmt)).all():
        if (kind, value) in found:
            found[(kind, value)].append(case_id)
    return found
