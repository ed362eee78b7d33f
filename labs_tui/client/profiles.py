"""Profiles: where requests go, which token they carry, and which hosts that token may reach.

Three kinds: ``sandbox`` (the embedded emulator; its base URL is unknown until it starts), ``live``
(the public Labs base URL, token from ``ASTRO_API_TOKEN``) and custom ones from the config file,
given here as a plain mapping so this module does not depend on how the config is stored. Tokens
come from the environment only, never from arguments, and are kept in memory only.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from labs_tui.client.model import Profile

SANDBOX_PROFILE = "sandbox"
LIVE_PROFILE = "live"
LIVE_BASE_URL = "https://api.astronomer.io/labs/v1/"
TOKEN_ENV = "ASTRO_API_TOKEN"
SANDBOX_TOKEN = "sandbox-token"  # the sandbox's public demo token (labs_tui.sandbox.SANDBOX_TOKEN)
DEFAULT_SANDBOX_ORIGIN = "http://127.0.0.1:8765"  # where `labs-tui sandbox` listens by default
DEFAULT_SANDBOX_URL = DEFAULT_SANDBOX_ORIGIN + "/labs/v1"  # ... and its base URL for the bundled Labs spec

_DEFAULT_PORTS = {"http": 80, "https": 443}


def default_sandbox_url(base_path: str = "/labs/v1") -> str:
    """Where `labs-tui sandbox` serves a spec by default: its origin plus the path it serves under
    (``labs_tui.sandbox.served_base_path``: ``/labs/v1`` for the bundled spec, else the path of the
    spec's first server URL)."""
    path = base_path.strip("/")
    return f"{DEFAULT_SANDBOX_ORIGIN}/{path}" if path else DEFAULT_SANDBOX_ORIGIN


class ProfileError(ValueError):
    """A profile that cannot be used; ``str()`` is one line."""


def check_token(token: str | None, where: str = "the token") -> str | None:
    """The token with surrounding whitespace trimmed, or ``None`` when empty.

    A token is printable ASCII (``!`` to ``~``) only: anything else (inner whitespace, a control
    character, a non-ASCII letter) cannot go in an ``Authorization`` header unchanged, so it is
    refused here, before anything is sent. The message never repeats the value.
    """
    if token is None:
        return None
    text = token.strip(" \t\r\n")
    if not text:
        return None
    for ch in text:
        if not "!" <= ch <= "~":
            kind = "whitespace" if ch.isspace() else "a control character"
            if ord(ch) > 127 and not ch.isspace():
                kind = "a non-ASCII character"
            raise ProfileError(
                f"{where} contains {kind}; a token is printable ASCII only, so nothing was sent "
                "(check how it was copied)"
            )
    return text


def is_loopback_host(host: str | None) -> bool:
    """``localhost``, ``127.0.0.0/8`` or ``::1``."""
    if not host:
        return False
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def plain_http_warning(profile: Profile, url: str | None = None) -> str | None:
    """A one-line warning when the profile's token would cross the network unencrypted, else None.

    Plain ``http://`` to a loopback host stays on this machine and is not warned about.
    """
    target = url or profile.base_url
    if not profile.token or not target or (profile.is_sandbox and profile.token == SANDBOX_TOKEN):
        return None
    parts = urlsplit(target)
    if parts.scheme.lower() != "http" or is_loopback_host(parts.hostname):
        return None
    return (
        f"the token for profile {profile.name!r} goes to {parts.hostname} over plain http: "
        "anyone on the network path can read it; use https"
    )


def insecure_warning(profile: Profile) -> str | None:
    """The one-line warning every use of ``--insecure`` gets (CLI and app alike), else None."""
    if not profile.insecure:
        return None
    return "--insecure: TLS certificates are not checked; anyone on the path can read or change this"


def tls_unverified(profile: Profile) -> bool:
    """Sends under ``profile`` go to an https target with certificate checks off (``--insecure``)."""
    return profile.insecure and urlsplit(profile.base_url or "").scheme.lower() == "https"


def _strip_userinfo(text: str) -> str:
    parts = urlsplit(text)
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=host).geturl()


