"""``labs-tui endpoints`` and ``labs-tui describe``: the spec engine's answers, rendered for a terminal.

These commands only load a spec and print what the core returns; every decision (matching,
resolution, examples, cycle cutting) is the engine's. All text that comes from a spec is data:
control characters and bidirectional overrides are shown as visible escapes, never sent to the
terminal raw, in the human output and in ``--json`` alike. Errors are one line on stderr with
exit code 2, never a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Any

import click

from labs_tui.cli.common import fail
from labs_tui.spec import (
    MediaDoc,
    Operation,
    OperationDoc,
    SchemaNode,
    Spec,
    SpecError,
    declared_tags,
    describe_operation,
    group_by_tag,
    load_spec,
    value_text,
)
from labs_tui.text import inert_json, inert_line

_SPEC_HELP = "OpenAPI spec to read: a file path or an http(s) URL (default: the bundled Labs spec)."


def clean_block(value: Any) -> list[str]:
    """Multi-line spec text as safe lines (newlines kept as line breaks, nothing else)."""
    return [inert_line(line) for line in str(value).replace("\r\n", "\n").split("\n")]


class _OneLineUsage(click.Command):
    """Usage errors as ``error: <one line>`` with exit code 2, like every other failure."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            fail(f"{error.format_message()} (see 'labs-tui {self.name} --help')")


def _load(ctx: click.Context, spec_source: str | None) -> Spec:
    if spec_source is None and ctx.parent is not None:
        spec_source = ctx.parent.params.get("spec_source")
    try:
        spec = load_spec(spec_source)
    except SpecError as error:
        fail(str(error))
    if spec.notice:
        click.echo(f"note: {inert_line(spec.notice)}", err=True)
    if spec.problems:
        click.echo(
            f"warning: {len(spec.problems)} problem(s) in the spec; first: {inert_line(spec.problems[0])}",
            err=True,
        )
    return spec


def _grouped(spec: Spec, operations: list[Operation]) -> dict[str, list[Operation]]:
    return dict(group_by_tag(operations, declared_tags(spec.document)))


@click.command(cls=_OneLineUsage, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("filter_text", metavar="[FILTER]", required=False, default="")
@click.option("--spec", "spec_source", metavar="PATH|URL", help=_SPEC_HELP)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON array of {method, path, operationId, summary, tags, deprecated} instead.",
)
@click.pass_context
def endpoints(ctx: click.Context, filter_text: str, spec_source: str | None, as_json: bool) -> None:
    """List the spec's operations, grouped by their first tag.

    FILTER keeps the operations whose method, path, operationId, summary and tags match every
    word of it, case-insensitively: as a substring, or by its letters in order within one word
    (dpl finds deployments). Substring matches come first. The TUI's filter is the same one.

    \b
    Exit codes: 0 success (also when nothing matches); 2 a spec or usage error.
    """
    spec = _load(ctx, spec_source)
    operations = spec.filter(filter_text)
    if as_json:
        rows = [
            {
                "method": op.method.upper(),
                "path": op.path,
                "operationId": op.operation_id,
                "summary": op.summary,
                "tags": list(op.tags),
                "deprecated": op.deprecated,
            }
            for op in operations
        ]
        click.echo(inert_json(rows))
        return
    if not operations:
        click.echo(
            f"no operations match '{inert_line(filter_text)}'"
            if filter_text
            else "the spec has no operations"
        )
        return
    width = max(len(op.method) for op in operations)
    path_width = min(60, max(len(inert_line(op.path)) for op in operations))
    for index, (tag, ops) in enumerate(_grouped(spec, operations).items()):
        if index:
            click.echo()
        click.echo(inert_line(tag))
        for op in ops:
            parts = [f"  {op.method:<{width}}  {inert_line(op.path):<{path_width}}"]
            if op.operation_id:
                parts.append(inert_line(op.operation_id))
            if op.summary:
                parts.append(f"- {inert_line(op.summary)}")
            if op.deprecated:
                parts.append("(deprecated)")
            click.echo("  ".join(parts).rstrip())


def _find(spec: Spec, words: tuple[str, ...]) -> Operation:
    ref = " ".join(words)
    found = spec.find(ref)
    if found is not None:
        return found
    names = [op.operation_id for op in spec.operations if op.operation_id] + [
        op.key for op in spec.operations
    ]
    close = difflib.get_close_matches(ref, names, n=3, cutoff=0.6)
    hint = (
        f"; did you mean {', '.join(repr(inert_line(c)) for c in close)}?"
        if close
        else "; see 'labs-tui endpoints'"
    )
    fail(f"no operation '{inert_line(ref)}' in {inert_line(spec.source)}{hint}")


