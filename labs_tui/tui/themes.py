"""Theme files made visible: ``ThemeSpec`` -> Textual ``Theme``, body view syntax colours, diff colours.

The store reads and validates the YAML (``labs_tui.store.themes``); this module only translates a
validated spec into what Textual and the widgets take. A theme Textual ships (``textual-dark`` ...)
has no spec: it gets the default syntax colours and diff colours taken from its own palette, so
any theme picked from Textual's own picker still renders the compare view.

Colours are applied in code, never through custom CSS variables in ``.tcss`` files: a built-in
Textual theme does not define them, and a stylesheet naming an undefined variable fails to parse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.theme import Theme

from labs_tui.store import ThemeSpec
from labs_tui.tui.widgets.response import SyntaxColours

DIFF_KINDS = ("added", "removed", "changed", "renamed", "type_changed")


@dataclass(frozen=True)
class DiffColours:
    """``#rrggbb`` per diff kind, for the compare view's marks."""

    added: str = "#3ecf8e"
    removed: str = "#ff5f7e"
    changed: str = "#f5b94a"
    renamed: str = "#7dd3fc"
    type_changed: str = "#c084fc"

    def for_mark(self, mark: str) -> str | None:
        """The colour of a ``compare.view`` mark character ("+", "-", "~", ">", "!"), None for "="."""
        kind = MARK_KINDS.get(mark)
        return getattr(self, kind) if kind is not None else None


MARK_KINDS: Mapping[str, str] = {
    "+": "added",
    "-": "removed",
    "~": "changed",
    ">": "renamed",
    "!": "type_changed",
}


def textual_theme(spec: ThemeSpec) -> Theme:
    """The Textual theme for ``spec`` (its UI colours, plus its extra colours as variables)."""
    return Theme(**spec.textual_kwargs())


def syntax_colours(spec: ThemeSpec | None) -> SyntaxColours:
    """The body view's JSON colours for ``spec``; the widget's defaults when there is none."""
    if spec is None or not spec.syntax:
        return SyntaxColours()
    syntax = spec.syntax
    return SyntaxColours(
        key=f"bold {syntax.get('key', spec.primary)}",
        string=syntax.get("string", spec.foreground),
        number=syntax.get("number", spec.foreground),
        boolean=syntax.get("boolean", spec.foreground),
        null=f"italic {syntax.get('null', spec.foreground)}",
        punctuation=syntax.get("punctuation", spec.foreground),
    )


def diff_colours(spec: ThemeSpec | None, theme: Theme | None = None) -> DiffColours:
    """Diff colours from ``spec``; for a theme without one, from the Textual theme's own palette."""
    if spec is not None and spec.diff:
        defaults = DiffColours()
        return DiffColours(**{kind: spec.diff.get(kind, getattr(defaults, kind)) for kind in DIFF_KINDS})
    if theme is not None:
        defaults = DiffColours()
        return DiffColours(
            added=theme.success or defaults.added,
            removed=theme.error or defaults.removed,
            changed=theme.warning or defaults.changed,
            renamed=theme.secondary or theme.primary or defaults.renamed,
            type_changed=theme.accent or defaults.type_changed,
        )
    return DiffColours()


def method_colours(spec: ThemeSpec | None) -> dict[str, str]:
    """HTTP method -> badge colour (empty for a theme without a spec: the list keeps its own)."""
    return dict(spec.methods) if spec is not None else {}
