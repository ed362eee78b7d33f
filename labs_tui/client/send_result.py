"""What an exchange has gathered (``Progress``) and the ``CallResult`` it becomes, redacted.

The result's request (URL, headers, body, notes), the answer's headers and body, the final URL,
redirects and notes are all redacted of the secrets given; a token sent in the query is masked by
its parameter's name whatever its length. The body is classified (JSON, text, binary) here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from labs_tui.client.classify import classify
from labs_tui.client.model import CallRequest, CallResult, NetworkError
from labs_tui.client.redact import mask_query, redact, redact_bytes, redact_headers


@dataclass(slots=True)
class Progress:
    """What the exchange has gathered so far: the current URL, then the answer as it is read."""

    url: str
    status: int | None = None
    reason: str = ""
    http_version: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    truncated: bool = False
    redirects: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sent_headers: list[tuple[str, str]] = field(default_factory=list)


def result_of(
    request: CallRequest,
    progress: Progress,
    error: NetworkError | None,
    elapsed_ms: float,
    started_at: float,
    secrets: list[str | None],
) -> CallResult:
    """The ``CallResult`` for ``request`` from what ``progress`` gathered, with ``secrets`` redacted."""
    body = bytes(progress.body)
    content_type = next((v for k, v in progress.headers if k.lower() == "content-type"), "")
    shown = redact_bytes(body, secrets)
    classified = classify(shown, content_type, truncated=progress.truncated or error is not None)
    token_in = request.token_in

    def hide(url: str) -> str:  # a query token is masked by name, whatever its length
        return mask_query(url, token_in[1]) if token_in is not None and token_in[0] == "query" else url

    safe_request = CallRequest(
        method=request.method,
        url=redact(hide(request.url), secrets),
        headers=redact_headers(
            request.headers, secrets, [token_in[1]] if token_in and token_in[0] == "header" else []
        ),
        body=redact_bytes(request.body, secrets) if request.body is not None else None,
        pin=request.pin,
        operation_key=request.operation_key,
        notes=tuple(redact(n, secrets) for n in request.notes),
        token_in=token_in,
    )
    return CallResult(
        request=safe_request,
        status=progress.status,
        reason=progress.reason,
        http_version=progress.http_version,
        headers=redact_headers(tuple(progress.headers), secrets),
        elapsed_ms=elapsed_ms,
        size=len(body),
        body=shown,
        truncated=progress.truncated,
        content_type=content_type,
        content_kind=classified.kind,
        text=classified.text,
        json=classified.json,
        json_error=classified.json_error,
        network_error=error,
        started_at=started_at,
        final_url=redact(hide(progress.url), secrets) if progress.status is not None else "",
        redirects=tuple(redact(hide(u), secrets) for u in progress.redirects),
        notes=tuple(redact(n, secrets) for n in progress.notes),
    )
