"""Spec mode: any OpenAPI document served offline, so an API can be explored without a network.

Requests are matched against the spec's path templates under the path of its first server URL
(``/`` when it has none), then checked in this order: route (404 in the sandbox's own error
shape; 405 with ``Allow`` from the matched path item; OPTIONS 204 with ``Allow``), rate limit,
the declared security (``auth.py``: 401/403), the version pin when the spec declares versions,
then parameters and body against their schemas (``validate.py``). A failed check answers with the
status the spec documents for it (400, 422, ``4XX``, ``default``, ...) in that response's schema;
only when none is documented, or it has no schema, does the sandbox use the Labs error shape with
``fieldErrors``. A passing request gets its documented success response: a named or explicit
example (``$ref``s to ``components/examples`` resolved) when it is valid, else a value generated
to validate (``generate.py``), in a documented content type, with required headers. ``Prefer``
(``prefer.py``) picks a status, a named example or generated data; ``stateful`` mode keeps
resources in memory (``state.py``).

The spec engine does the matching and example building (both bounded); this module adds only the
HTTP-facing decisions and never prints.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

from labs_tui.sandbox import auth, prefer
from labs_tui.sandbox.app import (
    REQUEST_ID_HEADER,
    NewId,
    Reply,
    SandboxRequest,
    clip,
    error_reply,
    gateway_answer,
    pin_error,
    read_pin,
)
from labs_tui.sandbox.generate import generate
from labs_tui.sandbox.ratelimit import RateLimiter, retry_after_seconds
from labs_tui.sandbox.state import ID_NAMES, Resource, Store, resources
from labs_tui.sandbox.validate import Checker, deep_object, deserialize, query_values
from labs_tui.spec.model import HTTP_METHODS, MediaType, Operation, Response, Spec

# Header parameters OpenAPI says to ignore: they are described by other fields of the operation.
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}
# Statuses a bad request may get, in order of preference, when the spec documents them.
_INVALID_STATUSES = ("400", "422", "4XX", "DEFAULT")
_OTHER_CLIENT_ERRORS = ("405", "409", "406", "415", "404")
_MESSAGE_KEYS = ("message", "detail", "error", "title", "error_description", "description")
_STATUS_KEYS = ("statusCode", "status", "code")

Headers = list[tuple[str, str]]


def base_path_of(spec: Spec) -> str:
    """The path of the spec's first server URL, without a trailing slash ('' for the root)."""
    if not spec.servers:
        return ""
    path = urlsplit(spec.servers[0].expanded()).path
    return "/" + path.strip("/") if path.strip("/") else ""


