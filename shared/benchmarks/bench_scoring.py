"""Micro-benchmark of the self-evaluation (not a test): time per evaluated form.

    PYTHONPATH=. .venv/bin/python shared/benchmarks/bench_scoring.py [iterations]

Issue 3 asks for a preview in well under 10 ms server time; the engine's share should be
well under 1 ms. Prints the time of `evaluate` on an already validated form, of form
validation plus `evaluate` (what a preview request does), and of the first call that
compiles the policy.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date

from shared.kernel.evaluation.engine import Scorer, evaluate
from shared.kernel.evaluation.form import InformationForm
from shared.kernel.evaluation.samples import sample_document
from shared.kernel.policy import shipped_policy

ON = date(2026, 6, 1)


def _utility_model(i: int) -> dict[str, object]:
    return {
        "kind": "utility_model",
        "number": f"ZL2023{i:08d}",
        "granted_on": "2023-01-01",
        "valid_until": "2033-01-01",
        "related_to_main_product": True,
        "disputed": False,
    }


def _per_call(label: str, call: Callable[[], object], iterations: int) -> None:
    call()  # warm up: compiled tables, pydantic validators
    start = time.perf_counter()
    for _ in range(iterations):
        call()
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {elapsed / iterations * 1e6:9.1f} µs per form")


def main(iterations: int) -> None:
    policy = shipped_policy(2026)
    plain = sample_document()
    heavy = sample_document({"ip": [_utility_model(i) for i in range(50)]})
    form, heavy_form = (InformationForm.model_validate(d) for d in (plain, heavy))

    start = time.perf_counter()
    Scorer.compile(policy)
    compile_us = (time.perf_counter() - start) * 1e6
    print(f"{'compile the policy (once per version)':<48} {compile_us:9.1f} µs")
    _per_call("evaluate (contract example)", lambda: evaluate(form, policy, ON), iterations)
    _per_call("evaluate (50 IP items)", lambda: evaluate(heavy_form, policy, ON), iterations)
    _per_call(
        "validate + evaluate (contract example)",
        lambda: evaluate(InformationForm.model_validate(plain), policy, ON),
        iterations,
    )
    _per_call(
        "validate + evaluate + JSON (contract example)",
        lambda: evaluate(InformationForm.model_validate(plain), policy, ON).model_dump_json(),
        iterations,
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
