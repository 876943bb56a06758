"""The repository's own rules for deploy/compose/compose.yaml, beyond the Compose schema.

The schema (check-jsonschema's vendored Compose specification) says the file is a valid
Compose file; this says it is the deployment we mean:
- no literal secret: a password-like variable or a database URL's password is always a
  `${VAR:?message}` from the operator's .env, and .env.example names every variable used,
  with no value for the required ones;
- every long-running container has a healthcheck; one-shot containers (migrations, topic
  creation) are waited for with `service_completed_successfully`;
- each service waits for a healthy PostgreSQL and Kafka, the topics, and its own migration,
  and does not migrate on start;
- third-party images carry a pinned version tag; only the gateway publishes a port;
- every file mounted from the repository exists.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import topology

COMPOSE_DIR = topology.ROOT / "deploy" / "compose"
COMPOSE = COMPOSE_DIR / "compose.yaml"
ENV_EXAMPLE = COMPOSE_DIR / ".env.example"

VAR = re.compile(r"\$\{([A-Z0-9_]+)(:?[-?])?([^}]*)\}")
REQUIRED_VAR = re.compile(r"^\$\{[A-Z0-9_]+:\?[^}]+\}$")
SECRETISH = re.compile(r"PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL", re.IGNORECASE)
URL_PASSWORD = re.compile(r"^[a-z0-9+]+://[^:@/]+:(?P<pw>.+)@[^@]+$")
# A version tag: digits first, or MinIO's dated release tags (RELEASE.2025-04-22T22-12-26Z).
PINNED_IMAGE = re.compile(r"^[a-z0-9./-]+:([0-9][A-Za-z0-9._-]*|RELEASE\.[0-9TZ-]+)$")


def env_example_keys(text: str) -> tuple[dict[str, str], set[str]]:
    """Active `KEY=value` lines and keys only mentioned in comments (`# KEY=...`)."""
    active: dict[str, str] = {}
    commented: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        m = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", line)
        if not m:
            continue
        if m.group(1):
            commented.add(m.group(2))
        else:
            active[m.group(2)] = m.group(3).split("#", 1)[0].strip()
    return active, commented


def check(compose_text: str, env_example_text: str) -> list[str]:
    errors: list[str] = []
    data: dict[str, Any] = yaml.safe_load(compose_text)
    services: dict[str, dict[str, Any]] = data["services"]

    # Variables: each used one is documented; required ones have no value in the example.
    active, commented = env_example_keys(env_example_text)
    code = "\n".join(
        line for line in compose_text.splitlines() if not line.lstrip().startswith("#")
    )
    used = {m.group(1): m.group(2) for m in VAR.finditer(code)}
    for name, op in sorted(used.items()):
        if name not in active and name not in commented:
            errors.append(f".env.example does not mention ${{{name}}}")
        if op == ":?" and active.get(name):
            errors.append(f".env.example gives a value for the required {name}: placeholders only")
    for name, value in active.items():
        if SECRETISH.search(name) and value:
            errors.append(f".env.example has a value for {name}: placeholders only")

    for svc_name, svc in services.items():
        env = svc.get("environment") or {}
        if isinstance(env, list):
            errors.append(f"{svc_name}: write environment as a mapping")
            env = {}
        for key, value in env.items():
            value = "" if value is None else str(value)
            if SECRETISH.search(key) and not REQUIRED_VAR.match(value):
                errors.append(f"{svc_name}: {key} must be `${{VAR:?...}}` from .env")
            m = URL_PASSWORD.match(value)
            if m and not REQUIRED_VAR.match(m.group("pw")):
                errors.append(f"{svc_name}: the password in {key} must be `${{VAR:?...}}`")

        one_shot = svc.get("restart", "no") == "no"
        health = svc.get("healthcheck") or {}
        if not one_shot and (not health.get("test") or health.get("disable")):
            errors.append(f"{svc_name}: a long-running container needs a healthcheck")

        for dep, cond in (svc.get("depends_on") or {}).items():
            if dep not in services:
                errors.append(f"{svc_name}: depends on unknown service {dep}")
                continue
            want = (
                "service_completed_successfully"
                if services[dep].get("restart", "no") == "no"
                else "service_healthy"
            )
            if cond.get("condition") != want:
                errors.append(f"{svc_name}: depends_on {dep} should be {want}")

        image = str(svc.get("image", ""))
        if "build" not in svc and not PINNED_IMAGE.match(image):
            errors.append(f"{svc_name}: image {image!r} needs a pinned version tag")
        if svc.get("ports") and svc_name != "gateway":
            errors.append(f"{svc_name}: only the gateway publishes a port")

        for vol in svc.get("volumes") or []:
            source = str(vol).split(":", 1)[0]
            if source.startswith(".") and not (COMPOSE_DIR / source).exists():
                errors.append(f"{svc_name}: mounted {source} does not exist")

    for name in topology.SERVICES:
        app = services.get(name)
        migrate = services.get(f"{name}-migrate")
        if not app or not migrate:
            errors.append(f"{name}: needs the services {name} and {name}-migrate")
            continue
        deps = app.get("depends_on") or {}
        for dep in ("postgres", "kafka", "kafka-init", f"{name}-migrate"):
            if dep not in deps:
                errors.append(f"{name}: must wait for {dep}")
        if str((app.get("environment") or {}).get("MIGRATE_ON_START")).lower() != "false":
            errors.append(f"{name}: MIGRATE_ON_START must be false (the one-shot migrates)")
        if migrate.get("command") != ["migrate"] or app.get("command") != ["serve"]:
            errors.append(f"{name}: commands must be `serve` and `migrate`")
        if migrate.get("image") != app.get("image"):
            errors.append(f"{name}: the migration must run the service's own image")
        if not app.get("read_only") or "ALL" not in (app.get("cap_drop") or []):
            errors.append(f"{name}: read-only root filesystem and no capabilities")

    gateway = services.get("gateway", {})
    if not any("gateway/nginx.conf" in str(v) for v in gateway.get("volumes") or []):
        errors.append("gateway: must mount the generated gateway/nginx.conf")
    return errors


def main() -> int:
    errors = check(COMPOSE.read_text(encoding="utf-8"), ENV_EXAMPLE.read_text(encoding="utf-8"))
    for err in errors:
        print(f"compose: {err}", file=sys.stderr)
    print(f"compose: {'FAILED' if errors else 'ok'}: repository rules, {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