class SpecApp:
    """The generic emulator behind the HTTP layer."""

    def __init__(
        self,
        spec: Spec,
        *,
        new_id: NewId,
        limiter: RateLimiter | None,
        gateway_errors: bool,
        stateful: bool = False,
    ) -> None:
        self.spec = spec
        self.base_path = base_path_of(spec)
        self.version_header = spec.version_header
        self._new_id = new_id
        self._limiter = limiter
        self._gateway_errors = gateway_errors
        self._versions: tuple[str, ...] = tuple(spec.known_versions)
        self._latest = spec.latest_version or (self._versions[-1] if self._versions else "")
        self.checker = Checker(spec)
        self.stateful = stateful
        self._resources: dict[str, Resource] = (
            resources(op.path for op in spec.operations) if stateful else {}
        )
        self._store = Store()
        # The validator's import is slow (about a second cold); take it off the first request's path.
        threading.Thread(target=_warm_validator, name="labs-sandbox-warm", daemon=True).start()

    def _served(self, version: str) -> list[tuple[str, str]]:
        return [(self.spec.version_header, version)] if self._versions else []

    def error(self, status: int, message: str, *, close: bool = False) -> Reply:
        reply = error_reply(status, message, request_id=self._new_id(), headers=self._served(self._latest))
        reply.close = close
        return reply

    def handle(self, request: SandboxRequest) -> Reply:
        if self._gateway_errors:
            stopped = gateway_answer(request)
            if stopped is not None:
                return stopped
        rid = self._new_id()
        pin = read_pin(request, self.spec.version_header, self._versions, self._latest)
        served = self._served(pin.served)

        relative = self._relative(request.path)
        if relative is None:
            return error_reply(404, f"No endpoint at {clip(request.path)}.", request_id=rid, headers=served)
        method = request.method
        matched = self.spec.match(method, relative)
        if matched is None and method == "HEAD":
            matched = self.spec.match("GET", relative)
        if matched is not None and "{" in matched[0].path and method != "OPTIONS":
            # OpenAPI: concrete paths match before templated ones, whatever the method.
            best = self._best_path(relative)
            if best is not None and best[0] != matched[0].path:
                matched = None
        if matched is None:
            allowed = self._allowed(relative)
            if not allowed:
                return error_reply(
                    404, f"No endpoint at {clip(request.path)}.", request_id=rid, headers=served
                )
            allow = ", ".join(_with_implied(allowed))
            if method == "OPTIONS":
                return Reply(
                    status=204, headers=[(REQUEST_ID_HEADER, rid), *served, ("Allow", allow)], request_id=rid
                )
            message = f"Method {clip(method, 20)} is not allowed on {clip(relative)}; allowed: {allow}."
            return error_reply(405, message, request_id=rid, headers=[*served, ("Allow", allow)])
        operation, path_params = matched

        if self._limiter is not None:
            credential = request.header("Authorization") or ""
            key = (hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest(), operation.key)
            wait = self._limiter.check(key)
            if wait is not None:
                seconds = retry_after_seconds(wait)
                message = (
                    f"Rate limit exceeded: {self._limiter.limit} requests per {self._limiter.window:g} "
                    f"seconds on {operation.key}. Retry after {seconds} s."
                )
                headers = [*served, ("Retry-After", str(seconds))]
                return self._failure(operation, ("429", "4XX", "DEFAULT"), 429, message, rid, headers)

        verdict = auth.check(self.spec, operation, request)
        if verdict.status:
            code = str(verdict.status)
            headers = [*served, *([("WWW-Authenticate", verdict.challenge)] if verdict.challenge else [])]
            return self._failure(
                operation, (code, "4XX", "DEFAULT"), verdict.status, verdict.message, rid, headers
            )

        if self._versions and not pin.valid:
            return pin_error(pin, self.spec.version_header, self._versions, request_id=rid, headers=served)
        status, problems = self._problems(operation, request, path_params)
        if problems:
            names = ", ".join(dict.fromkeys(item["field"] for item in problems))
            statuses = (
                (str(status), "4XX", "DEFAULT")
                if status != 400
                else (*_INVALID_STATUSES, *_OTHER_CLIENT_ERRORS)
            )
            return self._failure(
                operation, statuses, status, f"Invalid request: {clip(names)}.", rid, served, problems
            )
        choice = prefer.read(request)
        if self.stateful and operation.path in self._resources and choice.code is None:
            stored = self._stateful(operation, request, path_params, rid, served)
            if stored is not None:
                return stored
        return self._success(operation, request, rid, served, choice)

    # ---- routing -----------------------------------------------------------------------------

    def _relative(self, path: str) -> str | None:
        if not self.base_path:
            return path or "/"
        if path == self.base_path:
            return "/"
        if path.startswith(self.base_path + "/"):
            return path[len(self.base_path) :]
        return None

    def _best_path(self, relative: str) -> tuple[str, tuple[str, ...]] | None:
        """The path template serving ``relative`` (literal segments win) and its methods."""
        by_path: dict[str, list[str]] = {}
        for method in HTTP_METHODS:
            found = self.spec.match(method.upper(), relative)
            if found is not None:
                by_path.setdefault(found[0].path, []).append(method.upper())
        if not by_path:
            return None
        best = min(by_path, key=lambda path: (path.count("{"), -len(path)))
        return best, tuple(by_path[best])

    def _allowed(self, relative: str) -> tuple[str, ...]:
        """The methods of the path item that serves ``relative``: the ``Allow`` of a 405."""
        best = self._best_path(relative)
        return best[1] if best is not None else tuple(self.spec.allowed_methods(relative))

    # ---- requests ----------------------------------------------------------------------------

    def _problems(
        self, operation: Operation, request: SandboxRequest, path_params: Mapping[str, str]
    ) -> tuple[int, list[dict[str, str]]]:
        problems: list[dict[str, str]] = []
        query = query_values(request.query)
        cookies = _cookies(request)
        check = self.checker
        for param in operation.parameters:
            raw: list[str] | None
            value: Any = None
            if param.location == "path":
                text = path_params.get(param.name)
                raw = [text] if text is not None else None
            elif param.location == "query":
                raw = query.get(param.name)
                if raw is None and check.style_of(param, operation.path).get("style") == "deepObject":
                    value = deep_object(self.spec, param, query)
                    if value is not None:
                        raw = []
            elif param.location == "header":
                if param.name.lower() in _IGNORED_HEADERS:
                    continue
                found = request.header_all(param.name)
                raw = [", ".join(found)] if found else None
            elif param.location == "cookie":
                raw = [cookies[param.name]] if param.name in cookies else None
            else:
                continue
            if raw is None:
                if param.required:
                    problems.append(_field("required", param.name, f"{param.location} parameter is required"))
                continue
            if value is None:
                value = deserialize(check, param, raw, operation.path)
            for line in check.errors(param.schema, value, "request")[:3]:
                problems.append(_field("invalid", param.name, f"{param.location} parameter {line}"))
        body = operation.request_body
        if body is not None and body.required and not request.body:
            problems.append(_field("required", "body", "a request body is required"))
        elif body is not None and body.content and (request.body or _is_form(request)):
            media_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
            media = _media_for(body.content, media_type)
            if media is None:
                listed = ", ".join(m.media_type for m in body.content)
                problems.append(_field("unsupported", "Content-Type", f"must be one of: {clip(listed)}"))
                return 415, problems
            request_type = request.header("Content-Type") or ""
            parsed, ok = _parse_body(request.body, media_type, request_type, media, self)
            if not ok:
                problems.append(_field("invalid", "body", "the body is not valid " + (media_type or "JSON")))
            elif parsed is not _SKIP:
                for line in check.errors(media.schema, parsed, "request")[:5]:
                    problems.append(_field("invalid", "body", line))
        elif request.body and _is_json((request.header("Content-Type") or "").split(";")[0].strip()):
            try:
                json.loads(request.body)
            except (ValueError, RecursionError):
                problems.append(_field("invalid", "body", "the body is not valid JSON"))
        return 400, problems

    # ---- answers -----------------------------------------------------------------------------

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
        found = _documented(operation, statuses)
        status = fallback
        if found is not None and found[0] == 405 or found is None and fallback == 405:
            allowed = [m for m in HTTP_METHODS if self.spec.match(m.upper(), operation.path)]
            methods = [m.upper() for m in allowed] or [operation.method]
            headers = [*headers, ("Allow", ", ".join(_with_implied(methods)))]
        if found is not None:
            code, response = found
            status = code
            media = response.preferred()
            if media is not None and (media.schema or media.has_example):
                schema = media.schema
                value = generate(self.checker, schema, "response") if schema else media.example
                value = _overlay(self.checker, schema, value, message, status, rid, field_errors)
                reply = self._body_reply(status, media, value, rid, headers)
                reply.headers.extend(self._required_headers(response))
                return reply
        reply = error_reply(status, message, request_id=rid, headers=headers, field_errors=field_errors)
        if found is not None:
            reply.headers.extend(self._required_headers(found[1]))
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
            status, response = _success_response(operation)
        headers: Headers = [(REQUEST_ID_HEADER, rid), *served]
        if response is not None:
            headers.extend(self._required_headers(response))
        media = _negotiate(response, request.header("Accept")) if response is not None else None
        if status == 204 or media is None:
            return Reply(status=status, headers=headers, request_id=rid)
        if not has_value:
            try:
                value = self._value(operation, response, media, choice)
            except _NoSuchExample as exc:
                return error_reply(404, str(exc), request_id=rid, headers=served)
        if choice.code is not None and status >= 400 and media.schema:
            message = (
                f"The documented {status} answer of {operation.key} (Prefer code={clip(choice.code, 10)})."
            )
            value = _overlay(self.checker, media.schema, value, message, status, rid, ())
        reply = self._body_reply(status, media, value, rid, [*served])
        reply.headers = headers
        return reply

    def _value(
        self, operation: Operation, response: Response | None, media: MediaType, choice: prefer.Preference
    ) -> Any:
        named = self._named_examples(operation, response, media)
        if choice.example is not None:
            if choice.example not in named:
                listed = ", ".join(named) or "none"
                raise _NoSuchExample(
                    f"No example named {clip(choice.example, 60)!r} for {operation.key}; "
                    f"examples: {clip(listed)}."
                )
            return named[choice.example]
        if not choice.dynamic:
            candidates = list(named.values())
            if media.has_example and not named:
                candidates.append(self._deref_example(media.example))
            for candidate in candidates:
                if not media.schema or self.checker.valid(media.schema, candidate, "response"):
                    return candidate
        if not media.schema:
            return self._deref_example(media.example) if media.has_example else None
        return generate(self.checker, media.schema, "response")

    def _deref_example(self, value: Any) -> Any:
        if isinstance(value, Mapping) and set(value) == {"$ref"}:
            resolved = self.spec.resolve(value)
            return resolved.get("value", resolved) if resolved else value
        return value

    def _named_examples(
        self, operation: Operation, response: Response | None, media: MediaType
    ) -> dict[str, Any]:
        raw = _raw_media(self.spec, operation, response, media.media_type)
        examples = raw.get("examples") if raw else None
        found: dict[str, Any] = {}
        if isinstance(examples, Mapping):
            for name, node in examples.items():
                resolved = self.spec.resolve(node) if isinstance(node, Mapping) else {}
                if "value" in resolved:
                    found[str(name)] = self._deref_example(resolved["value"])
        elif raw and "example" in raw:
            found["example"] = self._deref_example(raw["example"])
        return found

    def _required_headers(self, response: Response) -> Headers:
        headers: Headers = []
        for header in response.headers:
            if not header.required or header.name.lower() in ("content-type", "content-length"):
                continue
            value = generate(self.checker, header.schema, "response") if header.schema else "value"
            headers.append((header.name, _header_text(value)))
        return headers

    def _body_reply(self, status: int, media: MediaType, value: Any, rid: str, headers: Headers) -> Reply:
        content_type = media.media_type.split(";")[0].strip() or "application/json"
        if "*" in content_type:
            content_type = "application/json"
        lowered = content_type.lower()
        if _is_json(lowered):
            body = json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
        elif lowered.endswith("/xml") or lowered.endswith("+xml"):
            root = _xml_name(self.spec, media.schema)
            body = ('<?xml version="1.0"?>' + _to_xml(root, value, 0)).encode("utf-8")
        elif isinstance(value, bytes):
            body = value
        elif isinstance(value, str):
            body = value.encode("utf-8")
        elif lowered.startswith("text/"):
            body = json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
        else:
            body = (
                b"" if value is None else json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
            )
        return Reply(
            status=status,
            body=body,
            content_type=content_type,
            headers=[(REQUEST_ID_HEADER, rid), *headers],
            request_id=rid,
        )

    # ---- stateful ----------------------------------------------------------------------------

    def _stateful(
        self,
        operation: Operation,
        request: SandboxRequest,
        path_params: Mapping[str, str],
        rid: str,
        served: Headers,
    ) -> Reply | None:
        resource = self._resources[operation.path]
        method = operation.method
        status, response = _success_response(operation)
        media = _negotiate(response, request.header("Accept")) if response is not None else None
        schema = media.schema if media is not None else {}
        body = _json_or_none(request)
        no_choice = prefer.Preference()
        if operation.path == resource.collection:
            if method == "POST":
                body = body if isinstance(body, dict) else {}
                record = generate(self.checker, schema, "response") if schema else {}
                record = {**record, **body} if isinstance(record, dict) else dict(body)
                id_name = _id_property(self.spec, schema, resource) or "id"
                if not self._usable_key(resource, body.get(id_name)):
                    record[id_name] = self._new_key(schema, id_name, resource)
                record = self._fit(schema, record)
                self._store.put(resource.collection, str(record.get(id_name)), record)
                return self._success(operation, request, rid, served, no_choice, record, True)
            if method == "GET":
                listed = self._store.all(resource.collection)
                if listed and schema and self.checker.valid(schema, listed, "response"):
                    return self._success(operation, request, rid, served, no_choice, listed, True)
            return None
        key = path_params.get(resource.parameter, "")
        current = self._store.get(resource.collection, key)
        if method == "PUT" and isinstance(body, dict):
            record = {**body}
            item_id = _id_property(self.spec, schema, resource)
            if item_id and item_id not in record:
                record[item_id] = current.get(item_id, key) if isinstance(current, dict) else key
            self._store.put(resource.collection, key, self._fit(schema, record))
            return self._success(operation, request, rid, served, no_choice, self._fit(schema, record), True)
        if current is None and method in ("GET", "PATCH", "DELETE"):
            message = f"No {resource.collection.strip('/')} with {resource.parameter} {clip(key, 80)!r}."
            return self._failure(operation, ("404", "4XX", "DEFAULT"), 404, message, rid, served)
        if current is None:
            return None
        if method == "GET":
            return self._success(operation, request, rid, served, no_choice, self._fit(schema, current), True)
        if method == "PATCH" and isinstance(body, dict):
            merged = {**current, **body} if isinstance(current, dict) else body
            self._store.put(resource.collection, key, merged)
            return self._success(operation, request, rid, served, no_choice, self._fit(schema, merged), True)
        if method == "DELETE":
            self._store.delete(resource.collection, key)
            return None
        return None

    def _usable_key(self, resource: Resource, value: Any) -> bool:
        """Whether an id can address the item: every operation on the item path accepts it."""
        if value is None or value == "" or isinstance(value, dict | list | bool):
            return False
        for item_op in self.spec.operations:
            if item_op.path != resource.item:
                continue
            for param in item_op.parameters:
                if param.location == "path" and param.name == resource.parameter:
                    parsed = deserialize(self.checker, param, [str(value)], resource.item)
                    if not self.checker.valid(param.schema, parsed, "request"):
                        return False
        return True

    def _new_key(self, schema: Any, id_name: str, resource: Resource) -> Any:
        """A fresh id of the record's id type that the item path parameter accepts."""
        node = self.spec.resolve(schema) if isinstance(schema, Mapping) else {}
        prop = self.spec.resolve((node.get("properties") or {}).get(id_name, {}))
        number = self._store.next_id()
        reuse: Any = None
        for candidate in [number, *range(1, 1000)]:
            if prop.get("type") in ("integer", "number"):
                value: Any = candidate
            elif prop.get("format") == "uuid":
                value = f"00000000-0000-4000-8000-{candidate:012d}"
            else:
                value = str(candidate)
            if not self._usable_key(resource, value):
                continue
            if not self._store.has(resource.collection, str(value)):
                return value
            if reuse is None:
                reuse = value
        if reuse is not None:  # every id the item path accepts is taken: the oldest such record goes
            oldest = next(
                (
                    str(r.get(id_name))
                    for r in self._store.all(resource.collection)
                    if isinstance(r, dict) and self._usable_key(resource, r.get(id_name))
                ),
                str(reuse),
            )
            self._store.delete(resource.collection, oldest)
            return next((v for v in [reuse] if str(v) == oldest), _typed(prop, oldest))
        return number

    def _fit(self, schema: Any, record: Any) -> Any:
        """A stored record as the response schema allows it: valid as is, else completed by generation."""
        if not schema or self.checker.valid(schema, record, "response"):
            return record
        generated = generate(self.checker, schema, "response")
        if isinstance(generated, dict) and isinstance(record, dict):
            merged = {**generated}
            for key, value in record.items():
                trial = {**merged, key: value}
                if self.checker.valid(schema, trial, "response"):
                    merged = trial
            return merged
        return generated


