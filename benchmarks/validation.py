"""Benchmark: checking a 12 MB JSON answer against its documented schema (``check_response``).

Generates a 3.1 spec whose ``GET /clusters`` answers an array of records (``$ref``'d items with nested
objects, an enum, a date-time format, an array of strings) and bodies of about N MB (the same every
run): one that conforms, one where every 50th record breaks the schema and carries an undocumented
property. Times, best of a few runs:

- ours: ``check_response`` (schema pick, validation through ``SchemaChecker``, the undocumented walk);
- reference: ``json.loads`` of the same body (what reading it costs at all) and a bare
  ``jsonschema`` Draft 2020-12 ``is_valid`` of the same body against the same (inlined) schema.

The TUI checks in a thread worker and skips bodies over ``CHECK_BUDGET_BYTES`` (labs_tui.tui.widgets.
response.pane); this figure is what that budget was chosen from. Run:
``.venv/bin/python benchmarks/validation.py [--megabytes N]``. Informative: always exits 0.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RUNS = 3
RECORD = {
    "type": "object",
    "required": ["id", "name", "createdAt", "replicas", "spec"],
    "properties": {
        "id": {"type": "string", "pattern": "^cl[0-9]+$"},
        "name": {"type": "string"},
        "createdAt": {"type": "string", "format": "date-time"},
        "replicas": {"type": "integer", "minimum": 1},
        "active": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "spec": {
            "type": "object",
            "properties": {
                "region": {"type": "string", "enum": ["us-east-1", "eu-west-1"]},
                "cpu": {"type": "number"},
            },
        },
    },
}


def make_body(megabytes: float, broken: bool) -> bytes:
    rng = random.Random(11)
    words = ["alpha", "beta", "gamma", "delta", "deployment", "cluster", "workspace", "runtime"]
    records: list[dict[str, Any]] = []
    size, target = 2, int(megabytes * 1024 * 1024)
    while size < target:
        index = len(records)
        record: dict[str, Any] = {
            "id": f"cl{index:010d}",
            "name": " ".join(rng.choice(words) for _ in range(3)),
            "createdAt": f"2024-{1 + index % 12:02d}-{1 + index % 28:02d}T10:00:00Z",
            "replicas": rng.randint(1, 9),
            "active": rng.random() > 0.5,
            "tags": [rng.choice(words) for _ in range(3)],
            "spec": {"region": rng.choice(["us-east-1", "eu-west-1"]), "cpu": rng.choice([0.5, 1, 2])},
        }
        if broken and index % 50 == 7:
            record["replicas"] = "three"
            record["extra"] = True
        records.append(record)
        size += len(json.dumps(record)) + 2
    return json.dumps(records).encode()


def best(func: Any) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=12.0)
    args = parser.parse_args()

    import jsonschema

    from labs_tui.client.model import CallRequest, CallResult
    from labs_tui.client.validation import MAX_CHECK_BYTES, check_response
    from labs_tui.spec import load_spec

    document = {
        "openapi": "3.1.0",
        "info": {"title": "bench", "version": "1"},
        "paths": {
            "/clusters": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Cluster"},
                                    }
                                }
                            },
                        }
                    }
                }
            }
        },
        "components": {"schemas": {"Cluster": RECORD}},
    }
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder) / "spec.json"
        where.write_text(json.dumps(document))
        spec = load_spec(str(where))
    operation = spec.find("GET /clusters")
    request = CallRequest("GET", "http://127.0.0.1/clusters")
    bare_validator = jsonschema.Draft202012Validator({"type": "array", "items": RECORD})
    for broken in (False, True):
        raw = make_body(args.megabytes, broken)
        value = json.loads(raw)
        result = CallResult(
            request,
            status=200,
            body=raw,
            size=len(raw),
            content_type="application/json",
            content_kind="json",
            text=raw.decode(),
            json=value,
        )
        found = check_response(spec, operation, result, max_bytes=None)
        budget = check_response(spec, operation, result)
        ours = best(lambda result=result: check_response(spec, operation, result, max_bytes=None))
        loads = best(lambda raw=raw: json.loads(raw))
        bare_time = best(lambda value=value: bare_validator.is_valid(value))
        label = "breaks the schema" if broken else "conforms"
        print(f"{len(raw) / 1024 / 1024:.1f} MB body that {label}: {len(value):,} records")
        assert found is not None
        counts = f"{len(found.errors)} errors, {len(found.undocumented)} undocumented"
        print(f"  check_response      {ours:6.2f} s  ({counts}; unbounded)")
        skipped = budget.skipped if budget is not None else None
        print(f"  with the default budget ({MAX_CHECK_BYTES // 1024 // 1024} MB): {skipped or 'checked'}")
        print(f"  json.loads          {loads:6.2f} s  (reference)")
        ratio = ours / max(bare_time, 1e-9)
        print(f"  jsonschema is_valid {bare_time:6.2f} s  (reference; ratio ours/bare {ratio:.2f})")


if __name__ == "__main__":
    main()
