"""Validate rendered Kubernetes manifests offline (`kustomize build <overlay> | check_k8s.py`).

1. Every resource through kubeconform, strict (unknown fields rejected), a kind without a
   schema an error: core kinds against the schemas of the given Kubernetes versions shipped
   inside kubernetes-validate (kube_schemas.py), custom resources (Strimzi, Gateway API,
   Envoy Gateway, Prometheus Operator) against the schemas converted from their official
   CRDs in `schemas/` (see schemas/README.md).
3. The repository's own rules: every service has its api and worker Deployments (`serve
   --role api|worker`), Service, migration Job, HPAs and PDBs; probes, resources and a
   non-root read-only security context; no Secret and no literal secret value; every
   HTTPRoute backend, HPA target, ConfigMap reference and KafkaTopic exists.

Prints the Secrets the manifests reference (to create before deploying) with --list-secrets.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kube_schemas
import topology

ROOT = Path(__file__).resolve().parents[2]
CRD_SCHEMAS = Path(__file__).resolve().parent / "schemas"
KUBECONFORM = ROOT / ".local" / "tools" / "bin" / "kubeconform"
DEFAULT_VERSIONS = ("1.35.0", "1.37.0")
# kubeconform's wording before the actual finding ("- at '/spec/...': ...").
KUBECONFORM_PREAMBLE = re.compile(r"^problem validating schema\..*? failed with '[^']*' - ", re.S)
SECRETISH = re.compile(r"PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL|_KEY$", re.IGNORECASE)

Doc = dict[str, Any]


def load(stream: Iterable[str] | str) -> list[Doc]:
    text = stream if isinstance(stream, str) else "".join(stream)
    return [d for d in yaml.safe_load_all(text) if d is not None]


def name_of(doc: Doc) -> str:
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def _is_crd(doc: Doc) -> bool:
    group = str(doc.get("apiVersion", "")).rpartition("/")[0]
    return bool(group) and (CRD_SCHEMAS / group).is_dir()


def kubeconform() -> Path:
    path = Path(os.environ.get("KUBECONFORM", KUBECONFORM))
    if not path.exists():
        raise SystemExit(f"{path} missing: run deploy/tools/validate.sh once (it installs it)")
    return path


def schema_errors(docs: list[Doc], versions: Iterable[str]) -> list[str]:
    """kubeconform, strict, every resource: core kinds against Kubernetes `versions`,
    custom resources against the vendored CRD schemas; a kind without a schema is an error."""
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="check_k8s-") as tmp:
        work = Path(tmp)
        manifests = work / "manifests.yaml"
        manifests.write_text(yaml.safe_dump_all(docs, sort_keys=False), encoding="utf-8")
        kinds = [(str(d.get("apiVersion", "")), str(d.get("kind", ""))) for d in docs]
        kube_schemas.write_standalone(work / "k8s", versions, kinds)
        for version in versions:
            run = subprocess.run(
                [
                    str(kubeconform()),
                    "-strict",
                    "-output",
                    "json",
                    "-kubernetes-version",
                    version,
                    "-schema-location",
                    f"{work / 'k8s'}/{{{{.NormalizedKubernetesVersion}}}}-standalone"
                    "{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json",
                    "-schema-location",
                    f"{CRD_SCHEMAS}/{{{{.Group}}}}/{{{{.ResourceKind}}}}_"
                    "{{.ResourceAPIVersion}}.json",
                    str(manifests),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            try:
                report = json.loads(run.stdout)
            except json.JSONDecodeError:
                raise SystemExit(f"kubeconform failed: {run.stdout}{run.stderr}") from None
            for res in report.get("resources", []):
                where = f"{res['kind']}/{res['name']} (Kubernetes {version})"
                if res["status"] == "statusError" and "could not find schema" in res["msg"]:
                    errors.append(f"{where}: no schema for {res['version']} {res['kind']}")
                elif res["status"] != "statusValid":
                    errors.append(f"{where}: {KUBECONFORM_PREAMBLE.sub('', res['msg'])}")
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
        worker = f"{service}-worker"
        for kind, name in (
            ("Deployment", service),
            ("Deployment", worker),
            ("Service", service),
            ("Job", f"{service}-migrate"),
            ("HorizontalPodAutoscaler", service),
            ("HorizontalPodAutoscaler", worker),
            ("PodDisruptionBudget", service),
            ("PodDisruptionBudget", worker),
            ("ServiceAccount", service),
            ("KafkaUser", topology.service_user(service)),
        ):
            if name not in by_kind.get(kind, {}):
                errors.append(f"{service}: missing {kind}/{name}")
        # The Service's pods answer requests only; the relay and consumer run in the worker.
        for name, role in ((service, "api"), (worker, "worker")):
            doc = by_kind.get("Deployment", {}).get(name)
            if doc is not None and any(
                c.get("args") != ["serve", "--role", role] for c in _containers(doc)
            ):
                errors.append(f"{name}: runs `serve --role {role}`")

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
    for doc in by_kind.get("HTTPRoute", {}).values():
        for rule in doc["spec"].get("rules", []):
            for backend in rule.get("backendRefs", []):
                svc = services.get(backend["name"])
                ports = {p.get("port") for p in svc["spec"]["ports"]} if svc else set()
                if backend.get("port") not in ports:
                    errors.append(f"{name_of(doc)}: backend {backend} has no Service port")
        for parent in doc["spec"].get("parentRefs", []):
            if parent["name"] not in by_kind.get("Gateway", {}):
                errors.append(f"{name_of(doc)}: parent Gateway/{parent['name']} missing")
    for doc in by_kind.get("BackendTrafficPolicy", {}).values():
        for target in doc["spec"].get("targetRefs", []):
            if target["name"] not in by_kind.get(target["kind"], {}):
                errors.append(f"{name_of(doc)}: target {target['kind']}/{target['name']} missing")
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
    core = sum(1 for d in docs if not _is_crd(d))
    status = "FAILED" if errors else "ok"
    print(
        f"{args.label}: {status}: kubeconform (strict), {len(docs)} resources: {core} core "
        f"(Kubernetes {', '.join(versions)}), {len(docs) - core} custom (vendored CRD "
        f"schemas), {len(errors)} problem(s)"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
