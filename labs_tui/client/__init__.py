"""The client core: profiles, building and sending requests, failure analysis, token safety, exports.

Other packages import from here only. Nothing in this package prints, prompts or imports Textual;
it returns ``CallRequest`` / ``CallResult`` / ``Diagnosis`` data for the CLI and the TUI to render.

``Client`` is exported lazily (PEP 562 ``__getattr__``): it is the only part that needs httpx, and
the TUI must not pay for importing httpx before its first screen. The rest is light and imported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labs_tui.client.classify import classify
from labs_tui.client.diagnose import NO_REQUEST_ID, diagnose, find_request_id, jwt_expiry, parse_retry_after
from labs_tui.client.export import to_curl, to_httpie
from labs_tui.client.model import (
    DEFAULT_BODY_CAP,
    DEFAULT_TIMEOUT_S,
    ApiError,
    CallRequest,
    CallResult,
    Diagnosis,
    FieldError,
    NetworkError,
    Profile,
)
from labs_tui.client.profiles import (
    DEFAULT_SANDBOX_URL,
    LIVE_BASE_URL,
    ProfileError,
    check_base_url,
    resolve_profile,
    token_allowed,
)
from labs_tui.client.redact import redact, redact_headers
from labs_tui.client.request import HTTP_METHODS, RequestError, build_request, is_latest
from labs_tui.lazy import lazy_exports

if TYPE_CHECKING:
    from labs_tui.client.send import Client

__all__ = [
    "DEFAULT_BODY_CAP",
    "DEFAULT_SANDBOX_URL",
    "DEFAULT_TIMEOUT_S",
    "HTTP_METHODS",
    "LIVE_BASE_URL",
    "NO_REQUEST_ID",
    "ApiError",
    "CallRequest",
    "CallResult",
    "Client",
    "Diagnosis",
    "FieldError",
    "NetworkError",
    "Profile",
    "ProfileError",
    "RequestError",
    "build_request",
    "check_base_url",
    "classify",
    "diagnose",
    "find_request_id",
    "is_latest",
    "jwt_expiry",
    "parse_retry_after",
    "redact",
    "redact_headers",
    "resolve_profile",
    "to_curl",
    "to_httpie",
    "token_allowed",
]


if not TYPE_CHECKING:  # mypy sees the imports above, so a misspelt name is still an error
    __getattr__, __dir__ = lazy_exports(__name__, {"labs_tui.client.send": ("Client",)})
