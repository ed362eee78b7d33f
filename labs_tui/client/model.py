"""What a call is and what came back: plain data shared by the CLI, the TUI, history and compare.

Nothing here sends anything or imports Textual. Header lists keep their order and duplicates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from labs_tui.spec.model import DEFAULT_VERSION_HEADER

if TYPE_CHECKING:
    from labs_tui.client.forms import FormPart

ContentKind = Literal["json", "text", "html", "binary", "empty"]
NetworkErrorKind = Literal[
    "refused",
    "dns",
    "tls",
    "proxy",
    "timeout",
    "reset",
    "too_many_redirects",
    "blocked_host",
    "invalid_url",
    "other",
]
Headers = tuple[tuple[str, str], ...]

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_BODY_CAP = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Profile:
    """Where requests go and with which credentials. ``token`` lives in memory only."""

    name: str
    base_url: str | None  # None: the embedded sandbox, filled in when it starts
    token_env: str | None = None  # the environment variable the token is read from
    token: str | None = field(default=None, repr=False)
    version_header: str = DEFAULT_VERSION_HEADER
    allowed_hosts: frozenset[str] = frozenset()  # hosts (besides base_url's) the token may go to
    is_sandbox: bool = False
    ca_bundle: str | None = None  # PEM file of CAs to trust instead of the default ones
    insecure: bool = False  # TLS certificates are not checked (--insecure)


@dataclass(frozen=True, slots=True)
class CallRequest:
    """One request as the user shaped it, before it is sent. ``pin`` None or "latest": no pin header."""

    method: str
    url: str  # absolute, path params already filled, query included
    headers: Headers = ()
    body: bytes | None = None
    pin: str | None = None
    operation_key: str | None = None  # "GET /examples/demo" when it came from the spec
    notes: tuple[str, ...] = ()  # one-line remarks made while building, e.g. "token not sent: ..."
    # where the profile's token went: ("header" | "query" | "cookie", its name); None: not sent
    token_in: tuple[str, str] | None = None
    form: tuple[FormPart, ...] = ()  # the multipart fields ``body`` was built from (exports use them)


@dataclass(frozen=True, slots=True)
class NetworkError:
    kind: NetworkErrorKind
    message: str  # one line, says what to check


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str
    code: str = ""


ErrorShape = Literal["labs", "problem", "other"]


@dataclass(frozen=True, slots=True)
class ApiError:
    """An error body, as far as it was present: the Labs shape ``{message, statusCode, requestId,
    fieldErrors?}`` (and kin with a ``message``), or an RFC 9457 problem (``shape == "problem"``:
    ``message`` is its ``detail``, ``status_code`` its ``status``, ``title``/``type``/``instance`` its
    members, ``field_errors`` its ``errors`` / ``invalid-params`` extension), or another common body
    (``shape == "other"``: JSON:API ``errors``, FastAPI ``detail``, OAuth 2 ``error_description``)."""

    message: str
    status_code: int | None = None
    request_id: str | None = None
    field_errors: tuple[FieldError, ...] = ()
    shape: ErrorShape = "labs"
    title: str = ""
    type: str = ""
    instance: str = ""


@dataclass(frozen=True, slots=True)
class CallResult:
    """What came back, or the network failure that stopped it. Headers here are already redacted."""

    request: CallRequest  # redacted: the token never appears
    status: int | None = None
    reason: str = ""
    http_version: str = ""
    headers: Headers = ()
    elapsed_ms: float = 0.0
    size: int = 0  # decompressed bytes received (up to the cap)
    # Left out of repr(): asyncio.run (3.11) formats the main task's result in a SIGINT-handler check,
    # and the repr of a body at the cap cost hundreds of MB there.
    body: bytes = field(default=b"", repr=False)
    truncated: bool = False  # the body cap was reached
    content_type: str = ""
    content_kind: ContentKind = "empty"
    text: str | None = field(default=None, repr=False)  # decoded by charset, for json/text/html
    json: Any = field(default=None, repr=False)
    json_error: str | None = None  # "not JSON after all: Expecting value at line 1 column 1"
    network_error: NetworkError | None = None
    started_at: float = 0.0  # epoch seconds
    final_url: str = ""  # after redirects (redacted); "" when nothing came back
    redirects: tuple[str, ...] = ()  # the URLs redirected through, in order (redacted)
    notes: tuple[str, ...] = ()  # one-line remarks, e.g. "Authorization dropped on redirect to ..."

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400

    def header(self, name: str) -> str | None:
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The failure analysis of a result: what a person needs to act on it."""

    title: str  # "401 Unauthorized", "connection refused", ...
    error: ApiError | None = None
    request_id: str | None = None
    request_id_source: Literal["body", "header"] | None = None
    summary: str | None = None  # text/plain or HTML summarised (HTML by its title)
    hint: str | None = None  # what it means and what to do next
    retry_after_s: float | None = None
    retry_at: float | None = None  # epoch seconds
    rate_limit: Mapping[str, str] = field(default_factory=dict)  # X-RateLimit-* style headers
    served_version: str | None = None
    spec_says: str | None = None  # the spec's description of this status for the operation, one line
