"""Benchmark: diffing two large versions of a spec beside loading them, measured in the same run.

Builds large JSON specs in benchmarks/.data/ from the rclone RC API pair kept in tests/data
(1.74.1 and 1.75.0), every path replicated under ``/vN`` prefixes until the paths weigh about
``--mb`` MB (46 by default, the size of the largest public specs):

- old: 1.74.1 x N;
- release: old with one copy of the paths and all the components from 1.75.0 (a release: a few
  endpoints changed, and shared components that many operations reach);
- every operation changed: 1.75.0 x N (the worst case: every operation differs).

Prints loading old and release (``load_spec``, no cache: the reference), then one cold run of
``diff_specs`` for old -> release, old -> every operation changed and old -> the same file loaded
again (nothing changed), each with its ratio to the reference. Target (issue 17): old -> release in
a few seconds (<= 5 s) and no slower than loading the two (ratio <= 1).

Run: ``.venv/bin/python benchmarks/spec_diff.py [--mb 46]`` (or ``make bench``). Exit 1 when missed.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from functools import partial
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
    old_doc, new_doc = (
        yaml.load((PAIR / f"rclone-rc-{v}.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
        for v in ("1.74.1", "1.75.0")
    )
    copies = max(1, round(args.mb * 1_000_000 / len(json.dumps(old_doc["paths"]))))
    old_big = grow(old_doc, copies)
    release = dict(old_big, components=new_doc["components"], paths=dict(old_big["paths"]))
    for path in old_doc["paths"]:  # one copy of the paths moves to 1.75.0, the rest stay as they were
        del release["paths"][f"/v0{path}"]
    release["paths"].update({f"/v0{path}": item for path, item in new_doc["paths"].items()})
    documents = {"old": old_big, "release": release, "everything": grow(new_doc, copies)}
    files: dict[str, Path] = {}
    for name, document in documents.items():
        files[name] = DATA / f"spec-diff-{name}-{args.mb:g}mb.json"
        if not files[name].exists():
            files[name].write_text(json.dumps(document))
    del documents, old_big, release
    mb = {name: path.stat().st_size / 1_000_000 for name, path in files.items()}

    load_s, (old, release_spec) = best(
        max(1, args.runs - 1),
        lambda: [load_spec(str(files[n]), use_cache=False) for n in ("old", "release")],
    )
    everything = load_spec(str(files["everything"]), use_cache=False)
    print(
        f"specs: old {mb['old']:.1f} MB ({len(old.operations)} operations), release {mb['release']:.1f} MB, "
    )
    print(
        f"       every operation changed {mb['everything']:.1f} MB ({len(everything.operations)} operations)"
    )
    print(f"load old + release (reference): {load_s:.2f} s")

    def line(label: str, seconds: float, result: Any) -> None:
        changes = sum(len(entry.changes) for entry in result.changed)
        print(
            f"{label}: {seconds:.2f} s  ratio {seconds / load_s:.2f}  ({len(result.added)} added, "
            f"{len(result.removed)} removed, {len(result.changed)} changed, {changes} changes)"
        )

    # One run each, on operations never read before: the loader builds an operation's details on
    # first use, so a repeated run would hide work a user waits for.
    release_s, release_diff = best(1, lambda: diff_specs(old, release_spec))
    line("diff old -> release (one path copy and the components from 1.75.0)", release_s, release_diff)
    everything_s, everything_diff = best(1, partial(diff_specs, old, everything))
    line("diff old -> every operation changed (1.75.0 x N) ", everything_s, everything_diff)
    del everything, everything_diff
    again = load_spec(str(files["old"]), use_cache=False)  # a second download of the same spec
    same_s, same = best(1, partial(diff_specs, old, again))
    print(
        f"diff old -> the same file loaded again: {same_s:.2f} s  ratio {same_s / load_s:.2f}  "
        f"(empty: {same.empty})"
    )
    ok = release_s <= load_s and release_s <= 5.0 and same.empty
    print("target (old -> release: ratio <= 1 and <= 5 s): " + ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
