"""Turning a stored history entry back into what the builder and the response pane take.

Pure functions, no Textual: which spec operation a stored URL was (its path is matched against the
spec's templates, whatever base path the profile had), which headers the user had added (never
the token, nor the headers the client sets itself), a multipart body's fields (``stored_form``: the
text ones come back; a file's path was never stored, only its name and bytes, so it is named for
the user to pick again), and a ``CallResult`` rebuilt from the stored copies so the response pane
can show it exactly as it shows a fresh answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

from labs_tui.client.model import CallRequest, CallResult, NetworkError
from labs_tui.spec.model import Operation, Spec
from labs_tui.store.history import HistoryEntry

MANAGED_HEADERS = frozenset(
    {"authorization", "accept", "user-agent", "content-type", "content-length", "host"}
)
REDACTED_MARKERS = ("[redacted]", "***")
MAX_SEGMENTS = 64


def match_url(spec: Spec, method: str, url: str) -> tuple[Operation, dict[str, str], dict[str, str]] | None:
    """The operation a stored URL called, its path params and its query, or None.

    The stored URL carries the profile's base path (``/labs/v1/...``); the longest suffix of its
    path that the spec serves wins.
    """
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s][:MAX_SEGMENTS]
    # a masked value was a secret (the token as an apiKey query parameter): not the user's to send back
    query = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if v not in REDACTED_MARKERS}
    for start in range(len(segments) + 1):
        candidate = "/" + "/".join(segments[start:])
        found = spec.match(method.upper(), candidate)
        if found is not None:
            operation, params = found
            return operation, dict(params), query
    return None


def editable_headers(entry: HistoryEntry, version_header: str) -> list[tuple[str, str]]:
    """The request headers the user had set: not the token, the pin, or what the client adds itself."""
    skip = MANAGED_HEADERS | {version_header.lower()}
    out: list[tuple[str, str]] = []
    for name, value in entry.request_headers:
        if name.lower() in skip or any(marker in value for marker in REDACTED_MARKERS):
            continue
        out.append((name, value))
    return out


@dataclass(frozen=True)
class StoredForm:
    """A stored multipart body's fields: text ones to fill back, files (field, file name) to pick again."""

    fields: tuple[tuple[str, str], ...] = ()
    files: tuple[tuple[str, str], ...] = ()
    cut: bool = False  # the stored copy was cut at the history cap: later fields are not known

    def notice(self) -> str | None:
        """One line for the user about what could not come back, or None."""
        said: list[str] = []
        if self.files:
            named = ", ".join(f"{name} ({filename})" if filename else name for name, filename in self.files)
            said.append(f"pick the file again: {named}")
        if self.cut:
            said.append("the history kept only the start of the body; later fields are empty")
        return "; ".join(said) or None


def stored_form(entry: HistoryEntry) -> StoredForm | None:
    """The fields of a stored ``multipart/form-data`` request body, or None for any other body.

    Parsed with the standard library's MIME parser; a text part cut at the history cap is left out
    (a file part is named all the same: its bytes are never filled back)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    content_type = next((v for n, v in entry.request_headers if n.lower() == "content-type"), "")
    if entry.request_body is None or not content_type.lower().startswith("multipart/form-data"):
        return None
    try:
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + entry.request_body
        )
        parts = list(message.iter_parts()) if message.is_multipart() else []
    except Exception:  # a damaged copy: nothing to fill, not a failure of the reopen
        return StoredForm(cut=entry.request_truncated)
    if entry.request_truncated and parts and parts[-1].get_filename() is None:
        parts.pop()  # the cap fell inside (or just after) the last part read: its text is not whole
    fields: list[tuple[str, str]] = []
    files: list[tuple[str, str]] = []
    for part in parts:
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = part.get_filename()
        if filename is not None:
            files.append((name, filename))
            continue
        payload = part.get_payload(decode=True)
        fields.append((name, payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""))
    return StoredForm(tuple(fields), tuple(files), entry.request_truncated)


def stored_result(entry: HistoryEntry) -> CallResult:
    """The stored answer as a ``CallResult`` (the body is the stored copy, maybe cut at the history cap)."""
    from labs_tui.client import classify

    request = CallRequest(
        method=entry.method,
        url=entry.url,
        headers=entry.request_headers,
        body=entry.request_body,
        pin=entry.pin,
    )
    if entry.status is None:
        message = entry.error_message or "the call failed before an answer"
        return CallResult(
            request=request,
            network_error=NetworkError("other", message),
            elapsed_ms=entry.elapsed_ms,
            started_at=entry.time,
        )
    content_type = entry.response_header("content-type") or ""
    truncated = entry.response_truncated
    kind = classify(entry.response_body, content_type, truncated=truncated)
    try:
        reason = HTTPStatus(entry.status).phrase
    except ValueError:
        reason = ""
    return CallResult(
        request=request,
        status=entry.status,
        reason=reason,
        headers=entry.response_headers,
        elapsed_ms=entry.elapsed_ms,
        size=entry.size,
        body=entry.response_body,
        truncated=truncated,
        content_type=content_type,
        content_kind=kind.kind,
        text=kind.text,
        json=kind.json,
        json_error=kind.json_error,
        started_at=entry.time,
        final_url=entry.url,
    )
