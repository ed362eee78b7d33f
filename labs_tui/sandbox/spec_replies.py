"""Spec mode's answers: which documented response a request gets, when it fails and when it passes.

A failed check (auth, rate limit, a bad request, a stored resource not found) answers with the status
the spec documents for it, in that response's schema; only when none is documented, or it has no
schema, in the sandbox's own error shape with ``fieldErrors`` (``_failure``; ``invalid_statuses``
orders the statuses a bad request may get). A passing request gets its documented success response,
or the one ``Prefer: code=`` picks (``_success``). Shaping an answer's body, headers and example is
``spec_answers.py``'s job. A part of ``SpecApp`` (``generic.py``); never prints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from labs_tui.sandbox import prefer
from labs_tui.sandbox.app import REQUEST_ID_HEADER, Reply, SandboxRequest, clip, error_reply
from labs_tui.sandbox.generate import generate
from labs_tui.sandbox.spec_answers import (
    Headers,
    NoSuchExample,
    body_reply,
    documented_response,
    example_value,
    negotiate,
    overlay,
    required_headers,
    success_response,
)
from labs_tui.sandbox.validate import Checker
from labs_tui.spec.model import Operation, Response, Spec

# Statuses a bad request may get, in order of preference, when the spec documents them: 400, 422, 4XX,
# then a documented 4xx whose description speaks of bad input (Petstore's 405 "Invalid input"), then
# ``default``, then other client errors. 401/403/407/429 are never used for it: they mean other things.
_INVALID_STATUSES = ("400", "422", "4XX")
_OTHER_CLIENT_ERRORS = ("405", "409", "406", "415", "404")
_NOT_FOR_INVALID = {"400", "422", "401", "403", "407", "429"}
_SAYS_INVALID = re.compile(r"invalid|validat|malformed|bad request|unprocessable|bad input", re.IGNORECASE)


class RepliesPart:
    """The answering part of ``SpecApp``, over the spec and checker ``SpecApp.__init__`` sets."""

    spec: Spec
    checker: Checker

    def _failure(
        self,
        operation: Operation,
        statuses: Sequence[str],
        fallback: int,
        message: str,
        rid: str,
        headers: Headers,
        field_errors: Sequence[Mapping[str, str]] = (),
    ) -> Reply:
        """An error in the spec's documented response for it, else in the sandbox's own shape."""
        # No Allow here: a documented 405 chosen for a bad request (Petstore's "Invalid input") is not
        # about the method, which the route accepted; only the route's own 405 lists methods.
        found = documented_response(operation, statuses)
        status = fallback
        if found is not None:
            code, response = found
            status = code
            media = response.preferred()
            if media is not None and (media.schema or media.has_example):
                schema = media.schema
                value = generate(self.checker, schema, "response") if schema else media.example
                value = overlay(self.checker, schema, value, message, status, rid, field_errors)
                reply = body_reply(self.spec, status, media, value, rid, headers)
                reply.headers.extend(required_headers(self.checker, response))
                return reply
        reply = error_reply(status, message, request_id=rid, headers=headers, field_errors=field_errors)
        if found is not None:
            reply.headers.extend(required_headers(self.checker, found[1]))
        return reply

    def _success(
        self,
        operation: Operation,
        request: SandboxRequest,
        rid: str,
        served: Headers,
        choice: prefer.Preference,
        value: Any = None,
        has_value: bool = False,
    ) -> Reply:
        if choice.code is not None:
            picked = operation.response(choice.code)
            if picked is None:
                documented = ", ".join(r.status for r in operation.responses) or "none"
                message = (
                    f"Prefer code={clip(choice.code, 10)} is not documented for {operation.key}; "
                    f"documented: {documented}."
                )
                return error_reply(422, message, request_id=rid, headers=served)
            status = (
                int(picked.status)
                if picked.status.isdigit()
                else 200
                if picked.status.upper() in ("DEFAULT", "2XX")
                else int(picked.status[0]) * 100
            )
            response: Response | None = picked
        else:
            status, response = success_response(operation)
        headers: Headers = [(REQUEST_ID_HEADER, rid), *served]
        if response is not None:
            headers.extend(required_headers(self.checker, response))
        media = negotiate(response, request.header("Accept")) if response is not None else None
        if status == 204 or media is None:
            return Reply(status=status, headers=headers, request_id=rid)
        if not has_value:
            try:
                value = example_value(self.checker, operation, response, media, choice)
            except NoSuchExample as exc:
                return error_reply(404, str(exc), request_id=rid, headers=served)
        if choice.code is not None and status >= 400 and media.schema:
            message = (
                f"The documented {status} answer of {operation.key} (Prefer code={clip(choice.code, 10)})."
            )
            value = overlay(self.checker, media.schema, value, message, status, rid, ())
        reply = body_reply(self.spec, status, media, value, rid, [*served])
        reply.headers = headers
        return reply


def invalid_statuses(operation: Operation) -> tuple[str, ...]:
    """The statuses an invalid request may get on ``operation``, most fitting first (see
    ``_INVALID_STATUSES``)."""
    said = tuple(
        r.status
        for r in operation.responses
        if r.status.isdigit()
        and r.status.startswith("4")
        and r.status not in _NOT_FOR_INVALID
        and _SAYS_INVALID.search(r.description)
    )
    return (*_INVALID_STATUSES, *said, "DEFAULT", *_OTHER_CLIENT_ERRORS)
