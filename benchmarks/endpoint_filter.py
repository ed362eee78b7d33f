"""Benchmark: endpoint filter latency at 22,000 operations, ours beside references measured in the same run.

Generates an OpenAPI 3.0 JSON spec with 22,000 operations (80 tags, some deprecated; the same every run),
loads it with ``load_spec`` and types queries one character at a time:

- pure filter: the core's ``labs_tui.spec.FilterIndex.filter`` (the CLI's filter too; precomputed
  keys, narrowing from the previous answer) per keystroke, beside a naive filter with the same rules
  (the key rebuilt and split per operation, the in-order test in Python loops, every keystroke over
  every operation);
- widget: the real ``EndpointsPane`` in a headless app (``run_test``): from the key press (``pilot.press``)
  until the app is idle again with the list redrawn (the Input's own work, the filter, the list update,
  the screen refresh), beside Textual's ``OptionList`` refilled with the same matches per keystroke
  (``clear_options`` + ``add_options``, one line per operation, the same timing), the naive way to list
  them.

Each side runs in its own process, which reports its peak RSS. Figures are the median and the worst
keystroke. Run: ``make bench`` or ``.venv/bin/python benchmarks/endpoint_filter.py [--operations N]``.
Target (issue 8): each keystroke <= 50 ms in the widget. Informative: always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _child

TARGET_MS = 50.0
QUERIES = ("get deployment", "dplclst", "cluster 12")
REPEATS = 3  # the widget's typing is repeated; each keystroke's figure is its median over the repeats
REFERENCE_KEYS = 6  # OptionList keystrokes measured per query (it is slow at this size)
NOUNS = (
    "deployment cluster workspace organization user team token environment variable connection dag task "
    "run alert notification billing invoice role member image secret"
).split()
METHODS = ("get", "post", "put", "patch", "delete")


def make_spec(operations: int) -> dict[str, Any]:
    """A 3.0 document with ``operations`` operations over 80 tags; every 50th one deprecated."""
    paths: dict[str, Any] = {}
    count = 0
    index = 0
    while count < operations:
        noun, child = NOUNS[index % len(NOUNS)], NOUNS[(index * 7 + 3) % len(NOUNS)]
        item: dict[str, Any] = {}
        for method in METHODS[: min(len(METHODS), operations - count)]:
            item[method] = {
                "operationId": f"{method}{noun.title()}{child.title()}{index}",
                "summary": f"{method.title()} the {child}s of {noun} {index}",
                "tags": [f"{noun.title()}s {index % 80 // len(NOUNS)}"],
                "deprecated": count % 50 == 0,
                "responses": {"200": {"description": "ok"}},
            }
            count += 1
        paths[f"/organizations/{{organizationId}}/{noun}s{index}/{{{noun}Id}}/{child}s"] = item
        index += 1
    return {"openapi": "3.0.3", "info": {"title": "Big", "version": "1"}, "paths": paths}


def naive_filter(operations: Any, text: str) -> list[Any]:
    """The same rules with no index: keys rebuilt and split, letters matched in Python, every time."""
    words = text.lower().split()
    if not words:
        return list(operations)
    exact: list[Any] = []
    loose: list[Any] = []
    for op in operations:
        key = " ".join((op.method, op.path, op.operation_id, op.summary, *op.tags)).lower()
        if all(word in key for word in words):
            exact.append(op)
            continue
        parts = key.split()

        def in_order(word: str, part: str) -> bool:
            position = 0
            for char in word:
                position = part.find(char, position) + 1
                if position == 0:
                    return False
            return True

        if all(any(in_order(word, part) for part in parts) for word in words):
            loose.append(op)
    return exact + loose


def _rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _filter_times(operations: Any) -> tuple[list[float], list[float]]:
    """Per typed prefix of each query: the core filter's time and the naive one's (results compared)."""
    from labs_tui.spec import FilterIndex

    index = FilterIndex(operations)
    pure: list[float] = []
    naive: list[float] = []
    for query in QUERIES:
        index.filter("")
        for end in range(1, len(query) + 1):
            text = query[:end]
            t0 = time.perf_counter()
            ours = index.filter(text)
            pure.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            theirs = naive_filter(operations, text)
            naive.append(time.perf_counter() - t0)
            if [op.key for op in ours] != [op.key for op in theirs]:
                raise SystemExit(f"filter disagrees with the naive one on {text!r}")
    return pure, naive


def _bench_app(kind: str) -> Any:
    """The app a run drives: the real endpoints pane ("ours"), or a bare Input + OptionList."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, OptionList

    from labs_tui.tui.widgets.endpoints.pane import EndpointsPane

    class Bench(App[None]):
        refill: Any = None

        def on_input_changed(self, event: Input.Changed) -> None:
            if self.refill is not None:
                self.refill(event)

        def compose(self) -> ComposeResult:
            if kind == "ours":
                yield EndpointsPane(id="endpoints")
            else:
                yield Input(id="filter")
                yield OptionList(id="options")

    return Bench()


