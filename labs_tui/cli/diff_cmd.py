"""``labs-tui diff-spec OLD NEW``: what changed between two versions of a spec, breaking changes first.

Renders ``labs_tui.compare.diff_specs``; which change breaks a client is the core's table
(``labs_tui.compare.breaking.RULES``), not decided here. Every name, path and value comes from a spec
and is printed through ``labs_tui.text`` (``inert_line``, ``inert_json``). Exit codes: 0 nothing
changed (or nothing breaking, with ``--breaking-only``), 1 something did, 2 a spec or usage error.
"""

from __future__ import annotations

import click

from labs_tui.cli.common import EXIT_HTTP_ERROR, EXIT_OK, fail
from labs_tui.spec import Spec, SpecError, load_spec
from labs_tui.text import inert_json, inert_line


class _OneLineUsage(click.Command):
    """Usage errors as ``error: <one line>`` with exit code 2, like every other failure."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            fail(f"{error.format_message()} (see 'labs-tui {self.name} --help')")


def _load(source: str) -> Spec:
    try:
        spec = load_spec(source)
    except SpecError as error:
        fail(str(error))
    if spec.notice:
        click.echo(f"note: {inert_line(spec.notice)}", err=True)
    return spec


def render(result: object) -> list[str]:
    """The human report: a count line, removed and added operations, then each changed operation."""
    from labs_tui.compare import SpecDiff

    assert isinstance(result, SpecDiff)
    if result.empty:
        return ["no changes"]
    lines = [
        f"{len(result.removed)} removed, {len(result.added)} added, {len(result.changed)} changed; "
        f"{result.breaking_count} breaking"
    ]
    for endpoint in result.removed:
        lines.append(f"  BREAKING  removed  {inert_line(endpoint.key)}")
    for endpoint in result.added:
        lines.append(f"            added    {inert_line(endpoint.key)}")
    for entry in result.changed:
        lines.append("")
        note = f"  ({entry.breaking} breaking)" if entry.breaking else ""
        lines.append(f"{inert_line(entry.key)}{note}")
        for change in entry.changes:
            mark = "BREAKING" if change.breaking else "        "
            detail = change.detail()
            tail = f"  {inert_line(detail, 200)}" if detail else ""
            lines.append(f"  {mark}  {change.kind}  {inert_line(change.where)}{tail}")
    return lines


@click.command("diff-spec", cls=_OneLineUsage)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--json", "as_json", is_flag=True, help="Write {added, removed, changed} as JSON.")
@click.option(
    "--breaking-only", is_flag=True, help="Only removed operations and changes that break a client."
)
def diff_spec(old: str, new: str, as_json: bool, breaking_only: bool) -> None:
    """What changed from spec OLD to spec NEW (files, http(s) URLs, or 'bundled').

    Operations are matched by method and path (path parameter names do not matter); each change is
    marked breaking or not by the table in the README ("What changed in the spec").

    \b
    --json: {"added": [{"method", "path"}], "removed": [...],
             "changed": [{"method", "path", "changes": [{"kind", "where", "breaking", "from"?, "to"?}]}]}
    Exit codes: 0 no changes; 1 changes (with --breaking-only: breaking ones); 2 spec or usage error.
    """
    from labs_tui.compare import diff_specs

    before, after = _load(old), _load(new)
    result = diff_specs(before, after)
    if breaking_only:
        result = result.breaking_only()
    if as_json:
        click.echo(inert_json(result.to_json()))
    else:
        click.echo("\n".join(render(result)))
    raise SystemExit(EXIT_OK if result.empty else EXIT_HTTP_ERROR)
