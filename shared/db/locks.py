"""Every PostgreSQL advisory-lock id the services take, named in one place.

Advisory locks share one key space per database, and several services' tables may live
in one cluster in small deployments: two features picking the same number would serialise
(or, with the try-variants, silently skip) each other's work. New locks get a new member
here, never a literal at the call site.
"""

from __future__ import annotations

from enum import IntEnum, unique


@unique  # two members with one id would silently be one lock
class AdvisoryLock(IntEnum):
    # Session lock: two replicas starting together must not both run DDL.
    MIGRATIONS = 7_150_000
    # (namespace, year): consecutive policy versions when two officers save one year at once.
    POLICY_VERSION = 7_150_001
    # Seed of hashtextextended(key): review's per-enterprise / IP / contact claims.
    REVIEW_CLAIMS = 7_150_002
    # (namespace, year): one replica closes a year's open review cases.
    REVIEW_YEAR_CLOSE = 7_150_003
    # (namespace, year): one replica closes a year's intake drafts.
    INTAKE_YEAR_CLOSE = 7_150_004
    # (namespace, hashtext(fingerprint)): identical supervision filings wait for each other.
    DUPLICATE_FILING = 7_150_501
