"""Which spec changes break a client: the one table the spec diff, the CLI and the README follow.

Each change kind the spec diff (``labs_tui.compare.spec_diff``) reports is a row here: whether it
breaks a client written against the old spec, and why in a few words. The README's "What changed
in the spec" section mirrors this table (a test keeps the two equal). A kind missing here is a bug:
``is_breaking`` raises ``KeyError`` rather than guess. Pure data; no I/O.
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    breaking: bool
    why: str


RULES: dict[str, Rule] = {
    # endpoints
    "operation-removed": Rule(True, "calls to it fail"),
    "operation-added": Rule(False, "nothing used it before"),
    "operation-deprecated": Rule(False, "still served; plan a move"),
    "operation-undeprecated": Rule(False, "still served"),
    # security
    "security-alternative-removed": Rule(True, "credentials that worked are refused"),
    "security-alternative-added": Rule(False, "one more way to authenticate"),
    # parameters
    "parameter-added-required": Rule(True, "old calls lack it"),
    "parameter-added": Rule(False, "optional"),
    "parameter-removed": Rule(True, "what clients send is ignored or refused"),
    "parameter-became-required": Rule(True, "old calls may lack it"),
    "parameter-became-optional": Rule(False, "old calls still send it"),
    "parameter-location-changed": Rule(True, "sent in the old place, it is missed"),
    "path-parameter-renamed": Rule(False, "the URL is the same"),
    "parameter-deprecated": Rule(False, "still accepted"),
    "parameter-type-changed": Rule(True, "old values may no longer parse"),
    "parameter-enum-narrowed": Rule(True, "values clients send are refused"),
    "parameter-enum-widened": Rule(False, "old values still accepted"),
    # request body
    "request-body-added-required": Rule(True, "old calls send no body"),
    "request-body-added": Rule(False, "optional"),
    "request-body-removed": Rule(True, "the body clients send is ignored or refused"),
    "request-body-became-required": Rule(True, "old calls may send no body"),
    "request-body-became-optional": Rule(False, "old calls still send one"),
    "request-media-type-removed": Rule(True, "that content type is refused"),
    "request-media-type-added": Rule(False, "one more content type accepted"),
    # request schemas (also a parameter's object schema)
    "request-type-changed": Rule(True, "old values may no longer validate"),
    "request-enum-narrowed": Rule(True, "values clients send are refused"),
    "request-enum-widened": Rule(False, "old values still accepted"),
    "request-property-added-required": Rule(True, "old bodies lack it"),
    "request-property-added": Rule(False, "optional"),
    "request-property-removed": Rule(False, "the server ignores what clients still send"),
    "request-property-renamed": Rule(True, "old bodies use the old name"),
    "request-property-became-required": Rule(True, "old bodies may lack it"),
    "request-property-became-optional": Rule(False, "old bodies still carry it"),
    "request-constraint-tightened": Rule(True, "values that passed may fail"),
    "request-constraint-relaxed": Rule(False, "values that passed still pass"),
    "request-variant-removed": Rule(True, "bodies of that shape are refused"),
    "request-variant-added": Rule(False, "one more shape accepted"),
    # responses
    "response-success-status-removed": Rule(True, "clients expecting it get something else"),
    "response-status-removed": Rule(False, "an error case no longer documented"),
    "response-status-added": Rule(False, "a new documented case"),
    "response-media-type-removed": Rule(True, "clients asking for it get something else"),
    "response-media-type-added": Rule(False, "one more content type offered"),
    "response-header-removed": Rule(True, "clients reading it find nothing"),
    "response-header-added": Rule(False, "one more header"),
    "response-header-became-optional": Rule(True, "clients reading it may find nothing"),
    "response-header-became-required": Rule(False, "always sent now"),
    # response schemas (also a response header's schema)
    "response-type-changed": Rule(True, "clients parse the old type"),
    "response-enum-widened": Rule(False, "clients should tolerate new values"),
    "response-enum-narrowed": Rule(False, "fewer values to handle"),
    "response-property-added": Rule(False, "clients ignore what they do not know"),
    "response-property-removed": Rule(True, "clients reading it find nothing"),
    "response-property-renamed": Rule(True, "clients read the old name"),
    "response-property-became-optional": Rule(True, "clients may find nothing"),
    "response-property-became-required": Rule(False, "always sent now"),
    "response-constraint-changed": Rule(False, "values still of the same type"),
    "response-variant-added": Rule(False, "clients should tolerate new shapes"),
    "response-variant-removed": Rule(False, "fewer shapes to handle"),
}


def is_breaking(kind: str) -> bool:
    """Whether a change of ``kind`` breaks a client written against the old spec (``RULES``)."""
    return RULES[kind].breaking
