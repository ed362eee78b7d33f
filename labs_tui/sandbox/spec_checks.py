"""Spec mode's request checks: what is wrong with a request's parameters and body, as field errors.

Each parameter is read from its location (path, query, deepObject query, header, cookie),
deserialised by its style and checked against its schema; a body must come in a documented content
type (else 415) and be valid against that media type's schema (else 400). Each problem is a
``fieldErrors`` entry; ``invalid_message`` words the first ones on one line. Reading a body and
cookies is ``spec_request.py``'s job, checking a value against a schema ``validate.py``'s.
A part of ``SpecApp`` (``generic.py``); never prints.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from labs_tui.sandbox.app import SandboxRequest, clip
from labs_tui.sandbox.spec_answers import field_error
from labs_tui.sandbox.spec_request import SKIP, is_form, is_json, media_for, parse_body, request_cookies
from labs_tui.sandbox.validate import Checker, deep_object, deserialize, query_values
from labs_tui.spec.model import MediaType, Operation, Parameter, Spec
from labs_tui.spec.validate import SchemaProblem

# Header parameters OpenAPI says to ignore: they are described by other fields of the operation.
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


class ChecksPart:
    """The request-checking part of ``SpecApp``, over the spec and checker ``SpecApp.__init__`` sets."""

    spec: Spec
    checker: Checker

    def _problems(
        self, operation: Operation, request: SandboxRequest, path_params: Mapping[str, str]
    ) -> tuple[int, list[dict[str, str]]]:
        """What is wrong with the request's parameters and body, and the status for it (400 or 415)."""
        problems = self._parameter_problems(operation, request, path_params)
        body = operation.request_body
        if body is not None and body.required and not request.body:
            problems.append(field_error("required", "body", "a request body is required"))
        elif body is not None and body.content and (request.body or is_form(request)):
            return self._body_problems(body.content, request, problems)
        elif request.body and is_json((request.header("Content-Type") or "").split(";")[0].strip()):
            try:
                json.loads(request.body)
            except (ValueError, RecursionError):
                problems.append(field_error("invalid", "body", "the body is not valid JSON"))
        return 400, problems

    def _parameter_problems(
        self, operation: Operation, request: SandboxRequest, path_params: Mapping[str, str]
    ) -> list[dict[str, str]]:
        problems: list[dict[str, str]] = []
        query = query_values(request.query)
        cookies = request_cookies(request)
        check = self.checker
        for param in operation.parameters:
            if param.location == "header" and param.name.lower() in _IGNORED_HEADERS:
                continue
            found = self._parameter_value(operation, param, request, path_params, query, cookies)
            if found is None:
                continue
            raw, value = found
            if raw is None:
                if param.required:
                    problems.append(
                        field_error("required", param.name, f"{param.location} parameter is required")
                    )
                continue
            if value is None:
                value = deserialize(check, param, raw, operation.path)
            for problem in check.problems(param.schema, value, "request", limit=3):
                where = f" at {problem.path}" if problem.path else ""
                message = f"{param.location} parameter{where}: {problem.message}"
                problems.append(field_error("invalid", param.name, message))
        return problems

    def _parameter_value(
        self,
        operation: Operation,
        param: Parameter,
        request: SandboxRequest,
        path_params: Mapping[str, str],
        query: Mapping[str, list[str]],
        cookies: Mapping[str, str],
    ) -> tuple[list[str] | None, Any] | None:
        """The parameter's raw strings (None when absent) and, for a deepObject, its parsed value;
        None for a location OpenAPI does not define."""
        value: Any = None
        if param.location == "path":
            text = path_params.get(param.name)
            raw = [text] if text is not None else None
        elif param.location == "query":
            raw = query.get(param.name)
            if raw is None and self.checker.style_of(param, operation.path).get("style") == "deepObject":
                value = deep_object(self.spec, param, query)
                if value is not None:
                    raw = []
        elif param.location == "header":
            found = request.header_all(param.name)
            raw = [", ".join(found)] if found else None
        elif param.location == "cookie":
            raw = [cookies[param.name]] if param.name in cookies else None
        else:
            return None
        return raw, value

    def _body_problems(
        self, content: Sequence[MediaType], request: SandboxRequest, problems: list[dict[str, str]]
    ) -> tuple[int, list[dict[str, str]]]:
        """``problems`` plus the body's: a 415 for an undocumented content type, else a 400."""
        media_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        media = media_for(content, media_type)
        if media is None:
            listed = ", ".join(m.media_type for m in content)
            problems.append(field_error("unsupported", "Content-Type", f"must be one of: {clip(listed)}"))
            return 415, problems
        request_type = request.header("Content-Type") or ""
        parsed, ok = parse_body(request.body, media_type, request_type, media, self.checker)
        if not ok:
            problems.append(field_error("invalid", "body", "the body is not valid " + (media_type or "JSON")))
        elif parsed is not SKIP:
            for problem in self.checker.problems(media.schema, parsed, "request", limit=5):
                problems.append(body_field_error(problem))
        return 400, problems


def body_field_error(problem: SchemaProblem) -> dict[str, str]:
    """A body problem named by the JSON pointer of its field (a missing required property by its
    own pointer, not its parent's), with the validator's reason."""
    where = problem.path
    missing = _REQUIRED.fullmatch(problem.message)
    if missing:
        where = f"{where}/{missing.group(1).replace('~', '~0').replace('/', '~1')}"
        return field_error("required", where, "is required")
    return field_error("invalid", where or "body", problem.message)


_REQUIRED = re.compile(r"'(.+)' is a required property")


def invalid_message(problems: Sequence[Mapping[str, str]]) -> str:
    """The one-line message of a bad request: the first problems, each field and its reason."""
    shown = [f"{item['field']}: {item['message']}" for item in problems[:3]]
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"Invalid request: {clip('; '.join(shown), 400)}{more}."
