"""``labs-tui call`` and ``labs-tui compare``: the client and compare cores, rendered for people or scripts.

This module parses flags into core calls and renders their results; it decides nothing the core
could. Output that came from the network is data: every control character is escaped before it
reaches stdout, and only our own colours are added (pygments / click styles, on a terminal only).
The token never appears: results are redacted by the client, and exports reference
``$ASTRO_API_TOKEN``. Errors are one line on stderr with the documented exit codes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from labs_tui.cli import options as checks
from labs_tui.cli.common import EXIT_HTTP_ERROR, EXIT_NETWORK, EXIT_OK, EXIT_USAGE, fail
from labs_tui.cli.options import network_options
from labs_tui.text import inert, inert_json, inert_line

if TYPE_CHECKING:
    from labs_tui.client import CallRequest, CallResult, Diagnosis, Profile, Validation
    from labs_tui.compare import Comparison, Row
    from labs_tui.spec import Operation, Spec

MAX_REQUEST_BODY = 50 * 1024 * 1024
PREVIEW_CHARS = 1024 * 1024
"""Text, HTML and JSON bodies: at most this many characters reach stdout unless --full-body (--json too)."""
PREVIEW_LINES = 20_000
"""... and at most this many lines (human output only)."""
HEX_PREVIEW_BYTES = 64
"""Binary bodies: the first bytes shown, as a hex dump (human) or hex digits (--json ``body``)."""
WIDE_TERMINAL = 100
_MARK_STYLE = {"-": "red", "+": "green", "~": "yellow", ">": "cyan", "!": "magenta", "=": None}


clean = inert


def _json_text(value: Any, *, indent: int | None = 2) -> str:
    return inert_json(value, indent=indent)


def _note(message: str) -> None:
    click.echo(f"note: {inert_line(message)}", err=True)


class _OneLineErrors(click.Command):
    """Usage errors as ``error: <one line>`` (exit 2) instead of click's multi-line usage block."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            fail(f"{error.format_message()} (see labs-tui {self.name} --help)", EXIT_USAGE)


# -- shared request options --------------------------------------------------------------------


def _request_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("method"),
        click.argument("target", metavar="PATH|OPERATION_ID"),
        click.option(
            "--spec", "spec_source", metavar="FILE|URL", help="OpenAPI spec (default: bundled Labs)."
        ),
        click.option("--profile", metavar="NAME", help="sandbox (default), live, or one from the config."),
        click.option("--base-url", metavar="URL", help="Send here instead; allows this host for the token."),
        click.option(
            "-H",
            "--header",
            "headers",
            multiple=True,
            metavar="'Name: value'",
            help="Add a header; 'Name:' with no value removes it (Authorization too).",
        ),
        click.option("-q", "--query", multiple=True, metavar="name=value", help="Add a query parameter."),
        click.option(
            "-p",
            "--path-param",
            "path_params",
            multiple=True,
            metavar="name=value",
            help="Fill a {name} in the path.",
        ),
        click.option(
            "-d", "--data", metavar="JSON|@file", help="Request body; @file reads a file, @- stdin."
        ),
        click.option("--timeout", metavar="S", help="Seconds for the whole exchange (default 30)."),
        click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout."),
    ]
    for option in reversed(options):
        func = option(func)
    return network_options(func)


@dataclass(slots=True)
class _Plan:
    method: str
    path: str
    operation: Operation | None
    path_params: dict[str, str]
    query: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    body: bytes | None
    profile: Profile
    spec: Spec | None
    spec_source: str | None
    timeout: float
    body_cap: int


def _parent_option(ctx: click.Context, name: str, value: Any) -> Any:
    if value is not None or ctx.parent is None:
        return value
    return ctx.parent.params.get(name)


def _pairs(values: tuple[str, ...], sep: str, flag: str) -> list[tuple[str, str]]:
    out = []
    for item in values:
        name, found, value = item.partition(sep)
        if not found or not name.strip():
            example = "'Name: value'" if sep == ":" else "name=value"
            fail(f"{flag} takes {example}, got {item!r}")
        out.append((name.strip(), value.strip() if sep == ":" else value))
    return out


def _read_body(data: str | None) -> bytes | None:
    if data is None:
        return None
    if not data.startswith("@"):
        return data.encode("utf-8")
    where = data[1:]
    try:
        if where == "-":
            raw = sys.stdin.buffer.read(MAX_REQUEST_BODY + 1)
        else:
            with open(where, "rb") as handle:
                raw = handle.read(MAX_REQUEST_BODY + 1)
    except OSError as error:
        fail(f"cannot read the body from {where!r}: {error.strerror or error}")
    if len(raw) > MAX_REQUEST_BODY:
        fail(f"the body from {where!r} is larger than {MAX_REQUEST_BODY // (1024 * 1024)} MB")
    return raw


def _parse_timeout(text: str | None, default: float) -> float:
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        fail(f"--timeout must be a number of seconds from 0 to 3600, got {text!r}")
    return value


