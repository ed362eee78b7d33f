"""How ``call`` shows an answer: the human view (status line, schema problems, error panel, a bounded
and highlighted body) and the ``--json`` object.

Output that came from the network is data: every control character is escaped (``inert``,
``inert_line``, ``inert_json``) before it reaches stdout, and only our own colours are added (pygments /
click styles, on a terminal only). Bodies are bounded unless --full-body: ``PREVIEW_CHARS`` /
``PREVIEW_LINES`` for text, a hex preview of ``HEX_PREVIEW_BYTES`` for binary.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from labs_tui.cli.request_plan import note
from labs_tui.text import inert, inert_json, inert_line

if TYPE_CHECKING:
    from labs_tui.client import CallResult, Diagnosis, Validation

PREVIEW_CHARS = 1024 * 1024
"""Text, HTML and JSON bodies: at most this many characters reach stdout unless --full-body (--json too)."""
PREVIEW_LINES = 20_000
"""... and at most this many lines (human output only)."""
HEX_PREVIEW_BYTES = 64
"""Binary bodies: the first bytes shown, as a hex dump (human) or hex digits (--json ``body``)."""


def _headers_object(headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _json_body(result: CallResult, full_body: bool) -> tuple[Any, str | None, bool]:
    """(``body``, ``bodyEncoding``, ``bodyTruncated``) for --json: bounded unless ``full_body``."""
    kind = result.content_kind
    if kind == "binary":
        shown = result.body if full_body else result.body[:HEX_PREVIEW_BYTES]
        return shown.hex(), "hex", len(shown) < len(result.body)
    if kind in ("json", "text", "html"):
        text = result.text or ""
        if kind == "json" and (full_body or len(text) <= PREVIEW_CHARS):
            return result.json, "json", False
        if full_body or len(text) <= PREVIEW_CHARS:
            return text, "text", False
        return text[:PREVIEW_CHARS], "text", True
    return None, None, False


def call_json(
    result: CallResult,
    diagnosis: Diagnosis,
    *,
    full_body: bool = False,
    saved_to: str | None = None,
    validation: Validation | None = None,
) -> dict[str, Any]:
    """The ``--json`` object the issue specifies, from a result, its diagnosis and its schema check.

    ``body`` is bounded: the parsed JSON or the text when it has at most ``PREVIEW_CHARS`` characters,
    else its first ``PREVIEW_CHARS`` as a string with ``bodyTruncated: true``; binary bodies are the hex
    digits of their first ``HEX_PREVIEW_BYTES`` bytes. ``full_body`` lifts the bound; ``saved_to`` (-o)
    leaves ``body`` null and names the file in ``bodyFile``.
    """
    body: Any
    if saved_to is not None:
        body, encoding, cut = None, None, False
    else:
        body, encoding, cut = _json_body(result, full_body)
    error = _error_json(result, diagnosis)
    retry = diagnosis.retry_after_s
    return {
        "request": {
            "method": result.request.method,
            "url": result.request.url,
            "headers": _headers_object(result.request.headers),
        },
        "status": result.status,
        "reason": result.reason or None,
        "elapsedMs": round(result.elapsed_ms, 1),
        "headers": _headers_object(result.headers),
        "body": body,
        "contentKind": result.content_kind,
        "bodyEncoding": encoding,
        "bodySize": result.size if result.network_error is None else None,
        "bodyTruncated": cut,
        "bodyCapped": result.truncated,
        "bodyFile": saved_to,
        "requestId": diagnosis.request_id,
        "requestIdSource": diagnosis.request_id_source,
        "error": error,
        "retryAfter": (int(retry) if retry is not None and retry == int(retry) else retry),
        "servedVersion": diagnosis.served_version,
        "hint": json_hint(diagnosis),
        "validation": validation_object(validation),
    }


def json_hint(diagnosis: Diagnosis) -> str | None:
    """--json's ``hint``: the spec's description of the status (when it documents one), then the hint."""
    said = f"The spec says: {diagnosis.spec_says.rstrip('.')}." if diagnosis.spec_says else ""
    return " ".join(part for part in (said, diagnosis.hint or "") if part) or None


def _error_json(result: CallResult, diagnosis: Diagnosis) -> dict[str, Any] | None:
    """--json's ``error``: the network failure, or the API's error of a 400+ answer, or None."""
    if result.network_error is not None:
        return {
            "message": result.network_error.message,
            "statusCode": None,
            "requestId": None,
            "fieldErrors": [],
        }
    if (result.status or 0) >= 400:
        api = diagnosis.error
        return {
            "message": (api.message if api and api.message else None) or diagnosis.summary or result.reason,
            "statusCode": api.status_code if api and api.status_code is not None else result.status,
            "requestId": diagnosis.request_id,
            "fieldErrors": [
                {"field": f.field, "message": f.message, "code": f.code}
                for f in (api.field_errors if api else ())
            ],
        }
    return None


def validation_object(validation: Validation | None) -> dict[str, Any] | None:
    """--json's ``validation`` for one answer (None: nothing was checked)."""
    from labs_tui.client import validation_json

    return validation_json(validation)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def is_tty() -> bool:
    return sys.stdout.isatty()


