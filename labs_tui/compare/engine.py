"""One request sent under several versions, and what differs between the answers.

``compare_versions`` swaps the pin header per version (``latest`` sends none), sends the requests
concurrently through one ``Client`` with bounded concurrency, and refuses methods that may change
data unless the caller allows them. ``diff_results`` compares two answers at the response level:
status, non-volatile headers, then the bodies structurally; a side that was refused (429, or a
status that differs into an error) is reported as that status, not as field differences.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from labs_tui.client.diagnose import FrontEnd, diagnose
from labs_tui.client.model import CallRequest, CallResult, Diagnosis
from labs_tui.client.redact import redact_headers
from labs_tui.client.request import is_latest
from labs_tui.compare.diff import MISSING, Change, diff
from labs_tui.spec.model import DEFAULT_VERSION_HEADER

if TYPE_CHECKING:
    from labs_tui.client.send import Client
    from labs_tui.client.validation import Validation
    from labs_tui.spec.model import Operation, Spec

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_VERSIONS = 12
DEFAULT_CONCURRENCY = 4
VOLATILE_HEADERS = frozenset(
    {
        "date",
        "age",
        "expires",
        "last-modified",
        "etag",
        "set-cookie",
        "content-length",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "retry-after",
        "server-timing",
        "x-response-time",
        "x-runtime",
        "via",
        "x-cache",
        "x-cache-hits",
        "cf-ray",
        "traceparent",
        "tracestate",
        "x-request-id",
        "request-id",
        "x-amzn-requestid",
        "x-amz-request-id",
        "x-amz-cf-id",
        "x-amzn-trace-id",
        "x-correlation-id",
        "x-trace-id",
    }
)
_VOLATILE_PREFIXES = ("x-ratelimit-", "ratelimit", "x-rate-limit-")
_VOLATILE_BODY_KEYS = ("requestId",)


class CompareError(ValueError):
    """A comparison that will not be run; ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class VersionResponse:
    version: str  # as asked: "1.0", "latest"
    result: CallResult
    diagnosis: Diagnosis
    validation: Validation | None = None
    """The answer checked against the schema documented for it (None: no spec given, or none documented)."""

    @property
    def request_id(self) -> str | None:
        return self.diagnosis.request_id

    @property
    def served_version(self) -> str | None:
        return self.diagnosis.served_version


@dataclass(frozen=True, slots=True)
class Comparison:
    """Answers per version; ``pairs`` holds the changes between each version and the next."""

    request: CallRequest  # redacted, as sent for the first version
    versions: tuple[str, ...]
    responses: tuple[VersionResponse, ...]
    pairs: tuple[tuple[str, str, tuple[Change, ...]], ...]
    notes: tuple[str, ...] = ()

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(change for _, _, changes in self.pairs for change in changes)

    @property
    def network_failed(self) -> tuple[VersionResponse, ...]:
        return tuple(r for r in self.responses if r.result.network_error is not None)

    @property
    def identical(self) -> bool:
        return not self.network_failed and not self.changes


def is_volatile_header(name: str) -> bool:
    lname = name.lower()
    return lname in VOLATILE_HEADERS or lname.startswith(_VOLATILE_PREFIXES)


def _header_map(result: CallResult, skip: str) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    for name, value in result.headers:
        lname = name.lower()
        if lname != skip and not is_volatile_header(lname):
            values.setdefault(lname, []).append(value)
    return {name: ", ".join(parts) for name, parts in values.items()}


def body_value(result: CallResult) -> object:
    """The JSON body without volatile top-level keys (``requestId``), as compared and shown."""
    value = result.json
    if isinstance(value, dict) and any(k in value for k in _VOLATILE_BODY_KEYS):
        value = {k: v for k, v in value.items() if k not in _VOLATILE_BODY_KEYS}
    return value


def bodies_compared(a: CallResult, b: CallResult) -> bool:
    """Whether two answers' bodies are compared field by field: the one rule for the engine and views.

    Both answered, neither was rate-limited (429), and either the statuses are equal or neither is
    an error (400 or more): 200 against 201 compares the bodies; 200 against 404 does not.
    """
    if a.network_error is not None or b.network_error is not None:
        return False
    if 429 in (a.status, b.status):
        return False
    return a.status == b.status or max(a.status or 0, b.status or 0) < 400


def json_bodies_compared(a: CallResult, b: CallResult) -> bool:
    """``bodies_compared`` and both bodies are JSON: the views can align them key by key."""
    return bodies_compared(a, b) and a.content_kind == "json" and b.content_kind == "json"


