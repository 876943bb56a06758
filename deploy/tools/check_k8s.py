"""Validate rendered Kubernetes manifests offline (`kustomize build <overlay> | check_k8s.py`).

1. Core resources: the schemas of the given Kubernetes versions shipped inside
   kubernetes-validate, strict (unknown fields rejected), i.e. `kubernetes-validate --strict`.
   A kind without a schema is an error (the CLI only warns).
2. Strimzi resources (kafka.strimzi.io): `schemas/strimzi-v1beta2.json`, written for the
   fields used here (kubernetes-validate has no CRD schemas).
3. The repository's own rules: every service has its Deployment, Service, migration Job,
   HPA and PDB; probes, resources and a non-root read-only security context; no Secret and
   no literal secret value; every Ingress backend, HPA target, ConfigMap reference and
   KafkaTopic exists.

Prints the Secrets the manifests reference (to create before deploying) with --list-secrets.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import kubernetes_validate  # type: ignore[import-untyped]
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import topology

STRIMZI_SCHEMA = Path(__file__).resolve().parent / "schemas" / "strimzi-v1beta2.json"
DEFAULT_VERSIONS = ("1.30.0", "1.37.0")
SECRETISH = re.compile(r"PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL|_KEY$", re.IGNORECASE)

Doc = dict[str, Any]


def load(stream: Iterable[str] | str) -> list[Doc]:
    text = stream if isinstance(stream, str) else "".join(stream)
    return [d for d in yaml.safe_load_all(text) if d is not None]


def name_of(doc: Doc) -> str:
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def strimzi_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(STRIMZI_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def schema_errors(docs: list[Doc], versions: Iterable[str]) -> list[str]:
    errors: list[str] = []
    strimzi = strimzi_validator()
    defs = strimzi.schema["$defs"]
    for doc in docs:
        api = str(doc.get("apiVersion", ""))
        kind = str(doc.get("kind", ""))
        if api.startswith("kafka.strimzi.io/"):
            if kind not in defs:
                errors.append(f"{name_of(doc)}: no schema for Strimzi kind {kind} ({api})")
                continue
            sub = strimzi.evolve(schema={**defs[kind], "$defs": defs})
            for err in sorted(sub.iter_errors(doc), key=lambda e: list(e.absolute_path)):
                path = "/".join(str(p) for p in err.absolute_path)
                errors.append(f"{name_of(doc)}: {path}: {err.message}")
            continue
        for version in versions:
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as err:
                path = "/".join(str(p) for p in err.absolute_path)
                errors.append(f"{name_of(doc)} (Kubernetes {version}): {path}: {err.message}")
            except kubernetes_validate.SchemaNotFoundError:
                errors.append(f"{name_of(doc)}: no schema for {api} {kind} in Kubernetes {version}")
            except kubernetes_validate.InvalidSchemaError as err:
                errors.append(f"{name_of(doc)}: {err}")
    return errors


def _containers(doc: Doc) -> list[Doc]:
    return list(doc["spec"]["template"]["spec"].get("containers", []))


def _env_refs(docs: list[Doc]) -> Iterator[tuple[Doc, Doc, Doc]]:
    for doc in docs:
        if doc.get("kind") in ("Deployment", "Job"):
            for c in _containers(doc):
                for env in c.get("env", []):
                    yield doc, c, env


def secret_refs(docs: list[Doc]) -> set[tuple[str, str]]:
    refs = set()
    for _doc, _c, env in _env_refs(docs):
        ref = env.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            refs.add((ref["name"], ref["key"]))
    for doc in docs:
        if doc.get("kind") == "Deployment":
            for vol in doc["spec"]["template"]["spec"].get("volumes", []):
                if "secret" in vol:
                    for item in vol["secret"].get("items", [{"key": "*"}]):
                        refs.add((vol["secret"]["secretName"], item["key"]))
    return refs


def rule_errors(docs: list[Doc]) -> list[str]:
    errors: list[str] = []
    by_kind: dict[str, dict[str, Doc]] = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc

    if "Secret" in by_kind:
        errors.append(f"Secrets must not be committed: {sorted(by_kind['Secret'])}")

    for service in topology.SERVICES:
        for kind, name in (
            ("Deployment", service),
            ("Service", service),
            ("Job", f"{service}-migrate"),
            ("HorizontalPodAutoscaler", service),
            ("PodDisruptionBudget", service),
            ("ServiceAccount", service),
            ("KafkaUser", topology.service_user(service)),
        ):
            if name not in by_kind.get(kind, {}):
                errors.append(f"{service}: missing {kind}/{name}")

    for doc in by_kind.get("Deployment", {}).values():
        n = name_of(doc)
        pod = doc["spec"]["template"]["spec"]
        if "replicas" in doc["spec"]:
            errors.append(f"{n}: replicas belong to the HorizontalPodAutoscaler")
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            errors.append(f"{n}: pod securityContext.runAsNonRoot must be true")
        for c in _containers(doc):
            if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/readyz":
                errors.append(f"{n}: readinessProbe must be GET /readyz")
            if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/healthz":
                errors.append(f"{n}: livenessProbe must be GET /healthz")
            res = c.get("resources", {})
            if not res.get("requests") or not res.get("limits", {}).get("memory"):
                errors.append(f"{n}: resources need requests and a memory limit")
    for doc in [*by_kind.get("Deployment", {}).values(), *by_kind.get("Job", {}).values()]:
        for c in _containers(doc):
            sc = c.get("securityContext", {})
            if not (
                sc.get("readOnlyRootFilesystem")
                and sc.get("runAsNonRoot")
                and sc.get("allowPrivilegeEscalation") is False
            ):
                errors.append(
                    f"{name_of(doc)}: container {c['name']} must run non-root, "
                    "read-only, without privilege escalation"
                )
            if doc["kind"] == "Job" and c.get("args") != ["migrate"]:
                errors.append(f"{name_of(doc)}: a migration Job runs `migrate`")
        phase = {"Deployment": "workload", "Job": "migration"}[doc["kind"]]
        if doc["metadata"].get("labels", {}).get("sme/apply-phase") != phase:
            errors.append(f"{name_of(doc)}: needs the label sme/apply-phase={phase}")

    for doc, c, env in _env_refs(docs):
        if "value" in env and SECRETISH.search(env["name"]):
            errors.append(
                f"{name_of(doc)}/{c['name']}: {env['name']} is a literal; use secretKeyRef"
            )

    config_maps = set(by_kind.get("ConfigMap", {}))
    for doc in [*by_kind.get("Deployment", {}).values(), *by_kind.get("Job", {}).values()]:
        for c in _containers(doc):
            for src in c.get("envFrom", []):
                ref = src.get("configMapRef", {}).get("name")
                if ref and ref not in config_maps:
                    errors.append(f"{name_of(doc)}: ConfigMap {ref} is not rendered")
        for data in by_kind.get("ConfigMap", {}).values():
            for key, value in (data.get("data") or {}).items():
                if SECRETISH.search(key) and value:
                    errors.append(f"{name_of(data)}: {key} looks like a secret in a ConfigMap")

    services = by_kind.get("Service", {})
    for doc in by_kind.get("Ingress", {}).values():
        for rule in doc["spec"].get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                backend = path["backend"]["service"]
                svc = services.get(backend["name"])
                ports = {p.get("name") for p in svc["spec"]["ports"]} if svc else set()
                if backend["port"].get("name") not in ports:
                    errors.append(
                        f"{name_of(doc)}: {path['path']} -> {backend} has no Service port"
                    )
    for doc in by_kind.get("HorizontalPodAutoscaler", {}).values():
        target = doc["spec"]["scaleTargetRef"]
        if target["name"] not in by_kind.get(target["kind"], {}):
            errors.append(f"{name_of(doc)}: target {target['kind']}/{target['name']} missing")
        if doc["spec"]["maxReplicas"] > topology.PARTITIONS:
            errors.append(f"{name_of(doc)}: more replicas than partitions would idle consumers")

    topics = {d["spec"].get("topicName", n) for n, d in by_kind.get("KafkaTopic", {}).items()}
    missing = set(topology.every_topic()) - topics
    extra = topics - set(topology.every_topic())
    if missing or extra:
        errors.append(f"KafkaTopics: missing {sorted(missing)}, unexpected {sorted(extra)}")
    for doc in by_kind.get("KafkaTopic", {}).values():
        spec = doc["spec"]
        if (spec["partitions"], spec["replicas"]) != (topology.PARTITIONS, topology.REPLICAS):
            errors.append(
                f"{name_of(doc)}: needs {topology.PARTITIONS} partitions, "
                f"{topology.REPLICAS} replicas"
            )
    for agency in topology.AGENCIES:
        if agency.user not in by_kind.get("KafkaUser", {}):
            errors.append(f"missing KafkaUser/{agency.user} ({agency.title})")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, nargs="?", help="rendered manifests (default stdin)")
    parser.add_argument("--label", default="manifests", help="name used in messages")
    parser.add_argument(
        "-k",
        "--kubernetes-version",
        action="append",
        dest="versions",
        help=f"validate against this version (repeatable; default {DEFAULT_VERSIONS})",
    )
    parser.add_argument("--list-secrets", action="store_true")
    args = parser.parse_args(argv)
    text = args.file.read_text(encoding="utf-8") if args.file else sys.stdin.read()
    docs = load(text)
    versions = tuple(args.versions or DEFAULT_VERSIONS)
    if args.list_secrets:
        for name, key in sorted(secret_refs(docs)):
            print(f"{name}\t{key}")
        return 0
    errors = schema_errors(docs, versions) + rule_errors(docs)
    for err in errors:
        print(f"{args.label}: {err}", file=sys.stderr)
    strimzi = sum(1 for d in docs if str(d.get("apiVersion", "")).startswith("kafka.strimzi.io/"))
    status = "FAILED" if errors else "ok"
    print(
        f"{args.label}: {status}: {len(docs)} resources, {len(docs) - strimzi} core "
        f"(Kubernetes {', '.join(versions)}, strict), {strimzi} Strimzi "
        f"({STRIMZI_SCHEMA.name}), {len(errors)} problem(s)"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