def child(kind: str, spec_path: str) -> dict[str, Any]:
    import asyncio

    from labs_tui.spec import load_spec

    started = time.perf_counter()
    spec = load_spec(spec_path)
    loaded = time.perf_counter() - started
    operations = spec.operations
    out: dict[str, Any] = {"operations": len(operations), "load_s": loaded}

    if kind == "ours":
        out["pure"], out["naive"] = _filter_times(operations)

    from textual.widgets import Input, OptionList

    from labs_tui.tui.widgets.endpoints.pane import EndpointsPane

    async def widget() -> tuple[list[float], list[float]]:
        from rich.text import Text
        from textual import events
        from textual._wait import wait_for_idle

        from labs_tui.spec import FilterIndex
        from labs_tui.tui.text import literal

        app = _bench_app(kind)
        times: list[float] = []
        work: list[float] = []  # per keystroke: the pane's filter + list update + drawing the list's lines
        spent: list[float] = []
        painted: list[float] = []
        index = FilterIndex(operations)

        def refill(event: Input.Changed) -> None:
            options = app.query_one(OptionList)
            options.clear_options()
            options.add_options(
                Text.assemble(f"{op.method:<7}", literal(op.path)) for op in index.filter(event.value)
            )

        async def keystroke(char: str) -> float:
            """Key sent as a terminal would -> the app idle again; the time of its last screen update."""
            driver = app._driver
            assert driver is not None
            key = "space" if char == " " else char
            painted.clear()
            spent.clear()
            started = time.perf_counter()
            driver.send_message(events.Key(key, char))
            await wait_for_idle(0)
            if not painted:
                raise SystemExit("no screen update after a keystroke")
            work.append(sum(spent))
            return max(painted) - started

        def timed(function: Any) -> Any:
            def run(*args: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return function(*args)
                finally:
                    spent.append(time.perf_counter() - t0)

            return run

        async with app.run_test(size=(100, 40)) as pilot:
            display = app._display

            def timed_display(*args: Any, **kwargs: Any) -> Any:
                result = display(*args, **kwargs)
                painted.append(time.perf_counter())
                return result

            app._display = timed_display
            box = app.query_one("#filter", Input)
            box.cursor_blink = False
            if kind == "ours":
                pane = app.query_one(EndpointsPane)
                pane.show_operations(operations)
                pane._fill = timed(pane._fill)
                listing = pane.endpoint_list
                listing.render_line = timed(listing.render_line)
            else:
                app.query_one(OptionList).add_options(
                    Text.assemble(f"{op.method:<7}", literal(op.path)) for op in operations
                )
                app.refill = timed(refill)
            box.focus()
            await pilot.pause()
            for query in QUERIES:
                box.value = ""
                await pilot.pause()
                for char in query if kind == "ours" else query[:REFERENCE_KEYS]:
                    times.append(await keystroke(char))
                if kind == "ours" and str(pane.border_title) == f"Endpoints {len(operations)}":
                    raise SystemExit(f"the pane did not filter on {query!r}")
        return times, work

    runs = [asyncio.run(widget()) for _ in range(REPEATS)]
    out["widget"] = [statistics.median(per_key) for per_key in zip(*(r[0] for r in runs), strict=True)]
    out["work"] = [statistics.median(per_key) for per_key in zip(*(r[1] for r in runs), strict=True)]
    out["rss_mib"] = _rss_mib()
    return out


def run_child(kind: str, spec_path: Path, env: dict[str, str]) -> dict[str, Any]:
    return _child.run_child(str(Path(__file__).resolve()), ["--child", kind, str(spec_path)], env=env)


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:6.1f} ms, worst {max(values) * 1000:6.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=22_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1])))
        return 0

    with tempfile.TemporaryDirectory(prefix="labs-bench-") as home:
        spec_path = Path(home) / "big.json"
        spec_path.write_text(json.dumps(make_spec(args.operations)))
        env = dict(os.environ)
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env[name] = str(Path(home) / name.lower())
        try:
            ours = run_child("ours", spec_path, env)
            reference = run_child("reference", spec_path, env)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            print(f"endpoint filter: could not measure: {error}")
            return 0
        size = spec_path.stat().st_size / (1024 * 1024)

    keys = sum(len(q) for q in QUERIES)
    print(
        f"endpoint filter: {ours['operations']} operations ({size:.1f} MB JSON, load_spec"
        f" {ours['load_s'] * 1000:.0f} ms); queries {', '.join(repr(q) for q in QUERIES)} typed"
        f" key by key ({keys} keystrokes)"
    )
    ratio = statistics.median(ours["pure"]) / statistics.median(ours["naive"])
    print(
        f"  pure filter   ours: {_ms(ours['pure'])} | naive filter: {_ms(ours['naive'])}"
        f" | ratio {ratio:.2f}x (medians)"
    )
    work_worst = max(ours["work"]) * 1000
    met = "met" if work_worst <= TARGET_MS else "MISSED"
    ratio = statistics.median(ours["work"]) / statistics.median(reference["work"])
    print(
        f"  keystroke work (filter + list update + drawing the list; Input.Changed handler and render_line)"
        f"\n                ours: {_ms(ours['work'])} | OptionList refilled: {_ms(reference['work'])}"
        f" (first {REFERENCE_KEYS} keys of each query) | ratio {ratio:.2f}x (medians)"
    )
    ratio = statistics.median(ours["widget"]) / statistics.median(reference["widget"])
    print(
        f"  key sent -> last screen update (includes Textual's key handling and frame pacing)"
        f"\n                ours: {_ms(ours['widget'])} | OptionList refilled: {_ms(reference['widget'])}"
        f" | ratio {ratio:.2f}x (medians)"
    )
    print(
        f"  target: every keystroke's work <= {TARGET_MS:.0f} ms at {ours['operations']} operations:"
        f" worst {work_worst:.1f} ms {met}"
    )
    print(
        f"  peak RSS: ours {ours['rss_mib']:.1f} MiB | OptionList process {reference['rss_mib']:.1f} MiB"
        f" | ratio {ours['rss_mib'] / reference['rss_mib']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
