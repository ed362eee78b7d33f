"""Changing one top-level key in the user's config file without disturbing the rest of it.

``set_value`` edits the file's text line by line rather than dumping parsed YAML back (a round
trip through a YAML library drops comments, ordering and quoting), checks the result parses back
as the old settings plus the new one, and only then writes it atomically, keeping the file's
permissions. This module must not store a token, write a file that does not read back as
intended, or print; every refusal is a one-line ``ConfigError``.
"""

from __future__ import annotations

import math
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from labs_tui.store.config_model import _SECRET_KEYS, MAX_CONFIG_BYTES, ConfigError, MiB
from labs_tui.store.config_read import _yaml_problem
from labs_tui.store.paths import atomic_write, config_file
from labs_tui.store.yamlload import load_yaml

_TOP_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_PLAIN_SCALAR = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/+@]*")
_NEW_FILE_HEADER = (
    "# labs-tui configuration; `labs-tui config show` prints what is in effect.\n"
    "# Tokens never go here: a profile names the environment variable holding one (token_env).\n"
)


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
    exists, text, bom, before = _current(where)
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


def _current(where: Path) -> tuple[bool, str, bool, dict[Any, Any]]:
    """Whether the file exists, its text, whether it starts with a BOM, and its settings (a mapping).

    Raises ``ConfigError`` when it cannot be read, is too large, is not UTF-8, or does not parse
    as a mapping today.
    """
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
    return exists, text, bom, before


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
