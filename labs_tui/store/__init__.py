"""What labs-tui keeps on disk: user dirs, atomic writes, the config file, the history, themes.

The UI-free store. Every reader here turns a bad file into defaults plus one-line warnings or
notices instead of raising, because a broken config, theme or history must never keep the app
from starting; nothing here prints, prompts or imports Textual, and no token is ever written.
"""

from labs_tui.store.config import (
    Config,
    ConfigError,
    HistoryCaps,
    ProfileConfig,
    Timeouts,
    load_config,
    set_value,
)
from labs_tui.store.history import History, HistoryEntry, HistoryError, HistoryRow, open_history
from labs_tui.store.paths import atomic_write, cache_dir, config_dir, config_file, data_dir
from labs_tui.store.themes import DEFAULT_THEME, ThemeSpec, load_themes, select_theme

__all__ = [
    "DEFAULT_THEME",
    "Config",
    "ConfigError",
    "History",
    "HistoryCaps",
    "HistoryEntry",
    "HistoryError",
    "HistoryRow",
    "ProfileConfig",
    "ThemeSpec",
    "Timeouts",
    "atomic_write",
    "cache_dir",
    "config_dir",
    "config_file",
    "data_dir",
    "load_config",
    "load_themes",
    "open_history",
    "select_theme",
    "set_value",
]
