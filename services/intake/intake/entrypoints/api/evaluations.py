"""/api/v1/evaluations/preview — score a form without saving it (public)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from intake.domain.self_evaluation import self_evaluate
from intake.entrypoints.api.deps import policy_for_form
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.result import SelfEvaluation
from shared.platform.web.deps import Runtime
from shared.platform.web.openapi import error_responses

router = APIRouter(prefix="/api/v1/evaluations", tags=["evaluations"])


@router.post(
    "/preview",
    response_model=SelfEvaluation,
    responses={200: {"model": SelfEvaluation}, **error_responses(404)},
)
async def preview(form: InformationForm, runtime: Runtime) -> Response:
    """按年度政策试算信息表的自评结果，不保存。
    The self-evaluation of a form under the year's policy, as of today; nothing is stored."""
    policy = await policy_for_form(runtime, form.year)
    evaluation = self_evaluate(form, policy, runtime.clock.today())
    # Serialised once by pydantic-core; re-validating the result through the response model
    # would only cost time on the hottest public endpoint.
    return Response(evaluation.model_dump_json(), media_type="application/json")