def _load_config() -> tuple[Mapping[str, Any] | None, float | None, int | None]:
    try:
        from labs_tui.store import load_config
    except ImportError:
        return None, None, None
    config, warnings = load_config()
    for warning in warnings:
        _note(f"config: {warning}")
    return config.profiles_mapping(), config.timeouts.request, config.body_cap


def _load_spec(source: str | None) -> Spec | None:
    try:
        from labs_tui.spec import SpecError, load_spec
    except ImportError:
        if source is not None:
            fail("the spec engine is not available in this build")
        return None
    try:
        return load_spec(source)
    except SpecError as error:
        fail(f"spec: {error}")


def _resolve_target(
    spec: Spec | None, method: str, target: str
) -> tuple[str, Operation | None, dict[str, str]]:
    """(path to send, operation if the spec knows it, path params found in a concrete path)."""
    if target.startswith(("http://", "https://")):
        _note(f"{method} {target}: an absolute URL, not checked against the spec")
        return target, None, {}
    if target.startswith("/"):
        bare = target.split("?", 1)[0]
        found = spec.match(method, bare) if spec is not None else None
        if found is not None:
            operation, params = found
            return target, operation, dict(params)
        if spec is not None:
            others = spec.allowed_methods(bare)
            listed = f" (it lists {', '.join(others)} for this path)" if others else ""
            _note(f"{method} {bare} is not in the spec{listed}; sending it anyway")
        return target, None, {}
    if spec is None:
        fail(f"{target!r} is not a path, and no spec is loaded to look it up")
    named = spec.find(target)
    if named is None:
        fail(f"no operation {target!r} in the spec; `labs-tui endpoints` lists them, or give a /path")
    if named.method != method:
        fail(f"{target} is {named.method} {named.path}, not {method}")
    return named.path, named, {}


def _plan(ctx: click.Context, method: str, target: str, options: dict[str, Any]) -> _Plan:
    from labs_tui.client import HTTP_METHODS, ProfileError, resolve_profile

    verb = method.upper()
    if verb not in HTTP_METHODS:
        fail(f"METHOD must be one of {', '.join(HTTP_METHODS)}; got {method!r}")
    spec_source = _parent_option(ctx, "spec_source", options["spec_source"])
    profile_name = _parent_option(ctx, "profile", options["profile"])
    base_url = _parent_option(ctx, "base_url", options["base_url"])
    headers = _pairs(options["headers"], ":", "-H")
    checks.check_headers(headers)
    checks.check_base_url(base_url)
    ca_cert = checks.check_ca_cert(_parent_option(ctx, "ca_cert", options["ca_cert"]))
    query = _pairs(options["query"], "=", "-q")
    path_params = dict(_pairs(options["path_params"], "=", "-p"))
    body = _read_body(options["data"])
    config, config_timeout, config_cap = _load_config()
    timeout = _parse_timeout(options["timeout"], config_timeout or 30.0)
    try:
        profile = resolve_profile(
            profile_name,
            base_url=base_url,
            config=config,
            env=os.environ,
            ca_cert=ca_cert,
            insecure=bool(options["insecure"]),
        )
    except ProfileError as error:
        fail(str(error))
    spec = _load_spec(spec_source)
    checks.check_target(target)
    path, operation, found_params = _resolve_target(spec, verb, target)
    if (
        spec is not None
        and spec.version_header != profile.version_header
        and profile.name in ("sandbox", "live")
    ):
        profile = dataclasses.replace(profile, version_header=spec.version_header)
    if not profile.token and not profile.is_sandbox:
        _note(f"no token: {profile.token_env or 'ASTRO_API_TOKEN'} is not set; sending without Authorization")
    if body is not None and not any(n.lower() == "content-type" for n, _ in headers):
        try:
            json.loads(body)
        except (ValueError, RecursionError):
            _note(
                "the body is not valid JSON; sent as application/json (-H 'Content-Type: ...' changes that)"
            )
    return _Plan(
        method=verb,
        path=path,
        operation=operation,
        path_params={**found_params, **path_params},
        query=query,
        headers=headers,
        body=body,
        profile=profile,
        spec=spec,
        spec_source=spec_source,
        timeout=timeout,
        body_cap=config_cap or 50 * 1024 * 1024,
    )


def _build(plan: _Plan, profile: Profile, pin: str | None) -> CallRequest:
    from labs_tui.client import RequestError, build_request

    try:
        request = build_request(
            profile,
            method=plan.method,
            path=plan.path,
            operation=plan.operation,
            path_params=plan.path_params,
            query=plan.query,
            headers=plan.headers,
            body=plan.body,
            pin=pin,
        )
    except RequestError as error:
        fail(str(error))
    for remark in request.notes:
        _note(remark)
    return request


