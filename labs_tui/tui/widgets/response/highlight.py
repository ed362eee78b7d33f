"""JSON syntax colours and per-line highlighting for the body view.

The one place that maps pygments' JSON tokens to styles, so a theme can swap the whole palette by assigning
a new ``SyntaxColours`` to a view. Lines are highlighted one at a time (the body view asks only for visible
ones); a line of pretty-printed JSON is self-contained, since JSON strings cannot span lines. Input lines
must already be sanitized: this module styles text, it never decides what is safe to show. Pygments is
imported when the first line is highlighted, not at start: the first screen has no body to colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from rich.style import Style

if TYPE_CHECKING:
    from pygments.token import _TokenType

__all__ = ["SyntaxColours", "highlight_json_line"]


@cache
def _lexer() -> Any:
    from pygments.lexers import JsonLexer

    return JsonLexer()


@dataclass(frozen=True)
class SyntaxColours:
    """Rich style strings for each kind of JSON token; "" leaves the widget's own colour."""

    key: str = "bold #7aa2f7"
    string: str = "#9ece6a"
    number: str = "#ff9e64"
    boolean: str = "#bb9af7"
    null: str = "italic #bb9af7"
    punctuation: str = "#a9b1d6"

    @cached_property
    def styles(self) -> dict[str, Style]:
        return {
            "key": Style.parse(self.key) if self.key else Style.null(),
            "string": Style.parse(self.string) if self.string else Style.null(),
            "number": Style.parse(self.number) if self.number else Style.null(),
            "boolean": Style.parse(self.boolean) if self.boolean else Style.null(),
            "null": Style.parse(self.null) if self.null else Style.null(),
            "punctuation": Style.parse(self.punctuation) if self.punctuation else Style.null(),
        }


def _kind(token: _TokenType, value: str) -> str | None:
    from pygments.token import Keyword, Name, Number, Punctuation, String, is_token_subtype

    if is_token_subtype(token, Name.Tag):
        return "key"
    if is_token_subtype(token, String):
        return "string"
    if is_token_subtype(token, Number):
        return "number"
    if is_token_subtype(token, Keyword.Constant):
        return "null" if value == "null" else "boolean"
    if is_token_subtype(token, Punctuation):
        return "punctuation"
    return None


def highlight_json_line(line: str, colours: SyntaxColours) -> list[Segment]:
    """Segments for one line of JSON, each token styled by ``colours``; text is kept exactly as given."""
    styles = colours.styles
    segments: list[Segment] = []
    for _index, token, value in _lexer().get_tokens_unprocessed(line):
        kind = _kind(token, value)
        segments.append(Segment(value, styles[kind] if kind else None))
    return segments
