"""Reading the user's config file forgivingly: every bad part is a warning and its default.

``load_config`` never raises: an unreadable, oversized or malformed file is the defaults with one
warning, and a file that parses gets one warning per bad part (a ``token:`` key is ignored with a
warning: tokens live in environment variables). This module must not write the file, print, or
let a typo keep the app from starting.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from labs_tui.client.model import DEFAULT_BODY_CAP, DEFAULT_TIMEOUT_S
from labs_tui.store.config_model import (
    _SECRET_KEYS,
    BUILTIN_PROFILES,
    MAX_CONFIG_BYTES,
    Config,
    GiB,
    HistoryCaps,
    KiB,
    MiB,
    ProfileConfig,
    Timeouts,
)
from labs_tui.store.paths import config_file
from labs_tui.store.themes import DEFAULT_THEME
from labs_tui.store.yamlload import load_yaml

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")
_KEY = re.compile(r"[^\s,]{1,40}")
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*", re.IGNORECASE)


def load_config(path: Path | str | None = None) -> tuple[Config, list[str]]:
    """The config at ``path`` (default ``paths.config_file()``) and one-line warnings; never raises.

    A missing file is the defaults with no warning. An unreadable, oversized or malformed file is
    the defaults with one warning; a file that parses gets one warning per bad part, and the
    defaults for those parts only. Keys this version does not know are left alone.
    """
    where = Path(path) if path is not None else config_file()
    warnings: list[str] = []
    defaults = Config(path=where)
    raw = _read(where, warnings)
    if raw is None:
        return defaults, warnings
    try:
        data = load_yaml(raw)
    except yaml.YAMLError as exc:
        warnings.append(f"{where}: not valid YAML ({_yaml_problem(exc)}); using the defaults")
        return defaults, warnings
    if data is None:
        return defaults, warnings
    if not isinstance(data, dict):
        warnings.append(f"{where}: the top level must be a mapping of settings; using the defaults")
        return defaults, warnings
    return _Reader(where, warnings).read(data), warnings


def _read(where: Path, warnings: list[str]) -> str | None:
    try:
        with where.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        warnings.append(f"{where}: is a directory, not a config file; using the defaults")
        return None
    except OSError as exc:
        warnings.append(f"{where}: cannot be read ({exc.strerror or exc}); using the defaults")
        return None
    if len(raw) > MAX_CONFIG_BYTES:
        warnings.append(f"{where}: larger than {MAX_CONFIG_BYTES // MiB} MiB; using the defaults")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        warnings.append(f"{where}: not UTF-8 text; using the defaults")
        return None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = " ".join(str(getattr(exc, "problem", None) or "cannot parse").split())
    if mark is not None:
        return f"line {mark.line + 1}: {problem}"
    return problem


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Reader:
    """Turns a parsed mapping into a ``Config``, one warning per part it had to default."""

    def __init__(self, where: Path, warnings: list[str]) -> None:
        self.where = where
        self.warnings = warnings

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.where}: {message}")

    def read(self, data: dict[Any, Any]) -> Config:
        profiles = self.profiles(data.get("profiles"))
        return Config(
            profiles=profiles,
            default_profile=self.default_profile(data.get("default_profile"), profiles),
            theme=self.theme(data.get("theme")),
            keymap=self.keymap(data.get("keymap")),
            timeouts=self.timeouts(data.get("timeouts")),
            history=self.history(data.get("history")),
            body_cap=self.size("body_cap", data.get("body_cap"), DEFAULT_BODY_CAP, 1 * KiB, 2 * GiB),
            path=self.where,
        )

    def profiles(self, raw: Any) -> dict[str, ProfileConfig]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.warn("profiles must be a mapping of name to settings; ignored")
            return {}
        result: dict[str, ProfileConfig] = {}
        for name, entry in raw.items():
            if not isinstance(name, str) or not _NAME.fullmatch(name):
                self.warn(f"profile name {_show(name)} must be letters, digits, '.', '_' or '-'; ignored")
                continue
            if entry is None:
                entry = {}
            if not isinstance(entry, dict):
                self.warn(f"profile {name!r} must be a mapping (base_url, token_env, ...); ignored")
                continue
            profile = self.profile(name, entry)
            if profile is not None:
                result[name] = profile
        return result

    def profile(self, name: str, entry: dict[Any, Any]) -> ProfileConfig | None:
        for key in entry:
            if isinstance(key, str) and key.lower() in _SECRET_KEYS:
                self.warn(
                    f"profile {name!r} has a {key!r} key, which is ignored: tokens never go in the "
                    "config file; put it in an environment variable and name that with token_env"
                )
        base_url = entry.get("base_url")
        if base_url is not None and not _is_http_url(base_url):
            self.warn(f"profile {name!r}: base_url must be an http:// or https:// URL with a host; ignored")
            base_url = None
        if base_url is None and name not in BUILTIN_PROFILES:
            self.warn(f"profile {name!r} has no base_url; it needs --base-url to be used")
        token_env = entry.get("token_env")
        if token_env is not None and not (isinstance(token_env, str) and _ENV_NAME.fullmatch(token_env)):
            self.warn(f"profile {name!r}: token_env must be an environment variable name; ignored")
            token_env = None
        header = entry.get("version_header")
        if header is not None and not (isinstance(header, str) and _HEADER_NAME.fullmatch(header)):
            self.warn(f"profile {name!r}: version_header must be an HTTP header name; ignored")
            header = None
        hosts_raw = entry.get("allowed_hosts")
        hosts: tuple[str, ...] = ()
        if hosts_raw is not None:
            if isinstance(hosts_raw, list) and all(isinstance(h, str) and h.strip() for h in hosts_raw):
                hosts = tuple(h.strip().lower() for h in hosts_raw[:64])
            else:
                self.warn(f"profile {name!r}: allowed_hosts must be a list of hosts; ignored")
        ca_bundle = entry.get("ca_bundle")
        if ca_bundle is not None and not (isinstance(ca_bundle, str) and ca_bundle.strip()):
            self.warn(f"profile {name!r}: ca_bundle must be the path of a PEM file; ignored")
            ca_bundle = None
        return ProfileConfig(
            ca_bundle=ca_bundle.strip() if isinstance(ca_bundle, str) else None,
            name=name,
            base_url=base_url.strip() if isinstance(base_url, str) else None,
            token_env=token_env,
            version_header=header,
            allowed_hosts=hosts,
        )

    def default_profile(self, raw: Any, profiles: Mapping[str, ProfileConfig]) -> str | None:
        if raw is None:
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.warn("default_profile must be a profile name; using sandbox")
            return None
        name = raw.strip()
        if name not in profiles and name not in BUILTIN_PROFILES:
            known = ", ".join(sorted({*BUILTIN_PROFILES, *profiles}))
            self.warn(f"default_profile {name!r} is not a profile (known: {known}); using sandbox")
            return None
        return name

    def theme(self, raw: Any) -> str:
        if raw is None:
            return DEFAULT_THEME
        if not isinstance(raw, str) or not raw.strip() or len(raw) > 64:
            self.warn(f"theme must be a theme name; using {DEFAULT_THEME}")
            return DEFAULT_THEME
        return raw.strip()

    def keymap(self, raw: Any) -> dict[str, str]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.warn("keymap must be a mapping of binding id to keys; ignored")
            return {}
        result: dict[str, str] = {}
        for binding, keys in list(raw.items())[:500]:
            if not isinstance(binding, str) or not binding.strip():
                self.warn(f"keymap: binding id {_show(binding)} must be text; ignored")
                continue
            parts = keys.split(",") if isinstance(keys, str) else keys
            if not isinstance(parts, list) or not parts or len(parts) > 16:
                self.warn(f"keymap: {binding!r} must be a key such as ctrl+t, or a list of keys; ignored")
                continue
            cleaned = [p.strip() if isinstance(p, str) else "" for p in parts]
            if not all(_KEY.fullmatch(p) for p in cleaned):
                self.warn(f"keymap: {binding!r} has an invalid key in {_show(keys)}; ignored")
                continue
            result[binding.strip()] = ",".join(cleaned)
        return result

    def timeouts(self, raw: Any) -> Timeouts:
        if raw is None:
            return Timeouts()
        if not isinstance(raw, dict):
            self.warn("timeouts must be a mapping (request: seconds); using the defaults")
            return Timeouts()
        request = raw.get("request")
        if request is None:
            return Timeouts()
        if (
            isinstance(request, bool)
            or not isinstance(request, int | float)
            or not math.isfinite(request)
            or not 0 < request <= 3600
        ):
            self.warn(
                f"timeouts.request must be seconds between 0 and 3600, got {_show(request)}; "
                f"using {DEFAULT_TIMEOUT_S:g}"
            )
            return Timeouts()
        return Timeouts(request=float(request))

    def history(self, raw: Any) -> HistoryCaps:
        default = HistoryCaps()
        if raw is None:
            return default
        if not isinstance(raw, dict):
            self.warn("history must be a mapping (max_entries, max_bytes, capture_bytes); using the defaults")
            return default
        entries = raw.get("max_entries")
        max_entries = default.max_entries
        if entries is not None:
            if isinstance(entries, int) and not isinstance(entries, bool) and 1 <= entries <= 1_000_000:
                max_entries = entries
            else:
                self.warn(
                    f"history.max_entries must be a whole number from 1 to 1000000, got "
                    f"{_show(entries)}; using {default.max_entries}"
                )
        return HistoryCaps(
            max_entries=max_entries,
            max_bytes=self.size(
                "history.max_bytes", raw.get("max_bytes"), default.max_bytes, 64 * KiB, 16 * GiB
            ),
            capture_bytes=self.size(
                "history.capture_bytes", raw.get("capture_bytes"), default.capture_bytes, 1 * KiB, 16 * MiB
            ),
        )

    def size(self, key: str, raw: Any, default: int, low: int, high: int) -> int:
        if raw is None:
            return default
        value = parse_size(raw)
        if value is None or not low <= value <= high:
            self.warn(
                f"{key} must be a size from {_human(low)} to {_human(high)} (bytes, or e.g. '64 MiB'), "
                f"got {_show(raw)}; using {_human(default)}"
            )
            return default
        return value


def parse_size(raw: Any) -> int | None:
    """Bytes from an int or a string like ``"64 MiB"``, ``"512k"``, ``"2GB"`` (binary units); else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if not isinstance(raw, str) or len(raw) > 32:
        return None
    match = _SIZE.fullmatch(raw)
    if match is None:
        return None
    unit = (match.group(2) or "b").lower()[0]
    scale = {"b": 1, "k": KiB, "m": MiB, "g": GiB}[unit]
    return int(float(match.group(1)) * scale)


def _human(size: int) -> str:
    for unit, scale in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"


def _is_http_url(raw: Any) -> bool:
    if not isinstance(raw, str):
        return False
    try:
        parts = urlsplit(raw.strip())
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
