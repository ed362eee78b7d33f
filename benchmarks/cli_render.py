"""``labs-tui call`` on 50 MB bodies served by a loopback server: time and peak RSS to the last byte out.

Three bodies of ``--megabytes`` MB (default 50, the default body cap minus a little), generated here the
same way every run and served from 127.0.0.1 by this process:

- ``ansi``: text/plain log lines full of colour escapes and bells (text, not binary: it is escaped);
- ``nul-json``: NUL bytes labelled application/json (binary: a hex preview);
- ``json``: a JSON array of records (parsed, a pretty-printed preview).

Each case runs ``labs-tui call GET URL`` in its own process (the CLI in-process there, stdout to a file)
and reports wall time, peak RSS and the bytes written to stdout. Two references run in the same way:

- base: the bare download with httpx into memory, plus ``json.loads`` for the JSON body (what any client
  that parses it pays before rendering); the ratio of each case is to this;
- callback: escaping the ``ansi`` body with ``re.sub`` and a Python callback per unsafe character, the
  way ``text.inert`` did before (now C-level passes, no call per character).

Run: ``make bench`` or ``.venv/bin/python benchmarks/cli_render.py [--megabytes 49]``. Targets (issue 12:
"not minutes or GBs", no flood): every case <= 10 s, peak RSS <= 1 GiB, <= 2 MiB on stdout. The ratio to
the bare download is printed too; it includes the CLI's imports (~0.5 s), which the download has not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import _child

TIME_TARGET_S = 10.0
RSS_TARGET_MIB = 1024.0
STDOUT_TARGET = 2 * 1024 * 1024
CASES = ("ansi", "nul-json", "json")


def make_body(kind: str, megabytes: float) -> tuple[bytes, str]:
    size = int(megabytes * 1024 * 1024)
    if kind == "ansi":
        line = b"\x1b[31mERROR\x1b[0m \x07 a log line with colours and a bell, \x1b]0;title\x07 padding\n"
        return (line * (size // len(line) + 1))[:size], "text/plain"
    if kind == "nul-json":
        return b"\x00" * size, "application/json"
    records: list[str] = []
    total = 2
    index = 0
    while total < size - 200:
        record = json.dumps({"id": index, "name": f"record {index}", "tags": ["a", "b"], "ok": True})
        records.append(record)
        total += len(record) + 2
        index += 1
    return ("[" + ", ".join(records) + "]").encode(), "application/json"


def serve(megabytes: float) -> None:
    """Serve the bodies on a free loopback port (printed) until stdin closes: its own process, so the
    bodies it holds do not count in the children's peak RSS (Linux keeps the parent's across exec)."""
    bodies = {f"/{kind}": make_body(kind, megabytes) for kind in CASES}

    _child.serve_bodies(bodies)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, url: str) -> dict[str, float]:
    """One measurement in this (fresh) process."""
    if kind == "base":
        import httpx

        figures: dict[str, float] = {}
        with httpx.Client(timeout=120) as client:
            for case in CASES:
                start = time.perf_counter()
                body = client.get(f"{url}/{case}").content
                figures[case] = time.perf_counter() - start
        start = time.perf_counter()
        json.loads(body)
        figures["json"] += time.perf_counter() - start
        figures["rss_mib"] = _peak_mib()
        return figures
    if kind == "callback":
        import httpx

        from labs_tui.text import UNSAFE, inert

        with httpx.Client(timeout=120) as client:
            text = client.get(f"{url}/ansi").text
        start = time.perf_counter()
        inert(text)
        one_pass = time.perf_counter() - start
        start = time.perf_counter()
        UNSAFE.sub(lambda found: f"\\x{ord(found.group()):02x}", text)
        return {"s": time.perf_counter() - start, "one_pass_s": one_pass, "rss_mib": _peak_mib()}
    from labs_tui.cli import main

    with tempfile.TemporaryFile() as sink:
        saved = os.dup(1)
        os.dup2(sink.fileno(), 1)
        start = time.perf_counter()
        try:
            main(["call", "GET", f"{url}/{kind}", "--base-url", url], standalone_mode=False)
        except SystemExit:
            pass
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
        took = time.perf_counter() - start
        written = os.fstat(sink.fileno()).st_size
    return {"s": took, "rss_mib": _peak_mib(), "bytes": written}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--megabytes", type=float, default=49.0)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.megabytes)
        return 0
    if args.one:
        print(json.dumps(child(args.one, args.url)))
        return 0
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--megabytes", str(args.megabytes)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    url = server.stdout.readline().strip()
    env = dict(os.environ, NO_COLOR="1")
    with tempfile.TemporaryDirectory() as home:  # the user's config and history are never touched
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env[name] = os.path.join(home, name.lower())
        try:
            base = _child.run_child(__file__, ["--one", "base", "--url", url], env=env)
            results = {k: _child.run_child(__file__, ["--one", k, "--url", url], env=env) for k in CASES}
            callback = _child.run_child(__file__, ["--one", "callback", "--url", url], env=env)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            print(f"cli render: could not measure: {error}")
            return 0
        finally:
            server.stdin.close()
            server.wait(timeout=30)
    print(f"labs-tui call on {args.megabytes:g} MB bodies (stdout to a file), one process each")
    print(
        "  reference: bare httpx download (+ json.loads for json): "
        + ", ".join(f"{kind} {base[kind]:.2f} s" for kind in CASES)
        + f"; peak RSS {base['rss_mib']:.0f} MiB"
    )
    for kind in CASES:
        figures = results[kind]
        ratio = figures["s"] / base[kind]
        met = (
            figures["s"] <= TIME_TARGET_S
            and figures["rss_mib"] <= RSS_TARGET_MIB
            and figures["bytes"] <= STDOUT_TARGET
        )
        print(
            f"  {kind:<9} {figures['s']:6.2f} s (ratio {ratio:5.2f}x)"
            f" | peak RSS {figures['rss_mib']:5.0f} MiB"
            f" | stdout {figures['bytes']:>9,} bytes | target <= {TIME_TARGET_S:g} s, 1 GiB, 2 MiB"
            f" {'met' if met else 'MISSED'}"
        )
    print(
        f"  escaping the whole ansi body: text.inert (C passes) {callback['one_pass_s']:6.2f} s"
        f" | re.sub with a Python callback per character (before) {callback['s']:6.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