def _highlight(text: str, kind: str) -> str:
    if not is_tty() or len(text) > 2_000_000:
        return text
    from pygments import highlight
    from pygments.formatters import TerminalFormatter
    from pygments.lexers import HtmlLexer, JsonLexer

    lexer = JsonLexer() if kind == "json" else HtmlLexer()
    return highlight(text, lexer, TerminalFormatter()).rstrip("\n")


def print_human(
    result: CallResult,
    diagnosis: Diagnosis,
    *,
    full_body: bool = False,
    saved: bool = False,
    validation: Validation | None = None,
) -> None:
    tty = is_tty()
    if result.network_error is not None:
        click.echo(
            click.style(f"{diagnosis.title}: ", fg="red", bold=True) if tty else f"{diagnosis.title}: ",
            nl=False,
        )
        click.echo(inert(result.network_error.message))
        return
    parts = [inert(f"{result.http_version} {result.status} {result.reason}".strip())]
    parts.append(f"{result.elapsed_ms:.0f} ms")
    parts.append(human_size(result.size) + (" (truncated)" if result.truncated else ""))
    if diagnosis.served_version:
        parts.append(f"version {inert(diagnosis.served_version)}")
    line = " · ".join(parts)
    colour = "green" if (result.status or 0) < 400 else "red"
    click.echo(click.style(line, fg=colour, bold=True) if tty else line)
    for problem in schema_lines(validation):
        click.echo(click.style(problem, fg="yellow") if tty else problem)
    if (result.status or 0) >= 400:
        _print_error_panel(result, diagnosis)
    elif diagnosis.request_id:
        click.echo(f"requestId {inert(diagnosis.request_id)} (from the {diagnosis.request_id_source})")
    if saved:
        return
    body, cut = _body_for_terminal(result, full_body)
    if body:
        click.echo("")
        click.echo(body)
    if cut:
        note(
            f"showing the first {cut}; -o FILE saves the whole body ({result.size:,} bytes), "
            "--full-body prints all of it"
        )


def _where(path: str) -> str:
    return path or "(root)"


def schema_lines(validation: Validation | None, indent: str = "") -> list[str]:
    """One line per schema problem (errors, then undocumented properties), nothing when it conforms.

    Pointers and messages carry server text: each line goes through ``inert_line``.
    """
    if validation is None:
        return []
    if validation.skipped is not None:
        return [indent + inert_line(f"schema {validation.schema}: not checked: {validation.skipped}")]
    lines = [
        indent + inert_line(f"schema {_where(p.path)}: {p.message} ({validation.schema})")
        for p in validation.errors
    ]
    if validation.more_errors:
        lines.append(f"{indent}schema: more problems than the {len(validation.errors)} shown")
    lines += [
        indent + inert_line(f"schema {path}: undocumented (not in {validation.schema})")
        for path in validation.undocumented
    ]
    return lines


def schema_summary(validation: Validation | None) -> str:
    """Whether an answer matches its documented shape, in one line."""
    if validation is None:
        return "no schema documented for this answer"
    if validation.skipped is not None:
        return f"not checked against {validation.schema}: {validation.skipped}"
    if validation.errors:
        count = len(validation.errors)
        more = "+" if validation.more_errors else ""
        plural = "s" if count != 1 or more else ""
        return f"does not match {validation.schema}: {count}{more} schema problem{plural}"
    text = f"matches {validation.schema}"
    if validation.variants:
        text += f" ({', '.join(validation.variants)})"
    if validation.undocumented:
        text += f"; {len(validation.undocumented)} undocumented: {', '.join(validation.undocumented[:5])}"
    return text


