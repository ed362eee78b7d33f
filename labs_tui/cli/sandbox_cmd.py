"""``labs-tui sandbox``: serve the Labs API emulator in the foreground, for curl, scripts and demos.

The command parses its flags into one-line errors, starts ``labs_tui.sandbox``, prints one line
(base URL and demo tokens) on stdout, writes the sandbox's request log to stderr, and waits for
Ctrl-C or SIGTERM. Behaviour lives in the sandbox package; this module only renders it.
"""

from __future__ import annotations

import math
import signal
import threading
from types import FrameType
from typing import Any

import click

from labs_tui.cli.common import EXIT_OK, fail

_HELP = """Serve the Labs API emulator on loopback, for offline use, demos and tests.

Prints one line on stdout with the base URL and the demo tokens, then logs one
line per request on stderr (method, path, pin, status, requestId; never the
token or query string). Serves until Ctrl-C or SIGTERM, then exits 0.

\b
Endpoint: GET <base URL>/examples/demo (base URL ends in /labs/v1).
\b
Tokens (Authorization: Bearer <token>):
  sandbox-token           full access
  sandbox-limited-token   valid, but its role lacks the permission
                          /examples/demo requires: 403
  none, empty or other    401
\b
Version pin (X-Labs-API-Version request header):
  absent                  latest minor, 1.1
  1.0                     {"name": "Labs example"}
  1.1                     {"proofOfConcept": "Labs example"}
  anything else           400 listing the supported versions
Every response carries X-Labs-API-Version (the served minor: the pin when
supported, else 1.1) and X-Request-Id.
\b
Errors are JSON {"message", "statusCode", "requestId"} (400s caused by
validation add "fieldErrors"); X-Request-Id equals the body's requestId.
Checks run in this order: unknown path 404; wrong method 405 with Allow;
token 401; permission 403; rate limit 429; version pin 400.
HEAD answers like GET without a body; OPTIONS answers 204 with Allow and
needs no token.
\b
Rate limit (--rate-limit N/SECONDS, default 10/10; "off" disables): per
token and endpoint, a sliding window; every request that passes the token
and permission checks counts, the next one gets 429 with Retry-After
(whole seconds, rounded up). Rejected requests do not extend the window.
\b
--gateway-errors puts an emulated gateway in front, answering text/plain
with no requestId (no X-Request-Id, no X-Labs-API-Version):
  no Authorization, or not a Bearer credential
                          403 "RBAC: access denied"
  a Bearer value that is neither a sandbox token nor a JWT-shaped
  value (three dot-separated base64url parts)
                          401 "Jwt is not in the form of
                          Header.Payload.Signature with two dots and 3 sections"
A JWT-shaped value passes the gateway and gets the API's JSON 401.
\b
--latency MS delays every answer without blocking other requests.
\b
--spec FILE serves another OpenAPI spec offline under the path of its first
server URL. The spec's security is enforced with the sandbox tokens (bearer,
basic password, apiKey in header/query/cookie); parameters and bodies are
validated against their schemas; a bad request gets the status the spec
documents for it, in that response's schema (the error shape above only when
none is documented). Answers are a valid documented example or data generated
to match the response schema. The rate limit and gateway still apply; the pin
header is checked only when the spec declares versions (info.x-labs-versions).
\b
Prefer request header (spec mode): code=404 picks a documented status,
example=NAME a named example, dynamic=true generated data.
\b
--stateful (spec mode): POST to a collection (/pets) stores what was sent under
a fresh id the server assigns (uuid4, next integer or unique string, as the
schema asks); GET, PUT, PATCH and DELETE on its item (/pets/{id}) read it back
as created, replace, merge and remove it (404 after); in memory, for the life
of the sandbox.
\b
Slow or silent clients cannot hold it up: a request's line and headers must
arrive within 10 s of connecting (or of its first byte on a kept-alive
connection) and its body within 30 s more, else 408 and the connection is
closed; an idle kept-alive connection is closed after 60 s. A request with
both Content-Length and Transfer-Encoding, or Content-Length twice, gets 400
and a closed connection.
\b
The sandbox hands out tokens freely, so a host that is not loopback is
refused unless --allow-remote is given; then a warning goes to stderr, and
on 0.0.0.0 or :: (all interfaces) the URL printed is the loopback one.
Exit codes: 0 stopped by Ctrl-C or SIGTERM; 2 usage error, bad spec, or port
in use.
"""


