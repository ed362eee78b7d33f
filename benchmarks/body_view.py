"""Time to first screen of big JSON bodies in the response pane, beside an eager reference, and key latency.

For 1, 5 and 12 MB bodies (generated here, the same seed every run) it measures, each case in its own
process so peak RSS is its own:

- ours: a headless app with a ResponsePane; from ``show_result`` to the first render of a body line; then,
  while the rest is still being prepared, the latency of five ``pagedown`` keys (key posted -> action done
  -> screen redrawn); then the time until the whole body is prepared;
- the time to search the whole prepared body for a word (in its worker);
- reference: what an eager view has to do before its first screen: ``json.dumps(indent=2)`` of the whole
  body and pygments' JSON lexer over all of it (no terminal rendering counted, so the reference is a lower
  bound);
- base: generating the body alone, for the RSS baseline.

Run: ``make bench`` or ``.venv/bin/python benchmarks/body_view.py [--sizes 1,5,12]``. Targets (issue 8):
first screen <= 0.3 s, key answered <= 100 ms while preparing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import time
from typing import Any

import _child

FIRST_SCREEN_TARGET_S = 0.3
KEY_TARGET_S = 0.1


def make_body(megabytes: float) -> tuple[Any, str]:
    """A JSON list of API-like records, about ``megabytes`` MB when compact."""
    rng = random.Random(42)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "deployment", "cluster", "workspace", "[bold]x[/]"]
    records: list[dict[str, Any]] = []
    size = 2
    target = int(megabytes * 1024 * 1024)
    index = 0
    while size < target:
        record = {
            "id": f"cl{index:012d}",
            "name": " ".join(rng.choice(words) for _ in range(4)),
            "index": index,
            "score": round(rng.random() * 1000, 3),
            "active": rng.random() > 0.5,
            "owner": None,
            "tags": [rng.choice(words) for _ in range(3)],
            "meta": {"region": rng.choice(["us-east-1", "eu-west-1"]), "replicas": rng.randint(1, 9)},
        }
        records.append(record)
        size += len(json.dumps(record)) + 2
        index += 1
    value = {"items": records, "total": len(records)}
    return value, json.dumps(value)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_reference(megabytes: float) -> dict[str, float]:
    from pygments.lexers import JsonLexer

    value, _text = make_body(megabytes)
    start = time.perf_counter()
    pretty = json.dumps(value, indent=2)
    tokens = sum(1 for _ in JsonLexer().get_tokens(pretty))
    elapsed = time.perf_counter() - start
    return {"first_screen_s": elapsed, "tokens": tokens, "peak_rss_mb": peak_rss_mb()}


def run_base(megabytes: float) -> dict[str, float]:
    make_body(megabytes)
    return {"peak_rss_mb": peak_rss_mb()}


def run_ours(megabytes: float) -> dict[str, float]:
    from textual import events
    from textual.app import App, ComposeResult

    from labs_tui.client.model import CallRequest, CallResult, Diagnosis
    from labs_tui.tui.widgets.response import ResponsePane

    value, text = make_body(megabytes)
    result = CallResult(
        request=CallRequest(method="GET", url="http://127.0.0.1/labs/v1/big"),
        status=200,
        reason="OK",
        headers=(("content-type", "application/json"),),
        elapsed_ms=100.0,
        size=len(text),
        body=b"",
        content_type="application/json",
        content_kind="json",
        text=text,
        json=value,
    )

    class BenchApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ResponsePane()

    figures: dict[str, float] = {}

    async def wait_for(condition: Any, timeout: float = 60.0) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError("benchmark condition not reached")
            await asyncio.sleep(0.0005)

    async def main() -> None:
        app = BenchApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            pane = app.query_one(ResponsePane)
            view = pane.body_view.line_view
            start = time.perf_counter()
            pane.show_result(result, Diagnosis(title="200 OK"))
            await wait_for(lambda: view.first_render_at is not None)
            assert view.first_render_at is not None
            figures["first_screen_s"] = view.first_render_at - start
            view.focus()
            await asyncio.sleep(0)
            latencies: list[float] = []
            during = 0
            for _ in range(5):
                before = view.cursor_line
                was_preparing = not view.complete
                view.first_render_at = None
                pressed = time.perf_counter()
                app.post_message(events.Key("pagedown", None))
                await wait_for(
                    lambda before=before: view.cursor_line != before and view.first_render_at is not None
                )
                latencies.append(time.perf_counter() - pressed)
                during += was_preparing
                await asyncio.sleep(0.02)
            figures["key_max_s"] = max(latencies)
            figures["key_median_s"] = statistics.median(latencies)
            figures["keys_while_preparing"] = during
            await wait_for(lambda: view.complete, timeout=300)
            figures["all_prepared_s"] = time.perf_counter() - start
            figures["lines"] = len(view.lines)
            searched = time.perf_counter()
            pane.body_view.search("workspace")
            await wait_for(lambda: view.match_count > 0, timeout=300)
            figures["search_s"] = time.perf_counter() - searched
            figures["matches"] = view.match_count

    asyncio.run(main())
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def one(kind: str, megabytes: float) -> dict[str, float]:
    figures: dict[str, float] = _child.run_child(__file__, ["--one", kind, "--sizes", str(megabytes)])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1,5,12", help="body sizes in MB, comma separated")
    parser.add_argument("--one", choices=["ours", "reference", "base"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    if args.one:
        runner = {"ours": run_ours, "reference": run_reference, "base": run_base}[args.one]
        print(json.dumps(runner(sizes[0])))
        return 0

    print("body view: first screen of a JSON body")
    print("  ours: the virtualized ResponsePane; reference: eager json.dumps(indent=2) + pygments lexer")
    header = (
        f"{'size':>6} {'ours':>9} {'reference':>10} {'ratio':>7} {'key max':>8} {'key med':>8} {'prep':>5}"
        f" {'all lines':>9} {'lines':>9} {'search':>7} {'RSS ours':>9} {'RSS ref':>8} {'RSS base':>9}"
    )
    print(header)
    failed = False
    for megabytes in sizes:
        ours = one("ours", megabytes)
        reference = one("reference", megabytes)
        base = one("base", megabytes)
        ratio = ours["first_screen_s"] / reference["first_screen_s"]
        print(
            f"{megabytes:>4g}MB {ours['first_screen_s']:>8.3f}s {reference['first_screen_s']:>9.3f}s"
            f" {ratio:>7.3f} {ours['key_max_s'] * 1000:>6.1f}ms {ours['key_median_s'] * 1000:>6.1f}ms"
            f" {int(ours['keys_while_preparing']):>3}/5 {ours['all_prepared_s']:>8.2f}s"
            f" {int(ours['lines']):>9}"
            f" {ours['search_s']:>6.2f}s"
            f" {ours['peak_rss_mb']:>7.0f}MB {reference['peak_rss_mb']:>6.0f}MB {base['peak_rss_mb']:>7.0f}MB"
        )
        failed |= ours["first_screen_s"] > FIRST_SCREEN_TARGET_S or ours["key_max_s"] > KEY_TARGET_S
    print(
        f"targets: first screen <= {FIRST_SCREEN_TARGET_S} s, key <= {KEY_TARGET_S * 1000:.0f} ms:"
        f" {'NOT MET' if failed else 'met'}"
    )
    print("(prep: how many of the 5 keys were pressed while the body was still being prepared)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
