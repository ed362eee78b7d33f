"""``labs-tui call``: one request sent with the client core, its answer rendered for people or scripts.

This module wires flags to core calls; it decides nothing the core could. The shared request options
and the plan live in ``request_plan``, ``--from``/``--from-curl``/variables in ``request_sources``, the
rendering in ``call_render``. The token never appears: results are redacted by the client, and
exports reference ``$ASTRO_API_TOKEN``. Errors are one line on stderr with the documented exit codes.
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING, Any, NoReturn

import click

from labs_tui.cli import options as checks
from labs_tui.cli.call_render import call_json, print_human
from labs_tui.cli.common import EXIT_HTTP_ERROR, EXIT_NETWORK, EXIT_OK, fail
from labs_tui.cli.request_plan import (
    OneLineErrors,
    Plan,
    build,
    export_profile,
    keep_saved_form,
    live_profile,
    note,
    parent_option,
    plan_request,
    request_options,
    split_positionals,
)
from labs_tui.cli.request_sources import (
    drop_source_keys,
    expand_variables,
    fill_all,
    merge_source,
    source_request,
    source_target,
    variable_values,
)
from labs_tui.text import inert_json

if TYPE_CHECKING:
    from labs_tui.client import CallRequest, CallResult, Profile, Validation

__all__ = ["call", "call_json"]


@click.command("call", cls=OneLineErrors, context_settings={"max_content_width": 100})
@request_options
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

    METHOD is one of GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS, TRACE. An OPERATION_ID (or
    "METHOD /path" as one argument) brings its method, so METHOD may be left out; a PATH needs
    METHOD before it, unless the spec lists only one method for that path (used, with a note on
    stderr). A PATH the spec does not list is still sent, with a note on stderr. The token comes
    from the profile (the environment for live), never from the command line.

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
    plan = _call_plan(ctx, method, target, pin, from_file, from_curl, options)
    if export is not None:
        _print_export(plan, export)
        return
    with live_profile(plan) as profile:
        request = build(plan, profile)
        result = asyncio.run(_send_one(profile, request, plan))
    _report(plan, profile, result, output=output, full_body=full_body, as_json=options["as_json"])


def _call_plan(
    ctx: click.Context,
    method: str | None,
    target: str | None,
    pin: str | None,
    from_file: str | None,
    from_curl: str | None,
    options: dict[str, Any],
) -> Plan:
    """The flags over --from / --from-curl, with ``${NAME}`` variables filled."""
    source, folder = source_request(ctx, from_file, from_curl)
    given_target = split_positionals(method, target)[1]
    method, target = source_target(method, target, source)
    values = variable_values(folder)
    target = fill_all([target], values, {"ASTRO_API_TOKEN"})[0]
    if source is not None and source.profile and parent_option(ctx, "profile", options["profile"]) is None:
        options["profile"] = source.profile
    pin = parent_option(ctx, "pin", pin)
    checks.check_pin(pin)
    plan = plan_request(ctx, method, target, options, pin)
    if source is not None:
        source = drop_source_keys(
            plan, source, from_curl=from_curl is not None, target_from_source=given_target is None
        )
        merge_source(plan, source, options)
        keep_saved_form(plan, tuple(source.form), options)
        checks.check_pin(plan.draft.pin)
    spec = plan.spec
    if plan.draft.pin is not None and spec is not None and not spec.declares_version_header():
        note(f"this spec declares no {spec.version_header} header; --pin sends it anyway")
    expand_variables(plan, values)
    return plan


def _report(
    plan: Plan, profile: Profile, result: CallResult, *, output: str | None, full_body: bool, as_json: bool
) -> NoReturn:
    """Notes on stderr, the answer on stdout (or -o FILE), then exit with the documented code."""
    from labs_tui.client import diagnose

    diagnosis = diagnose(
        result,
        plan.draft.operation,
        token=profile.token,
        version_header=profile.version_header,
        front_end="cli",
        spec=plan.spec,
    )
    for remark in result.notes:
        note(remark)
    if result.truncated:
        note(f"the body was cut at {result.size} bytes (the body cap); what is shown is incomplete")
    if result.json_error and not as_json:
        note(result.json_error)
    saved = _save_body(output, result) if output is not None else None
    checked = _check(plan, result)
    if as_json:
        click.echo(
            inert_json(call_json(result, diagnosis, full_body=full_body, saved_to=saved, validation=checked))
        )
    else:
        print_human(result, diagnosis, full_body=full_body, saved=saved is not None, validation=checked)
    if result.network_error is not None:
        raise SystemExit(EXIT_NETWORK)
    raise SystemExit(EXIT_HTTP_ERROR if (result.status or 0) >= 400 else EXIT_OK)


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
        note(f"nothing written to {path}: no answer came")
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
    note(f"body saved to {path}: {len(result.body):,} bytes{capped}")
    return target


async def _send_one(profile: Profile, request: CallRequest, plan: Plan) -> CallResult:
    from labs_tui.client import Client

    async with Client(profile, timeout=plan.timeout, body_cap=plan.body_cap) as client:
        return await client.send(request)


def _check(plan: Plan, result: CallResult) -> Validation | None:
    """The answer checked against the schema its spec documents (None: no spec, operation or schema)."""
    operation = plan.draft.operation
    if plan.spec is None or operation is None:
        return None
    from labs_tui.client import check_response

    return check_response(plan.spec, operation, result)


def _print_export(plan: Plan, kind: str) -> None:
    from labs_tui.client import to_curl, to_httpie

    profile = export_profile(plan)
    request = build(plan, profile)
    click.echo((to_curl if kind == "curl" else to_httpie)(request, profile))
