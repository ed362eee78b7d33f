"""Profiles: where requests go, which token they carry, and which hosts that token may reach.

Three kinds: ``sandbox`` (the embedded emulator; its base URL is unknown until it starts), ``live``
(the public Labs base URL, token from ``ASTRO_API_TOKEN``) and custom ones from the config file,
given here as a plain mapping so this module does not depend on how the config is stored. Tokens
come from the environment only, never from arguments, and are kept in memory only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from labs_tui.client.model import Profile

SANDBOX_PROFILE = "sandbox"
LIVE_PROFILE = "live"
LIVE_BASE_URL = "https://api.astronomer.io/labs/v1/"
TOKEN_ENV = "ASTRO_API_TOKEN"
SANDBOX_TOKEN = "sandbox-token"  # the sandbox's public demo token (labs_tui.sandbox.SANDBOX_TOKEN)
DEFAULT_SANDBOX_URL = "http://127.0.0.1:8765/labs/v1"  # what `labs-tui sandbox` serves by default
_DEFAULT_PORTS = {"http": 80, "https": 443}


class ProfileError(ValueError):
    """A profile that cannot be used; ``str()`` is one line."""


def origin_of(url: str) -> str:
    """``scheme://host:port`` with the default port filled in: the unit a token is bound to."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower()
    return f"{scheme}://{host}:{port or _DEFAULT_PORTS.get(scheme, 0)}"


def check_base_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL with a host, else ``ProfileError``."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ProfileError(f"base URL must be an absolute http:// or https:// URL, got {text!r}")
    try:
        parts.port  # noqa: B018 - validates the port
    except ValueError:
        raise ProfileError(f"base URL has an invalid port: {text!r}") from None
    return text


def token_allowed(profile: Profile, url: str) -> bool:
    """Whether the profile's token may be sent to ``url``: its base URL's origin or an allowed host.

    ``allowed_hosts`` entries are ``scheme://host:port`` origins, ``host:port`` or a bare ``host``.
    A downgrade from https to http is never allowed implicitly.
    """
    target = origin_of(url)
    if profile.base_url and target == origin_of(profile.base_url):
        return True
    scheme, _, hostport = target.partition("://")
    host = hostport.rsplit(":", 1)[0]
    for entry in profile.allowed_hosts:
        entry = entry.lower().rstrip("/")
        if entry in (target, hostport, host):
            return True
    return False


def resolve_profile(
    name: str | None = None,
    *,
    base_url: str | None = None,
    config: Mapping[str, Any] | None = None,
    env: Mapping[str, str] = os.environ,
) -> Profile:
    """The profile called ``name`` (default: the config's ``default_profile``, else ``sandbox``).

    ``config`` is ``{"profiles": {NAME: {"base_url", "token_env", "version_header"}}, "default_profile"}``;
    an entry named ``sandbox`` or ``live`` adjusts the built-in one. ``base_url`` replaces the
    profile's and allows that origin for the token. Raises ``ProfileError`` (one line).
    """
    config = config or {}
    entries = config.get("profiles") or {}
    if not isinstance(entries, Mapping):
        entries = {}
    chosen = (name or str(config.get("default_profile") or "") or SANDBOX_PROFILE).strip()
    entry = entries.get(chosen)
    if entry is not None and not isinstance(entry, Mapping):
        raise ProfileError(f"profile {chosen!r} in the config is not a mapping")
    entry = entry or {}

    if chosen == SANDBOX_PROFILE:
        profile = Profile(name=chosen, base_url=None, token=SANDBOX_TOKEN, is_sandbox=True)
    elif chosen == LIVE_PROFILE:
        profile = Profile(name=chosen, base_url=LIVE_BASE_URL, token_env=TOKEN_ENV)
    elif entry:
        profile = Profile(name=chosen, base_url=None, token_env=TOKEN_ENV)
    else:
        known = sorted({SANDBOX_PROFILE, LIVE_PROFILE, *(str(k) for k in entries)})
        raise ProfileError(f"unknown profile {chosen!r}; known: {', '.join(known)}")

    fields: dict[str, Any] = {}
    if entry.get("base_url"):
        fields["base_url"] = check_base_url(str(entry["base_url"]))
    if entry.get("token_env"):
        fields["token_env"] = str(entry["token_env"])
    if entry.get("version_header"):
        fields["version_header"] = str(entry["version_header"])
    hosts = entry.get("allowed_hosts")
    if isinstance(hosts, list | tuple):
        fields["allowed_hosts"] = frozenset(str(h).lower() for h in hosts)
    profile = _replace(profile, **fields)

    if base_url is not None:
        url = check_base_url(base_url)
        profile = _replace(profile, base_url=url, allowed_hosts=profile.allowed_hosts | {origin_of(url)})
    if profile.token_env:
        token = env.get(profile.token_env, "").strip() or None
        if token is not None or not profile.is_sandbox:
            profile = _replace(profile, token=token)
    if profile.base_url is None and not profile.is_sandbox:
        raise ProfileError(f"profile {chosen!r} has no base_url; give one with --base-url")
    return profile


def _replace(profile: Profile, **changes: Any) -> Profile:
    import dataclasses

    return dataclasses.replace(profile, **changes)
