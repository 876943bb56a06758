"""A run of `application.submitted` events handled together (the consumer's batch form)
leaves the state handling them one by one would: the cases, and the cross-enterprise
warnings among the run's cases and with a case opened before it."""

from __future__ import annotations

import pytest

from localdev.testing import Tokens

from ..conftest import Review, form_document
from .test_warnings_api import codes

pytestmark = pytest.mark.integration

SHARED_IP = "ZL202177777777.1"
SHARED_PHONE = "13977777777"


async def test_a_run_of_submissions_warns_as_one_by_one_would(
    review: Review, tokens: Tokens
) -> None:
    earlier = await review.submit(
        form_document(70, {"ip.0.number": SHARED_IP, "enterprise.contact.phone": SHARED_PHONE})
    )
    run = [
        # shares the earlier case's IP number and phone
        review.submission(
            form_document(71, {"ip.0.number": SHARED_IP, "enterprise.contact.phone": SHARED_PHONE})
        ),
        # three more on the phone: five enterprises with the earlier one, the threshold
        *(
            review.submission(form_document(n, {"enterprise.contact.phone": SHARED_PHONE}))
            for n in (72, 73, 74)
        ),
        review.submission(form_document(75)),  # nothing in common with anyone
    ]
    await review.deliver_run(list(run))

    province = tokens.province()
    both = [("duplicate_ip", False), ("shared_contact", False)]
    assert codes(await review.case_of(earlier, province)) == both
    cases = [await review.case_of(s.application_id, province) for s in run]
    assert [codes(c) for c in cases] == [
        both,
        [("shared_contact", False)],
        [("shared_contact", False)],
        [("shared_contact", False)],
        [],
    ]
    assert {c["warnings"][0]["data"].get("enterprises") for c in cases[1:4]} == {5}
    opened = await review.emitted("cn.sme.review.opened.v1")
    assert [e["application_id"] for e in opened] == [earlier] + [s.application_id for s in run]


async def test_a_redelivered_submission_in_a_run_changes_nothing(
    review: Review, tokens: Tokens
) -> None:
    first = review.submission(form_document(80))
    await review.deliver_run([first])
    # The same round again beside a new enterprise: only the new one opens a case.
    second = review.submission(form_document(81))
    await review.deliver_run([first, second])
    opened = await review.emitted("cn.sme.review.opened.v1")
    assert [e["application_id"] for e in opened] == [first.application_id, second.application_id]
