"""Where an answer's request id is: its error body's ``requestId`` (or kin), else a request-id header.

Pure: read from the ``CallResult``, nothing kept.
"""

from __future__ import annotations

from typing import Literal

from labs_tui.client.error_body import api_error
from labs_tui.client.model import CallResult

REQUEST_ID_HEADERS = (
    "X-Request-Id",
    "Request-Id",
    "X-Amzn-RequestId",
    "X-Amz-Request-Id",
    "X-Correlation-Id",
    "X-Trace-Id",
    "X-Amz-Cf-Id",
)


def find_request_id(result: CallResult) -> tuple[str | None, Literal["body", "header"] | None]:
    """The requestId from the error body, else from a request-id header, and where it came from."""
    error = api_error(result.json, result.content_type)
    if error is not None and error.request_id:
        return error.request_id, "body"
    for name in REQUEST_ID_HEADERS:
        value = result.header(name)
        if value and value.strip():
            return value.strip(), "header"
    return None, None
