"""Themes as data: the bundled three load cleanly and read well; user files add or replace; bad ones skip."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from textual.app import App
from textual.theme import Theme

from labs_tui.store.paths import config_dir
from labs_tui.store.themes import (
    BUNDLED_ORDER,
    DIFF_KEYS,
    METHOD_KEYS,
    SYNTAX_KEYS,
    ThemeSpec,
    bundled_themes_dir,
    load_themes,
    select_theme,
    user_themes_dir,
)

BUNDLED = bundled_themes_dir()


@pytest.fixture
def theme(request: pytest.FixtureRequest) -> ThemeSpec:
    """The bundled theme named by the parameter, loaded inside the isolated user dirs."""
    themes, warnings = load_themes()
    assert warnings == []
    found, missing = select_theme(themes, request.param)
    assert missing is None
    return found


def theme_text(name: str, **overrides: str) -> str:
    """A valid theme file, with lines replaced or dropped (value "") by key."""
    source = (BUNDLED / "astro-dark.yaml").read_text(encoding="utf-8")
    source = source.replace("name: astro-dark", f"name: {name}")
    lines = []
    for line in source.splitlines():
        key = line.strip().split(":", 1)[0].strip('"')
        if key in overrides:
            if overrides[key]:
                lines.append(line.split(":", 1)[0] + ": " + overrides[key])
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def write_user(name: str, text: str | bytes) -> Path:
    folder = user_themes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_themes_load_without_warnings() -> None:
    assert BUNDLED.is_dir() and (BUNDLED / "astro-dark.yaml").is_file()
    themes, warnings = load_themes()
    assert warnings == []
    assert [t.name for t in themes] == ["astro-dark", "light", "high-contrast"]
    assert [t.dark for t in themes] == [True, False, True]
    assert all(t.bundled and t.source is not None and t.source.parent == BUNDLED for t in themes)
    for theme in themes:
        assert set(theme.syntax) == set(SYNTAX_KEYS)
        assert set(theme.methods) == set(METHOD_KEYS)
        assert set(theme.diff) == set(DIFF_KEYS)


@pytest.mark.parametrize("theme", BUNDLED_ORDER, indirect=True)
def test_each_bundled_theme_becomes_a_textual_theme_and_rich_styles(theme: ThemeSpec) -> None:
    built = Theme(**theme.textual_kwargs())
    assert built.name == theme.name and built.dark == theme.dark
    assert built.to_color_system().primary.hex.lower() == theme.primary
    for colour in (*theme.syntax.values(), *theme.methods.values(), *theme.diff.values()):
        assert Style.parse(colour).color is not None


@pytest.mark.parametrize("theme", BUNDLED_ORDER, indirect=True)
def test_each_theme_gives_tcss_variables_for_syntax_methods_and_diff(theme: ThemeSpec) -> None:
    app = App[None]()
    app.register_theme(Theme(**theme.textual_kwargs()))
    app.theme = theme.name
    variables = app.get_css_variables()
    assert variables["method-get"] == theme.methods["GET"]
    assert variables["method-delete"] == theme.methods["DELETE"]
    assert variables["syntax-null"] == theme.syntax["null"]
    assert variables["diff-type-changed"] == theme.diff["type_changed"]
    assert len(theme.css_variables()) == len(SYNTAX_KEYS) + len(METHOD_KEYS) + len(DIFF_KEYS)


def _luminance(hex_colour: str) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", BUNDLED_ORDER, indirect=True)
def test_bundled_text_colours_are_readable(theme: ThemeSpec) -> None:
    """WCAG contrast: 4.5 for text on the background and surface, 7 throughout for high-contrast."""
    minimum = 7.0 if theme.name == "high-contrast" else 4.5
    text_colours = {
        "foreground": theme.foreground,
        **{f"syntax.{k}": v for k, v in theme.syntax.items()},
        **{f"methods.{k}": v for k, v in theme.methods.items()},
        **{f"diff.{k}": v for k, v in theme.diff.items()},
    }
    for where, colour in text_colours.items():
        for ground in (theme.background, theme.surface):
            assert contrast(colour, ground) >= minimum, (where, colour, ground)
    assert contrast(theme.foreground, theme.background) >= 7.0


def test_a_user_theme_adds_and_one_with_a_bundled_name_replaces_it_in_place() -> None:
    write_user("mine.yaml", theme_text("mine"))
    write_user("light.yml", theme_text("light", primary='"#123"', dark="false"))
    themes, warnings = load_themes()
    assert warnings == []
    assert [t.name for t in themes] == ["astro-dark", "light", "high-contrast", "mine"]
    light = themes[1]
    assert light.primary == "#112233" and not light.bundled and light.dark is False
    assert light.source == config_dir() / "themes" / "light.yml"


def test_colours_are_normalised_to_rrggbb() -> None:
    write_user(
        "n.yaml",
        theme_text("named", primary="Purple", secondary='"#AbC"', accent="' #ABCDEF '"),
    )
    themes, warnings = load_themes()
    assert warnings == []
    named = select_theme(themes, "named")[0]
    assert (named.primary, named.secondary, named.accent) == ("#800080", "#aabbcc", "#abcdef")


def test_an_unquoted_null_key_is_the_null_colour() -> None:
    write_user("u.yaml", theme_text("unquoted").replace('"null":', "null:"))
    themes, warnings = load_themes()
    assert warnings == []
    assert select_theme(themes, "unquoted")[0].syntax["null"] == "#9a97b8"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: [unclosed\n", "not valid YAML at line"),
        ("- just\n- a list\n", "must be a mapping"),
        (theme_text("bad", primary=""), "'primary' is missing"),
        (theme_text("bad", primary='"#12345"'), "'primary' is not a colour"),
        (theme_text("bad", error='"rgb(1,2,3)"'), "'error' is not a colour"),
        (theme_text("bad", surface="chartreuse-ish"), "'surface' is not a colour"),
        (theme_text("bad", surface="12"), "'surface' is not a colour"),
        (theme_text("bad", dark='"yes"'), "'dark' must be true or false"),
        (theme_text("bad").replace("name: bad", "name: '../../etc'"), "'name' must be"),
        (theme_text("bad").replace("syntax:\n", "syntax_typo:\n"), "'syntax' must be a mapping"),
        (theme_text("bad").replace("diff:\n", "diff: red\nold_diff:\n"), "'diff' must be a mapping"),
        (theme_text("bad", GET='"#zzz"'), "'methods.GET' is not a colour"),
        (theme_text("bad", renamed=""), "'diff.renamed' is missing"),
    ],
    ids=lambda value: value if len(value) < 40 else "",
)
def test_a_malformed_user_theme_is_skipped_with_one_warning(text: str, problem: str) -> None:
    path = write_user("broken.yaml", text)
    write_user("fine.yaml", theme_text("fine"))
    themes, warnings = load_themes()
    assert [t.name for t in themes] == ["astro-dark", "light", "high-contrast", "fine"]
    assert len(warnings) == 1
    assert "\n" not in warnings[0] and str(path) in warnings[0] and "skipped" in warnings[0]
    assert problem in warnings[0]


def test_unreadable_files_are_skipped() -> None:
    write_user("latin1.yaml", b"name: caf\xe9\n")
    write_user("huge.yaml", "# " + "x" * 300_000)
    write_user("notes.txt", "not a theme, not read")
    themes, warnings = load_themes()
    assert len(themes) == 3
    assert sorted(w.split(":")[0] for w in warnings) == sorted(
        [f"theme {user_themes_dir() / 'huge.yaml'}", f"theme {user_themes_dir() / 'latin1.yaml'}"]
    )
    assert any("UTF-8" in w for w in warnings) and any("larger than" in w for w in warnings)


def test_two_user_files_with_one_name_keep_the_first() -> None:
    write_user("a.yaml", theme_text("twin", primary='"#111111"'))
    write_user("b.yaml", theme_text("twin", primary='"#222222"'))
    themes, warnings = load_themes()
    assert select_theme(themes, "twin")[0].primary == "#111111"
    assert len(warnings) == 1 and "already given" in warnings[0] and "b.yaml" in warnings[0]


def test_no_readable_bundled_theme_still_gives_a_theme(tmp_path: Path) -> None:
    themes, warnings = load_themes(bundled_dir=tmp_path / "missing")
    assert [t.name for t in themes] == ["astro-dark"]
    assert len(warnings) == 1 and "fallback" in warnings[0]
    Theme(**themes[0].textual_kwargs())


def test_select_theme() -> None:
    themes, _ = load_themes()
    assert select_theme(themes, "light") == (themes[1], None)
    assert select_theme(themes, None) == (themes[0], None)
    chosen, warning = select_theme(themes, "gone")
    assert chosen.name == "astro-dark" and warning == "theme 'gone' is not installed; using astro-dark"


def test_method_colour_falls_back_to_secondary() -> None:
    theme = load_themes()[0][0]
    assert theme.method_colour("get") == theme.methods["GET"]
    assert theme.method_colour("PROPFIND") == theme.secondary
