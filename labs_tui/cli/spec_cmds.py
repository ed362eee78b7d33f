"""``labs-tui endpoints`` and ``labs-tui describe``: the spec engine's answers, rendered for a terminal.

These commands only load a spec and print what the core returns; every decision (matching,
resolution, examples, cycle cutting) is the engine's. All text that comes from a spec is data:
control characters and bidirectional overrides are shown as visible escapes, never sent to the
terminal raw, in the human output and in ``--json`` alike. Errors are one line on stderr with
exit code 2, never a traceback.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from typing import Any

import click

from labs_tui.cli.common import fail
from labs_tui.spec import Operation, Spec, SpecError, load_spec
from labs_tui.text import inert_json, inert_line

_SPEC_HELP = "OpenAPI spec to read: a file path or an http(s) URL (default: the bundled Labs spec)."


def clean(value: Any) -> str:
    """One line of spec text made safe to print (``labs_tui.text.inert_line``)."""
    return inert_line(value)


def clean_block(value: Any) -> list[str]:
    """Multi-line spec text as safe lines (newlines kept as line breaks, nothing else)."""
    return [inert_line(line) for line in str(value).replace("\r\n", "\n").split("\n")]


def dump_json(value: Any) -> str:
    """JSON for stdout: UTF-8 kept readable, but C1 controls and bidi overrides escaped."""
    return inert_json(value)


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
        click.echo(f"note: {clean(spec.notice)}", err=True)
    if spec.problems:
        click.echo(
            f"warning: {len(spec.problems)} problem(s) in the spec; first: {clean(spec.problems[0])}",
            err=True,
        )
    return spec


def _grouped(spec: Spec, operations: list[Operation]) -> dict[str, list[Operation]]:
    declared = spec.document.get("tags") if isinstance(spec.document, Mapping) else None
    order = [t.get("name") for t in declared if isinstance(t, Mapping)] if isinstance(declared, list) else []
    groups: dict[str, list[Operation]] = {str(name): [] for name in order if isinstance(name, str)}
    for op in operations:
        groups.setdefault(op.first_tag, []).append(op)
    return {name: ops for name, ops in groups.items() if ops}


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
        click.echo(dump_json(rows))
        return
    if not operations:
        click.echo(
            f"no operations match '{clean(filter_text)}'" if filter_text else "the spec has no operations"
        )
        return
    width = max(len(op.method) for op in operations)
    path_width = min(60, max(len(clean(op.path)) for op in operations))
    for index, (tag, ops) in enumerate(_grouped(spec, operations).items()):
        if index:
            click.echo()
        click.echo(clean(tag))
        for op in ops:
            parts = [f"  {op.method:<{width}}  {clean(op.path):<{path_width}}"]
            if op.operation_id:
                parts.append(clean(op.operation_id))
            if op.summary:
                parts.append(f"- {clean(op.summary)}")
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
        f"; did you mean {', '.join(repr(clean(c)) for c in close)}?"
        if close
        else "; see 'labs-tui endpoints'"
    )
    fail(f"no operation '{clean(ref)}' in {clean(spec.source)}{hint}")


def _type_of(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        text = " | ".join(clean(k) for k in kind)
    elif isinstance(kind, str):
        text = clean(kind)
    elif "properties" in schema:
        text = "object"
    elif "items" in schema:
        text = "array"
    else:
        text = ""
    fmt = schema.get("format")
    if isinstance(fmt, str):
        text = f"{text} ({clean(fmt)})" if text else clean(fmt)
    if schema.get("nullable") is True:
        text += " | null"
    return text


def _facts(schema: Mapping[str, Any]) -> str:
    facts = []
    enum = schema.get("enum")
    if isinstance(enum, list):
        shown = ", ".join(clean(json.dumps(v, ensure_ascii=False, default=str)) for v in enum[:10])
        facts.append(f"one of {shown}{', ...' if len(enum) > 10 else ''}")
    for key in ("const", "default", "pattern", "minimum", "maximum", "minLength", "maxLength"):
        if key in schema and not isinstance(schema[key], Mapping | list):
            facts.append(f"{key} {clean(json.dumps(schema[key], ensure_ascii=False, default=str))}")
    if schema.get("readOnly") is True:
        facts.append("read-only")
    if schema.get("writeOnly") is True:
        facts.append("write-only")
    if schema.get("deprecated") is True:
        facts.append("deprecated")
    return "; ".join(facts)


def schema_lines(schema: Any, indent: int = 0, label: str = "") -> Iterator[str]:
    """An expanded schema (see ``Spec.expand``) as indented lines; marks are shown, never followed."""
    pad = "  " * indent
    head = f"{pad}{label}" if label else pad
    if not isinstance(schema, Mapping):
        yield f"{head}{'any' if schema is True else 'nothing'}"
        return
    name = schema.get("x-ref") or schema.get("$ref")
    short = clean(str(name).rsplit("/", 1)[-1]) if isinstance(name, str) else ""
    if schema.get("x-cycle"):
        yield f"{head}{short} (cycle: refers back to itself, not expanded)"
        return
    if schema.get("x-truncated"):
        yield f"{head}{short + ' ' if short else ''}... (nested too deep to show)"
        return
    if schema.get("x-broken"):
        yield f"{head}(broken $ref {clean(name)})"
        return
    composed = any(key in schema for key in ("allOf", "oneOf", "anyOf"))
    described = " ".join(p for p in (short, _type_of(schema)) if p) or ("" if composed else "any")
    facts = _facts(schema)
    line = f"{head}{described}" + (f"  [{facts}]" if facts else "")
    description = schema.get("description")
    if isinstance(description, str) and description.strip():
        line += f"  - {clean(description.strip())[:160]}"
    yield line.rstrip()
    listed = schema.get("required")
    required: list[Any] = listed if isinstance(listed, list) else []
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        for prop, sub in properties.items():
            mark = "*" if prop in required else ""
            yield from schema_lines(sub, indent + 1, f"{clean(prop)}{mark}: ")
    for key in ("allOf", "oneOf", "anyOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            yield f"{pad}  {key}:"
            for branch in branches:
                yield from schema_lines(branch, indent + 2, "- ")
    items = schema.get("items")
    if isinstance(items, Mapping):
        yield from schema_lines(items, indent + 1, "items: ")
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping) and extra:
        yield from schema_lines(extra, indent + 1, "additional properties: ")


def _example_lines(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    text = dump_json(value)
    return [pad + clean(line) for line in text.splitlines()]


def _describe_json(spec: Spec, op: Operation) -> dict[str, Any]:
    def media(content: Any, direction: str) -> dict[str, Any]:
        out = {}
        for item in content:
            example = item.example if item.has_example else spec.example(item.schema, direction=direction)
            out[item.media_type] = {"schema": spec.expand(item.schema), "example": example}
        return out

    body = None
    if op.request_body is not None:
        body = {
            "required": op.request_body.required,
            "description": op.request_body.description,
            "content": media(op.request_body.content, "request"),
        }
    return {
        "method": op.method,
        "path": op.path,
        "operationId": op.operation_id,
        "summary": op.summary,
        "description": op.description,
        "tags": list(op.tags),
        "deprecated": op.deprecated,
        "parameters": [
            {
                "name": p.name,
                "in": p.location,
                "required": p.required,
                "description": p.description,
                "deprecated": p.deprecated,
                "schema": spec.expand(p.schema),
            }
            for p in op.parameters
        ],
        "requestBody": body,
        "responses": {
            r.status: {
                "description": r.description,
                "headers": {
                    h.name: {"description": h.description, "schema": spec.expand(h.schema)} for h in r.headers
                },
                "content": media(r.content, "response"),
            }
            for r in op.responses
        },
        "security": [dict(s) for s in op.security] if op.security is not None else None,
        "problems": list(op.problems),
    }


def _describe_text(spec: Spec, op: Operation) -> Iterator[str]:
    yield f"{op.method} {clean(op.path)}" + ("  (deprecated)" if op.deprecated else "")
    if op.operation_id:
        yield f"  operationId: {clean(op.operation_id)}"
    if op.summary:
        yield f"  summary: {clean(op.summary)}"
    if op.tags:
        yield f"  tags: {', '.join(clean(t) for t in op.tags)}"
    if op.required_permission:
        yield f"  permission: {clean(op.required_permission)}"
    if op.description.strip():
        yield ""
        yield from ("  " + line for line in clean_block(op.description.strip()))
    yield ""
    yield "Parameters:" if op.parameters else "Parameters: none"
    for p in op.parameters:
        state = "required" if p.required else "optional"
        expanded = spec.expand(p.schema)
        kind = _type_of(expanded) if isinstance(expanded, Mapping) else ""
        facts = _facts(expanded) if isinstance(expanded, Mapping) else ""
        line = f"  {clean(p.name)} ({p.location}, {state}{', deprecated' if p.deprecated else ''})"
        line += f" {kind}" if kind else ""
        line += f"  [{facts}]" if facts else ""
        line += f"  - {clean(p.description.strip())}" if p.description.strip() else ""
        yield line
    yield ""
    if op.request_body is None:
        yield "Request body: none"
    else:
        body = op.request_body
        yield f"Request body ({'required' if body.required else 'optional'}):" + (
            f" {clean(body.description.strip())}" if body.description.strip() else ""
        )
        for media in body.content:
            yield f"  {clean(media.media_type)}"
            yield from schema_lines(spec.expand(media.schema), 2, "schema: ")
            example = media.example if media.has_example else spec.example(media.schema, direction="request")
            yield "    example:"
            yield from _example_lines(example, 3)
    yield ""
    yield "Responses:" if op.responses else "Responses: none documented"
    for response in op.responses:
        yield f"  {clean(response.status)}" + (
            f"  {clean(response.description.strip())}" if response.description.strip() else ""
        )
        for header in response.headers:
            expanded = spec.expand(header.schema)
            kind = _type_of(expanded) if isinstance(expanded, Mapping) else ""
            yield f"    header {clean(header.name)}" + (f": {kind}" if kind else "")
        for media in response.content:
            yield f"    {clean(media.media_type)}"
            yield from schema_lines(spec.expand(media.schema), 3, "schema: ")
    if op.problems:
        yield ""
        yield "Problems:"
        yield from (f"  {clean(problem)}" for problem in op.problems)


@click.command(cls=_OneLineUsage, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("operation", nargs=-1, required=True, metavar="OPERATION_ID | METHOD PATH")
@click.option("--spec", "spec_source", metavar="PATH|URL", help=_SPEC_HELP)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object (parameters, requestBody, responses; schemas expanded, cycles marked).",
)
@click.pass_context
def describe(ctx: click.Context, operation: tuple[str, ...], spec_source: str | None, as_json: bool) -> None:
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
    op = _find(spec, operation)
    if as_json:
        click.echo(dump_json(_describe_json(spec, op)))
        return
    for line in _describe_text(spec, op):
        click.echo(line)