DEFAULT_DEPTH = 12
MAX_SCHEMA_LINES = 4_000


def _node_line(node: SchemaNode, head: str) -> str:
    """One outline line: ``Name type  [facts]  - description`` (the description whole)."""
    if node.cycle:
        return f"{head}{inert_line(node.name)} (cycle: refers back to itself, not expanded)"
    if node.broken:
        return f"{head}(broken $ref {inert_line(node.ref)})"
    described = " ".join(p for p in (inert_line(node.name), inert_line(node.type_text)) if p) or inert_line(
        node.shape
    )
    facts = "; ".join(inert_line(fact) for fact in node.facts())
    line = f"{head}{described}" + (f"  [{facts}]" if facts else "")
    if node.description:
        line += f"  - {inert_line(node.description)}"
    if node.has_example:
        line += f"  (example {inert_line(value_text(node.example))})"
    return line.rstrip()


def schema_lines(
    node: SchemaNode, indent: int = 0, label: str = "", depth: int = DEFAULT_DEPTH
) -> Iterator[str]:
    """A schema outline (``labs_tui.spec.describe``) as indented lines, ``depth`` levels deep at most.

    Cycles and broken references are shown where they are used, never followed; what lies deeper
    than ``depth`` is counted, not dropped silently.
    """
    yield _node_line(node, "  " * indent + label)
    shown = 1
    for level, child in node.walk(depth):
        if shown >= MAX_SCHEMA_LINES:
            yield f"{'  ' * (indent + 1)}... (more lines not shown; pass --depth to see fewer levels)"
            return
        mark = "*" if child.required else ""
        yield _node_line(child.node, "  " * (indent + level) + f"{inert_line(child.label)}{mark}: ")
        shown += 1
        if level == depth and child.node.children:
            count = len(child.node.children)
            yield f"{'  ' * (indent + level + 1)}... ({count} nested, deeper than --depth {depth})"
            shown += 1