@contextmanager
def _live_profile(plan: _Plan) -> Iterator[Profile]:
    """The profile with a base URL: the embedded sandbox is started for this run when needed."""
    profile = plan.profile
    checks.check_proxies()
    checks.warn_network(profile)
    if not (profile.is_sandbox and profile.base_url is None):
        yield profile
        return
    from labs_tui.sandbox import SandboxError, start

    try:
        handle = start(port=0, spec=plan.spec if plan.spec_source else None)
    except SandboxError as error:
        fail(f"the embedded sandbox could not start: {error}", EXIT_NETWORK)
    try:
        yield dataclasses.replace(profile, base_url=handle.base_url)
    finally:
        handle.stop()


# -- call ----------------------------------------------------------------------------------------


@click.command("call", cls=_OneLineErrors, context_settings={"max_content_width": 100})
@_request_options
@click.option("--pin", metavar="V", help="X-Labs-API-Version to pin (e.g. 1.0); 'latest' sends none.")
@click.option("--curl", "export", flag_value="curl", help="Print the equivalent curl command instead.")
@click.option("--httpie", "export", flag_value="httpie", help="Print the equivalent HTTPie command instead.")
@click.option(
    "-o",
    "--output",
    "output",
    metavar="FILE",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the body (up to the body cap) to FILE byte for byte, not to stdout.",
)
@click.option(
    "--full-body",
    is_flag=True,
    help="Print the whole body (text/JSON; hex for binary with --json), not the first 1 MiB.",
)
@click.option(
    "--from",
    "from_file",
    metavar="FILE",
    help="Send a saved request (YAML); METHOD, PATH and other flags given override the file.",
)
@click.option(
    "--from-curl",
    metavar="'curl ...'",
    help="Send what a curl command would; its bearer token is replaced by the profile's.",
)
@click.pass_context
def call(
    ctx: click.Context,
    /,
    method: str | None,
    target: str | None,
    pin: str | None,
    export: str | None,
    output: str | None,
    full_body: bool,
    from_file: str | None = None,
    from_curl: str | None = None,
    **options: Any,
) -> None:
    """Send one request and explain what came back.

    METHOD is one of GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS, TRACE. A PATH the spec does
    not list is still sent, with a note on stderr. The token comes from the profile (the
    environment for live), never from the command line.

    \b
    Exit codes: 0 status below 400; 1 status 400 or more; 2 usage or spec
    error; 3 network failure.

    Bodies never flood a terminal: binary ones (also any body dense with control bytes) show size, type
    and a hex dump of their first 64 bytes; text and JSON show their first 1 MiB (20,000 lines), and
    --json its first 1 MiB with bodyTruncated: true. -o FILE saves all of it; --full-body prints all.

    The answer is checked against the schema the spec documents for its status: one line per problem
    under the status line, and --json's "validation" ({schema, errors: [{path, message}],
    undocumented}, null when no schema is documented).
    """
    if output is not None:
        _check_output(output)
    source, folder = _source_request(ctx, from_file, from_curl)
    method, target = _source_target(method, target, source)
    values = _variable_values(folder)
    target = _fill_all([target], values, {"ASTRO_API_TOKEN"})[0]
    if source is not None and source.profile and _parent_option(ctx, "profile", options["profile"]) is None:
        options["profile"] = source.profile
    pin = _parent_option(ctx, "pin", pin)
    checks.check_pin(pin)
    plan = _plan(ctx, method, target, options)
    if source is not None:
        pin = _merge_source(plan, source, options, pin)
        checks.check_pin(pin)
    _expand_variables(plan, values)
    if export is not None:
        _print_export(plan, pin, export)
        return
    with _live_profile(plan) as profile:
        request = _build(plan, profile, pin)
        result = asyncio.run(_send_one(profile, request, plan))
    from labs_tui.client import diagnose

    diagnosis = diagnose(result, plan.operation, token=profile.token, version_header=profile.version_header)
    for remark in result.notes:
        _note(remark)
    if result.truncated:
        _note(f"the body was cut at {result.size} bytes (the body cap); what is shown is incomplete")
    if result.json_error and not options["as_json"]:
        _note(result.json_error)
    saved = _save_body(output, result) if output is not None else None
    checked = _check(plan, result)
    if options["as_json"]:
        click.echo(
            _json_text(call_json(result, diagnosis, full_body=full_body, saved_to=saved, validation=checked))
        )
    else:
        _print_human(result, diagnosis, full_body=full_body, saved=saved is not None, validation=checked)
    if result.network_error is not None:
        raise SystemExit(EXIT_NETWORK)
    raise SystemExit(EXIT_HTTP_ERROR if (result.status or 0) >= 400 else EXIT_OK)


for _param in call.params:  # METHOD and PATH come from --from / --from-curl when those are given
    if isinstance(_param, click.Argument):
        _param.required = False


# -- saved requests, curl import, variables (store.collection, client.curl, client.variables) ----------