def _typed(prop: Mapping[str, Any], text: str) -> Any:
    if prop.get("type") in ("integer", "number"):
        try:
            return int(text)
        except ValueError:
            return text
    return text


def _warm_validator() -> None:
    try:
        import openapi_schema_validator  # noqa: F401
    except Exception:  # reported where it is needed, on the first validation
        pass


class _NoSuchExample(Exception):
    pass


_SKIP = object()


def _field(code: str, name: str, message: str) -> dict[str, str]:
    return {"code": code, "field": name, "message": clip(message, 300)}


def _is_json(media_type: str) -> bool:
    return media_type.lower().endswith(("/json", "+json"))


def _with_implied(methods: Sequence[str]) -> list[str]:
    names = list(dict.fromkeys(m.upper() for m in methods))
    if "GET" in names and "HEAD" not in names:
        names.append("HEAD")
    if "OPTIONS" not in names:
        names.append("OPTIONS")
    return names


def _success_response(operation: Operation) -> tuple[int, Response | None]:
    """The lowest documented 2xx, else ``2XX`` or ``default`` as 200, else another documented one."""
    exact = sorted(
        (int(r.status), r) for r in operation.responses if r.status.isdigit() and r.status.startswith("2")
    )
    if exact:
        return exact[0]
    for name in ("2XX", "DEFAULT"):
        for response in operation.responses:
            if response.status.upper() == name:
                return 200, response
    # No success documented: a documented redirect, else a bare 200 (the spec is silent; an error
    # status would misreport a valid request).
    for response in operation.responses:
        if response.status.isdigit() and response.status.startswith("3"):
            return int(response.status), response
    return 200, None


