"""The config's shapes: the effective ``Config``, its parts, and the limits both sides share.

Plain frozen data with their defaults (timeouts from the client, the default theme); a
``Config`` also gives the profiles in the shape the client's resolver takes. This module must not
read or write files, parse YAML, or warn: ``config_read`` and ``config_write`` do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labs_tui.client.model import DEFAULT_BODY_CAP, DEFAULT_TIMEOUT_S
from labs_tui.store.themes import DEFAULT_THEME

MAX_CONFIG_BYTES = 1024 * 1024
BUILTIN_PROFILES = ("sandbox", "live")
KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB
_SECRET_KEYS = frozenset({"token", "api_token", "apitoken", "access_token", "bearer"})


class ConfigError(Exception):
    """The config file could not be changed; ``str()`` is one line and the file is untouched."""


@dataclass(frozen=True, slots=True)
class ProfileConfig:
    """One ``profiles:`` entry as the file gave it; the client turns it into a ``Profile``."""

    name: str
    base_url: str | None = None
    token_env: str | None = None
    version_header: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    ca_bundle: str | None = None  # PEM file of CAs to trust for this profile's TLS


@dataclass(frozen=True, slots=True)
class Timeouts:
    request: float = DEFAULT_TIMEOUT_S  # seconds for one request, connect to last byte


@dataclass(frozen=True, slots=True)
class HistoryCaps:
    max_entries: int = 2000
    max_bytes: int = 64 * MiB  # total stored bytes; the oldest entries go first
    capture_bytes: int = 64 * KiB  # each stored copy of a request or response body is cut here


@dataclass(frozen=True)
class Config:
    """The effective configuration: the file's valid parts over the defaults."""

    profiles: Mapping[str, ProfileConfig] = field(default_factory=dict)
    default_profile: str | None = None  # None: the client's default (the sandbox)
    theme: str = DEFAULT_THEME
    keymap: Mapping[str, str] = field(default_factory=dict)  # binding id -> "key1,key2", for App.set_keymap
    timeouts: Timeouts = field(default_factory=Timeouts)
    history: HistoryCaps = field(default_factory=HistoryCaps)
    body_cap: int = DEFAULT_BODY_CAP
    path: Path | None = None  # the file it was read from (it may not exist)

    def profiles_mapping(self) -> dict[str, Any]:
        """The shape ``labs_tui.client.resolve_profile(config=...)`` takes."""
        profiles: dict[str, dict[str, Any]] = {}
        for name, entry in self.profiles.items():
            fields: dict[str, Any] = {}
            if entry.base_url:
                fields["base_url"] = entry.base_url
            if entry.token_env:
                fields["token_env"] = entry.token_env
            if entry.version_header:
                fields["version_header"] = entry.version_header
            if entry.allowed_hosts:
                fields["allowed_hosts"] = list(entry.allowed_hosts)
            if entry.ca_bundle:
                fields["ca_bundle"] = entry.ca_bundle
            profiles[name] = fields
        return {"profiles": profiles, "default_profile": self.default_profile}
