"""Unit-test helpers: the shipped 2026 policy and a warning context built from a sample form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pytest

from review.domain.warnings import WarningContext
from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.samples import sample_form
from shared.kernel.policy.loader import shipped_policy
from shared.kernel.policy.model import Policy

# Inside the 2026 window; the sample's high-tech certificate is still valid then.
EVALUATED_ON = date(2026, 6, 15)

ContextFactory = Callable[..., WarningContext]


@pytest.fixture(scope="session")
def policy() -> Policy:
    return shipped_policy(2026)


def with_warning_rule(policy: Policy, code: str, **changes: Any) -> Policy:
    """The policy with one warning rule changed (e.g. switched off, other severity)."""
    current = getattr(policy.warnings, code)
    rule = type(current).model_validate({**current.model_dump(), **changes})
    return policy.model_copy(update={"warnings": policy.warnings.model_copy(update={code: rule})})


@pytest.fixture
def context(policy: Policy) -> ContextFactory:
    def make(
        changes: Mapping[str, Any] | None = None,
        *,
        form: InformationForm | None = None,
        claimed_changes: Mapping[str, Any] | None = None,
        evaluated_on: date = EVALUATED_ON,
        **fields: Any,
    ) -> WarningContext:
        form = form or sample_form(changes)
        recomputed = evaluate(form, policy, evaluated_on)
        claimed = recomputed
        if claimed_changes:
            claimed = recomputed.model_copy(update=dict(claimed_changes))
        fields.setdefault("uscc_checksum_ok", True)
        return WarningContext(form=form, recomputed=recomputed, claimed=claimed, **fields)

    return make
