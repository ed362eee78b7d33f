"""``labs-tui compare``: one request sent under several API versions, the answers diffed.

The compare core sends and diffs (``compare_versions``, ``side_by_side``); this module renders its
``Comparison``: side by side on a wide terminal, a unified diff on a narrow one, or ``--json``. Text
from the server goes through ``inert``/``inert_line`` before it reaches stdout.
"""

from __future__ import annotations

import asyncio
import shutil
from typing import TYPE_CHECKING, Any

import click

from labs_tui.cli.call_render import is_tty, schema_lines, schema_summary, validation_object
from labs_tui.cli.common import EXIT_HTTP_ERROR, EXIT_NETWORK, EXIT_OK, fail
from labs_tui.cli.request_plan import (
    OneLineErrors,
    Plan,
    build,
    live_profile,
    note,
    plan_request,
    request_options,
    split_positionals,
)
from labs_tui.text import inert, inert_json, inert_line

if TYPE_CHECKING:
    from labs_tui.client import CallRequest, Profile
    from labs_tui.compare import Comparison, Row

__all__ = ["compare", "compare_json"]

WIDE_TERMINAL = 100
_MARK_STYLE = {"-": "red", "+": "green", "~": "yellow", ">": "cyan", "!": "magenta", "=": None}


@click.command("compare", cls=OneLineErrors, context_settings={"max_content_width": 100})
@request_options
@click.option("--versions", required=True, metavar="1.0,latest[,...]", help="Versions to send under.")
@click.option("--allow-unsafe", is_flag=True, help="Allow POST, PUT, PATCH, DELETE (sent once per version).")
@click.pass_context
def compare(
    ctx: click.Context,
    /,
    method: str | None,
    target: str | None,
    versions: str,
    allow_unsafe: bool,
    **options: Any,
) -> None:
    """Send one request under several versions and diff the answers.

    The target is taken as by `call`: an operationId brings its method; a PATH needs a METHOD
    before it unless the spec lists only one method for that path.

    Versions are pinned with the spec's version header (X-Labs-API-Version); 'latest' sends no
    pin. Volatile headers (Date, request ids, rate-limit counters, ...) are ignored. Each answer is
    checked against its documented schema (a line per version; "validation" per response in --json).

    \b
    Exit codes: 0 identical; 1 differences; 2 usage or spec error; 3 network failure.
    """
    from labs_tui.compare import CompareError, check_versions

    try:
        chosen = check_versions(versions.split(","))
    except CompareError as error:
        fail(str(error))
    method, target = split_positionals(method, target)
    if target is None:
        fail("Missing argument: PATH|OPERATION_ID (a PATH takes a METHOD before it)")
    if method is not None:  # before the plan's notes; an operation's own method is checked after
        _refuse_unsafe(method.upper(), len(chosen), allow_unsafe)
    plan = plan_request(ctx, method, target, options)
    _refuse_unsafe(plan.draft.method, len(chosen), allow_unsafe)
    spec = plan.spec
    if spec is not None and not spec.declares_version_header():
        note(f"this spec declares no {spec.version_header} header; each version is sent in it anyway")
    with live_profile(plan) as profile:
        request = build(plan, profile)
        try:
            comparison = asyncio.run(_compare(profile, request, chosen, plan, allow_unsafe))
        except CompareError as error:
            fail(str(error))
    for remark in comparison.notes:
        note(remark)
    if options["as_json"]:
        click.echo(inert_json(compare_json(comparison)))
    else:
        _print_comparison(comparison)
    if comparison.network_failed:
        raise SystemExit(EXIT_NETWORK)
    raise SystemExit(EXIT_OK if comparison.identical else EXIT_HTTP_ERROR)


def _refuse_unsafe(method: str, times: int, allow_unsafe: bool) -> None:
    from labs_tui.compare import UNSAFE_METHODS

    if method in UNSAFE_METHODS and not allow_unsafe:
        fail(f"refusing to send {method} {times} times: it may change data; --allow-unsafe sends it anyway")


async def _compare(
    profile: Profile, request: CallRequest, versions: tuple[str, ...], plan: Plan, allow_unsafe: bool
) -> Comparison:
    from labs_tui.client import Client
    from labs_tui.compare import compare_versions

    async with Client(profile, timeout=plan.timeout, body_cap=plan.body_cap) as client:
        return await compare_versions(
            client,
            request,
            versions,
            allow_unsafe=allow_unsafe,
            spec=plan.spec,
            operation=plan.draft.operation,
            front_end="cli",
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
            "validation": validation_object(response.validation),
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
    text = inert(" ".join(text.split()))
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

    tty = is_tty()
    width = shutil.get_terminal_size(fallback=(80, 24)).columns
    if len(comparison.versions) == 2:
        click.echo(inert(summary_line(comparison.changes)))
    else:
        for left, right, pair in comparison.pairs:
            click.echo(inert(f"{left} -> {right}: {summary_line(pair)}"))
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
            click.echo(inert(left_label))
            click.echo(inert(right_label))
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