def _documented(operation: Operation, statuses: Sequence[str]) -> tuple[int, Response] | None:
    for wanted in statuses:
        for response in operation.responses:
            if response.status.upper() != wanted.upper():
                continue
            if wanted.isdigit():
                return int(wanted), response
            if wanted.upper() == "DEFAULT":
                first = next((s for s in statuses if s.isdigit()), "400")
                return int(first), response
            first = next((s for s in statuses if s.isdigit() and s[0] == wanted[0]), wanted[0] + "00")
            return int(first), response
    return None


def _negotiate(response: Response | None, accept: str | None) -> MediaType | None:
    if response is None or not response.content:
        return None
    if accept:
        wanted = [part.split(";")[0].strip().lower() for part in accept.split(",")]
        for item in wanted:
            for media in response.content:
                name = media.media_type.split(";")[0].strip().lower()
                if item == name or item == "*/*" or (item.endswith("/*") and name.startswith(item[:-1])):
                    if item == "*/*":
                        break
                    return media
    json_media = [m for m in response.content if _is_json(m.media_type.split(";")[0].strip())]
    return json_media[0] if json_media else response.preferred()


def _media_for(content: Sequence[MediaType], media_type: str) -> MediaType | None:
    for media in content:
        if media.media_type.split(";")[0].strip().lower() == media_type:
            return media
    for media in content:
        name = media.media_type.split(";")[0].strip().lower()
        if name == "*/*" or (name.endswith("/*") and media_type.startswith(name[:-1])):
            return media
    if not media_type:
        return content[0] if len(content) == 1 else None
    return None