def _example_lines(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    text = inert_json(value)  # inert already; its lines keep their JSON indentation
    return [pad + line for line in text.splitlines()]


def _schema_json(node: SchemaNode) -> dict[str, Any]:
    return {
        "type": node.type_text,
        "format": node.format or None,
        "constraints": {key: value for key, value in node.constraints},
        "enum": list(node.enum) if node.enum is not None else None,
        **({"default": node.default} if node.has_default else {}),
        **({"example": node.example} if node.has_example else {}),
    }


def _describe_json(spec: Spec, doc: OperationDoc) -> dict[str, Any]:
    op = doc.operation

    def media(content: tuple[MediaDoc, ...]) -> dict[str, Any]:
        return {
            item.media_type: {"schema": spec.expand(item.schema), "example": item.example} for item in content
        }

    body = None
    if doc.request_body is not None:
        body = {
            "required": doc.request_body.required,
            "description": doc.request_body.description,
            "content": media(doc.request_body.content),
        }
    return {
        "method": op.method,
        "path": op.path,
        "operationId": op.operation_id,
        "summary": op.summary,
        "description": op.description,
        "tags": list(op.tags),
        "deprecated": op.deprecated,
        "permission": doc.permission,
        "parameters": [
            {
                "name": p.name,
                "in": p.location,
                "required": p.required,
                "description": p.description,
                "deprecated": p.deprecated,
                "schema": spec.expand(p.schema),
                **_schema_json(p.node),
                **({"example": p.example} if p.has_example else {}),
            }
            for p in doc.parameters
        ],
        "requestBody": body,
        "responses": {
            r.status: {
                "description": r.description,
                "headers": {
                    h.name: {"description": h.description, "schema": spec.expand(h.schema)} for h in r.headers
                },
                "content": media(r.content),
            }
            for r in doc.responses
        },
        "security": [dict(s) for s in op.security] if op.security is not None else None,
        "problems": list(doc.problems),
    }


def _facts_text(node: SchemaNode) -> str:
    facts = "; ".join(inert_line(fact) for fact in node.facts())
    return f"  [{facts}]" if facts else ""


def _scheme_text(name: str, kind: str, scopes: Iterable[str]) -> str:
    listed = ", ".join(inert_line(scope) for scope in scopes)
    return f"{inert_line(name)} ({inert_line(kind)}{', scopes ' + listed if listed else ''})"


def _describe_text(doc: OperationDoc, depth: int) -> Iterator[str]:
    op = doc.operation
    yield f"{op.method} {inert_line(op.path)}" + ("  (deprecated)" if op.deprecated else "")
    if op.operation_id:
        yield f"  operationId: {inert_line(op.operation_id)}"
    if op.summary:
        yield f"  summary: {inert_line(op.summary)}"
    if op.tags:
        yield f"  tags: {', '.join(inert_line(t) for t in op.tags)}"
    if doc.permission:
        yield f"  permission: {inert_line(doc.permission)}"
    if doc.security is not None:
        ways = [" + ".join(_scheme_text(*scheme) for scheme in way.schemes) or "none" for way in doc.security]
        inherited = " (the spec's default)" if doc.security_inherited else ""
        yield f"  auth{inherited}: {' or '.join(ways) if ways else 'none'}"
    if op.description.strip():
        yield ""
        yield from ("  " + line for line in clean_block(op.description.strip()))
    yield ""
    yield "Parameters:" if doc.parameters else "Parameters: none"
    for p in doc.parameters:
        state = "required" if p.required else "optional"
        kind = (
            inert_line(p.node.type_text) if not p.node.broken else f"(broken $ref {inert_line(p.node.ref)})"
        )
        line = f"  {inert_line(p.name)} ({p.location}, {state}{', deprecated' if p.deprecated else ''})"
        line += f" {kind}" if kind else ""
        line += _facts_text(p.node)
        line += f"  (example {inert_line(value_text(p.example))})" if p.has_example else ""
        line += f"  - {inert_line(p.description)}" if p.description else ""
        yield line
        if p.node.children:
            yield from schema_lines(p.node, 2, "schema: ", depth)
    yield ""
    body = doc.request_body
    if body is None:
        yield "Request body: none"
    else:
        yield f"Request body ({'required' if body.required else 'optional'}):" + (
            f" {inert_line(body.description)}" if body.description else ""
        )
        for media in body.content:
            yield f"  {inert_line(media.media_type)}"
            yield from schema_lines(media.node, 2, "schema: ", depth)
            yield "    example:"
            yield from _example_lines(media.example, 3)
    yield ""
    yield "Responses:" if doc.responses else "Responses: none documented"
    for response in doc.responses:
        yield f"  {inert_line(response.status)}" + (
            f"  {inert_line(response.description)}" if response.description else ""
        )
        for header in response.headers:
            kind = inert_line(header.node.type_text)
            line = f"    header {inert_line(header.name)}" + (f": {kind}" if kind else "")
            line += _facts_text(header.node)
            line += f"  - {inert_line(header.description)}" if header.description else ""
            yield line
        for media in response.content:
            yield f"    {inert_line(media.media_type)}"
            yield from schema_lines(media.node, 3, "schema: ", depth)
    if doc.problems:
        yield ""
        yield "Problems:"
        yield from (f"  {inert_line(problem)}" for problem in doc.problems)


@click.command(cls=_OneLineUsage, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("operation", nargs=-1, required=True, metavar="OPERATION_ID | METHOD PATH")
@click.option("--spec", "spec_source", metavar="PATH|URL", help=_SPEC_HELP)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object (parameters, requestBody, responses; schemas expanded, cycles marked).",
)
@click.option(
    "--depth",
    type=click.IntRange(min=1),
    default=DEFAULT_DEPTH,
    show_default=True,
    help="Levels of nested schema fields to show; deeper ones are counted (human output only).",
)
@click.pass_context
def describe(
    ctx: click.Context, operation: tuple[str, ...], spec_source: str | None, as_json: bool, depth: int
) -> None:
    """Show one operation: its parameters, request body schema and example, and responses.

    Name it by operationId (GetExampleDemo) or by method and path (GET /examples/demo, as one
    argument or two). Schemas are shown with references expanded; a schema that refers back to
    itself is marked as a cycle instead of being expanded again.

    \b
    Exit codes: 0 success; 2 a spec or usage error, or no such operation.
    """
    if len(operation) > 2:
        fail("give an operationId, or a method and a path (e.g. GET /examples/demo)")
    spec = _load(ctx, spec_source)
    doc = describe_operation(spec, _find(spec, operation))
    if as_json:
        click.echo(inert_json(_describe_json(spec, doc)))
        return
    for line in _describe_text(doc, depth):
        click.echo(line)
