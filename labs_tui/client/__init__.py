"""The client core: profiles, building and sending requests, failure analysis, token safety, exports.

Other packages import from here only. Nothing in this package prints, prompts or imports Textual;
it returns ``CallRequest`` / ``CallResult`` / ``Diagnosis`` data for the CLI and the TUI to render.

Names are exported lazily (PEP 562 ``__getattr__``): ``from labs_tui.client import X`` imports only
the module that defines ``X``. ``Client`` needs httpx, and the TUI's first screen needs only the data
models, so it pays for neither httpx nor the diagnosis code before its first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Three functions share their module's name: importing the module (which any import of it does) would
# bind the package attribute to the module, so these are bound here, eagerly, to the functions. The
# diagnosis parts diagnose loads anyway bind their names here too, from their own modules.
from labs_tui.client.classify import classify, hexdump_lines
from labs_tui.client.diagnose import NO_REQUEST_ID, diagnose
from labs_tui.client.jwt import jwt_expiry
from labs_tui.client.redact import redact, redact_headers
from labs_tui.client.request_id import find_request_id
from labs_tui.client.retry_after import parse_retry_after
from labs_tui.lazy import lazy_exports

if TYPE_CHECKING:
    from labs_tui.client.auth import TokenPlace, token_place
    from labs_tui.client.curl import CurlError, CurlRequest, parse_curl
    from labs_tui.client.export import to_curl, to_httpie
    from labs_tui.client.forms import (
        FormError,
        FormPart,
        encode_form,
        form_arg,
        form_kind,
        form_part,
        is_file_schema,
        is_form_media,
        parse_form_arg,
    )
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
    from labs_tui.client.network import NetworkConfigError, proxy_settings
    from labs_tui.client.profiles import (
        DEFAULT_SANDBOX_URL,
        LIVE_BASE_URL,
        ProfileError,
        check_base_url,
        check_ca_bundle,
        check_token,
        default_sandbox_url,
        insecure_warning,
        plain_http_warning,
        resolve_profile,
        tls_unverified,
        token_allowed,
    )
    from labs_tui.client.query import QueryError, QueryResult, filter_body, language_of
    from labs_tui.client.report import support_report
    from labs_tui.client.request import (
        HTTP_METHODS,
        RequestDraft,
        RequestError,
        build_request,
        check_header,
        check_pin,
        is_latest,
    )
    from labs_tui.client.send import Client
    from labs_tui.client.serialize import coerce, cookie_pairs, header_value, path_value, query_pairs
    from labs_tui.client.validation import (
        MAX_CHECK_BYTES,
        Validation,
        check_response,
        response_schema,
        validation_json,
    )
    from labs_tui.client.variables import Expansion, expand, fill_draft, names_in, parse_dotenv, token_names

_HOMES = {
    "labs_tui.client.auth": ("TokenPlace", "token_place"),
    "labs_tui.client.curl": ("CurlError", "CurlRequest", "parse_curl"),
    "labs_tui.client.query": ("QueryError", "QueryResult", "filter_body", "language_of"),
    "labs_tui.client.report": ("support_report",),
    "labs_tui.client.serialize": ("coerce", "cookie_pairs", "header_value", "path_value", "query_pairs"),
    "labs_tui.client.variables": (
        "Expansion",
        "expand",
        "fill_draft",
        "names_in",
        "parse_dotenv",
        "token_names",
    ),
    "labs_tui.client.export": ("to_curl", "to_httpie"),
    "labs_tui.client.forms": (
        "FormError",
        "FormPart",
        "encode_form",
        "form_arg",
        "form_kind",
        "form_part",
        "is_file_schema",
        "is_form_media",
        "parse_form_arg",
    ),
    "labs_tui.client.model": (
        "DEFAULT_BODY_CAP",
        "DEFAULT_TIMEOUT_S",
        "ApiError",
        "CallRequest",
        "CallResult",
        "Diagnosis",
        "FieldError",
        "NetworkError",
        "Profile",
    ),
    "labs_tui.client.network": ("NetworkConfigError", "proxy_settings"),
    "labs_tui.client.profiles": (
        "DEFAULT_SANDBOX_URL",
        "default_sandbox_url",
        "LIVE_BASE_URL",
        "ProfileError",
        "check_base_url",
        "check_ca_bundle",
        "check_token",
        "insecure_warning",
        "plain_http_warning",
        "resolve_profile",
        "tls_unverified",
        "token_allowed",
    ),
    "labs_tui.client.request": (
        "HTTP_METHODS",
        "RequestDraft",
        "RequestError",
        "build_request",
        "check_header",
        "check_pin",
        "is_latest",
    ),
    "labs_tui.client.send": ("Client",),
    "labs_tui.client.validation": (
        "MAX_CHECK_BYTES",
        "Validation",
        "check_response",
        "response_schema",
        "validation_json",
    ),
}

__all__ = [
    "FormError",
    "FormPart",
    "encode_form",
    "form_arg",
    "form_kind",
    "form_part",
    "is_file_schema",
    "is_form_media",
    "parse_form_arg",
    "fill_draft",
    "token_names",
    "RequestDraft",
    "CurlError",
    "CurlRequest",
    "parse_curl",
    "QueryError",
    "QueryResult",
    "filter_body",
    "language_of",
    "support_report",
    "coerce",
    "cookie_pairs",
    "header_value",
    "path_value",
    "query_pairs",
    "Expansion",
    "expand",
    "names_in",
    "parse_dotenv",
    "hexdump_lines",
    "DEFAULT_BODY_CAP",
    "DEFAULT_SANDBOX_URL",
    "default_sandbox_url",
    "DEFAULT_TIMEOUT_S",
    "HTTP_METHODS",
    "LIVE_BASE_URL",
    "MAX_CHECK_BYTES",
    "NO_REQUEST_ID",
    "ApiError",
    "CallRequest",
    "CallResult",
    "Client",
    "Diagnosis",
    "FieldError",
    "NetworkError",
    "NetworkConfigError",
    "Profile",
    "ProfileError",
    "RequestError",
    "TokenPlace",
    "Validation",
    "build_request",
    "check_base_url",
    "check_response",
    "check_ca_bundle",
    "check_header",
    "check_pin",
    "check_token",
    "classify",
    "diagnose",
    "find_request_id",
    "insecure_warning",
    "is_latest",
    "jwt_expiry",
    "parse_retry_after",
    "plain_http_warning",
    "proxy_settings",
    "redact",
    "redact_headers",
    "resolve_profile",
    "response_schema",
    "to_curl",
    "tls_unverified",
    "to_httpie",
    "token_allowed",
    "token_place",
    "validation_json",
]


if not TYPE_CHECKING:  # mypy sees the imports above, so a misspelt name is still an error
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
