"""The yearly policy (年度政策) — every threshold of one evaluation year as validated data.

    from shared.kernel.policy import shipped_policy
    policy = shipped_policy(2026)
    policy.scoring.pass_score, policy.publicity.working_days, policy.warnings.shared_contact

Sections: `window`, `milestones`, `evaluation_date`, `eligibility`, `scoring`, `fast_track`,
`onsite_triggers`, `warnings`, `review`, `publicity`, `registration`, `supervision`,
`spot_check`, `tracking`, `calendar`.
"""

from shared.kernel.policy.document import policy_from_document, policy_to_document
from shared.kernel.policy.loader import (
    PolicyFileError,
    PolicyYearNotShipped,
    load_policy_dir,
    load_policy_file,
    shipped_policies,
    shipped_policy,
    shipped_years,
)
from shared.kernel.policy.model import EvaluationDateRule, Policy, Window

__all__ = [
    "EvaluationDateRule",
    "Policy",
    "PolicyFileError",
    "PolicyYearNotShipped",
    "Window",
    "load_policy_dir",
    "load_policy_file",
    "policy_from_document",
    "policy_to_document",
    "shipped_policies",
    "shipped_policy",
    "shipped_years",
]
