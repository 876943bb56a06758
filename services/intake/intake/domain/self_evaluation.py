"""The self-evaluation of a form: the shared scoring engine under this year's policy."""

from __future__ import annotations

from datetime import date

from shared.kernel.evaluation.engine import evaluate
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.result import SelfEvaluation
from shared.kernel.policy.model import Policy


def self_evaluate(form: InformationForm, policy: Policy, today: date) -> SelfEvaluation:
    return evaluate(form, policy, evaluation_date=policy.evaluation_date_for(today))