def diff_results(
    a: CallResult, b: CallResult, *, version_header: str = DEFAULT_VERSION_HEADER
) -> tuple[list[Change], list[str]]:
    """Changes from answer ``a`` to answer ``b``, and notes on what was not compared and why."""
    notes: list[str] = []
    if a.network_error is not None or b.network_error is not None:
        return [], ["a request failed on the network; nothing to compare"]
    changes: list[Change] = []
    if a.status != b.status:
        changes.append(Change("status", "", a=a.status, b=b.status))
    if not bodies_compared(a, b):
        if a.status == b.status:  # both 429: the only equal statuses whose bodies are not compared
            return [], ["both sides were rate-limited (429): nothing to compare; retry later"]
        notes.append(
            f"status {a.status} vs {b.status}: one side was refused, so its body is not field differences"
        )
        return changes, notes
    ha, hb = _header_map(a, version_header.lower()), _header_map(b, version_header.lower())
    for name in [*ha, *(n for n in hb if n not in ha)]:
        if ha.get(name) != hb.get(name):
            changes.append(Change("header", name, a=ha.get(name, MISSING), b=hb.get(name, MISSING)))
    if a.content_kind == "json" and b.content_kind == "json":
        changes.extend(diff(body_value(a), body_value(b)))
    elif a.body != b.body:
        changes.append(Change("changed", "", a=_body_text(a), b=_body_text(b)))
    if a.truncated or b.truncated:
        notes.append("a body was truncated at the cap; the comparison covers what was kept")
    return changes, notes


def _body_text(result: CallResult) -> str:
    if result.text is not None:
        return result.text[:2000]
    return f"<{result.content_kind} body, {result.size} bytes>"


def version_request(request: CallRequest, version: str, version_header: str) -> CallRequest:
    """``request`` with its pin header set to ``version``, or removed for ``latest``."""
    lname = version_header.lower()
    headers = tuple((n, v) for n, v in request.headers if n.lower() != lname)
    if not is_latest(version):
        headers += ((version_header, version.strip()),)
    return dataclasses.replace(request, headers=headers, pin=None if is_latest(version) else version.strip())


def check_versions(versions: Sequence[str]) -> tuple[str, ...]:
    cleaned = tuple(v.strip() for v in versions if v.strip())
    if len(cleaned) < 2:
        raise CompareError("give at least two versions to compare, e.g. 1.0,latest")
    if len(cleaned) > MAX_VERSIONS:
        raise CompareError(f"at most {MAX_VERSIONS} versions at once")
    seen: set[str] = set()
    for version in cleaned:
        key = "latest" if is_latest(version) else version
        if key in seen:
            raise CompareError(f"version {version!r} is listed twice")
        seen.add(key)
    return cleaned


async def compare_versions(
    client: Client,
    request: CallRequest,
    versions: Sequence[str],
    *,
    allow_unsafe: bool = False,
    concurrency: int = DEFAULT_CONCURRENCY,
    now: float | None = None,
    spec: Spec | None = None,
    operation: Operation | None = None,
    front_end: FrontEnd = "tui",
) -> Comparison:
    """Send ``request`` once per version (concurrently, at most ``concurrency`` at a time) and diff.

    With ``spec`` and ``operation``, each answer is also checked against the schema documented for it
    (``VersionResponse.validation``), in a thread so a big body does not hold the event loop.

    Raises ``CompareError`` for fewer than two versions, duplicates, or an unsafe method without
    ``allow_unsafe``. Network failures are in the responses, never raised.
    """
    chosen = check_versions(versions)
    if request.method.upper() in UNSAFE_METHODS and not allow_unsafe:
        raise CompareError(
            f"refusing to send {request.method} {len(chosen)} times: it may change data "
            "(allow it explicitly to compare anyway)"
        )
    header = client.profile.version_header
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(version: str) -> VersionResponse:
        async with gate:
            result = await client.send(version_request(request, version, header))
        diagnosis = diagnose(
            result,
            operation,
            now=now,
            token=client.profile.token,
            version_header=header,
            front_end=front_end,
            spec=spec,
        )
        checked = None
        if spec is not None and operation is not None:
            from labs_tui.client.validation import check_response

            checked = await asyncio.to_thread(check_response, spec, operation, result)
        return VersionResponse(version, result, diagnosis, checked)

    responses = tuple(await asyncio.gather(*(one(v) for v in chosen)))
    pairs: list[tuple[str, str, tuple[Change, ...]]] = []
    notes: list[str] = []
    for left, right in zip(responses, responses[1:], strict=False):
        changes, pair_notes = diff_results(left.result, right.result, version_header=header)
        pairs.append((left.version, right.version, tuple(changes)))
        notes += [f"{left.version} vs {right.version}: {note}" for note in pair_notes]
    for response in responses:
        if response.result.status == 429:
            wait = response.diagnosis.retry_after_s
            after = f"; retry after {wait:.0f} s" if wait is not None else ""
            notes.append(f"{response.version} was rate-limited (429){after}")
    first = responses[0].result.request if responses else request
    shown = dataclasses.replace(first, headers=redact_headers(first.headers, [client.profile.token]))
    return Comparison(shown, chosen, responses, tuple(pairs), tuple(notes))
