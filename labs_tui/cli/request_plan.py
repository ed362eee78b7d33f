"""The request options ``call`` and ``compare`` share, and the plan they make of them.

Flags become a ``Plan``: the core's ``RequestDraft`` (what to send) plus the profile, spec, timeout and
body cap (where and how). ``build`` turns it into a ``CallRequest`` with the core's ``build_request``;
``live_profile`` starts the embedded sandbox when the profile needs one. Bad input exits 2 with one
line on stderr (``fail``); notes go to stderr through ``inert_line``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from labs_tui.cli import options as checks
from labs_tui.cli.common import EXIT_NETWORK, EXIT_USAGE, fail
from labs_tui.cli.options import network_options
from labs_tui.text import inert_line

if TYPE_CHECKING:
    from labs_tui.client import CallRequest, FormPart, Profile, RequestDraft
    from labs_tui.spec import Operation, Spec

MAX_REQUEST_BODY = 50 * 1024 * 1024


def note(message: str) -> None:
    click.echo(f"note: {inert_line(message)}", err=True)


class OneLineErrors(click.Command):
    """Usage errors as ``error: <one line>`` (exit 2) instead of click's multi-line usage block."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            fail(f"{error.format_message()} (see labs-tui {self.name} --help)", EXIT_USAGE)


# -- shared request options --------------------------------------------------------------------


def request_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("method", required=False),  # [METHOD] TARGET: see split_positionals
        click.argument("target", metavar="PATH|OPERATION_ID", required=False),
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
        click.option(
            "-F",
            "--form",
            "form",
            multiple=True,
            metavar="name=value|name=@file",
            help="A multipart/form-data field, as curl -F: name=@file[;type=MEDIA] uploads a file.",
        ),
        click.option("--timeout", metavar="S", help="Seconds for the whole exchange (default 30)."),
        click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout."),
    ]
    for option in reversed(options):
        func = option(func)
    return network_options(func)


@dataclass(slots=True)
class Plan:
    """What ``call`` and ``compare`` send (``draft``, the core's input of ``build_request``) and where."""

    draft: RequestDraft
    profile: Profile
    spec: Spec | None
    spec_source: str | None
    timeout: float
    body_cap: int


def parent_option(ctx: click.Context, name: str, value: Any) -> Any:
    if value is not None or ctx.parent is None:
        return value
    return ctx.parent.params.get(name)


def pairs(values: tuple[str, ...], sep: str, flag: str) -> list[tuple[str, str]]:
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


def form_parts(fields: tuple[str, ...]) -> tuple[FormPart, ...]:
    """The -F fields as the core's form parts (exit 2, one line, on a bad one)."""
    from labs_tui.client import FormError, parse_form_arg

    try:
        return tuple(parse_form_arg(field) for field in fields)
    except FormError as error:
        fail(str(error))


def form_body(fields: tuple[str, ...], headers: list[tuple[str, str]]) -> bytes:
    """The -F fields as a multipart body (files read now); its Content-Type joins ``headers``."""
    import secrets

    from labs_tui.client import FormError, encode_form

    parts = form_parts(fields)
    try:
        body, content_type = encode_form("multipart/form-data", parts, "labs-tui-" + secrets.token_hex(8))
    except FormError as error:
        fail(str(error))
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", content_type))
    return body


