"""Check the alerting rules and the Grafana dashboard against the services' real metrics.

promtool is not available offline, so:
- every PromQL expression (PrometheusRule `expr`, dashboard `targets[].expr`) must parse
  (promql-parser, the Rust PromQL parser of GreptimeDB, from PyPI);
- every metric an expression selects must be one the services expose
  (shared/platform/observability/metrics.py, collected from a live ServiceMetrics registry, so
  histogram `_bucket`/`_count`/`_sum` and the process/GC collectors count) or one of
  EXTERNAL (Prometheus' own `up`, kube-state-metrics);
- the alerts the runbook promises exist, each with a severity and a summary;
- the dashboard has unique panel ids and every panel has a query.

    python deploy/tools/check_monitoring.py [--rules F] [--dashboard F]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import promql_parser
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from shared.platform.observability.metrics import ServiceMetrics  # noqa: E402

MONITORING = ROOT / "deploy" / "k8s" / "base" / "monitoring"
RULES = MONITORING / "rules.yaml"
DASHBOARD = MONITORING / "dashboard.json"
EXTERNAL = {"up", "kube_deployment_status_replicas_unavailable"}
REQUIRED_ALERTS = {
    "SmeOutboxStalled",
    "SmeDeadLetters",
    "SmeConsumerLag",
    "SmeHttp5xxRate",
    "SmeServiceNotReady",
}


def exposed_metrics() -> set[str]:
    """Every sample name a service's /metrics can show."""
    names: set[str] = set()
    for family in ServiceMetrics("check").registry.collect():
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
        if family.type == "counter":
            names.add(family.name + "_total")
        if family.type == "histogram":
            names.update(family.name + s for s in ("_bucket", "_count", "_sum"))
    return names


def selected_metrics(node: Any) -> Iterator[str]:
    """The metric names of every vector selector in a parsed expression."""
    if isinstance(node, promql_parser.VectorSelector):
        if node.name:
            yield node.name
        for matcher in node.matchers.matchers:
            if matcher.name == "__name__":
                yield matcher.value
        return
    if isinstance(node, promql_parser.MatrixSelector):
        yield from selected_metrics(node.vector_selector)
        return
    for attr in ("expr", "lhs", "rhs", "param"):
        child = getattr(node, attr, None)
        if child is not None:
            yield from selected_metrics(child)
    for arg in getattr(node, "args", None) or []:
        yield from selected_metrics(arg)


def expression_errors(where: str, expr: str, known: set[str]) -> list[str]:
    try:
        parsed = promql_parser.parse(expr)
    except ValueError as err:
        return [f"{where}: PromQL does not parse: {err}"]
    unknown = sorted(set(selected_metrics(parsed)) - known - EXTERNAL)
    return [f"{where}: no such metric {name}" for name in unknown]


def rule_errors(doc: dict[str, Any], known: set[str]) -> list[str]:
    errors: list[str] = []
    alerts = set()
    for group in doc["spec"]["groups"]:
        for rule in group["rules"]:
            name = rule.get("alert") or rule.get("record")
            errors += expression_errors(f"rule {name}", rule["expr"], known)
            if "alert" in rule:
                alerts.add(rule["alert"])
                if rule.get("labels", {}).get("severity") not in ("critical", "warning"):
                    errors.append(f"rule {name}: severity critical or warning")
                if not rule.get("annotations", {}).get("summary"):
                    errors.append(f"rule {name}: needs a summary annotation")
    missing = REQUIRED_ALERTS - alerts
    if missing:
        errors.append(f"rules: missing alerts {sorted(missing)}")
    return errors


def dashboard_errors(dashboard: dict[str, Any], known: set[str]) -> list[str]:
    errors: list[str] = []
    ids = [p.get("id") for p in dashboard.get("panels", [])]
    if len(ids) != len(set(ids)) or not ids:
        errors.append(f"dashboard: panel ids must be unique and present: {ids}")
    for panel in dashboard.get("panels", []):
        targets = panel.get("targets") or []
        if not targets:
            errors.append(f"dashboard panel {panel.get('title')!r}: no query")
        for target in targets:
            errors += expression_errors(
                f"dashboard panel {panel.get('title')!r}", target.get("expr", ""), known
            )
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=Path, default=RULES)
    parser.add_argument("--dashboard", type=Path, default=DASHBOARD)
    args = parser.parse_args(argv)
    known = exposed_metrics()
    rules = yaml.safe_load(args.rules.read_text(encoding="utf-8"))
    dashboard = json.loads(args.dashboard.read_text(encoding="utf-8"))
    errors = rule_errors(rules, known) + dashboard_errors(dashboard, known)
    for err in errors:
        print(f"check_monitoring: {err}", file=sys.stderr)
    n_rules = sum(len(g["rules"]) for g in rules["spec"]["groups"])
    print(
        f"check_monitoring: {'FAILED' if errors else 'ok'}: {n_rules} rules, "
        f"{len(dashboard.get('panels', []))} dashboard panels, {len(errors)} problem(s)"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
