"""What labs-tui keeps on disk: user dirs, atomic writes, the config file, the history, themes.

The UI-free store. Every reader here turns a bad file into defaults plus one-line warnings or
notices instead of raising, because a broken config, theme or history must never keep the app
from starting; nothing here prints, prompts or imports Textual, and no token is ever written.

Names are exported lazily (PEP 562 ``__getattr__``): ``from labs_tui.store import X`` imports only
the module that defines ``X``, so reading a theme does not open SQLite and the history does not wait
for YAML. Every name below stays importable from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labs_tui.lazy import lazy_exports

if TYPE_CHECKING:
    from labs_tui.store.collection import (
        CollectionError,
        SavedRequest,
        default_collection_dir,
        dotenv_values,
        from_curl,
        list_requests,
        load_request,
        save_request,
    )
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
    from labs_tui.store.imported import (
        Opened,
        api_key_places,
        drop_api_keys,
        open_request,
        relative_to_base,
        without_query,
    )
    from labs_tui.store.paths import atomic_write, cache_dir, config_dir, config_file, data_dir
    from labs_tui.store.reopen import StoredForm, editable_headers, match_url, stored_form, stored_result
    from labs_tui.store.themes import DEFAULT_THEME, ThemeSpec, load_themes, select_theme, user_themes_dir

_HOMES = {
    "labs_tui.store.collection": (
        "CollectionError",
        "SavedRequest",
        "default_collection_dir",
        "dotenv_values",
        "from_curl",
        "list_requests",
        "load_request",
        "save_request",
    ),
    "labs_tui.store.reopen": ("StoredForm", "editable_headers", "match_url", "stored_form", "stored_result"),
    "labs_tui.store.imported": (
        "Opened",
        "api_key_places",
        "drop_api_keys",
        "open_request",
        "relative_to_base",
        "without_query",
    ),
    "labs_tui.store.config": (
        "Config",
        "ConfigError",
        "HistoryCaps",
        "ProfileConfig",
        "Timeouts",
        "load_config",
        "set_value",
    ),
    "labs_tui.store.history": ("History", "HistoryEntry", "HistoryError", "HistoryRow", "open_history"),
    "labs_tui.store.paths": ("atomic_write", "cache_dir", "config_dir", "config_file", "data_dir"),
    "labs_tui.store.themes": ("DEFAULT_THEME", "ThemeSpec", "load_themes", "select_theme", "user_themes_dir"),
}

__all__ = [
    "CollectionError",
    "SavedRequest",
    "default_collection_dir",
    "dotenv_values",
    "from_curl",
    "list_requests",
    "load_request",
    "save_request",
    "StoredForm",
    "editable_headers",
    "match_url",
    "Opened",
    "api_key_places",
    "drop_api_keys",
    "open_request",
    "relative_to_base",
    "without_query",
    "stored_form",
    "stored_result",
    "user_themes_dir",
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


if not TYPE_CHECKING:  # mypy sees the imports above, so a misspelt name is still an error
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