def _parse_body(
    body: bytes, media_type: str, request_type: str, media: MediaType, app: SpecApp
) -> tuple[Any, bool]:
    if _is_json(media_type) or (not media_type and _is_json(media.media_type)):
        try:
            return json.loads(body), True
        except (ValueError, RecursionError):
            return None, False
    if media_type == "application/x-www-form-urlencoded":
        try:
            form = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return None, False
        return _fields(app, media.schema, form), True
    if media_type == "multipart/form-data":
        return _multipart(body, request_type, media, app)
    if media_type.endswith(("/xml", "+xml")):
        return _xml_body(body, media, app)
    return _SKIP, True


def _is_form(request: SandboxRequest) -> bool:
    media_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
    return media_type in ("application/x-www-form-urlencoded", "multipart/form-data")


def _fields(app: SpecApp, schema: Any, pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Form fields (text) as a JSON object, each coerced by its property's schema."""
    from labs_tui.sandbox.validate import coerce, schema_kind

    node = app.spec.resolve(schema) if isinstance(schema, Mapping) else {}
    props = node.get("properties") if isinstance(node.get("properties"), Mapping) else {}
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    result: dict[str, Any] = {}
    for name, values in grouped.items():
        sub = props.get(name, {}) if isinstance(props, Mapping) else {}
        if schema_kind(app.spec, sub) == "array":
            items = app.spec.resolve(sub).get("items", {})
            result[name] = [coerce(app.spec, items, v) for v in values]
        elif len(values) == 1:
            result[name] = coerce(app.spec, sub, values[0])
        else:
            result[name] = [coerce(app.spec, sub, v) for v in values]  # repeated: not one value
    return result


def _multipart(body: bytes, request_type: str, media: MediaType, app: SpecApp) -> tuple[Any, bool]:
    from email.parser import BytesParser
    from email.policy import HTTP

    try:
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + request_type.encode("latin-1") + b"\r\n\r\n" + body
        )
    except Exception:
        return None, False
    if not message.is_multipart():
        return ({}, True) if body.strip().startswith(b"--") else (None, False)
    pairs: list[tuple[str, str]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            return None, False
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            payload = b""
        if part.get_filename() is not None:
            pairs.append((name, payload.decode("latin-1")))
        else:
            pairs.append((name, payload.decode("utf-8", "replace")))
    if not pairs and body.strip():
        return None, False
    return _fields(app, media.schema, pairs), True


def _xml_body(body: bytes, media: MediaType, app: SpecApp) -> tuple[Any, bool]:
    """XML read into JSON by the schema (``xml.name``, wrapped and repeated arrays), then checked;
    missing properties are not reported (attributes and namespaces are not modelled)."""
    from xml.etree import ElementTree

    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        return None, False  # no entity expansion, ever
    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, ValueError):
        return None, False
    value = _xml_value(app, root, media.schema, 0)
    problems = [e for e in app.checker.errors(media.schema, value, "request") if "required property" not in e]
    return (_SKIP, True) if not problems else (None, False)


