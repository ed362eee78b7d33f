"""Turning a stored history entry back into what the builder and the response pane take.

Pure functions, no Textual: which spec operation a stored URL was (its path is matched against the
spec's templates, whatever base path the profile had), which headers the user had added (never
the token, nor the headers the client sets itself), and a ``CallResult`` rebuilt from the stored
copies so the response pane can show it exactly as it shows a fresh answer.
"""

from __future__ import annotations

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