def _source_request(ctx: click.Context, from_file: str | None, from_curl: str | None) -> tuple[Any, Any]:
    """(the SavedRequest --from/--from-curl gives or None, the folder whose .env fills variables)."""
    from pathlib import Path

    from labs_tui.store import CollectionError, default_collection_dir, load_request

    if from_file is not None and from_curl is not None:
        fail("give --from FILE or --from-curl, not both")
    if from_file is not None:
        path = Path(from_file).expanduser()
        try:
            return load_request(path), path.resolve().parent
        except CollectionError as error:
            fail(str(error))
    collection = _parent_option(ctx, "collection", None)
    folder = Path(collection).expanduser() if collection else default_collection_dir()
    if from_curl is None:
        return None, folder
    return _curl_request(from_curl), folder


def _curl_request(command: str) -> Any:
    from labs_tui.client import CurlError, parse_curl
    from labs_tui.store import from_curl

    try:
        parsed = parse_curl(command)
    except CurlError as error:
        fail(f"--from-curl: {error}")
    for remark in parsed.notices:
        _note(remark)
    return from_curl(parsed)


def _source_target(method: str | None, target: str | None, source: Any) -> tuple[str, str]:
    if source is not None:
        return method or source.method, target or source.path
    if method is None or target is None:
        fail("Missing argument: METHOD and PATH|OPERATION_ID (or --from FILE, or --from-curl 'curl ...')")
    return method, target


def _merge_source(plan: _Plan, source: Any, options: dict[str, Any], pin: str | None) -> str | None:
    """The saved request under the command line's flags (same names: the command line wins)."""
    cli_params = dict(_pairs(options["path_params"], "=", "-p"))
    plan.path_params = {**plan.path_params, **dict(source.path_params), **cli_params}
    cli_query = {name for name, _ in plan.query}
    plan.query = [(n, v) for n, v in source.query if n not in cli_query] + plan.query
    cli_headers = {name.lower() for name, _ in plan.headers}
    plan.headers = [(n, v) for n, v in source.headers if n.lower() not in cli_headers] + plan.headers
    if options["data"] is None and source.body is not None:
        plan.body = source.body.encode("utf-8")
    return pin if pin is not None else source.pin


def _variable_values(folder: Any) -> dict[str, str]:
    from labs_tui.store import dotenv_values

    return {**dotenv_values(folder), **os.environ}


def _fill_all(texts: list[str], values: Mapping[str, str], secrets: set[str]) -> list[str]:
    """``texts`` with ``${NAME}`` filled; exit 2 naming every variable with no value (or the token's)."""
    from labs_tui.client import expand

    missing: dict[str, None] = {}
    refused: dict[str, None] = {}
    out = []
    for text in texts:
        if "${" not in text:
            out.append(text)
            continue
        done = expand(text, values, secret_names=secrets)
        missing.update(dict.fromkeys(done.missing))
        refused.update(dict.fromkeys(done.refused))
        out.append(done.text)
    if refused:
        fail(f"variable(s) {', '.join(refused)} name the token; a variable never takes its value")
    if missing:
        fail(f"unresolved variable(s): {', '.join(missing)}")
    return out


def _expand_variables(plan: _Plan, values: Mapping[str, str]) -> None:
    """Fill ``${NAME}`` in params, headers and body from the environment over the collection's .env."""
    secrets = {"ASTRO_API_TOKEN", *([plan.profile.token_env] if plan.profile.token_env else [])}
    params, query, headers = list(plan.path_params.items()), plan.query, plan.headers
    body: str | None = None
    if plan.body is not None and b"${" in plan.body:
        try:
            body = plan.body.decode("utf-8")
        except UnicodeDecodeError:
            body = None
    texts = [v for _, v in params] + [v for _, v in query] + [v for _, v in headers] + [body or ""]
    filled = iter(_fill_all(texts, values, secrets))
    plan.path_params = {n: next(filled) for n, _ in params}
    plan.query = [(n, next(filled)) for n, _ in query]
    plan.headers = [(n, next(filled)) for n, _ in headers]
    last = next(filled)
    if body is not None:
        plan.body = last.encode("utf-8")


def _check_output(path: str) -> None:
    """Refuse an -o target that cannot be written before anything is sent (exit 2)."""
    parent = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        fail(f"-o {path}: is a directory; give a file name")
    if not os.path.isdir(parent):
        fail(f"-o {path}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        fail(f"-o {path}: the directory {parent} is not writable")


def _save_body(path: str, result: CallResult) -> str | None:
    """Write the body to ``path`` atomically (a temporary file beside it, renamed); None if no answer."""
    import tempfile

    if result.network_error is not None:
        _note(f"nothing written to {path}: no answer came")
        return None
    target = os.path.abspath(path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed or removed
        dir=os.path.dirname(target), prefix=".labs-tui-", suffix=".part", delete=False
    )
    try:
        with handle:
            handle.write(result.body)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)
        os.replace(handle.name, target)
    except OSError as error:
        try:
            os.unlink(handle.name)
        except OSError:
            pass
        fail(f"cannot write the body to {path}: {error.strerror or error}")
    capped = " (cut at the body cap)" if result.truncated else ""
    _note(f"body saved to {path}: {len(result.body):,} bytes{capped}")
    return target


