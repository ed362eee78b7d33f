"""A JWT's expiry, read to judge a 401: the payload is decoded, the signature is not verified.

The token is only read here; it is never kept, logged or returned.
"""

from __future__ import annotations

import base64
import binascii
import json


def jwt_expiry(token: str) -> tuple[bool, float | None]:
    """(is a decodable JWT, its ``exp``): the payload is read, the signature is not verified."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        return False, None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeError):
        return False, None
    if not isinstance(claims, dict):
        return False, None
    exp = claims.get("exp")
    return True, float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None