def _xml_value(app: SpecApp, element: Any, schema: Any, depth: int) -> Any:
    from labs_tui.sandbox.validate import coerce, schema_kind

    spec = app.spec
    kind = schema_kind(spec, schema)
    node = spec.resolve(schema) if isinstance(schema, Mapping) else {}
    if depth > 20:
        return None
    if kind == "array":
        items = node.get("items", {})
        return [_xml_value(app, child, items, depth + 1) for child in element]
    if kind == "object" or (kind == "" and len(element)):
        props: dict[str, Any] = {}
        for part in [node, *[spec.resolve(b) for b in node.get("allOf") or () if isinstance(b, Mapping)]]:
            found = part.get("properties")
            if isinstance(found, Mapping):
                props.update(found)
        by_tag: dict[str, str] = {}
        for name, sub in props.items():
            xml = spec.resolve(sub).get("xml") if isinstance(sub, Mapping) else None
            tag = xml.get("name") if isinstance(xml, Mapping) and isinstance(xml.get("name"), str) else name
            by_tag[str(tag)] = str(name)
        result: dict[str, Any] = {}
        for child in element:
            name = by_tag.get(child.tag, child.tag)
            sub = props.get(name, {})
            sub_node = spec.resolve(sub) if isinstance(sub, Mapping) else {}
            if schema_kind(spec, sub) == "array":
                xml = sub_node.get("xml")
                items = sub_node.get("items", {})
                if isinstance(xml, Mapping) and xml.get("wrapped") is True:
                    result[name] = [_xml_value(app, c, items, depth + 1) for c in child]
                else:
                    result.setdefault(name, []).append(_xml_value(app, child, items, depth + 1))
            else:
                result[name] = _xml_value(app, child, sub, depth + 1)
        if not len(element) and (element.text or "").strip():
            return (element.text or "").strip()  # text where an object belongs: invalid, as it should be
        return result
    return coerce(spec, schema, (element.text or "").strip())


