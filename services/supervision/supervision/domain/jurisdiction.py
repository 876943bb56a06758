"""Which agency handles a supervision case or a revocation (管辖).

The agency of the subject enterprise, from the best source known, in this order:
1. for an objection, the agency on the enterprise's entry of the publicity batch;
2. the agency of its newest registration (入库登记) in the local registry view;
3. the agency of its newest entry in any publicity batch;
4. the agency whose area holds the USCC's region code (positions 3–8, the registering
   authority's region), when that region is in the province;
5. otherwise the provincial department itself (an enterprise registered outside the
   province, or by a provincial-level authority `1500xx`, which no agency's area holds).
An enterprise located in a high-tech zone is therefore handled by the zone's committee
once it is known from a batch or a registration; before that, by region.
"""

from __future__ import annotations

from shared.kernel.codes.orgtree import UnknownRegion, org_tree


def agency_by_uscc_region(uscc: str) -> str | None:
    try:
        return org_tree().agency_for_region(uscc[2:8]).code
    except UnknownRegion:
        return None


def case_agency(
    uscc: str,
    *,
    batch_agency: str | None = None,
    registered_agency: str | None = None,
    publicity_agency: str | None = None,
) -> str:
    for known in (batch_agency, registered_agency, publicity_agency):
        if known is not None and org_tree().get(known) is not None:
            return known
    return agency_by_uscc_region(uscc) or org_tree().province.code
