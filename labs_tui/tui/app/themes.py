"""Themes: registered from the store's validated theme files, applied to the views, persisted on change.

A switch restyles the body views and publishes ``theme_applied_signal`` (screens redraw what takes
its colours); the choice is saved through ``store.set_value``, which keeps the user's comments.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen
from textual.theme import Theme

from labs_tui.tui.app.state import AppState
from labs_tui.tui.app.support import one_line
from labs_tui.tui.themes import diff_colours, method_colours, syntax_colours
from labs_tui.tui.widgets.response import BodyView

if TYPE_CHECKING:
    from labs_tui.store import ThemeSpec


PERSIST_THEME_AFTER_S = 0.4


class ThemesPart(AppState):
    """The theme half of ``LabsApp``."""

    # -- themes ----------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's palette commands without its "Theme" picker: that one lists Textual's themes, not
        labs-tui's (which carry the diff and method colours); the palette's "Theme: NAME" entries do."""
        for command in super().get_system_commands(screen):
            if command.title != "Theme":
                yield command

    def _setup_themes(self) -> None:
        """Read the config and the themes and set the theme, all before the first screen is built.

        Done in ``__init__`` rather than on mount: a theme set after the screen is composed makes
        Textual reparse every stylesheet and restyle every widget, the largest cost of a start.
        Warnings wait for ``on_mount``, where they can be shown.
        """
        from labs_tui.store import load_themes, select_theme
        from labs_tui.tui.themes import textual_theme

        notes = self._startup_warnings
        if self.config is None:
            from labs_tui.store import load_config

            self.config, config_warnings = load_config()
            notes += [("config", warning) for warning in config_warnings]
        else:
            notes += [("config", warning) for warning in self.settings.config_warnings]
        specs, warnings = load_themes(self.settings.user_themes_dir)
        notes += [("themes", warning) for warning in warnings]
        for spec in specs:
            try:
                self.register_theme(textual_theme(spec))
            except Exception as error:  # a colour Textual rejects: skip that theme, keep the others
                notes.append(("themes", f"theme {spec.name}: {one_line(error)}; skipped"))
                continue
            self.theme_specs[spec.name] = spec
        wanted: str | None = self.config.theme if self.config is not None else None
        name: str
        if wanted and wanted not in self.theme_specs and wanted in self.available_themes:
            name = wanted  # one of Textual's own themes, picked earlier from its theme picker
        else:
            chosen, problem = select_theme(list(self.theme_specs.values()), wanted)
            if problem:
                notes.append(("themes", problem))
            name = chosen.name
        self._saved_theme = name  # what is in effect is never written back unless the user switches
        self.theme = name
        self._apply_theme_colours(name)

    @property
    def theme_spec(self) -> ThemeSpec | None:
        return self.theme_specs.get(self.theme)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name == self._applied_theme:
            return  # the theme set at start, published once the app runs: already applied
        self._apply_theme_colours(theme.name)
        if theme.name != self._saved_theme:
            if self._persist_timer is not None:
                self._persist_timer.stop()
            self._persist_timer = self.set_timer(PERSIST_THEME_AFTER_S, self._persist_theme)

    def _apply_theme_colours(self, name: str) -> None:
        self._applied_theme = name
        spec = self.theme_specs.get(name)
        theme = self.get_theme(name)
        self.syntax_colours = syntax_colours(spec)
        self.diff_colours = diff_colours(spec, theme)
        self.method_colours = method_colours(spec)
        for screen in self.screen_stack:
            for view in screen.query(BodyView):
                view.colours = self.syntax_colours
        self.theme_applied_signal.publish(name)

    def set_theme_by_name(self, name: str) -> None:
        """Switch to ``name`` (the palette's "Theme: ..."); the choice is saved to the config file."""
        self.theme = name
        if self._persist_timer is not None:
            self._persist_timer.stop()
        self._persist_theme()

    def _persist_theme(self) -> None:
        from labs_tui.store import ConfigError, set_value

        self._persist_timer = None
        name = self.theme
        if name == self._saved_theme:
            return
        path = getattr(self.config, "path", None)
        try:
            set_value("theme", name, path=path)
        except ConfigError as error:
            self.notify(one_line(error), title="theme not saved", severity="warning")
            return
        self._saved_theme = name
        if self.config is not None:
            self.config = dataclasses.replace(self.config, theme=name)
