"""A ``Retry-After`` header (delta-seconds or an HTTP date) as seconds from now and as an instant."""

from __future__ import annotations

from datetime import UTC
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str, now: float) -> tuple[float | None, float | None]:
    """``Retry-After`` as (seconds from now, epoch seconds): delta-seconds or an HTTP date."""
    text = value.strip()
    if text.isdigit():
        seconds = float(min(int(text), 10**9))
        return seconds, now + seconds
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    at = when.timestamp()
    return max(0.0, at - now), at