def _parse_rate_limit(text: str) -> tuple[int, float] | None:
    if text.strip().lower() in ("off", "none", "0"):
        return None
    count_text, slash, seconds_text = text.partition("/")
    try:
        count = int(count_text.strip())
        seconds = float(seconds_text.strip()) if slash else math.nan
    except ValueError:
        count, seconds = 0, math.nan
    if count < 1 or not 0 < seconds <= 86_400:
        fail(
            "--rate-limit must be N/SECONDS with N >= 1 and 0 < SECONDS <= 86400 (e.g. 10/10), "
            f"or 'off'; got {text!r}"
        )
    return count, seconds


def _remote_warning(host: str, port: int, all_interfaces: bool) -> str:
    shown = f"[{host}]" if ":" in host else host
    where = f"all interfaces ({shown}:{port})" if all_interfaces else f"{shown}:{port}, which is not loopback"
    return (
        f"warning: the sandbox listens on {where}: anyone who can reach this machine on that port can "
        "call it, and it hands out its demo tokens freely"
    )


def _parse_int(option: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        fail(f"{option} must be a whole number from {low} to {high}; got {text!r}")
    return value


@click.command("sandbox", help=_HELP, context_settings={"max_content_width": 100})
@click.option("--host", default="127.0.0.1", show_default=True, metavar="HOST", help="Address to listen on.")
@click.option("--port", default="8765", show_default=True, metavar="PORT", help="Port; 0 picks a free one.")
@click.option(
    "--rate-limit", default="10/10", show_default=True, metavar="N/SECONDS", help="Per token and endpoint."
)
@click.option("--latency", default="0", show_default=True, metavar="MS", help="Delay every answer.")
@click.option("--gateway-errors", is_flag=True, help="Emulate the gateway's plain-text 401/403 answers.")
@click.option(
    "--spec", "spec_source", metavar="FILE", help="Serve this OpenAPI spec instead of the Labs API."
)
@click.option("--stateful", is_flag=True, help="With --spec: keep created resources in memory.")
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a host that is not loopback (warns: anyone on the network can use it).",
)
@click.pass_context
def sandbox(
    ctx: click.Context,
    host: str,
    port: str,
    rate_limit: str,
    latency: str,
    gateway_errors: bool,
    spec_source: str | None,
    stateful: bool,
    allow_remote: bool,
) -> None:
    from labs_tui.sandbox import LIMITED_TOKEN, SANDBOX_TOKEN, SandboxError, is_loopback, start

    if not is_loopback(host) and not allow_remote:
        fail(
            f"refusing to serve on {host!r}, which is not loopback: the sandbox hands out tokens "
            "(pass --allow-remote to serve there anyway)"
        )
    port_number = _parse_int("--port", port, 0, 65535)
    latency_ms = _parse_int("--latency", latency, 0, 600_000)
    limit = _parse_rate_limit(rate_limit)
    root_spec = ctx.find_root().params.get("spec_source")
    source = spec_source or (root_spec if isinstance(root_spec, str) else None)

    spec: Any = None
    if source:
        from labs_tui.spec import SpecError, load_spec

        try:
            spec = load_spec(source)
        except SpecError as exc:
            fail(str(exc))

    def log(line: str) -> None:
        click.echo(line, err=True)

    try:
        handle = start(
            host=host,
            port=port_number,
            spec=spec,
            rate_limit=limit,
            latency_ms=latency_ms,
            gateway_errors=gateway_errors,
            log=log,
            allow_remote=allow_remote,
            stateful=stateful,
        )
    except SandboxError as exc:
        fail(str(exc))

    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous: dict[int, Any] = {}
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                previous[signum] = signal.signal(signum, on_signal)
            except ValueError:  # not the main thread (e.g. embedded in a test runner)
                pass
        where = handle.base_url
        if handle.all_interfaces:
            where += " (listening on all interfaces)"
        if handle.mode == "labs":
            line = (
                f"Labs sandbox at {where} - tokens: {SANDBOX_TOKEN} (full access), "
                f"{LIMITED_TOKEN} (403 on /examples/demo) - Ctrl-C stops"
            )
        else:
            state = " (stateful)" if stateful else ""
            line = (
                f"Spec sandbox{state} at {where} - tokens: {SANDBOX_TOKEN} where the spec "
                f"asks for credentials, {LIMITED_TOKEN} (403) - Ctrl-C stops"
            )
        if handle.remote:
            click.echo(_remote_warning(handle.host, handle.port, handle.all_interfaces), err=True)
        click.echo(line)
        while not stopping.wait(0.25):
            pass
    finally:
        handle.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    ctx.exit(EXIT_OK)