def _error_rows(result: CallResult, diagnosis: Diagnosis) -> list[tuple[str, str]]:
    """The error body's own members: an RFC 9457 problem's, else the Labs shape's, else a summary.

    "(not in the body)" is said only of a member the body's format has (``status`` of a problem,
    ``statusCode`` of the Labs shape), never of a body in no known format.
    """
    api = diagnosis.error
    if api is not None and api.shape == "problem":
        rows = [("title", api.title)] if api.title else []
        if api.message and api.message != api.title:
            rows.append(("detail", api.message))
        elif not api.title:
            rows.append(("detail", "(not in the body)"))
        status = str(api.status_code) if api.status_code is not None else "(not in the body)"
        rows.append(("status", status))
        if api.type and api.type != "about:blank":
            rows.append(("type", api.type))
        if api.instance:
            rows.append(("instance", api.instance))
        return rows
    message = (api.message if api and api.message else None) or diagnosis.summary or result.reason
    rows = [("message", message)]
    if api is not None and api.shape == "labs":
        code = str(api.status_code) if api.status_code is not None else "(not in the body)"
        rows.append(("statusCode", code))
    return rows


def _print_error_panel(result: CallResult, diagnosis: Diagnosis) -> None:
    from labs_tui.client import NO_REQUEST_ID

    api = diagnosis.error
    rows = _error_rows(result, diagnosis)
    if diagnosis.request_id:
        rows.append(("requestId", f"{diagnosis.request_id} (from the {diagnosis.request_id_source})"))
    else:
        rows.append(("requestId", f"none: {NO_REQUEST_ID}"))
    for field in api.field_errors if api else ():
        named = f"{field.field}: {field.message}" if field.field else field.message
        rows.append(("field", named + (f" [{field.code}]" if field.code else "")))
    if diagnosis.rate_limit:
        rows.append(("rate limit", ", ".join(f"{k}: {v}" for k, v in diagnosis.rate_limit.items())))
    if diagnosis.spec_says:
        rows.append(("spec says", diagnosis.spec_says))
    if diagnosis.hint:
        rows.append(("hint", diagnosis.hint))
    for label, value in rows:
        click.echo(f"  {label:<11} {inert(' '.join(value.split()))}")


def _pretty_json_preview(value: Any, limit: int) -> tuple[str, bool]:
    """``value`` pretty-printed (indent 2), cut after ``limit`` characters: encoded lazily, never whole."""
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False, default=str)
    parts: list[str] = []
    size = 0
    for chunk in encoder.iterencode(value):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            return "".join(parts)[:limit], True
    return "".join(parts), False


def _bounded(text: str, full_body: bool, already_cut: bool = False) -> tuple[str, str]:
    """(text cut to PREVIEW_CHARS / PREVIEW_LINES unless ``full_body``, what was kept or "")."""
    if full_body:
        return text, ""
    cut = already_cut
    if len(text) > PREVIEW_CHARS:
        text, cut = text[:PREVIEW_CHARS], True
    end = -1
    for _ in range(PREVIEW_LINES):
        end = text.find("\n", end + 1)
        if end == -1:
            break
    if end != -1 and end < len(text) - 1:
        text, cut = text[:end], True
    if not cut:
        return text, ""
    lines = text.count("\n") + 1
    return text, f"{len(text):,} characters, {lines:,} lines (1 MiB, {PREVIEW_LINES:,} lines at most)"


def _body_for_terminal(result: CallResult, full_body: bool = False) -> tuple[str, str]:
    """(what to print for the body, "" or what a bounded preview kept, for the note)."""
    kind = result.content_kind
    if kind == "json":
        if full_body:
            return _highlight(inert(inert_json(result.json)), "json"), ""
        pretty, cut = _pretty_json_preview(result.json, PREVIEW_CHARS)
        text, kept = _bounded(pretty, full_body, cut)
        return _highlight(inert(text), "json"), kept
    if kind in ("html", "text"):
        text, kept = _bounded(result.text or "", full_body)
        shown = inert(text)
        return (_highlight(shown, "html") if kind == "html" else shown), kept
    if kind == "binary":
        from labs_tui.client import hexdump_lines

        of = inert(result.content_type) or "unknown type"
        lines = [f"<binary body: {human_size(result.size)} of {of}; not shown>"]
        dump = hexdump_lines(result.body, HEX_PREVIEW_BYTES)
        if dump:
            lines.append(f"first {min(len(result.body), HEX_PREVIEW_BYTES)} bytes:")
            lines.extend(dump)
        lines.append("save it with -o FILE")
        return "\n".join(lines), ""
    return "", ""
