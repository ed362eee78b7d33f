"""Filter a JSON body with a JSONPath or a jq expression, through the libraries that define them.

``$.items[*].name`` (starts with ``$``) is JSONPath, read by ``jsonpath-ng``'s extended parser (filters,
arithmetic); anything else (``.items[] | .name``) is jq, run by the ``jq`` bindings of the C library.
The result is the list of matched values, in order. Errors are one line (``QueryError``); nothing here
prints. The TUI runs this in a worker, since a filter over a 12 MB body takes noticeable time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["QueryError", "QueryResult", "filter_body", "language_of"]

Language = Literal["jsonpath", "jq"]
MAX_RESULTS = 100_000


class QueryError(ValueError):
    """An expression that does not parse or cannot run; ``str()`` is one line."""


@dataclass(frozen=True)
class QueryResult:
    language: Language
    values: tuple[Any, ...]
    truncated: bool = False
    """More than ``MAX_RESULTS`` values matched; ``values`` holds the first ones."""


def language_of(expression: str) -> Language:
    return "jsonpath" if expression.lstrip().startswith("$") else "jq"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:200] or type(error).__name__


def _jsonpath(expression: str, value: Any) -> list[Any]:
    from jsonpath_ng.ext.parser import parse

    try:
        compiled = parse(expression)
    except Exception as error:  # noqa: BLE001 - its lexer, parser and grammar raise unrelated types
        raise QueryError(f"not a JSONPath expression: {_one_line(error)}") from None
    try:
        return [match.value for match in compiled.find(value)]
    except Exception as error:  # noqa: BLE001 - a filter over odd data: report it, never crash
        raise QueryError(f"the JSONPath expression failed: {_one_line(error)}") from None


def _jq(expression: str, value: Any) -> list[Any]:
    import jq

    try:
        program = jq.compile(expression)
    except ValueError as error:
        raise QueryError(f"not a jq expression: {_one_line(error)}") from None
    try:
        found: list[Any] = []
        for item in program.input_value(value):
            found.append(item)
            if len(found) > MAX_RESULTS:
                break
        return found
    except ValueError as error:
        raise QueryError(f"the jq expression failed: {_one_line(error)}") from None


def filter_body(value: Any, expression: str) -> QueryResult:
    """The values ``expression`` selects in ``value`` (a parsed JSON document)."""
    text = expression.strip()
    if not text:
        raise QueryError("the expression is empty")
    language = language_of(text)
    values = _jsonpath(text, value) if language == "jsonpath" else _jq(text, value)
    truncated = len(values) > MAX_RESULTS
    return QueryResult(language, tuple(values[:MAX_RESULTS]), truncated)