def _json_or_none(request: SandboxRequest) -> Any:
    if not request.body:
        return None
    try:
        return json.loads(request.body)
    except (ValueError, RecursionError):
        return None


def _overlay(
    checker: Checker,
    schema: Any,
    value: Any,
    message: str,
    status: int,
    rid: str,
    field_errors: Sequence[Mapping[str, str]],
) -> Any:
    """The generated error made informative where its schema allows: message, status, requestId."""
    if not isinstance(value, dict) or not schema:
        return value
    node = checker.spec.resolve(schema)
    props: dict[str, Any] = {}
    for part in [node, *[checker.spec.resolve(b) for b in node.get("allOf") or () if isinstance(b, Mapping)]]:
        found = part.get("properties")
        if isinstance(found, Mapping):
            props.update(found)
    result = dict(value)
    trials: list[tuple[str, Any]] = []
    for key in _MESSAGE_KEYS:
        if key in props:
            trials.append((key, message))
            break
    for key in _STATUS_KEYS:
        if key in props:
            trials.append((key, status))
    if "requestId" in props:
        trials.append(("requestId", rid))
    if "fieldErrors" in props and field_errors:
        trials.append(("fieldErrors", [dict(item) for item in field_errors]))
    for key, wanted in trials:
        trial = {**result, key: wanted}
        if checker.valid(schema, trial, "response"):
            result = trial
    if not field_errors and "fieldErrors" in result:  # generated field errors would mislead
        trial = {k: v for k, v in result.items() if k != "fieldErrors"}
        if checker.valid(schema, trial, "response"):
            result = trial
    return result