async def _send_one(profile: Profile, request: CallRequest, plan: _Plan) -> CallResult:
    from labs_tui.client import Client

    async with Client(profile, timeout=plan.timeout, body_cap=plan.body_cap) as client:
        return await client.send(request)


def _check(plan: _Plan, result: CallResult) -> Validation | None:
    """The answer checked against the schema its spec documents (None: no spec, operation or schema)."""
    if plan.spec is None or plan.operation is None:
        return None
    from labs_tui.client import check_response

    return check_response(plan.spec, plan.operation, result)


def _print_export(plan: _Plan, pin: str | None, kind: str) -> None:
    from labs_tui.client import DEFAULT_SANDBOX_URL, to_curl, to_httpie

    profile = plan.profile
    if profile.is_sandbox and profile.base_url is None:
        profile = dataclasses.replace(profile, base_url=DEFAULT_SANDBOX_URL)
        _note(f"the URL is where `labs-tui sandbox` listens by default ({DEFAULT_SANDBOX_URL})")
    request = _build(plan, profile, pin)
    click.echo((to_curl if kind == "curl" else to_httpie)(request, profile))


def _headers_object(headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _json_body(result: CallResult, full_body: bool) -> tuple[Any, str | None, bool]:
    """(``body``, ``bodyEncoding``, ``bodyTruncated``) for --json: bounded unless ``full_body``."""
    kind = result.content_kind
    if kind == "binary":
        shown = result.body if full_body else result.body[:HEX_PREVIEW_BYTES]
        return shown.hex(), "hex", len(shown) < len(result.body)
    if kind in ("json", "text", "html"):
        text = result.text or ""
        if kind == "json" and (full_body or len(text) <= PREVIEW_CHARS):
            return result.json, "json", False
        if full_body or len(text) <= PREVIEW_CHARS:
            return text, "text", False
        return text[:PREVIEW_CHARS], "text", True
    return None, None, False


def call_json(
    result: CallResult,
    diagnosis: Diagnosis,
    *,
    full_body: bool = False,
    saved_to: str | None = None,
    validation: Validation | None = None,
) -> dict[str, Any]:
    """The ``--json`` object the issue specifies, from a result, its diagnosis and its schema check.

    ``body`` is bounded: the parsed JSON or the text when it has at most ``PREVIEW_CHARS`` characters,
    else its first ``PREVIEW_CHARS`` as a string with ``bodyTruncated: true``; binary bodies are the hex
    digits of their first ``HEX_PREVIEW_BYTES`` bytes. ``full_body`` lifts the bound; ``saved_to`` (-o)
    leaves ``body`` null and names the file in ``bodyFile``.
    """
    body: Any
    if saved_to is not None:
        body, encoding, cut = None, None, False
    else:
        body, encoding, cut = _json_body(result, full_body)
    error: dict[str, Any] | None = None
    if result.network_error is not None:
        error = {
            "message": result.network_error.message,
            "statusCode": None,
            "requestId": None,
            "fieldErrors": [],
        }
    elif (result.status or 0) >= 400:
        api = diagnosis.error
        error = {
            "message": (api.message if api and api.message else None) or diagnosis.summary or result.reason,
            "statusCode": api.status_code if api and api.status_code is not None else result.status,
            "requestId": diagnosis.request_id,
            "fieldErrors": [
                {"field": f.field, "message": f.message, "code": f.code}
                for f in (api.field_errors if api else ())
            ],
        }
    retry = diagnosis.retry_after_s
    return {
        "request": {
            "method": result.request.method,
            "url": result.request.url,
            "headers": _headers_object(result.request.headers),
        },
        "status": result.status,
        "reason": result.reason or None,
        "elapsedMs": round(result.elapsed_ms, 1),
        "headers": _headers_object(result.headers),
        "body": body,
        "contentKind": result.content_kind,
        "bodyEncoding": encoding,
        "bodySize": result.size if result.network_error is None else None,
        "bodyTruncated": cut,
        "bodyCapped": result.truncated,
        "bodyFile": saved_to,
        "requestId": diagnosis.request_id,
        "requestIdSource": diagnosis.request_id_source,
        "error": error,
        "retryAfter": (int(retry) if retry is not None and retry == int(retry) else retry),
        "servedVersion": diagnosis.served_version,
        "hint": diagnosis.hint,
        "validation": _validation_json(validation),
    }


def _validation_json(validation: Validation | None) -> dict[str, Any] | None:
    from labs_tui.client import validation_json

    return validation_json(validation)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _is_tty() -> bool:
    return sys.stdout.isatty()


def _highlight(text: str, kind: str) -> str:
    if not _is_tty() or len(text) > 2_000_000:
        return text
    from pygments import highlight
    from pygments.formatters import TerminalFormatter
    from pygments.lexers import HtmlLexer, JsonLexer

    lexer = JsonLexer() if kind == "json" else HtmlLexer()
    return highlight(text, lexer, TerminalFormatter()).rstrip("\n")


def _print_human(
    result: CallResult,
    diagnosis: Diagnosis,
    *,
    full_body: bool = False,
    saved: bool = False,
    validation: Validation | None = None,
) -> None:
    tty = _is_tty()
    if result.network_error is not None:
        click.echo(
            click.style(f"{diagnosis.title}: ", fg="red", bold=True) if tty else f"{diagnosis.title}: ",
            nl=False,
        )
        click.echo(clean(result.network_error.message))
        return
    parts = [clean(f"{result.http_version} {result.status} {result.reason}".strip())]
    parts.append(f"{result.elapsed_ms:.0f} ms")
    parts.append(human_size(result.size) + (" (truncated)" if result.truncated else ""))
    if diagnosis.served_version:
        parts.append(f"version {clean(diagnosis.served_version)}")
    line = " · ".join(parts)
    colour = "green" if (result.status or 0) < 400 else "red"
    click.echo(click.style(line, fg=colour, bold=True) if tty else line)
    for problem in schema_lines(validation):
        click.echo(click.style(problem, fg="yellow") if tty else problem)
    if (result.status or 0) >= 400:
        _print_error_panel(result, diagnosis)
    elif diagnosis.request_id:
        click.echo(f"requestId {clean(diagnosis.request_id)} (from the {diagnosis.request_id_source})")
    if saved:
        return
    body, cut = _body_for_terminal(result, full_body)
    if body:
        click.echo("")
        click.echo(body)
    if cut:
        _note(
            f"showing the first {cut}; -o FILE saves the whole body ({result.size:,} bytes), "
            "--full-body prints all of it"
        )


def _where(path: str) -> str:
    return path or "(root)"


def schema_lines(validation: Validation | None, indent: str = "") -> list[str]:
    """One line per schema problem (errors, then undocumented properties), nothing when it conforms.

    Pointers and messages carry server text: each line goes through ``inert_line``.
    """
    if validation is None:
        return []
    if validation.skipped is not None:
        return [indent + inert_line(f"schema {validation.schema}: not checked: {validation.skipped}")]
    lines = [
        indent + inert_line(f"schema {_where(p.path)}: {p.message} ({validation.schema})")
        for p in validation.errors
    ]
    if validation.more_errors:
        lines.append(f"{indent}schema: more problems than the {len(validation.errors)} shown")
    lines += [
        indent + inert_line(f"schema {path}: undocumented (not in {validation.schema})")
        for path in validation.undocumented
    ]
    return lines


def schema_summary(validation: Validation | None) -> str:
    """Whether an answer matches its documented shape, in one line."""
    if validation is None:
        return "no schema documented for this answer"
    if validation.skipped is not None:
        return f"not checked against {validation.schema}: {validation.skipped}"
    if validation.errors:
        count = len(validation.errors)
        more = "+" if validation.more_errors else ""
        plural = "s" if count != 1 or more else ""
        return f"does not match {validation.schema}: {count}{more} schema problem{plural}"
    text = f"matches {validation.schema}"
    if validation.variants:
        text += f" ({', '.join(validation.variants)})"
    if validation.undocumented:
        text += f"; {len(validation.undocumented)} undocumented: {', '.join(validation.undocumented[:5])}"
    return text


def _print_error_panel(result: CallResult, diagnosis: Diagnosis) -> None:
    from labs_tui.client import NO_REQUEST_ID

    api = diagnosis.error
    rows: list[tuple[str, str]] = []
    message = (api.message if api and api.message else None) or diagnosis.summary or result.reason
    rows.append(("message", message))
    rows.append(
        ("statusCode", str(api.status_code) if api and api.status_code is not None else "(not in the body)")
    )
    if diagnosis.request_id:
        rows.append(("requestId", f"{diagnosis.request_id} (from the {diagnosis.request_id_source})"))
    else:
        rows.append(("requestId", f"none: {NO_REQUEST_ID}"))
    for field in api.field_errors if api else ():
        rows.append(("field", f"{field.field}: {field.message}" + (f" [{field.code}]" if field.code else "")))
    if diagnosis.rate_limit:
        rows.append(("rate limit", ", ".join(f"{k}: {v}" for k, v in diagnosis.rate_limit.items())))
    if diagnosis.hint:
        rows.append(("hint", diagnosis.hint))
    for label, value in rows:
        click.echo(f"  {label:<11} {clean(' '.join(value.split()))}")


def _pretty_json_preview(value: Any, limit: int) -> tuple[str, bool]:
    """``value`` pretty-printed (indent 2), cut after ``limit`` characters: encoded lazily, never whole."""
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False, default=str)
    parts: list[str] = []
    size = 0
    for chunk in encoder.iterencode(value):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            return "".join(parts)[:limit], True
    return "".join(parts), False


