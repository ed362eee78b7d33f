"""Benchmark: the structural diff of two ~1 MB JSON bodies, beside references measured in the same run.

Generates two JSON bodies of about 1 MB each (a list of API-like records with ids; the second has some
records changed, some removed, some added, one key renamed everywhere, a few types changed; the same
every run) and times, best of several runs:

- ours: ``labs_tui.compare.diff`` on the parsed bodies, and ``side_by_side`` on a two-version
  ``Comparison`` holding them (the rows the compare view shows, bounded by its row cap);
- references: ``json.loads`` of both bodies (what any tool pays to read them) and ``difflib`` (the
  standard library's line diff, ``unified_diff``) over both bodies pretty-printed with
  ``json.dumps(indent=2)`` (what a text diff of the two answers costs).

It runs in a child process, which reports its peak RSS, beside a child that only builds and parses the
bodies (the baseline). Run: ``make bench`` or ``.venv/bin/python benchmarks/diff.py [--megabytes N]``.
Target (issue 8): none fixed beyond "stays responsive"; we print our figure beside the line diff and
flag ours as met when diff + side_by_side is no slower than difflib over the same bodies.
Informative: always exits 0.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _child

RUNS = 3


def make_bodies(megabytes: float) -> tuple[str, str]:
    """Two JSON texts of about ``megabytes`` MB each, the second a revised first."""
    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "delta", "deployment", "cluster", "workspace", "runtime"]
    records: list[dict[str, Any]] = []
    size, target = 2, int(megabytes * 1024 * 1024)
    while size < target:
        index = len(records)
        record = {
            "id": f"cl{index:010d}",
            "name": " ".join(rng.choice(words) for _ in range(3)),
            "createdAt": f"2024-{1 + index % 12:02d}-{1 + index % 28:02d}T10:00:00Z",
            "replicas": rng.randint(1, 9),
            "active": rng.random() > 0.5,
            "tags": [rng.choice(words) for _ in range(3)],
            "spec": {"region": rng.choice(["us-east-1", "eu-west-1"]), "cpu": rng.choice([0.5, 1, 2])},
        }
        records.append(record)
        size += len(json.dumps(record)) + 2
    revised: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        if index % 97 == 5:
            continue  # removed
        copy = json.loads(json.dumps(record))
        copy["displayName"] = copy.pop("name")  # renamed in the new version
        if index % 13 == 0:
            copy["replicas"] += 1
        if index % 211 == 0:
            copy["replicas"] = str(copy["replicas"])  # type changed
        revised.append(copy)
        if index % 101 == 0:
            revised.append({**copy, "id": f"new{index:010d}"})  # added
    first = {"items": records, "total": len(records)}
    second = {"items": revised, "total": len(revised)}
    return json.dumps(first), json.dumps(second)


def _best(function: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def _comparison(left: Any, right: Any, changes: list[Any]) -> Any:
    from labs_tui.client.model import CallRequest, CallResult, Diagnosis
    from labs_tui.compare import Comparison, VersionResponse

    request = CallRequest(method="GET", url="http://127.0.0.1/labs/v1/items")

    def answer(version: str, value: Any) -> VersionResponse:
        text = json.dumps(value)
        result = CallResult(
            request=request,
            status=200,
            reason="OK",
            body=text.encode(),
            size=len(text),
            content_type="application/json",
            content_kind="json",
            text=text,
            json=value,
        )
        return VersionResponse(version, result, Diagnosis(title="200 OK"))

    return Comparison(
        request=request,
        versions=("1.0", "1.1"),
        responses=(answer("1.0", left), answer("1.1", right)),
        pairs=(("1.0", "1.1", tuple(changes)),),
    )


def child(kind: str, megabytes: float) -> dict[str, Any]:
    import difflib
    import resource

    first, second = make_bodies(megabytes)
    out: dict[str, Any] = {"sizes": [len(first), len(second)]}
    parse_s, (left, right) = _best(lambda: (json.loads(first), json.loads(second)))
    out["parse_s"] = parse_s
    if kind == "ours":
        from labs_tui.compare import diff, side_by_side

        diff_s, changes = _best(lambda: diff(left, right))
        comparison = _comparison(left, right, changes)
        rows_s, rows = _best(lambda: side_by_side(comparison))
        out.update(diff_s=diff_s, changes=len(changes), rows_s=rows_s, rows=len(rows))
    elif kind == "difflib":

        def line_diff() -> int:
            a = json.dumps(left, indent=2).splitlines()
            b = json.dumps(right, indent=2).splitlines()
            return sum(1 for _ in difflib.unified_diff(a, b, lineterm="", n=0))

        difflib_s, lines = _best(line_diff)
        out.update(difflib_s=difflib_s, lines=lines)
    out["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_child(kind: str, megabytes: float) -> dict[str, Any]:
    return _child.run_child(str(Path(__file__).resolve()), ["--child", kind, "--megabytes", str(megabytes)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--child", choices=("ours", "difflib", "base"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.megabytes)))
        return 0
    try:
        ours = run_child("ours", args.megabytes)
        reference = run_child("difflib", args.megabytes)
        base = run_child("base", args.megabytes)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"diff: could not measure: {error}")
        return 0
    a, b = (size / (1024 * 1024) for size in ours["sizes"])
    total = ours["diff_s"] + ours["rows_s"]
    print(f"diff of two JSON bodies ({a:.2f} MB and {b:.2f} MB), best of {RUNS} runs")
    print(
        f"  ours: diff {ours['diff_s'] * 1000:7.1f} ms ({ours['changes']} changes)"
        f" + side_by_side {ours['rows_s'] * 1000:6.1f} ms ({ours['rows']} rows) = {total * 1000:7.1f} ms"
    )
    print(
        f"  reference: json.loads of both {ours['parse_s'] * 1000:6.1f} ms"
        f" | ratio {total / ours['parse_s']:.2f}x"
    )
    met = "met" if total <= reference["difflib_s"] else "MISSED"
    print(
        f"  reference: difflib.unified_diff over the pretty-printed bodies"
        f" {reference['difflib_s'] * 1000:7.1f} ms"
        f" ({reference['lines']} diff lines) | ratio {total / reference['difflib_s']:.2f}x"
        f" (target <= 1x: no slower than a line diff) {met}"
    )
    print(
        f"  peak RSS: ours {ours['rss_mib']:.1f} MiB | difflib {reference['rss_mib']:.1f} MiB"
        f" | bodies parsed only {base['rss_mib']:.1f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
