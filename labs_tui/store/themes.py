"""Themes as data: the bundled YAML themes plus the user's, validated into plain ``ThemeSpec`` values.

A theme file sets Textual's theme colours, the JSON syntax colours, the HTTP method badge colours
and the diff colours. Colours are checked here (``#rgb``, ``#rrggbb`` or a small set of names) and
handed out as ``#rrggbb`` so both Textual and Rich styles accept them unchanged. A file that does
not validate is skipped with a one-line warning; nothing here raises on a bad file, prints, or
imports Textual (the TUI builds ``textual.theme.Theme(**spec.textual_kwargs())``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import labs_tui
from labs_tui.store.paths import config_dir
from labs_tui.store.yamlload import load_yaml

DEFAULT_THEME = "astro-dark"
BUNDLED_ORDER = ("astro-dark", "light", "high-contrast")
MAX_THEME_BYTES = 256 * 1024
MAX_USER_THEMES = 200

UI_REQUIRED = (
    "primary", "secondary", "accent", "foreground", "background",
    "surface", "panel", "success", "warning", "error",
)  # fmt: skip
UI_OPTIONAL = ("boost",)
SYNTAX_KEYS = ("key", "string", "number", "boolean", "null", "punctuation")
METHOD_KEYS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
DIFF_KEYS = ("added", "removed", "changed", "renamed", "type_changed")

NAMED_COLOURS: Mapping[str, str] = {
    "black": "#000000",
    "white": "#ffffff",
    "red": "#ff0000",
    "green": "#008000",
    "blue": "#0000ff",
    "yellow": "#ffff00",
    "magenta": "#ff00ff",
    "cyan": "#00ffff",
    "gray": "#808080",
    "grey": "#808080",
    "orange": "#ffa500",
    "purple": "#800080",
    "navy": "#000080",
    "teal": "#008080",
    "silver": "#c0c0c0",
}
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}")


class ThemeError(ValueError):
    """A theme file that cannot be used; ``str()`` is one line."""


@dataclass(frozen=True)
class ThemeSpec:
    """One validated theme. Every colour is ``#rrggbb``; ``boost`` may be None."""

    name: str
    dark: bool
    primary: str
    secondary: str
    accent: str
    foreground: str
    background: str
    surface: str
    panel: str
    success: str
    warning: str
    error: str
    boost: str | None = None
    syntax: Mapping[str, str] = field(default_factory=dict)  # SYNTAX_KEYS -> colour
    methods: Mapping[str, str] = field(default_factory=dict)  # METHOD_KEYS -> colour
    diff: Mapping[str, str] = field(default_factory=dict)  # DIFF_KEYS -> colour
    source: Path | None = None
    bundled: bool = False

    def textual_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``textual.theme.Theme``: name, dark, the UI colours and ``variables``.

        ``variables`` carries the syntax, method and diff colours as CSS variables (see
        ``css_variables``), so ``.tcss`` files can use them and a theme switch restyles them too.
        """
        kwargs: dict[str, Any] = {"name": self.name, "dark": self.dark}
        for key in UI_REQUIRED:
            kwargs[key] = getattr(self, key)
        if self.boost is not None:
            kwargs["boost"] = self.boost
        kwargs["variables"] = self.css_variables()
        return kwargs

    def css_variables(self) -> dict[str, str]:
        """CSS variables named like ``syntax-key``, ``method-get``, ``diff-type-changed``."""
        variables = {f"syntax-{k}": v for k, v in self.syntax.items()}
        variables.update({f"method-{k.lower()}": v for k, v in self.methods.items()})
        variables.update({f"diff-{k.replace('_', '-')}": v for k, v in self.diff.items()})
        return variables

    def method_colour(self, method: str) -> str:
        """The badge colour for ``method``; an unknown method gets the theme's secondary colour."""
        return self.methods.get(method.upper(), self.secondary)


def bundled_themes_dir() -> Path:
    """The shipped themes: ``labs_tui/themes`` in a wheel, the repository's ``themes/`` in a checkout."""
    package = Path(labs_tui.__file__).resolve().parent
    inside = package / "themes"
    return inside if inside.is_dir() else package.parent / "themes"


def user_themes_dir() -> Path:
    """The user's theme folder: ``themes/`` in the platform config dir."""
    return config_dir() / "themes"


def load_themes(
    user_dir: Path | None = None, *, bundled_dir: Path | None = None
) -> tuple[list[ThemeSpec], list[str]]:
    """Bundled themes (astro-dark first) then the user's, and one-line warnings; never raises.

    A user theme named like a bundled one replaces it in place. Files are read in name order
    (``*.yaml`` and ``*.yml``); a malformed one is skipped with a warning, as is a second file
    giving a name already given in the same folder. The list is never empty: if no theme at all
    could be read, a plain built-in fallback named ``astro-dark`` is returned with a warning.
    """
    warnings: list[str] = []
    bundled_path = bundled_dir if bundled_dir is not None else bundled_themes_dir()
    themes: dict[str, ThemeSpec] = {}
    for spec in _load_dir(bundled_path, warnings, bundled=True, limit=50):
        themes[spec.name] = spec
    ordered = sorted(themes.values(), key=lambda t: (_bundled_rank(t.name), t.name))
    themes = {spec.name: spec for spec in ordered}
    user_path = user_dir if user_dir is not None else user_themes_dir()
    for spec in _load_dir(user_path, warnings, bundled=False, limit=MAX_USER_THEMES):
        themes[spec.name] = spec
    if not themes:
        warnings.append(f"no theme could be read from {bundled_path}; using a plain fallback theme")
        themes[_FALLBACK.name] = _FALLBACK
    return list(themes.values()), warnings


