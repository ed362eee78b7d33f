"""The Docs tab: what the spec says about the open operation, as literal text.

``docs_text`` is a pure function over the spec (Rich ``Text``, no widgets) so it is easy to test;
every string from the spec goes through ``literal``. Schema outlines are bounded in depth and
lines, so a huge or cyclic schema cannot stall the screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from labs_tui.spec.model import Operation, Spec
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.request.draft import param_hint

MAX_DEPTH = 4
MAX_LINES = 80


def _outline(spec: Spec, schema: Mapping[str, Any], indent: int, depth: int, out: list[str]) -> None:
    if len(out) >= MAX_LINES:
        return
    node = spec.resolve(schema) if "$ref" in schema else schema
    pad = "  " * indent
    for combiner in ("oneOf", "anyOf", "allOf"):
        choices = node.get(combiner)
        if isinstance(choices, list):
            for number, choice in enumerate(choices, 1):
                if not isinstance(choice, Mapping):
                    continue
                name = str(choice.get("$ref", "")).rsplit("/", 1)[-1] or f"option {number}"
                out.append(f"{pad}{combiner} {number}: {name}")
                if depth < MAX_DEPTH:
                    _outline(spec, choice, indent + 1, depth + 1, out)
            return
    properties = node.get("properties")
    if isinstance(properties, Mapping):
        required = node.get("required") or []
        for name, sub in properties.items():
            if len(out) >= MAX_LINES:
                out.append(f"{pad}...")
                return
            sub_map = sub if isinstance(sub, Mapping) else {}
            resolved = spec.resolve(sub_map) if "$ref" in sub_map else sub_map
            mark = " (required)" if name in required else ""
            out.append(f"{pad}{name}: {param_hint(resolved)}{mark}")
            if depth < MAX_DEPTH and (resolved.get("properties") or resolved.get("items")):
                _outline(spec, resolved, indent + 1, depth + 1, out)
        return
    items = node.get("items")
    if isinstance(items, Mapping):
        out.append(f"{pad}items:")
        if depth < MAX_DEPTH:
            _outline(spec, items, indent + 1, depth + 1, out)
        return
    out.append(f"{pad}{param_hint(node)}")


def schema_outline(spec: Spec, schema: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    _outline(spec, schema, 1, 0, out)
    return out


def reflow(text: str) -> str:
    """Join the hard-wrapped lines of a paragraph; keep blank lines, list items and indented blocks."""
    out: list[str] = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        starts_block = (
            not stripped or line[:1].isspace() or stripped[:2] in ("- ", "* ") or stripped[:1] == "#"
        )
        if out and out[-1] and not starts_block and not out[-1].startswith("    "):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(line.rstrip() if stripped else "")
    return "\n".join(out)


def docs_text(spec: Spec, operation: Operation) -> Text:
    text = Text()

    def heading(title: str) -> None:
        text.append(f"\n{title}\n", style="bold underline")

    text.append_text(literal(f"{operation.method} {operation.path}"))
    text.stylize("bold")
    if operation.operation_id:
        text.append("  ")
        text.append_text(literal(operation.operation_id))
    if operation.deprecated:
        text.append("  deprecated", style="bold red")
    text.append("\n")
    if operation.summary:
        text.append_text(literal(operation.summary))
        text.append("\n")
    if operation.description:
        text.append("\n")
        text.append_text(literal(reflow(operation.description)))
        text.append("\n")
    heading("Permission")
    permission = operation.required_permission
    text.append_text(literal(permission) if permission else Text("not stated by the spec", style="dim"))
    text.append("\n")
    heading("Parameters")
    if not operation.parameters:
        text.append("none\n", style="dim")
    for param in operation.parameters:
        schema = spec.resolve(param.schema) if param.schema else {}
        text.append_text(literal(param.name))
        text.append(f" ({param.location}{', required' if param.required else ''}) ", style="dim")
        text.append_text(literal(param_hint(schema)))
        text.append("\n")
        if param.description:
            text.append("    ")
            text.append_text(literal(" ".join(param.description.split())))
            text.append("\n")
    heading("Request body")
    body = operation.request_body
    media = body.preferred() if body else None
    if body is None or media is None:
        text.append("none\n", style="dim")
    else:
        text.append_text(literal(media.media_type + (" (required)" if body.required else "")))
        text.append("\n")
        for line in schema_outline(spec, media.schema):
            text.append_text(literal(line))
            text.append("\n")
    heading("Responses")
    for response in operation.responses:
        text.append(f"{response.status} ", style="bold")
        text.append_text(literal(" ".join(response.description.split())))
        text.append("\n")
        chosen = response.preferred()
        if chosen is not None and chosen.schema:
            for line in schema_outline(spec, chosen.schema):
                text.append_text(literal(line))
                text.append("\n")
    return text


class DocsView(VerticalScroll):
    DEFAULT_CSS = """
    DocsView { height: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # By reference: the request pane fills this view in the call that builds it, before mounting.
        self._text = Static("", id="docs-text")

    def compose(self) -> ComposeResult:
        yield self._text

    def show(self, spec: Spec, operation: Operation) -> None:
        self._text.update(docs_text(spec, operation))
        self.scroll_home(animate=False)
