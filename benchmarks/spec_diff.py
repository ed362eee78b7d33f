"""Benchmark: diffing two large versions of a spec beside loading them, measured in the same run.

Builds two large JSON specs in benchmarks/.data/ from the rclone RC API pair kept in tests/data
(1.74.1 and 1.75.0): every path is replicated under ``/vN`` prefixes until each file is about
``--mb`` MB (46 by default, the size of the largest public specs), components shared, so the pair
carries thousands of real changes. Prints the best of several runs of loading both
(``load_spec``, no cache) and of ``diff_specs`` on the loaded pair, and their ratio. Target (issue
17): the diff of two 46 MB specs takes a few seconds and less than loading them (ratio <= 1).

Run: ``.venv/bin/python benchmarks/spec_diff.py [--mb 46]`` (or ``make bench``). Exit 1 when missed.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
PAIR = HERE.parent / "tests" / "data" / "specs" / "rclone"


def grow(document: dict[str, Any], copies: int) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for copy in range(copies):
        for path, item in document["paths"].items():
            paths[f"/v{copy}{path}"] = item
    return {**document, "paths": paths}


def best(runs: int, job: Any) -> tuple[float, Any]:
    times: list[float] = []
    result = None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=46.0, help="size of each generated spec, in MB")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(HERE.parent))
    import yaml

    from labs_tui.compare import diff_specs
    from labs_tui.spec import load_spec

    DATA.mkdir(exist_ok=True)
    files: list[Path] = []
    copies = 0
    for version in ("1.74.1", "1.75.0"):
        source = yaml.load((PAIR / f"rclone-rc-{version}.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
        if not copies:  # the same number of copies of both versions: the paths match
            copies = max(1, round(args.mb * 1_000_000 / len(json.dumps(source["paths"]))))
        target = DATA / f"spec-diff-{version}-{args.mb:g}mb.json"
        if not target.exists():
            target.write_text(json.dumps(grow(source, copies)))
        files.append(target)
    sizes = [f.stat().st_size / 1_000_000 for f in files]

    load_s, specs = best(max(1, args.runs - 1), lambda: [load_spec(str(f), use_cache=False) for f in files])
    old, new = specs
    # The first diff also builds each operation's parameters, body and responses, which the loader
    # leaves for first use (``LazyOperation``): that run is the figure a user waits for.
    first_s, result = best(1, lambda: diff_specs(old, new))
    diff_s, result = best(args.runs, lambda: diff_specs(old, new))
    self_s, same = best(args.runs, lambda: diff_specs(old, old))
    changes = sum(len(entry.changes) for entry in result.changed)
    ratio = first_s / load_s
    print(
        f"specs: {sizes[0]:.1f} MB and {sizes[1]:.1f} MB, "
        f"{len(old.operations)} and {len(new.operations)} operations"
    )
    print(f"load both (reference): {load_s:.2f} s")
    print(f"diff_specs, first run: {first_s:.2f} s  ratio {ratio:.2f} (operations built on first use)")
    print(
        f"diff_specs, again:     {diff_s:.2f} s  ({len(result.added)} added, {len(result.removed)} removed, "
        f"{len(result.changed)} changed, {changes} changes)"
    )
    print(f"diff with itself:      {self_s:.2f} s  (empty: {same.empty})")
    ok = ratio <= 1.0 and first_s <= 5.0 and same.empty
    print("target (ratio <= 1, <= 5 s): " + ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
