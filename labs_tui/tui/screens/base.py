"""``LabsScreen``: what every full screen of the app shares, so the app never has to find its screens.

The app publishes two signals, ``theme_applied_signal`` (a theme's colours were applied) and
``history_changed_signal`` (the history file opened or got an entry). A screen that cares overrides
``theme_applied`` or ``history_changed``; the base class subscribes on mount and unsubscribes on unmount.
Before this, the app looked its screens up by module name in ``sys.modules`` so it could call them without
importing them, and each screen had its own copy of the ``labs`` property.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from labs_tui.tui.app import LabsApp

ResultT = TypeVar("ResultT")

__all__ = ["LabsScreen"]


class LabsScreen(Screen[ResultT], Generic[ResultT]):
    """A screen of labs-tui: typed access to the app, and the app-wide signals it may react to."""

    @property
    def labs(self) -> LabsApp:
        """The running app, typed (a screen of this app only ever runs inside ``LabsApp``)."""
        from labs_tui.tui.app import LabsApp

        app = self.app
        assert isinstance(app, LabsApp)
        return app

    def on_mount(self) -> None:
        labs = self.labs
        labs.theme_applied_signal.subscribe(self, self._on_theme_applied)
        labs.history_changed_signal.subscribe(self, self._on_history_changed)

    def on_unmount(self) -> None:
        labs = self.labs
        labs.theme_applied_signal.unsubscribe(self)
        labs.history_changed_signal.unsubscribe(self)

    def _on_theme_applied(self, name: str) -> None:
        self.theme_applied(name)

    def _on_history_changed(self, _: None) -> None:
        self.history_changed()

    def theme_applied(self, name: str) -> None:
        """The theme ``name`` was applied; redraw what takes its colours from it. Nothing by default."""

    def history_changed(self) -> None:
        """The history opened or changed; refresh what shows it. Nothing by default."""
