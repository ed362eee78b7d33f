"""Where the profile's one token travels for an operation, read from the spec's security requirements.

``token_place(operation)`` reads ``Operation.auth`` (the operation's ``security``, else the spec's,
each scheme looked up) and answers one ``TokenPlace``:

- ``http`` bearer, ``oauth2``, ``openIdConnect``, and a scheme name the spec does not declare:
  ``Authorization: Bearer <token>``;
- ``apiKey``: the header, query parameter or cookie the scheme names, the token as its value;
- ``http`` basic: ``Authorization: Basic base64(":<token>")`` (the token as the password, no user
  name, as GitHub-style token auth and the sandbox take it), chosen only when no alternative takes
  the token as it is, since how an API reads a token there is a guess;
- the first alternative that one token can satisfy wins (one scheme; an alternative needing two
  credentials, or a ``mutualTLS`` one, cannot be); an empty alternative (``{}``, auth optional) is
  used only when no other fits; ``security: []`` sends no token;
- a spec that says nothing about security keeps the Labs rule: ``Authorization: Bearer``.

Pure: no I/O, nothing printed; ``build_request`` puts the token where this says.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from labs_tui.spec.model import Operation, SecurityScheme

PlaceKind = Literal["header", "query", "cookie", "none"]
AUTHORIZATION = "Authorization"


@dataclass(frozen=True, slots=True)
class TokenPlace:
    """Where the token goes: ``kind`` header/query/cookie under ``name``, or ``none`` (``why`` says).

    ``prefix`` is what precedes the token in a header value (``Bearer``, ``Basic``; "" for an apiKey).
    """

    kind: PlaceKind
    name: str = AUTHORIZATION
    prefix: str = "Bearer"
    scheme: str = ""  # the spec's security scheme name; "" when the spec said nothing
    why: str = ""  # for "none": one line

    @property
    def is_authorization(self) -> bool:
        return self.kind == "header" and self.name.lower() == "authorization"

    def value(self, token: str) -> str:
        """The header/parameter/cookie value carrying ``token``."""
        if self.prefix == "Basic":
            return "Basic " + basic_credential(token)
        return f"{self.prefix} {token}" if self.prefix else token

    def label(self) -> str:
        """Where, in a few words: ``Authorization: Bearer``, ``header api_key``, ``query parameter key``."""
        if self.kind == "none":
            return "not sent"
        if self.is_authorization:
            return f"{AUTHORIZATION}: {self.prefix}" if self.prefix else AUTHORIZATION
        where = {"header": "header", "query": "query parameter", "cookie": "cookie"}[self.kind]
        return f"{where} {self.name}"


BEARER = TokenPlace("header")


def basic_credential(token: str) -> str:
    """``base64(":<token>")``: the token as an HTTP Basic password with no user name."""
    return base64.b64encode(f":{token}".encode()).decode("ascii")


def _place(scheme: SecurityScheme) -> TokenPlace | None:
    """Where one scheme takes a single token; None when a token cannot satisfy it."""
    kind = scheme.type.lower()
    if kind == "" or kind in ("oauth2", "openidconnect"):
        return TokenPlace("header", scheme=scheme.name)
    if kind == "http":
        http = scheme.scheme.lower()
        if http == "basic":
            return TokenPlace("header", prefix="Basic", scheme=scheme.name)
        if http in ("bearer", ""):
            return TokenPlace("header", scheme=scheme.name)
        return None  # digest, hoba...: a token alone is not the credential
    if kind == "apikey" and scheme.parameter_name:
        location = scheme.location.lower()
        if location == "header":
            return TokenPlace("header", scheme.parameter_name, "", scheme.name)
        if location in ("query", "cookie"):
            return TokenPlace(location, scheme.parameter_name, "", scheme.name)  # type: ignore[arg-type]
    return None  # mutualTLS, an apiKey without a place


def token_place(operation: Operation | None) -> TokenPlace:
    """Where the profile's token goes for ``operation`` (see the module docstring)."""
    auth = operation.auth if operation is not None else None
    if auth is None:
        return BEARER
    if not auth:
        return TokenPlace("none", "", "", why="the spec says it needs no credentials")
    fallback: TokenPlace | None = None
    optional = False
    for alternative in auth:
        if not alternative:
            optional = True
            continue
        place = _place(alternative[0]) if len(alternative) == 1 else None
        if place is None:
            continue
        if place.prefix != "Basic":
            return place
        fallback = fallback or place
    if fallback is not None:
        return fallback
    if optional:
        return TokenPlace("none", "", "", why="the spec says credentials are optional")
    names = " or ".join(" + ".join(s.name for s in alternative) for alternative in auth)
    return TokenPlace("none", "", "", why=f"it needs {names}, which one token cannot satisfy")
