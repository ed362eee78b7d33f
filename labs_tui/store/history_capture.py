"""What the history stores of one call: redacted, capped copies of its fields and its bodies.

Every string in ``secrets`` (plain and URL-encoded) becomes ``[redacted]`` in every field before
anything is capped; bodies and header lists are cut at the capture cap. ``capture`` returns the
row's values in the table's column order (without ``id``). This module must not touch the
database, read a clock, or print.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
MAX_HEADER_VALUE = 8 * 1024

Headers = tuple[tuple[str, str], ...]


def capture(
    *,
    cap: int,
    secrets: Iterable[str],
    at: float,
    profile: str,
    method: str,
    url: str,
    pin: str | None,
    status: int | None,
    elapsed_ms: float,
    request_id: str | None,
    error_message: str | None,
    size: int,
    request_headers: Sequence[tuple[str, str]],
    request_body: bytes | None,
    response_headers: Sequence[tuple[str, str]],
    response_body: bytes,
) -> tuple[Any, ...]:
    """One call's row values, redacted and capped at ``cap`` bytes per copy, with its stored bytes."""
    redactor = _Redactor(secrets)
    req_headers, req_headers_cut = _encode_headers(request_headers, redactor, cap)
    resp_headers, resp_headers_cut = _encode_headers(response_headers, redactor, cap)
    req_body: bytes | None = None
    req_cut = req_headers_cut
    if request_body is not None:
        req_body, cut = redactor.cap_bytes(request_body, cap)
        req_cut = req_cut or cut
    resp_body, resp_cut = redactor.cap_bytes(response_body, cap)
    resp_cut = resp_cut or resp_headers_cut
    row = (
        float(at),
        redactor.text(profile)[:200],
        redactor.text(method).upper()[:20],
        redactor.text(url)[:cap],
        redactor.text(pin)[:100] if pin is not None else None,
        status,
        float(elapsed_ms),
        redactor.text(request_id)[:200] if request_id is not None else None,
        redactor.text(error_message)[:2000] if error_message is not None else None,
        int(size),
    )
    stored = (
        sum(len(str(v)) for v in row if v is not None)
        + len(req_headers)
        + len(resp_headers)
        + len(req_body or b"")
        + len(resp_body)
        + 64
    )
    return (*row, stored, req_headers, req_body, int(req_cut), resp_headers, resp_body, int(resp_cut))


class _Redactor:
    """Replaces secrets in text and bytes; bounded by the cap, not by the input's size."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if secret and secret.strip():
                forms.update((secret, quote(secret, safe=""), quote_plus(secret)))
        self.forms = sorted(forms, key=len, reverse=True)
        self.byte_forms = [f.encode("utf-8") for f in self.forms]
        self.longest = max((len(f) for f in self.byte_forms), default=0)

    def text(self, value: str) -> str:
        for form in self.forms:
            value = value.replace(form, REDACTED)
        return value

    def cap_bytes(self, data: bytes, cap: int) -> tuple[bytes, bool]:
        """The first ``cap`` bytes of ``data`` with secrets replaced, and whether anything was cut.

        Only ``cap + longest secret - 1`` bytes are looked at: any secret that begins inside the
        kept part ends inside that window, so none survives in part.
        """
        window = bytes(data[: cap + max(self.longest - 1, 0)])
        for form in self.byte_forms:
            window = window.replace(form, REDACTED.encode())
        cut = len(data) > cap or len(window) > cap
        return window[:cap], cut


def _encode_headers(headers: Sequence[tuple[str, str]], redactor: _Redactor, cap: int) -> tuple[str, bool]:
    kept: list[list[str]] = []
    used = 2
    cut = False
    for name, value in headers:
        pair = [redactor.text(str(name))[:200], redactor.text(str(value))[:MAX_HEADER_VALUE]]
        cost = len(pair[0]) + len(pair[1]) + 8
        if used + cost > cap:
            cut = True
            break
        kept.append(pair)
        used += cost
    return json.dumps(kept, ensure_ascii=False), cut


def _decode_headers(raw: str | None) -> Headers:
    try:
        pairs = json.loads(raw or "[]")
        return tuple((str(k), str(v)) for k, v in pairs)
    except (ValueError, TypeError):
        return ()
