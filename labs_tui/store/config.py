"""The user's config file: read it forgivingly, and change one key without disturbing the rest.

One YAML file (``paths.config_file()``) holds profiles, the default profile, the theme, keymap
overrides by binding id, timeouts, history caps and the body cap. ``load_config`` never raises:
each bad part becomes a one-line warning and its default, so a typo cannot keep the app from
starting. ``set_value`` edits the file's text line by line rather than dumping parsed YAML back,
because a round trip through a YAML library drops the user's comments, ordering and quoting;
the edit is checked by parsing the result before it is written atomically.

Tokens never live here: a profile names the environment variable holding its token
(``token_env``), and a ``token:`` key is ignored with a warning. Nothing here prints.
"""

from __future__ import annotations

import math
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from labs_tui.client.model import DEFAULT_BODY_CAP, DEFAULT_TIMEOUT_S
from labs_tui.store.paths import atomic_write, config_file
from labs_tui.store.themes import DEFAULT_THEME
from labs_tui.store.yamlload import load_yaml

MAX_CONFIG_BYTES = 1024 * 1024
BUILTIN_PROFILES = ("sandbox", "live")
KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")
_KEY = re.compile(r"[^\s,]{1,40}")
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*", re.IGNORECASE)
_SECRET_KEYS = frozenset({"token", "api_token", "apitoken", "access_token", "bearer"})
_TOP_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_PLAIN_SCALAR = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/+@]*")
_NEW_FILE_HEADER = (
    "# labs-tui configuration; `labs-tui config show` prints what is in effect.\n"
    "# Tokens never go here: a profile names the environment variable holding one (token_env).\n"
)


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


def set_value(
    key_path: str, value: str | int | float | bool | None, *, path: Path | str | None = None
) -> Path:
    """Set the top-level scalar ``key_path`` (e.g. ``"theme"``) in the config file; return the file.

    Only the line(s) holding that key change (a trailing comment on the line is kept); if the key
    is absent a line is appended, and a missing file is created with a short header. Comments,
    unknown keys, order and quoting elsewhere are untouched. The result is parsed before it is
    written (atomically, keeping the file's permissions): if it would not read back as exactly the
    old settings plus this one, or the file does not parse today, nothing is written and
    ``ConfigError`` says why in one line.
    """
    where = Path(path) if path is not None else config_file()
    if not _TOP_KEY.fullmatch(key_path):
        raise ConfigError(f"only a top-level key can be set, not {key_path!r}")
    if key_path.lower() in _SECRET_KEYS:
        raise ConfigError("tokens are never stored in the config file; name an environment variable instead")
    scalar = _render_scalar(value)
    try:
        exists = where.exists()
        raw = where.read_bytes() if exists else b""
    except OSError as exc:
        raise ConfigError(f"cannot read {where}: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{where} is larger than {MAX_CONFIG_BYTES // MiB} MiB; not changed")
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{where} is not UTF-8 text; not changed") from None
    try:
        before = load_yaml(text) if text.strip() else None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where} is not valid YAML ({_yaml_problem(exc)}); fix it first") from None
    if before is None:
        before = {}
    if not isinstance(before, dict):
        raise ConfigError(f"{where}: the top level is not a mapping; fix it first")

    new_text = _edit_top_level(text if exists else _NEW_FILE_HEADER, key_path, scalar)
    try:
        after = load_yaml(new_text)
    except yaml.YAMLError:
        after = None
    expected = {k: v for k, v in before.items() if k != key_path}
    if (
        not isinstance(after, dict)
        or key_path not in after
        or not _same(after[key_path], value)
        or {k: v for k, v in after.items() if k != key_path} != expected
    ):
        raise ConfigError(f"could not set {key_path} in {where} without disturbing the file; edit it by hand")
    mode = 0o600
    if exists:
        try:
            mode = stat.S_IMODE(where.stat().st_mode)
        except OSError:
            pass
    data = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
    try:
        atomic_write(where, data, mode)
    except OSError as exc:
        raise ConfigError(f"cannot write {where}: {exc.strerror or exc}") from None
    return where


# -- reading ---------------------------------------------------------------------------------------


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


# -- editing ---------------------------------------------------------------------------------------


def _render_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigError("only finite numbers can be stored in the config")
        return repr(value)
    if isinstance(value, str):
        if _PLAIN_SCALAR.fullmatch(value) and load_yaml(value) == value:
            return value
        dumped = yaml.safe_dump(value, default_style='"', width=1_000_000, allow_unicode=True).strip()
        if "\n" in dumped:
            raise ConfigError("this value cannot be written on one line")
        return dumped
    raise ConfigError(f"only text, numbers, true/false or null can be set, not {type(value).__name__}")


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _edit_top_level(text: str, key: str, scalar: str) -> str:
    """``text`` with every top-level ``key:`` line set to ``scalar``, or a line appended."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    pattern = re.compile(rf"""(?P<q>["']?){re.escape(key)}(?P=q)[ \t]*:(?=[ \t]|$)(?P<rest>[^\r\n]*)""")
    out: list[str] = []
    found = False
    index = 0
    while index < len(lines):
        line = lines[index]
        match = pattern.match(line)
        index += 1
        if match is None:
            out.append(line)
            continue
        found = True
        value_part, comment = _split_comment(match.group("rest"))
        ending = line[len(line.rstrip("\r\n")) :]
        out.append(f"{key}: {scalar}{comment}{ending or newline}")
        if value_part.strip() in ("", "|", ">", "|-", ">-", "|+", ">+") or value_part.strip().startswith(
            ("&", "!")
        ):
            # The old value continued on indented lines: drop them, but keep the user's comments.
            while index < len(lines) and (lines[index][:1] in (" ", "\t") or not lines[index].strip()):
                stripped = lines[index].strip()
                if not stripped or stripped.startswith("#"):
                    out.append(lines[index])
                index += 1
    if not found:
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += newline
        out.append(f"{key}: {scalar}{newline}")
    return "".join(out)


def _split_comment(rest: str) -> tuple[str, str]:
    """The value text and the trailing comment (with its leading spaces) of what follows ``key:``."""
    stripped = rest.lstrip()
    start = len(rest) - len(stripped)
    end = 0
    if stripped[:1] == '"':
        end = 1
        while end < len(stripped) and stripped[end] != '"':
            end += 2 if stripped[end] == "\\" else 1
        end += 1
    elif stripped[:1] == "'":
        end = 1
        while end < len(stripped):
            if stripped[end] == "'":
                if stripped[end + 1 : end + 2] == "'":
                    end += 2
                    continue
                break
            end += 1
        end += 1
    match = re.search(r"[ \t]+#", stripped[end:]) if stripped[:1] != "#" else None
    if stripped[:1] == "#":
        return "", rest
    if match is None:
        return rest, ""
    cut = start + end + match.start()
    return rest[:cut], rest[cut:]
