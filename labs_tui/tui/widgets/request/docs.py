"""The Docs tab: what the spec says about the open operation, as literal text.

It renders the core's describe model (``labs_tui.spec.describe``), the one ``labs-tui describe``
renders, so the tab says at least what the CLI says: parameters with their rules, each request
and response media type with its schema outline and example, response headers, auth, problems.
``docs_text`` is a pure function (Rich ``Text``, no widgets) so it is easy to test; every string
from the spec goes through ``literal``. Outlines show ``depth`` levels (``+`` / ``-`` in the tab
show more or fewer); what lies deeper is counted, never dropped silently. Each outline is bounded
in lines, so a huge or cyclic schema cannot stall the screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from labs_tui.spec import Operation, OperationDoc, SchemaNode, Spec, describe_operation, value_text
from labs_tui.text import inert_json
from labs_tui.tui.text import literal

DEFAULT_DEPTH = 4
MAX_DEPTH = 64
MAX_LINES = 400  # per schema outline


def _node_line(
    text: Text, node: SchemaNode, pad: str, label: str, example: tuple[bool, object] | None = None
) -> None:
    """One outline line: label, name, type, ``[rules]``, example, description (whole, reflowed)."""
    text.append(pad)
    if label:
        text.append_text(literal(label, "bold"))
    if node.cycle:
        text.append_text(literal(node.name))
        text.append(" (cycle: refers back to itself, not expanded)", style="italic")
    elif node.broken:
        text.append("broken $ref ", style="bold red")
        text.append_text(literal(node.ref))
    else:
        if node.name:
            text.append_text(literal(node.name + " ", "cyan"))
        text.append_text(literal(node.shape))
        facts = node.facts()
        if facts:
            text.append("  [", style="dim")
            text.append_text(literal("; ".join(facts), "dim"))
            text.append("]", style="dim")
        has_example, value = example if example is not None else (node.has_example, node.example)
        if has_example:
            text.append("  example ", style="dim")
            text.append_text(literal(value_text(value)))
        if node.description:
            text.append("  ")
            text.append_text(literal(" ".join(node.description.split()), "italic"))
    text.append("\n")


def schema_outline(node: SchemaNode, text: Text, indent: int, depth: int) -> None:
    """``node`` and ``depth`` levels of its children into ``text``; deeper ones counted with a hint."""
    _node_line(text, node, "  " * indent, "")
    shown = 1
    for level, child in node.walk(depth):
        if shown >= MAX_LINES:
            text.append(f"{'  ' * (indent + 1)}… more lines not shown\n", style="dim")
            return
        label = f"{child.label}{'*' if child.required else ''}: "
        _node_line(text, child.node, "  " * (indent + level), label)
        shown += 1
        if level == depth and child.node.children:
            count = len(child.node.children)
            text.append(
                f"{'  ' * (indent + level + 1)}… {count} nested (press + to show deeper)\n", style="dim"
            )
            shown += 1


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


def docs_text(spec: Spec, operation: Operation, depth: int = DEFAULT_DEPTH) -> Text:
    return render_doc(describe_operation(spec, operation), depth)


def _example(text: Text, value: object, indent: str) -> None:
    for line in inert_json(value).splitlines():
        text.append(indent)
        text.append_text(literal(line))
        text.append("\n")


def render_doc(doc: OperationDoc, depth: int = DEFAULT_DEPTH) -> Text:
    text = Text()
    _title(text, doc.operation)
    _heading(text, "Permission")
    permission = doc.permission
    text.append_text(literal(permission) if permission else Text("not stated by the spec", style="dim"))
    text.append("\n")
    _heading(text, "Auth")
    _auth(text, doc)
    _heading(text, "Parameters")
    _parameters(text, doc, depth)
    _heading(text, "Request body")
    _request_body(text, doc, depth)
    _heading(text, "Responses")
    _responses(text, doc, depth)
    if doc.problems:
        _heading(text, "Problems")
        for problem in doc.problems:
            text.append_text(literal(problem, "red"))
            text.append("\n")
    return text


def _heading(text: Text, title: str) -> None:
    text.append(f"\n{title}\n", style="bold underline")


def _title(text: Text, operation: Operation) -> None:
    """Method and path (bold), operationId, deprecation, then summary, tags and the description."""
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
    if operation.tags:
        text.append("tags: ", style="dim")
        text.append_text(literal(", ".join(operation.tags)))
        text.append("\n")
    if operation.description:
        text.append("\n")
        text.append_text(literal(reflow(operation.description)))
        text.append("\n")


def _auth(text: Text, doc: OperationDoc) -> None:
    """Each accepted way to authenticate (its schemes joined by ``+``), the ways joined by ``(or)``."""
    if doc.security is None:
        text.append("not stated by the spec\n", style="dim")
        return
    if doc.security_inherited:
        text.append("the spec's default\n", style="dim")
    if not doc.security:
        text.append("none\n", style="dim")
    for way in doc.security:
        if not way.schemes:
            text.append("none (anonymous access)\n", style="dim")
            continue
        for number, (name, kind, scopes) in enumerate(way.schemes):
            text.append(" + " if number else "")
            text.append_text(literal(name, "bold"))
            text.append_text(literal(f" ({kind}{', scopes ' + ', '.join(scopes) if scopes else ''})"))
        text.append("  (or)\n" if way is not doc.security[-1] else "\n", style="dim")


def _parameters(text: Text, doc: OperationDoc, depth: int) -> None:
    if not doc.parameters:
        text.append("none\n", style="dim")
    for param in doc.parameters:
        text.append_text(literal(param.name, "bold"))
        state = ", required" if param.required else ""
        text.append(f" ({param.location}{state}{', deprecated' if param.deprecated else ''}) ", style="dim")
        node = param.node
        _node_line(text, node, "", "", (param.has_example, param.example))
        if param.description:
            text.append("    ")
            text.append_text(literal(" ".join(param.description.split())))
            text.append("\n")
        for level, child in node.walk(depth) if node.children else ():
            label = f"{child.label}{'*' if child.required else ''}: "
            _node_line(text, child.node, "  " * (level + 1), label)


def _request_body(text: Text, doc: OperationDoc, depth: int) -> None:
    body = doc.request_body
    if body is None or not body.content:
        text.append("none\n", style="dim")
        return
    if body.description:
        text.append_text(literal(" ".join(body.description.split())))
        text.append("\n")
    for media in body.content:
        text.append_text(literal(media.media_type + (" (required)" if body.required else ""), "bold"))
        text.append("\n")
        schema_outline(media.node, text, 1, depth)
        text.append(
            "  example" + ("" if media.example_given else " (built from the schema)") + ":\n", style="dim"
        )
        _example(text, media.example, "    ")


def _responses(text: Text, doc: OperationDoc, depth: int) -> None:
    if not doc.responses:
        text.append("none documented\n", style="dim")
    for response in doc.responses:
        text.append_text(literal(response.status + " ", "bold"))
        text.append_text(literal(" ".join(response.description.split())))
        text.append("\n")
        for header in response.headers:
            _node_line(text, header.node, "  ", f"header {header.name}: ")
            if header.description and not header.node.description:
                text.append("    ")
                text.append_text(literal(" ".join(header.description.split()), "italic"))
                text.append("\n")
        for media in response.content:
            text.append_text(literal(f"  {media.media_type}", "dim"))
            text.append("\n")
            schema_outline(media.node, text, 2, depth)


class DocsView(VerticalScroll):
    DEFAULT_CSS = """
    DocsView { height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "deeper", "deeper schemas", id="docs-deeper"),
        Binding("minus", "shallower", "shallower schemas", id="docs-shallower"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # By reference: the request pane fills this view in the call that builds it, before mounting.
        self._text = Static("", id="docs-text")
        self.depth = DEFAULT_DEPTH
        self._doc: OperationDoc | None = None

    def compose(self) -> ComposeResult:
        yield self._text

    @property
    def text(self) -> Text:
        """What the tab shows, as text (for tests and copies)."""
        rendered = self._text.content
        return rendered if isinstance(rendered, Text) else Text(str(rendered))

    def show(self, spec: Spec, operation: Operation) -> None:
        self._doc = describe_operation(spec, operation)
        self._text.update(render_doc(self._doc, self.depth))
        self.scroll_home(animate=False)

    def _redraw(self, depth: int) -> None:
        self.depth = max(1, min(depth, MAX_DEPTH))
        if self._doc is not None:
            self._text.update(render_doc(self._doc, self.depth))

    def action_deeper(self) -> None:
        """Show four more levels of every schema outline (the model builds them on demand)."""
        self._redraw(self.depth + DEFAULT_DEPTH)

    def action_shallower(self) -> None:
        self._redraw(self.depth - DEFAULT_DEPTH)