def _bounded(text: str, full_body: bool, already_cut: bool = False) -> tuple[str, str]:
    """(text cut to PREVIEW_CHARS / PREVIEW_LINES unless ``full_body``, what was kept or "")."""
    if full_body:
        return text, ""
    cut = already_cut
    if len(text) > PREVIEW_CHARS:
        text, cut = text[:PREVIEW_CHARS], True
    end = -1
    for _ in range(PREVIEW_LINES):
        end = text.find("\n", end + 1)
        if end == -1:
            break
    if end != -1 and end < len(text) - 1:
        text, cut = text[:end], True
    if not cut:
        return text, ""
    lines = text.count("\n") + 1
    return text, f"{len(text):,} characters, {lines:,} lines (1 MiB, {PREVIEW_LINES:,} lines at most)"


def _body_for_terminal(result: CallResult, full_body: bool = False) -> tuple[str, str]:
    """(what to print for the body, "" or what a bounded preview kept, for the note)."""
    kind = result.content_kind
    if kind == "json":
        if full_body:
            return _highlight(clean(_json_text(result.json)), "json"), ""
        pretty, cut = _pretty_json_preview(result.json, PREVIEW_CHARS)
        text, kept = _bounded(pretty, full_body, cut)
        return _highlight(clean(text), "json"), kept
    if kind in ("html", "text"):
        text, kept = _bounded(result.text or "", full_body)
        shown = clean(text)
        return (_highlight(shown, "html") if kind == "html" else shown), kept
    if kind == "binary":
        from labs_tui.client import hexdump_lines

        of = clean(result.content_type) or "unknown type"
        lines = [f"<binary body: {human_size(result.size)} of {of}; not shown>"]
        dump = hexdump_lines(result.body, HEX_PREVIEW_BYTES)
        if dump:
            lines.append(f"first {min(len(result.body), HEX_PREVIEW_BYTES)} bytes:")
            lines.extend(dump)
        lines.append("save it with -o FILE")
        return "\n".join(lines), ""
    return "", ""