def check_ca_bundle(path: str, where: str = "--ca-cert") -> str:
    """``path`` if it is a readable PEM file of CA certificates, else ``ProfileError`` (one line)."""
    expanded = os.path.expanduser(path.strip())
    if not os.path.isfile(expanded):
        raise ProfileError(f"{where}: no such file: {expanded!r}")
    try:
        ssl.create_default_context(cafile=expanded)
    except (ssl.SSLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or "not PEM certificates"
        raise ProfileError(f"{where}: {expanded!r} is not a usable CA bundle ({reason})") from None
    return expanded


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
    """The URL if it is an absolute http(s) URL with a host, else ``ProfileError``.

    Refused too: control characters or whitespace inside it (HTTP cannot carry them) and a user
    name or password (``user:pass@host``): credentials in a URL leak into logs, history and exports,
    and would replace the bearer token with Basic auth.
    """
    text = url.strip(" ")
    if any(ord(ch) < 0x21 or 0x7F <= ord(ch) < 0xA0 for ch in text):
        raise ProfileError("base URL contains whitespace or a control character (a line break?)")
    parts = urlsplit(text)
    if "@" in parts.netloc:
        raise ProfileError(
            f"base URL must not contain a user name or password (user:pass@): {_strip_userinfo(text)!r}; "
            "the token comes from the profile (token_env)"
        )
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
    An entry without a scheme takes the base URL's scheme (https when there is none), and one
    without a port that scheme's default port: ``api.example.com`` allows
    ``https://api.example.com:443``, not ``http://api.example.com`` nor another port.
    """
    target = origin_of(url)
    if profile.base_url and target == origin_of(profile.base_url):
        return True
    base_scheme = urlsplit(profile.base_url or "").scheme.lower() or "https"
    for entry in profile.allowed_hosts:
        entry = entry.strip().lower().rstrip("/")
        if not entry:
            continue
        if "://" not in entry:
            entry = f"{base_scheme}://{entry}"
        if origin_of(entry) == target:
            return True
    return False


def resolve_profile(
    name: str | None = None,
    *,
    base_url: str | None = None,
    config: Mapping[str, Any] | None = None,
    env: Mapping[str, str] = os.environ,
    ca_cert: str | None = None,
    insecure: bool = False,
) -> Profile:
    """The profile called ``name`` (default: the config's ``default_profile``, else ``sandbox``).

    ``config`` is ``{"profiles": {NAME: {"base_url", "token_env", "version_header"}}, "default_profile"}``;
    an entry named ``sandbox`` or ``live`` adjusts the built-in one. ``base_url`` replaces the
    profile's and allows that origin for the token. Raises ``ProfileError`` (one line).

    Only ``live`` and profiles naming a ``token_env`` read a token from the environment: a custom
    profile without one sends none. A token that is not printable ASCII is refused here.
    TLS: ``ca_cert`` (``--ca-cert``), else the entry's ``ca_bundle``, else ``SSL_CERT_FILE`` or
    ``REQUESTS_CA_BUNDLE`` from ``env`` is the CA bundle; ``insecure`` turns verification off.
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

    profile = _replace(_builtin_or_custom(chosen, entry, entries), **_entry_fields(entry))
    if base_url is not None:
        url = check_base_url(base_url)
        profile = _replace(profile, base_url=url, allowed_hosts=profile.allowed_hosts | {origin_of(url)})
    ca_source, ca_path = _ca_choice(chosen, entry, env, ca_cert)
    if ca_path:
        profile = _replace(profile, ca_bundle=check_ca_bundle(ca_path, ca_source))
    if insecure:
        profile = _replace(profile, insecure=True)
    if profile.token_env:
        token = check_token(env.get(profile.token_env), f"${profile.token_env}")
        if token is not None or not profile.is_sandbox:
            profile = _replace(profile, token=token)
    if profile.base_url is None and not profile.is_sandbox:
        raise ProfileError(f"profile {chosen!r} has no base_url; give one with --base-url")
    return profile


def _builtin_or_custom(chosen: str, entry: Mapping[str, Any], entries: Mapping[Any, Any]) -> Profile:
    """The built-in profile ``chosen`` names, or a custom one its config entry defines."""
    if chosen == SANDBOX_PROFILE:
        return Profile(name=chosen, base_url=None, token=SANDBOX_TOKEN, is_sandbox=True)
    if chosen == LIVE_PROFILE:
        return Profile(name=chosen, base_url=LIVE_BASE_URL, token_env=TOKEN_ENV)
    if entry:
        return Profile(name=chosen, base_url=None)  # a token only if it names one (token_env)
    known = sorted({SANDBOX_PROFILE, LIVE_PROFILE, *(str(k) for k in entries)})
    raise ProfileError(f"unknown profile {chosen!r}; known: {', '.join(known)}")


def _entry_fields(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The Profile fields a config entry sets (``base_url`` checked)."""
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
    return fields


def _ca_choice(
    chosen: str, entry: Mapping[str, Any], env: Mapping[str, str], ca_cert: str | None
) -> tuple[str, str | None]:
    """Where the CA bundle comes from (named for errors) and its path: the first of ``--ca-cert``,
    the entry's ``ca_bundle``, ``SSL_CERT_FILE``, ``REQUESTS_CA_BUNDLE``; no path when none is set."""
    ca_source, ca_path = "--ca-cert", ca_cert
    if not ca_path and entry.get("ca_bundle"):
        ca_source, ca_path = f"profile {chosen!r} ca_bundle", str(entry["ca_bundle"])
    for var in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"):
        if not ca_path and env.get(var, "").strip():
            ca_source, ca_path = var, env[var]
    return ca_source, ca_path


def _replace(profile: Profile, **changes: Any) -> Profile:
    import dataclasses

    return dataclasses.replace(profile, **changes)
