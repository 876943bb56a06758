"""The deployment checkers (deploy/tools/check_compose.py, check_k8s.py) catch mistakes.

The full validation (`deploy/tools/validate.sh`: generators in sync, Compose schema,
kustomize renders through the Kubernetes and Strimzi schemas, hadolint, shellcheck) runs as
`make deploy-check`, which `make test` runs before pytest; these tests show that its checks
are not vacuous, on the committed files and on copies with a mistake put in.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import check_compose
import check_k8s
import gen_gateway
import gen_manifests
import pytest


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            ("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in deploy/compose/.env}", "s3cret"),
            "POSTGRES_PASSWORD must be",
        ),
        (("image: postgres:18.1-alpine", "image: postgres:latest"), "pinned version tag"),
        (
            ("      intake-migrate:\n        condition: service_completed_successfully\n", ""),
            "intake: must wait for intake-migrate",
        ),
        (('  MIGRATE_ON_START: "false"', '  MIGRATE_ON_START: "true"'), "MIGRATE_ON_START"),
    ],
)
def test_compose_rules_catch_mistakes(edit: tuple[str, str], problem: str) -> None:
    compose = check_compose.COMPOSE.read_text(encoding="utf-8")
    env = check_compose.ENV_EXAMPLE.read_text(encoding="utf-8")
    assert check_compose.check(compose, env) == []
    old, new = edit
    assert old in compose
    errors = check_compose.check(compose.replace(old, new, 1), env)
    assert any(problem in e for e in errors), errors


def test_env_example_holds_placeholders_only() -> None:
    compose = check_compose.COMPOSE.read_text(encoding="utf-8")
    env = check_compose.ENV_EXAMPLE.read_text(encoding="utf-8")
    errors = check_compose.check(compose, env.replace("POSTGRES_PASSWORD=", "POSTGRES_PASSWORD=x"))
    assert any("placeholders only" in e for e in errors)


def _base_documents() -> list[dict[str, Any]]:
    """The generated base resources, as kustomize would emit them (without rendering)."""
    docs: list[dict[str, Any]] = [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": gen_manifests.CONFIG_MAP},
            "data": {"LOG_LEVEL": "INFO"},
        }
    ]
    for service in gen_manifests.topology.SERVICES:
        docs += gen_manifests.app_documents(service)
    docs += [gen_manifests.kafka_topic(t) for t in gen_manifests.topology.every_topic()]
    docs += gen_manifests.user_documents()
    routes = gen_gateway.load_routes()
    docs += gen_gateway.gateway_documents(routes, gen_gateway.load_rate_limits(routes=routes))
    return copy.deepcopy(docs)


def _find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def test_kubernetes_checks_pass_on_the_generated_resources() -> None:
    docs = _base_documents()
    assert check_k8s.rule_errors(docs) == []
    assert check_k8s.schema_errors(docs, ["1.37.0"]) == []


def _literal_password(docs: list[dict[str, Any]]) -> None:
    container = _find(docs, "Deployment", "review")["spec"]["template"]["spec"]["containers"][0]
    container["env"].append({"name": "KAFKA_SASL_PASSWORD", "value": "s3cret"})


def _no_readiness(docs: list[dict[str, Any]]) -> None:
    container = _find(docs, "Deployment", "intake")["spec"]["template"]["spec"]["containers"][0]
    del container["readinessProbe"]


def _secret(docs: list[dict[str, Any]]) -> None:
    docs.append({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}})


def _writable_root(docs: list[dict[str, Any]]) -> None:
    job = _find(docs, "Job", "tracking-migrate")
    job["spec"]["template"]["spec"]["containers"][0]["securityContext"][
        "readOnlyRootFilesystem"
    ] = False


def _missing_topic(docs: list[dict[str, Any]]) -> None:
    docs.remove(_find(docs, "KafkaTopic", "sme.credit.v1.dlq.review"))


def _bad_route(docs: list[dict[str, Any]]) -> None:
    route = _find(docs, "HTTPRoute", "review")
    route["spec"]["rules"][0]["backendRefs"][0]["name"] = "nobody"


def _orphan_policy(docs: list[dict[str, Any]]) -> None:
    docs.remove(_find(docs, "HTTPRoute", "supervision"))


def _no_worker(docs: list[dict[str, Any]]) -> None:
    docs.remove(_find(docs, "Deployment", "tracking-worker"))


def _relay_in_the_api(docs: list[dict[str, Any]]) -> None:
    _find(docs, "Deployment", "review")["spec"]["template"]["spec"]["containers"][0]["args"] = [
        "serve"
    ]


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (_literal_password, "KAFKA_SASL_PASSWORD is a literal"),
        (_no_readiness, "readinessProbe must be GET /readyz"),
        (_secret, "Secrets must not be committed"),
        (_writable_root, "must run non-root, read-only"),
        (_missing_topic, "missing ['sme.credit.v1.dlq.review']"),
        (_bad_route, "has no Service port"),
        (_orphan_policy, "target HTTPRoute/supervision missing"),
        (_no_worker, "tracking: missing Deployment/tracking-worker"),
        (_relay_in_the_api, "review: runs `serve --role api`"),
    ],
)
def test_kubernetes_rules_catch_mistakes(
    mutate: Callable[[list[dict[str, Any]]], None], problem: str
) -> None:
    docs = _base_documents()
    mutate(docs)
    errors = check_k8s.rule_errors(docs)
    assert any(problem in e for e in errors), errors


def test_schemas_catch_unknown_fields_in_core_and_custom_resources() -> None:
    docs = _base_documents()
    _find(docs, "Deployment", "intake")["spec"]["template"]["spec"]["containers"][0][
        "readinesProbe"
    ] = {}
    _find(docs, "KafkaTopic", "sme.policy.v1")["spec"]["partitionCount"] = 12
    _find(docs, "KafkaUser", "agency-tax")["spec"]["authorization"]["acls"][0]["operations"] = [
        "Publish"
    ]
    _find(docs, "HTTPRoute", "intake")["spec"]["rules"][0]["matches"][0]["path"]["type"] = "Prefix"
    policy = _find(docs, "BackendTrafficPolicy", "supervision-rate-limits")
    policy["spec"]["rateLimit"]["local"]["rules"][0]["limit"]["unit"] = "Fortnight"
    errors = check_k8s.schema_errors(docs, ["1.37.0"])
    assert any("Deployment/intake" in e and "readinesProbe" in e for e in errors), errors
    assert any("HTTPRoute/intake" in e and "matches/0/path/type" in e for e in errors), errors
    assert any("BackendTrafficPolicy" in e and "limit/unit" in e for e in errors), errors
    assert any("KafkaTopic/sme.policy.v1" in e and "partitionCount" in e for e in errors), errors
    assert any("KafkaUser/agency-tax" in e and "acls/0/operations/0" in e for e in errors), errors
    docs.append({"apiVersion": "example.org/v1", "kind": "Widget", "metadata": {"name": "w"}})
    assert any(
        "no schema for example.org/v1 Widget" in e
        for e in check_k8s.schema_errors(docs, ["1.37.0"])
    )