# -- compare -------------------------------------------------------------------------------------


@click.command("compare", cls=_OneLineErrors, context_settings={"max_content_width": 100})
@_request_options
@click.option("--versions", required=True, metavar="1.0,latest[,...]", help="Versions to send under.")
@click.option("--allow-unsafe", is_flag=True, help="Allow POST, PUT, PATCH, DELETE (sent once per version).")
@click.pass_context
def compare(
    ctx: click.Context, /, method: str, target: str, versions: str, allow_unsafe: bool, **options: Any
) -> None:
    """Send one request under several versions and diff the answers.

    Versions are pinned with the spec's version header (X-Labs-API-Version); 'latest' sends no
    pin. Volatile headers (Date, request ids, rate-limit counters, ...) are ignored. Each answer is
    checked against its documented schema (a line per version; "validation" per response in --json).

    \b
    Exit codes: 0 identical; 1 differences; 2 usage or spec error; 3 network failure.
    """
    from labs_tui.compare import UNSAFE_METHODS, CompareError, check_versions

    try:
        chosen = check_versions(versions.split(","))
    except CompareError as error:
        fail(str(error))
    if method.upper() in UNSAFE_METHODS and not allow_unsafe:
        fail(
            f"refusing to send {method.upper()} {len(chosen)} times: it may change data; "
            "--allow-unsafe sends it anyway"
        )
    plan = _plan(ctx, method, target, options)
    with _live_profile(plan) as profile:
        request = _build(plan, profile, None)
        try:
            comparison = asyncio.run(_compare(profile, request, chosen, plan, allow_unsafe))
        except CompareError as error:
            fail(str(error))
    for remark in comparison.notes:
        _note(remark)
    if options["as_json"]:
        click.echo(_json_text(compare_json(comparison)))
    else:
        _print_comparison(comparison)
    if comparison.network_failed:
        raise SystemExit(EXIT_NETWORK)
    raise SystemExit(EXIT_OK if comparison.identical else EXIT_HTTP_ERROR)


async def _compare(
    profile: Profile, request: CallRequest, versions: tuple[str, ...], plan: _Plan, allow_unsafe: bool
) -> Comparison:
    from labs_tui.client import Client
    from labs_tui.compare import compare_versions

    async with Client(profile, timeout=plan.timeout, body_cap=plan.body_cap) as client:
        return await compare_versions(
            client, request, versions, allow_unsafe=allow_unsafe, spec=plan.spec, operation=plan.operation
        )


