"""What every part of the app shares: its reactives and the attributes ``LabsApp.__init__`` sets.

The app is one class assembled from parts by job (``themes``, ``history``, ``targets``, ``first_frame``);
each part derives from this so it sees (and type-checks against) the shared state, and the reactives
live here once. Nothing here does anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.reactive import var

if TYPE_CHECKING:
    from textual.signal import Signal
    from textual.timer import Timer

    from labs_tui.client import CallResult, Client, Diagnosis, Profile
    from labs_tui.sandbox import SandboxHandle
    from labs_tui.spec import Spec
    from labs_tui.store import Config, History, ThemeSpec
    from labs_tui.tui.settings import Settings
    from labs_tui.tui.themes import DiffColours
    from labs_tui.tui.widgets.response import SyntaxColours


class AppState(App[None]):
    """The shared state of ``LabsApp``, declared once for all its parts."""

    spec: var[Spec | None] = var(None)
    profile: var[Profile | None] = var(None)
    sandbox_url: var[str | None] = var(None)
    sandbox_error: var[str | None] = var(None)
    spec_error: var[str | None] = var(None)
    sandbox_stateful: var[bool] = var(False)  # the embedded sandbox keeps what POST creates

    settings: Settings
    config: Config | None  # read on mount if not given
    history: History | None  # once open
    theme_applied_signal: Signal[str]
    """Published with the theme's name once its colours are applied (``LabsScreen.theme_applied``)."""
    history_changed_signal: Signal[None]
    """Published when the history opens or gets an entry (``LabsScreen.history_changed``)."""
    theme_specs: dict[str, ThemeSpec]
    syntax_colours: SyntaxColours
    diff_colours: DiffColours
    method_colours: dict[str, str]
    _sandbox: SandboxHandle | None
    _sandbox_wanted: bool  # asked for before the spec it serves was loaded
    _stateful_asked: bool  # the next embedded sandbox starts stateful
    _client: Client | None
    _client_key: tuple[Any, ...] | None
    _pending_history: list[tuple[CallResult, Diagnosis, Profile]]
    _notices_shown: set[str]
    _saved_theme: str | None
    _persist_timer: Timer | None
    _applied_theme: str | None
    _startup_warnings: list[tuple[str, str]]
