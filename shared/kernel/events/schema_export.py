"""Generate the JSON Schemas of every event type and the AsyncAPI document from the typed
models, and check that the committed copies are in sync (`make schemas`, `make
schemas-check`). Other agencies build against the committed files.

    python -m shared.kernel.events.schema_export write|check
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from shared.kernel.events.asyncapi_document import asyncapi_document, string_discriminators
from shared.kernel.events.catalog import EVENT_TYPES
from shared.kernel.events.envelope import CloudEvent, EventPayload

SCHEMA_DIR = Path(__file__).with_name("schemas")
ASYNCAPI_FILE = Path(__file__).with_name("asyncapi.yaml")


def payload_schema(cls: type[EventPayload]) -> dict[str, Any]:
    schema: dict[str, Any] = string_discriminators(cls.model_json_schema(mode="serialization"))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"urn:sme:event:{cls.event_type}"
    schema["title"] = cls.event_type
    schema["description"] = (cls.__doc__ or cls.event_type).strip().splitlines()[0]
    return schema


def envelope_schema() -> dict[str, Any]:
    schema = CloudEvent.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "urn:sme:cloudevent"
    schema["title"] = "CloudEvents 1.0 envelope (structured JSON mode)"
    return schema


def rendered() -> dict[Path, str]:
    files = {SCHEMA_DIR / "cloudevent.json": envelope_schema()}
    for cls in EVENT_TYPES:
        files[SCHEMA_DIR / f"{cls.event_type}.json"] = payload_schema(cls)
    out = {
        path: json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        for path, body in files.items()
    }
    out[ASYNCAPI_FILE] = yaml.safe_dump(
        asyncapi_document(), allow_unicode=True, sort_keys=False, width=100
    )
    return out


def main(argv: list[str]) -> int:
    mode = argv[1] if len(argv) > 1 else "check"
    files = rendered()
    if mode == "write":
        SCHEMA_DIR.mkdir(exist_ok=True)
        for leftover in set(SCHEMA_DIR.glob("*.json")) - set(files):
            leftover.unlink()
        for path, text in files.items():
            path.write_text(text, "utf-8")
        print(f"wrote {len(files)} files")
        return 0
    outdated = [
        str(p) for p, text in files.items() if not p.exists() or p.read_text("utf-8") != text
    ]
    extra = sorted(str(p) for p in set(SCHEMA_DIR.glob("*.json")) - set(files))
    if outdated or extra:
        print(
            "event schemas are out of date; run `make schemas`:",
            *outdated,
            *extra,
            sep="\n  ",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
