"""The spec's security requirements, enforced with the sandbox's demo credentials.

An operation's ``security`` (else the spec's global one) is a list of alternatives, each a set of
schemes that must all be satisfied; an empty list, or an empty alternative, means open. Every
scheme accepts the demo tokens where its credential goes:

- ``http`` bearer, ``oauth2``, ``openIdConnect``: ``Authorization: Bearer <token>``;
- ``http`` basic: ``Authorization: Basic base64(user:<token>)`` (any user name);
- ``apiKey``: the token as the header, query parameter or cookie the scheme names;
- ``mutualTLS`` and unknown types cannot be checked here and count as satisfied;
- a scheme name the spec does not declare is read as a bearer token.

``sandbox-token`` passes; ``sandbox-limited-token`` is valid but lacks permission (403); anything
else, or nothing, is 401. Nothing here prints or keeps a credential.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from labs_tui.sandbox.app import DEMO_TOKENS, LIMITED_TOKEN, SANDBOX_TOKEN, SandboxRequest
from labs_tui.spec.model import Operation, SecurityScheme, Spec

OK = "ok"
LIMITED = "limited"
MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Verdict:
    """``status`` 0 when the request may pass, else 401 or 403, with a one-line reason."""

    status: int
    message: str = ""
    challenge: str = ""  # the WWW-Authenticate value of a 401


def requirements(spec: Spec, operation: Operation) -> Sequence[Mapping[str, Sequence[str]]]:
    return operation.security if operation.security is not None else spec.security


def check(spec: Spec, operation: Operation, request: SandboxRequest) -> Verdict:
    alternatives = requirements(spec, operation)
    if not alternatives or any(not alternative for alternative in alternatives):
        return Verdict(0)
    best = MISSING
    for alternative in alternatives:
        outcomes = [_scheme(spec.security_schemes.get(name), request) for name in alternative]
        if all(outcome == OK for outcome in outcomes):
            return Verdict(0)
        if all(outcome in (OK, LIMITED) for outcome in outcomes):
            best = LIMITED
    if best == LIMITED:
        return Verdict(
            403, f"The {LIMITED_TOKEN!r} credential lacks the permission {operation.key} requires."
        )
    names = " or ".join(" + ".join(alternative) for alternative in alternatives)
    challenge = _challenge(spec, alternatives)
    return Verdict(
        401,
        f"Missing or invalid credentials for {operation.key} (needs {names}); the sandbox accepts "
        f"{SANDBOX_TOKEN!r}.",
        challenge,
    )


def _challenge(spec: Spec, alternatives: Sequence[Mapping[str, Sequence[str]]]) -> str:
    for alternative in alternatives:
        for name in alternative:
            scheme = spec.security_schemes.get(name)
            if scheme is None:
                continue
            if scheme.type == "http" and scheme.scheme.lower() == "basic":
                return 'Basic realm="sandbox"'
            if scheme.type in ("http", "oauth2", "openIdConnect"):
                return 'Bearer realm="sandbox"'
    return ""


def _grade(value: str | None) -> str:
    if value == SANDBOX_TOKEN:
        return OK
    if value == LIMITED_TOKEN:
        return LIMITED
    return MISSING


def _scheme(scheme: SecurityScheme | None, request: SandboxRequest) -> str:
    if scheme is None:  # a requirement naming no declared scheme: read as a bearer token
        return _grade(_authorization(request, "bearer"))
    kind = scheme.type
    if kind == "http" and scheme.scheme.lower() == "basic":
        return _grade(_basic_password(request))
    if kind in ("http", "oauth2", "openIdConnect"):
        return _grade(_authorization(request, "bearer"))
    if kind == "apiKey":
        name = scheme.parameter_name
        if scheme.location == "header":
            values = request.header_all(name)
            return _grade(values[0].strip()) if len(values) == 1 else MISSING
        if scheme.location == "query":
            found = parse_qs(request.query, keep_blank_values=True).get(name)
            return _grade(found[0]) if found and len(found) == 1 else MISSING
        if scheme.location == "cookie":
            return _grade(_cookie(request, name))
        return MISSING
    return OK  # mutualTLS and types the sandbox cannot emulate


def _authorization(request: SandboxRequest, wanted: str) -> str | None:
    values = request.header_all("Authorization")
    if len(values) != 1:
        return None
    scheme, _, credential = values[0].strip().partition(" ")
    if scheme.lower() != wanted:
        return None
    return credential.strip() or None


def _basic_password(request: SandboxRequest) -> str | None:
    credential = _authorization(request, "basic")
    if credential is None:
        return None
    try:
        text = base64.b64decode(credential, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    _, colon, password = text.partition(":")
    return password if colon else None


def _cookie(request: SandboxRequest, name: str) -> str | None:
    for header in request.header_all("Cookie"):
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue
        if name in jar:
            return jar[name].value
    return None


__all__ = ["DEMO_TOKENS", "Verdict", "check", "requirements"]
