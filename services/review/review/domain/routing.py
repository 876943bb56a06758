"""Which agency reviews a case (domain.md §1): the declared high-tech zone's committee
first, then the most specific agency whose area holds the region code (150781 满洲里 and
152501 二连浩特 before their league/city). The tree itself is shared data."""

from __future__ import annotations

from shared.kernel.codes.orgtree import org_tree
from shared.kernel.evaluation.form import InformationForm


def routed_agency(form: InformationForm) -> str:
    enterprise = form.enterprise
    return org_tree().route(enterprise.region_code, enterprise.high_tech_zone).code
