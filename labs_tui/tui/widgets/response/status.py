"""The response status line: what a person scans for, as one literal ``Text``.

Status code coloured by class, reason, time, size, content type when it is not JSON, the served version and
the requestId. Everything taken from the result goes through ``text.literal``; nothing here is parsed as
markup.
"""

from __future__ import annotations

from rich.text import Text

from labs_tui.client import CallResult, Diagnosis
from labs_tui.tui.text import literal

__all__ = ["status_style", "format_size", "format_ms", "status_line"]


def status_style(status: int | None) -> str:
    """The colour of a status code's class; a network error (no status) is red."""
    if status is None or status >= 500:
        return "bold red"
    if status >= 400:
        return "bold yellow"
    if status >= 300:
        return "bold cyan"
    if status >= 200:
        return "bold green"
    return "bold"


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    for unit, scale in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        value = size / scale
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if value.is_integer() or value >= 100 else f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def format_ms(ms: float) -> str:
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.2f} s"


def status_line(result: CallResult, diagnosis: Diagnosis) -> Text:
    """``200 OK · 12 ms · 48 B · served 1.0 · req 6f1c…``; a network error: its title and the time."""
    line = Text()
    sep = Text(" · ", style="dim")
    if result.network_error is not None or result.status is None:
        line.append_text(literal(diagnosis.title or "network error", status_style(None)))
        if result.elapsed_ms:
            line.append_text(sep)
            line.append(format_ms(result.elapsed_ms))
        return line
    line.append(str(result.status), style=status_style(result.status))
    if result.reason:
        line.append(" ")
        line.append_text(literal(result.reason, status_style(result.status)))
    parts: list[Text] = [Text(format_ms(result.elapsed_ms)), Text(format_size(result.size))]
    if result.content_kind not in ("json", "empty") and result.content_type:
        parts.append(literal(result.content_type.split(";")[0].strip()))
    if diagnosis.served_version:
        parts.append(Text.assemble("served ", literal(diagnosis.served_version, "bold")))
    if diagnosis.request_id:
        parts.append(Text.assemble("req ", literal(diagnosis.request_id, "bold")))
    for part in parts:
        line.append_text(sep)
        line.append_text(part)
    return line