def keep_saved_form(plan: Plan, saved: tuple[tuple[str, str], ...], options: dict[str, Any]) -> None:
    """A saved request's form (``--from``) as the draft's parts when its body was built from it (no -d or
    -F given): an export names its fields and files, not its body."""
    if not saved or options["data"] is not None or options["form"]:
        return
    from labs_tui.client import FormError, form_part

    try:
        parts = tuple(form_part(name, value) for name, value in saved)
    except FormError as error:
        fail(str(error))
    plan.draft = dataclasses.replace(plan.draft, form=parts)


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
        note(f"config: {warning}")
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
    spec: Spec | None, method: str, target: str, base_url: str | None = None
) -> tuple[str, Operation | None, dict[str, str]]:
    """(path to send, operation if the spec knows it, path params found in a concrete path).

    An absolute URL under the profile's base URL is matched as the path after the base URL's path."""
    if target.startswith(("http://", "https://")):
        from labs_tui.store import relative_to_base

        relative = relative_to_base(target, base_url)
        if relative is None or spec is None:
            note(f"{method} {target}: an absolute URL, not checked against the spec")
            return target, None, {}
        target = relative
    if target.startswith("/"):
        bare = target.split("?", 1)[0]
        found = spec.match(method, bare) if spec is not None else None
        if found is not None:
            operation, params = found
            return target, operation, dict(params)
        if spec is not None:
            others = spec.allowed_methods(bare)
            listed = f" (it lists {', '.join(others)} for this path)" if others else ""
            note(f"{method} {bare} is not in the spec{listed}; sending it anyway")
        return target, None, {}
    if spec is None:
        fail(f"{target!r} is not a path, and no spec is loaded to look it up")
    named = spec.find(target)
    if named is None:
        fail(f"no operation {target!r} in the spec; `labs-tui endpoints` lists them, or give a /path")
    if named.method != method:
        fail(f"{target} is {named.method} {named.path}, not {method}")
    return named.path, named, {}


def split_positionals(first: str | None, second: str | None) -> tuple[str | None, str | None]:
    """``[METHOD] TARGET``: with one positional it is the target, unless it is an HTTP method name."""
    from labs_tui.client import HTTP_METHODS

    if second is not None or first is None:
        return first, second
    if first.upper() in HTTP_METHODS:
        return first, None
    return None, first


def _given_method(method: str | None, target: str) -> tuple[str | None, str]:
    """A ``"METHOD /path"`` target split in two (the form ``--endpoint`` and ``describe`` take)."""
    from labs_tui.client import HTTP_METHODS

    word, space, rest = target.partition(" ")
    rest = rest.strip()
    if not space or word.upper() not in HTTP_METHODS or not rest.startswith(("/", "http://", "https://")):
        return method, target
    if method is not None and method.upper() != word.upper():
        fail(f"two methods given: {method} and {target!r}")
    return word, rest


def _pick_method(spec: Spec | None, target: str) -> str:
    """The method a target without METHOD brings: an operationId's, or a path's only one in the spec."""
    if target.startswith(("http://", "https://")):
        fail(f"a METHOD is needed before a URL: e.g. GET {target}")
    if target.startswith("/"):
        bare = target.split("?", 1)[0]
        listed = spec.allowed_methods(bare) if spec is not None else ()
        if len(listed) == 1:
            note(f"{bare}: the spec lists only {listed[0]} for this path; sending {listed[0]}")
            return listed[0]
        if listed:
            fail(f"a METHOD is needed before {bare}: the spec lists {', '.join(listed)} for it")
        fail(f"a METHOD is needed before {bare} (the spec does not list it): e.g. GET {target}")
    if spec is None:
        fail(f"{target!r} is not a path, and no spec is loaded to look it up")
    named = spec.find(target)
    if named is None:
        fail(f"no operation {target!r} in the spec; `labs-tui endpoints` lists them, or give a /path")
    return named.method