def compare_json(comparison: Comparison) -> dict[str, Any]:
    """``{versions, responses, changes, identical}`` as the issue specifies."""
    many = len(comparison.versions) > 2
    responses = []
    for response in comparison.responses:
        entry: dict[str, Any] = {
            "version": response.version,
            "status": response.result.status,
            "requestId": response.request_id,
            "servedVersion": response.served_version,
            "validation": _validation_json(response.validation),
        }
        if response.result.network_error is not None:
            entry["error"] = response.result.network_error.message
        responses.append(entry)
    changes = []
    for left, right, pair in comparison.pairs:
        for change in pair:
            item = change.to_json()
            if many:
                item["versions"] = [left, right]
            changes.append(item)
    return {
        "versions": list(comparison.versions),
        "responses": responses,
        "changes": changes,
        "identical": comparison.identical,
    }


def _style(text: str, mark: str, tty: bool) -> str:
    colour = _MARK_STYLE.get(mark)
    return click.style(text, fg=colour) if tty and colour else text


def _fit(text: str, width: int) -> str:
    text = clean(" ".join(text.split()))
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _version_label(comparison: Comparison, index: int) -> str:
    response = comparison.responses[index]
    result = response.result
    if result.network_error is not None:
        return f"{response.version}: network failure: {result.network_error.message}"
    served = f", served {response.served_version}" if response.served_version else ""
    rid = f", requestId {response.request_id}" if response.request_id else ""
    return f"{response.version}: {result.status} {result.reason}{served}{rid}"


def _shown_rows(rows: list[Row]) -> list[Row]:
    if len(rows) <= 60:
        return rows
    changed = [row for row in rows if row.mark != "=" or row.section != "body"]
    hidden = len(rows) - len(changed)
    if hidden:
        from labs_tui.compare import Row as RowType

        changed.append(RowType(f"({hidden} unchanged rows not shown)", None, None, "=", section="more"))
    return changed


def _print_comparison(comparison: Comparison) -> None:
    from labs_tui.compare import side_by_side, summary_line

    tty = _is_tty()
    width = shutil.get_terminal_size(fallback=(80, 24)).columns
    if len(comparison.versions) == 2:
        click.echo(clean(summary_line(comparison.changes)))
    else:
        for left, right, pair in comparison.pairs:
            click.echo(clean(f"{left} -> {right}: {summary_line(pair)}"))
    for response in comparison.responses:
        if response.result.network_error is not None:
            continue
        summary = inert_line(f"{response.version}: {schema_summary(response.validation)}")
        bad = response.validation is not None and not response.validation.conforms
        click.echo(click.style(summary, fg="yellow") if tty and bad else summary)
        for problem in schema_lines(response.validation, indent="  ") if bad else []:
            click.echo(click.style(problem, fg="yellow") if tty else problem)
    for index in range(len(comparison.responses) - 1):
        rows = _shown_rows(side_by_side(comparison, index, index + 1))
        left_label, right_label = _version_label(comparison, index), _version_label(comparison, index + 1)
        click.echo("")
        if width >= WIDE_TERMINAL:
            click.echo(clean(left_label))
            click.echo(clean(right_label))
            names = comparison.versions[index], comparison.versions[index + 1]
            _print_side_by_side(rows, names[0], names[1], width, tty)
        else:
            _print_unified(rows, left_label, right_label, width, tty)


def _row_path(row: Row) -> str:
    return f"{row.path} -> {row.right_path}" if row.right_path else row.path


def _print_side_by_side(rows: list[Row], left_label: str, right_label: str, width: int, tty: bool) -> None:
    path_width = min(32, max([len(_row_path(r)) for r in rows] + [4]))
    cell = max(10, (width - path_width - 8) // 2)
    click.echo(f"  {'':<{path_width}} │ {_fit(left_label, cell):<{cell}} │ {_fit(right_label, cell)}")
    for row in rows:
        if row.section == "more":
            click.echo(f"  {_fit(row.path, width - 2)}")
            continue
        text = (
            f"{row.mark} {_fit(_row_path(row), path_width):<{path_width}} │ "
            f"{_fit(row.left or '', cell):<{cell}} │ {_fit(row.right or '', cell)}"
        )
        click.echo(_style(text, row.mark, tty))


def _print_unified(rows: list[Row], left_label: str, right_label: str, width: int, tty: bool) -> None:
    limit = max(20, width - 4)
    click.echo(_style(f"--- {_fit(left_label, limit)}", "-", tty))
    click.echo(_style(f"+++ {_fit(right_label, limit)}", "+", tty))
    for row in rows:
        if row.section == "more":
            click.echo(f"  {_fit(row.path, limit)}")
        elif row.mark == "=":
            click.echo(f"  {_fit(f'{row.path}: {row.left}', limit)}")
        elif row.mark == ">":
            click.echo(_style(f"- {_fit(f'{row.path}: {row.left}', limit)}", "-", tty))
            click.echo(_style(f"+ {_fit(f'{row.right_path}: {row.right}  (renamed)', limit)}", "+", tty))
        else:
            if row.left is not None:
                click.echo(_style(f"- {_fit(f'{row.path}: {row.left}', limit)}", "-", tty))
            if row.right is not None:
                click.echo(_style(f"+ {_fit(f'{row.path}: {row.right}', limit)}", "+", tty))
