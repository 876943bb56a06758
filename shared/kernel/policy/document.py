"""The policy as a JSON document: what `GET /policy/{year}` returns and `PUT` accepts.

Decimals travel as strings and dates as ISO `YYYY-MM-DD`, so a document read with GET,
edited and sent back with PUT validates to an equal `Policy`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.kernel.policy.model import Policy


def policy_from_document(document: Mapping[str, Any]) -> Policy:
    """Validate a policy document; errors are a pydantic `ValidationError` with field paths."""
    return Policy.model_validate(document)


def policy_to_document(policy: Policy) -> dict[str, Any]:
    return policy.to_document()
