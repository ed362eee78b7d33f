"""An error answer's body, read in the shapes servers use, and a line that sums up a non-JSON one.

``api_error`` turns a JSON body into an ``ApiError``: the Labs ``{message, statusCode, requestId,
fieldErrors}``, an RFC 9457 problem (``application/problem+json``, or its members sent as plain JSON),
and other common shapes (JSON:API ``errors``, FastAPI ``detail: [{loc, msg}]``, OAuth 2
``error``/``error_description``, a bare ``message``, ``detail`` or ``title``), with the per-field
problems each lists. ``summarise`` gives a text/plain answer's first words or an HTML page's title.
Pure: nothing printed, nothing kept.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from labs_tui.client.model import ApiError, CallResult, FieldError
from labs_tui.text import inert_line

_BODY_ID_KEYS = ("requestId", "request_id", "requestID", "RequestId")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def one_line(text: str, limit: int = 200) -> str:
    """Network text as one short printable line (control characters escaped)."""
    return inert_line(text, limit)


_PROBLEM_MEMBERS = ("type", "title", "status", "detail", "instance")
# Where common error bodies list per-field problems: Labs ``fieldErrors``, RFC 9457's example
# ``errors: [{detail, pointer}]``, RFC 7807's ``invalid-params: [{name, reason}]``, and kin.
_FIELD_LISTS = ("fieldErrors", "errors", "invalid-params", "invalid_params", "violations")
_FIELD_NAME_KEYS = ("field", "pointer", "name", "parameter", "path", "propertyPath", "property")
_FIELD_TEXT_KEYS = ("message", "detail", "reason", "title", "description", "msg")
_PROBLEM_ID_KEYS = (*_BODY_ID_KEYS, "traceId", "trace_id")


def _first_text(item: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = item.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _field_error(item: Mapping[str, Any]) -> FieldError:
    name = _first_text(item, _FIELD_NAME_KEYS)
    source = item.get("source")
    if not name and isinstance(source, Mapping):  # JSON:API: source.pointer / source.parameter
        name = _first_text(source, ("pointer", "parameter", "header"))
    if not name and isinstance(item.get("loc"), list):  # FastAPI / pydantic: loc [body, field]
        name = "/".join(str(part) for part in item["loc"][:10])
    code = item.get("code")
    return FieldError(
        field=name,
        message=_first_text(item, _FIELD_TEXT_KEYS),
        code=str(code) if isinstance(code, str | int) and not isinstance(code, bool) else "",
    )


def _field_errors(value: Mapping[str, Any]) -> tuple[FieldError, ...]:
    """Per-field problems from the first list a body has (``fieldErrors``, ``errors``, ...)."""
    for key in _FIELD_LISTS:
        raw = value.get(key)
        if isinstance(raw, list):
            found = [_field_error(item) for item in raw[:100] if isinstance(item, Mapping)]
            if found:
                return tuple(found)
        if isinstance(raw, Mapping) and key == "errors":  # {"name": ["must not be empty"], ...}
            listed: list[FieldError] = []
            for name, messages in list(raw.items())[:100]:
                texts = messages if isinstance(messages, list) else [messages]
                listed += [FieldError(str(name), str(text)) for text in texts[:5] if isinstance(text, str)]
            if listed:
                return tuple(listed)
    return ()


def _is_problem(value: Mapping[str, Any], content_type: str) -> bool:
    """An RFC 9457 problem: by its media type, or (sent as plain JSON) by its members."""
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime.endswith("/problem+json"):
        return True
    if "message" in value or "statusCode" in value:
        return False
    members = sum(1 for key in _PROBLEM_MEMBERS if key in value)
    texts = isinstance(value.get("title"), str) or isinstance(value.get("detail"), str)
    return members >= 2 and texts


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) == 3:
        return int(value)
    return None


def _problem(value: Mapping[str, Any]) -> ApiError:
    def text(key: str) -> str:
        found = value.get(key)
        return found if isinstance(found, str) else ""

    detail, title = text("detail"), text("title")
    rid = next((value[k] for k in _PROBLEM_ID_KEYS if isinstance(value.get(k), str) and value[k]), None)
    return ApiError(
        message=detail or title,
        status_code=_int(value.get("status")),
        request_id=rid,
        field_errors=_field_errors(value),
        shape="problem",
        title=title,
        type=text("type"),
        instance=text("instance"),
    )


def _other_error(value: Mapping[str, Any]) -> ApiError | None:
    """Other common error bodies: JSON:API ``errors``, FastAPI ``detail: [{loc, msg}]``, OAuth 2
    ``error``/``error_description``, a bare ``detail`` or ``title``; None when none of them."""
    fields = _field_errors(value)
    detail = value.get("detail")
    if isinstance(detail, list):
        fields = tuple(_field_error(item) for item in detail[:100] if isinstance(item, Mapping))
    texts = (value.get(key) for key in ("error_description", "detail", "error", "title"))
    message = next((text for text in texts if isinstance(text, str) and text), "")
    if not message and fields:
        message = fields[0].message
    if not message and not fields:
        return None
    rid = next((value[k] for k in _PROBLEM_ID_KEYS if isinstance(value.get(k), str) and value[k]), None)
    return ApiError(message=message, request_id=rid, field_errors=fields, shape="other")


def api_error(value: Any, content_type: str = "") -> ApiError | None:
    if not isinstance(value, Mapping):
        return None
    if _is_problem(value, content_type):
        return _problem(value)
    outer = value
    if isinstance(value.get("error"), Mapping) and "message" not in value:
        value = value["error"]
    message = value.get("message")
    if not isinstance(message, str) and not any(k in value for k in ("statusCode", "requestId")):
        return _other_error(outer)
    status = value.get("statusCode")
    rid = next((value[k] for k in _BODY_ID_KEYS if isinstance(value.get(k), str) and value[k]), None)
    labs = any(key in value for key in ("statusCode", "requestId", "fieldErrors"))
    return ApiError(
        message=message if isinstance(message, str) else "",
        status_code=status if isinstance(status, int) and not isinstance(status, bool) else None,
        request_id=rid,
        field_errors=_field_errors(value),
        shape="labs" if labs else "other",  # a bare {message}: not the Labs shape, nothing "missing"
    )


def summarise(result: CallResult) -> str | None:
    """A text/plain answer's first words, or an HTML page's title (else its first heading/text)."""
    text = result.text or ""
    if result.content_kind == "html":
        for pattern in (_TITLE, _H1):
            found = pattern.search(text[:200_000])
            if found:
                title = one_line(html.unescape(_TAG.sub(" ", found.group(1))))
                if title:
                    return title
        return one_line(html.unescape(_TAG.sub(" ", text[:20_000]))) or None
    if result.content_kind == "text" and text.strip():
        return one_line(text[:2000])
    return None
