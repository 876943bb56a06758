"""Evidence documents (证明材料) as data: what is required at submit, size limits, retention.

The agency's 核验 of the form (seed §一.2) is done on documents (domain.md Round 2,
Evidence). Which documents a submission needs is per year: the defaults are the contract's
(financial statements always, the evidence of every fast-track claim, the certificate of
every Class I IP item).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from shared.kernel.policy.values import PolicySection

MB = 1024 * 1024


class EvidenceRequirements(PolicySection):
    financial_statements: bool = True  # 上一会计年度财务会计报告, always
    fast_track_evidence: bool = True  # one per fast_track[] claim (refers_to = reference)
    class1_ip_certificate: bool = True  # one per Class I ip[] item (refers_to = number)


class EvidencePolicy(PolicySection):
    required: EvidenceRequirements = EvidenceRequirements()
    # Upper bounds a deployment's proxies must let through too (deploy/gateway).
    max_file_bytes: Annotated[int, Field(ge=1024, le=100 * MB)] = 20 * MB
    max_application_bytes: Annotated[int, Field(ge=1024, le=1024 * MB)] = 100 * MB
    # Documents of an application that ended without registration: kept this many years
    # after it ended; of a registered one: this many years after the registration year.
    retention_years_unregistered: Annotated[int, Field(ge=1, le=30)] = 3
    retention_years_registered: Annotated[int, Field(ge=1, le=30)] = 5
