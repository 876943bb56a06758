"""Bulk data for the tracking benchmarks (not a benchmark itself: `make bench` runs bench_*.py).

A fresh database on the infrastructure named by SME_TEST_INFRA (or the development one),
migrated to head, filled with COPY: 25,000 enterprises registered in 2026 across the
province's agencies, regions and industries, each owing Q1..Q4 = 100,000 obligations, and
(optionally) reports for most of them.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from localdev.stack import Infra
from shared.kernel.codes.uscc import with_check_digit
from shared.platform.db.engine import Database
from shared.platform.db.migrate import upgrade_to_head

MIGRATIONS = Path(__file__).resolve().parents[1] / "tracking" / "migrations"
ENTERPRISES = 25_000
QUARTERS = 4  # 2026 Q1..Q4 each → 100,000 obligations
DUE = [date(2026, 4, 15), date(2026, 7, 15), date(2026, 10, 15), date(2027, 1, 15)]
# (agency, region codes in its area)
AREAS = [
    ("150100", ["150102", "150103", "150104", "150105", "150121", "150122"]),
    ("150200", ["150202", "150203", "150204", "150205", "150206", "150207"]),
    ("150300", ["150302", "150303", "150304"]),
    ("150400", ["150402", "150403", "150404", "150421", "150422"]),
    ("150500", ["150502", "150521", "150522", "150523"]),
    ("150600", ["150602", "150603", "150621", "150622", "150623"]),
    ("150700", ["150702", "150703", "150721", "150722"]),
    ("150781", ["150781"]),
    ("150800", ["150802", "150821", "150822"]),
    ("150900", ["150902", "150921", "150922"]),
    ("152200", ["152201", "152202", "152221"]),
    ("152500", ["152502", "152522", "152523"]),
    ("152501", ["152501"]),
    ("152900", ["152921", "152922", "152923"]),
]
INDUSTRIES = ["C3911", "C3562", "C2710", "I6513", "I6520", "M7320", "M7512", "A0111", "D4411"]
NEEDS = ["financing", "talent", "technology", "market", "policy"]


def _infra() -> Infra:
    described = os.environ.get("SME_TEST_INFRA", ".local/dev/infra.json")
    data = json.loads(Path(described).read_text())
    return Infra(
        Path(data["state_dir"]), data["pg_port"], data["kafka_port"], data["kafka_controller_port"]
    )


@asynccontextmanager
async def bench_database() -> AsyncIterator[Database]:
    """A fresh, migrated tracking database, dropped afterwards."""
    infra = _infra()
    name = f"_bench{uuid.uuid4().hex[:8]}"
    url = infra.database_url("tracking", name)
    db = Database.connect(url, pool_size=2, application_name="tracking-bench")
    try:
        await upgrade_to_head(db.engine, MIGRATIONS)
        yield db
    finally:
        await db.dispose()
        if infra.pg is not None and not os.environ.get("TRACKING_DATABASE_URL"):
            infra.pg.drop_database(f"sme_tracking{name}")


async def _copy(
    db: Database, table: str, columns: list[str], records: list[tuple[Any, ...]]
) -> None:
    async with db.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection
        await driver.copy_records_to_table(table, records=records, columns=columns)
        await conn.commit()


async def load(db: Database, *, reports: float = 0.0, seed: int = 7) -> dict[str, int]:
    """Registrations, 100,000 obligations and a share `reports` of them reported on time."""
    rng = random.Random(seed)
    registrations, obligations, filed = [], [], []
    now = datetime(2026, 11, 26, tzinfo=UTC)
    obligation_id = 0
    for n in range(ENTERPRISES):
        uscc = with_check_digit(f"91150105MA{n:07d}")
        agency, regions = AREAS[n % len(AREAS)]
        region = regions[(n // len(AREAS)) % len(regions)]
        industry = INDUSTRIES[n % len(INDUSTRIES)]
        number = f"2026{region}A{n:07d}"
        registrations.append(
            (
                number,
                uscc,
                2026,
                region,
                agency,
                f"企业{n}",
                industry,
                date(2026, 1, 10),
                date(2026, 12, 31),
            )
        )
        revenue = Decimal(rng.randrange(200_000, 20_000_000))
        for q in range(1, QUARTERS + 1):
            obligation_id += 1
            reported = rng.random() < reports
            obligations.append(
                (
                    obligation_id, uscc, 2026, q, number, 2026, agency, region, industry,
                    f"企业{n}", DUE[q - 1], False, "submitted" if reported else "due",
                )
            )  # fmt: skip
            if reported:
                revenue = (revenue * Decimal(rng.uniform(0.85, 1.25))).quantize(Decimal("0.01"))
                rd = (revenue * Decimal(rng.uniform(0.0, 0.12))).quantize(Decimal("0.01"))
                employees = rng.randrange(5, 400)
                needs = (
                    json.dumps([{"category": rng.choice(NEEDS), "text": "需求"}])
                    if rng.random() < 0.1
                    else "[]"
                )
                figures = json.dumps(
                    {
                        "operating_revenue": str(revenue),
                        "rd_expense": str(rd),
                        "employees": employees,
                    }
                )
                filed.append(
                    (
                        obligation_id, uscc, 2026, q, agency, region, industry, figures, needs, 1,
                        revenue, rd, employees, False, 1, now, now,
                    )
                )  # fmt: skip
    await _copy(
        db,
        "registration",
        ["number", "uscc", "year", "region_code", "agency", "enterprise_name", "industry_code",
         "registered_on", "valid_until"],
        registrations,
    )  # fmt: skip
    await _copy(
        db,
        "obligation",
        ["id", "uscc", "year", "quarter", "registration_number", "policy_year", "agency",
         "region_code", "industry_code", "enterprise_name", "due_on", "due_on_provisional",
         "state"],
        obligations,
    )  # fmt: skip
    if filed:
        await _copy(
            db,
            "quarterly_report",
            ["obligation_id", "uscc", "year", "quarter", "agency", "region_code", "industry_code",
             "figures", "needs", "policy_version", "operating_revenue", "rd_expense", "employees",
             "late", "revision", "first_submitted_at", "submitted_at"],
            filed,
        )  # fmt: skip
    async with db.engine.connect() as conn:
        await conn.exec_driver_sql("ANALYZE")
        await conn.exec_driver_sql(f"SELECT setval('obligation_id_seq', {obligation_id})")
        await conn.commit()
    return {
        "registrations": len(registrations),
        "obligations": len(obligations),
        "reports": len(filed),
    }