def plan_request(
    ctx: click.Context, method: str | None, target: str, options: dict[str, Any], pin: str | None = None
) -> Plan:
    """The command line's request options checked and resolved: exit 2 (one line) on the first bad one.

    ``method`` None: the target's own (an operationId's, or the only one the spec lists for a path).
    """
    from labs_tui.client import HTTP_METHODS, RequestDraft

    method, target = _given_method(method, target)
    if method is not None and method.upper() not in HTTP_METHODS:
        fail(f"METHOD must be one of {', '.join(HTTP_METHODS)}; got {method!r}")
    spec_source = parent_option(ctx, "spec_source", options["spec_source"])
    base_url = parent_option(ctx, "base_url", options["base_url"])
    headers = pairs(options["headers"], ":", "-H")
    checks.check_headers(headers)
    checks.check_base_url(base_url)
    ca_cert = checks.check_ca_cert(parent_option(ctx, "ca_cert", options["ca_cert"]))
    if parent_option(ctx, "insecure", None):  # labs-tui --insecure call ...: as --ca-cert may come first
        options["insecure"] = True
    query = pairs(options["query"], "=", "-q")
    path_params = dict(pairs(options["path_params"], "=", "-p"))
    body = _read_body(options["data"])
    form: tuple[FormPart, ...] = ()
    if options["form"]:
        if body is not None:
            fail("-d and -F cannot be combined: -F builds a multipart/form-data body")
        body = form_body(options["form"], headers)
        form = form_parts(options["form"])
    config, config_timeout, config_cap = _load_config()
    timeout = _parse_timeout(options["timeout"], config_timeout or 30.0)
    profile = _profile(parent_option(ctx, "profile", options["profile"]), base_url, config, ca_cert, options)
    spec = _load_spec(spec_source)
    checks.check_target(target)
    verb = method.upper() if method is not None else _pick_method(spec, target)
    path, operation, found_params = _resolve_target(spec, verb, target, profile.base_url)
    profile = _spec_profile(profile, spec)
    _warn_token_and_body(profile, body, headers)
    draft = RequestDraft(
        method=verb,
        path=path,
        operation=operation,
        path_params={**found_params, **path_params},
        query=tuple(query),
        headers=tuple(headers),
        body=body,
        pin=pin,
        form=form,
    )
    return Plan(
        draft=draft,
        profile=profile,
        spec=spec,
        spec_source=spec_source,
        timeout=timeout,
        body_cap=config_cap or 50 * 1024 * 1024,
    )


def _profile(
    name: str | None,
    base_url: str | None,
    config: Mapping[str, Any] | None,
    ca_cert: str | None,
    options: dict[str, Any],
) -> Profile:
    from labs_tui.client import ProfileError, resolve_profile

    try:
        return resolve_profile(
            name,
            base_url=base_url,
            config=config,
            env=os.environ,
            ca_cert=ca_cert,
            insecure=bool(options["insecure"]),
        )
    except ProfileError as error:
        fail(str(error))


def _spec_profile(profile: Profile, spec: Spec | None) -> Profile:
    """The built-in profiles pin with the spec's version header when it names another one."""
    if (
        spec is not None
        and spec.version_header != profile.version_header
        and profile.name in ("sandbox", "live")
    ):
        return dataclasses.replace(profile, version_header=spec.version_header)
    return profile


def _warn_token_and_body(profile: Profile, body: bytes | None, headers: list[tuple[str, str]]) -> None:
    if not profile.token and not profile.is_sandbox:
        note(f"no token: {profile.token_env or 'ASTRO_API_TOKEN'} is not set; sending without Authorization")
    if body is not None and not any(n.lower() == "content-type" for n, _ in headers):
        try:
            json.loads(body)
        except (ValueError, RecursionError):
            note("the body is not valid JSON; sent as application/json (-H 'Content-Type: ...' changes that)")


def build(plan: Plan, profile: Profile) -> CallRequest:
    """``build_request`` of the plan's draft under ``profile``; exit 2 (one line) if it cannot be sent."""
    from labs_tui.client import RequestError, build_request

    try:
        request = build_request(profile, plan.draft)
    except RequestError as error:
        fail(str(error))
    for remark in request.notes:
        note(remark)
    return request


def export_profile(plan: Plan) -> Profile:
    """The profile an exported command (``--curl``, ``--httpie``) names: the sandbox profile gets the
    URL where ``labs-tui sandbox`` (with the same ``--spec``) listens by default, on the path it
    serves that spec under (``/labs/v1`` for the bundled spec, else its first server's path)."""
    profile = plan.profile
    if not (profile.is_sandbox and profile.base_url is None):
        return profile
    from labs_tui.client import default_sandbox_url
    from labs_tui.sandbox import served_base_path

    url = default_sandbox_url(served_base_path(plan.spec if plan.spec_source else None))
    command = "labs-tui sandbox" + (" --spec ..." if plan.spec_source else "")
    note(f"the URL is where `{command}` listens by default ({url})")
    return dataclasses.replace(profile, base_url=url)


@contextmanager
def live_profile(plan: Plan) -> Iterator[Profile]:
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