def _raw_media(
    spec: Spec, operation: Operation, response: Response | None, media_type: str
) -> Mapping[str, Any]:
    if response is None:
        return {}
    paths = spec.document.get("paths") if isinstance(spec.document, Mapping) else None
    item = spec.resolve(paths.get(operation.path, {})) if isinstance(paths, Mapping) else {}
    op = item.get(operation.method.lower()) if isinstance(item, Mapping) else None
    responses = op.get("responses") if isinstance(op, Mapping) else None
    if not isinstance(responses, Mapping):
        return {}
    raw = None
    for key, node in responses.items():
        if str(key).upper() == response.status.upper():
            raw = spec.resolve(node) if isinstance(node, Mapping) else None
    content = raw.get("content") if isinstance(raw, Mapping) else None
    media = content.get(media_type) if isinstance(content, Mapping) else None
    return media if isinstance(media, Mapping) else {}


def _id_property(spec: Spec, schema: Any, resource: Resource) -> str | None:
    node = spec.resolve(schema) if isinstance(schema, Mapping) else {}
    props = node.get("properties") if isinstance(node.get("properties"), Mapping) else {}
    if not props:
        return None
    candidates = [resource.parameter, *ID_NAMES]
    lowered = {str(name).lower(): str(name) for name in props}
    for candidate in candidates:
        if candidate.lower() in lowered:
            return lowered[candidate.lower()]
    return None


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = value
    elif isinstance(value, list):
        text = ",".join(_header_text(v) for v in value)
    elif value is None:
        text = ""
    else:
        text = json.dumps(value) if isinstance(value, dict) else str(value)
    return clip(text, 200).replace("\r", " ").replace("\n", " ")


def _xml_name(spec: Spec, schema: Any) -> str:
    node = spec.resolve(schema) if isinstance(schema, Mapping) else {}
    xml = node.get("xml")
    if isinstance(xml, Mapping) and isinstance(xml.get("name"), str):
        return str(xml["name"])
    ref = schema.get("$ref") if isinstance(schema, Mapping) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else "root"


def _to_xml(name: str, value: Any, depth: int) -> str:
    tag = "".join(ch for ch in name if ch.isalnum() or ch in "_-.") or "item"
    if depth > 20:
        return f"<{tag}/>"
    if isinstance(value, dict):
        inner = "".join(_to_xml(str(k), v, depth + 1) for k, v in value.items())
    elif isinstance(value, list):
        inner = "".join(_to_xml(tag, v, depth + 1) for v in value)
    elif value is None:
        inner = ""
    elif isinstance(value, bool):
        inner = "true" if value else "false"
    else:
        inner = escape(str(value))
    return f"<{tag}>{inner}</{tag}>"


def _cookies(request: SandboxRequest) -> dict[str, str]:
    names: dict[str, str] = {}
    for header in request.header_all("Cookie"):
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue
        names.update({key: morsel.value for key, morsel in jar.items()})
    return names
