"""The user's config file: read it forgivingly, and change one key without disturbing the rest.

One YAML file (``paths.config_file()``) holds profiles, the default profile, the theme, keymap
overrides by binding id, timeouts, history caps and the body cap. ``load_config`` never raises:
each bad part becomes a one-line warning and its default, so a typo cannot keep the app from
starting. ``set_value`` edits the file's text line by line rather than dumping parsed YAML back,
because a round trip through a YAML library drops the user's comments, ordering and quoting;
the edit is checked by parsing the result before it is written atomically.

Tokens never live here: a profile names the environment variable holding its token
(``token_env``), and a ``token:`` key is ignored with a warning. Nothing here prints.

The work is split by job: ``config_model`` (the shapes and shared limits), ``config_read``
(``load_config`` and its validation), ``config_write`` (``set_value``, the comment-preserving
editor). This module only gathers their public names where other code imports them; it must not
grow logic of its own.
"""

from __future__ import annotations

from labs_tui.store.config_model import (
    BUILTIN_PROFILES,
    MAX_CONFIG_BYTES,
    Config,
    ConfigError,
    GiB,
    HistoryCaps,
    KiB,
    MiB,
    ProfileConfig,
    Timeouts,
)
from labs_tui.store.config_read import load_config, parse_size
from labs_tui.store.config_write import set_value

__all__ = [
    "BUILTIN_PROFILES",
    "MAX_CONFIG_BYTES",
    "Config",
    "ConfigError",
    "GiB",
    "HistoryCaps",
    "KiB",
    "MiB",
    "ProfileConfig",
    "Timeouts",
    "load_config",
    "parse_size",
    "set_value",
]