def select_theme(themes: list[ThemeSpec], name: str | None) -> tuple[ThemeSpec, str | None]:
    """The theme called ``name``; else the default (or the first) and a one-line warning."""
    by_name = {spec.name: spec for spec in themes}
    if name is not None and name in by_name:
        return by_name[name], None
    chosen = (by_name.get(DEFAULT_THEME) or themes[0]) if themes else _FALLBACK
    if name is None:
        return chosen, None
    return chosen, f"theme {name!r} is not installed; using {chosen.name}"


def parse_theme(data: Any, *, source: Path | None = None, bundled: bool = False) -> ThemeSpec:
    """A ``ThemeSpec`` from parsed YAML, or ``ThemeError`` naming the first problem."""
    if not isinstance(data, dict):
        raise ThemeError("a theme must be a mapping (name, dark, colours, syntax, methods, diff)")
    name = data.get("name")
    if not isinstance(name, str) or not _THEME_NAME.fullmatch(name):
        raise ThemeError("'name' must be 1-64 letters, digits, spaces, '.', '_' or '-'")
    dark = data.get("dark")
    if not isinstance(dark, bool):
        raise ThemeError("'dark' must be true or false")
    ui: dict[str, str | None] = {}
    for key in UI_REQUIRED:
        ui[key] = colour(data.get(key), key)
    ui["boost"] = colour(data["boost"], "boost") if data.get("boost") is not None else None
    return ThemeSpec(
        name=name,
        dark=dark,
        primary=_required(ui["primary"]),
        secondary=_required(ui["secondary"]),
        accent=_required(ui["accent"]),
        foreground=_required(ui["foreground"]),
        background=_required(ui["background"]),
        surface=_required(ui["surface"]),
        panel=_required(ui["panel"]),
        success=_required(ui["success"]),
        warning=_required(ui["warning"]),
        error=_required(ui["error"]),
        boost=ui["boost"],
        syntax=_group(data, "syntax", SYNTAX_KEYS),
        methods=_group(data, "methods", METHOD_KEYS),
        diff=_group(data, "diff", DIFF_KEYS),
        source=source,
        bundled=bundled,
    )


def colour(raw: Any, where: str) -> str:
    """``raw`` as ``#rrggbb`` if it is ``#rgb``, ``#rrggbb`` or a known name, else ``ThemeError``."""
    if raw is None:
        raise ThemeError(f"'{where}' is missing")
    if isinstance(raw, str):
        text = raw.strip()
        if _HEX.fullmatch(text):
            digits = text[1:].lower()
            if len(digits) == 3:
                digits = "".join(c * 2 for c in digits)
            return "#" + digits
        named = NAMED_COLOURS.get(text.lower())
        if named is not None:
            return named
    shown = repr(raw) if len(repr(raw)) <= 30 else repr(raw)[:27] + "..."
    raise ThemeError(f"'{where}' is not a colour (#rgb, #rrggbb or a basic name): {shown}")


def _required(value: str | None) -> str:
    assert value is not None
    return value


def _group(data: dict[Any, Any], section: str, keys: tuple[str, ...]) -> dict[str, str]:
    raw = data.get(section)
    if not isinstance(raw, dict):
        raise ThemeError(f"'{section}' must be a mapping of {', '.join(keys)}")
    # An unquoted `null:` key parses as None; accept it as the "null" colour.
    return {
        key: colour(raw.get(key, raw.get(None) if key == "null" else None), f"{section}.{key}")
        for key in keys
    }


def _bundled_rank(name: str) -> int:
    return BUNDLED_ORDER.index(name) if name in BUNDLED_ORDER else len(BUNDLED_ORDER)


def _load_dir(directory: Path, warnings: list[str], *, bundled: bool, limit: int) -> list[ThemeSpec]:
    try:
        files = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))
    except FileNotFoundError:
        return []
    except OSError as exc:
        warnings.append(f"{directory}: cannot list themes ({exc.strerror or exc}); skipped")
        return []
    if len(files) > limit:
        warnings.append(f"{directory}: more than {limit} theme files; only the first {limit} are read")
        files = files[:limit]
    found: dict[str, ThemeSpec] = {}
    for path in files:
        try:
            spec = _load_file(path, bundled=bundled)
        except ThemeError as exc:
            warnings.append(f"theme {path}: {exc}; skipped")
            continue
        if spec.name in found:
            warnings.append(
                f"theme {path}: name {spec.name!r} already given by {found[spec.name].source}; skipped"
            )
            continue
        found[spec.name] = spec
    return list(found.values())


def _load_file(path: Path, *, bundled: bool) -> ThemeSpec:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_THEME_BYTES + 1)
    except OSError as exc:
        raise ThemeError(f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_THEME_BYTES:
        raise ThemeError(f"larger than {MAX_THEME_BYTES // 1024} KiB")
    try:
        data = load_yaml(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ThemeError("not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise ThemeError(f"not valid YAML{line}") from None
    return parse_theme(data, source=path, bundled=bundled)


_FALLBACK = ThemeSpec(
    name=DEFAULT_THEME,
    dark=True,
    primary="#8a7cff",
    secondary="#5b8def",
    accent="#c792ea",
    foreground="#e6e6f0",
    background="#11121c",
    surface="#1a1b29",
    panel="#24253a",
    success="#4cc38a",
    warning="#f2b84b",
    error="#f2667a",
    syntax={k: "#e6e6f0" for k in SYNTAX_KEYS},
    methods={k: "#8a7cff" for k in METHOD_KEYS},
    diff={
        "added": "#4cc38a",
        "removed": "#f2667a",
        "changed": "#f2b84b",
        "renamed": "#5b8def",
        "type_changed": "#c792ea",
    },
    bundled=True,
)
