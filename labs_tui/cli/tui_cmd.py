"""``labs-tui`` with no subcommand: build the app's settings from the flags and run it.

Textual is imported here, inside ``run_tui``, so ``labs-tui --help`` and the scripted commands
never pay for it. A problem before the app starts is a one-line error, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def run_tui(
    spec_source: str | None = None,
    profile: str | None = None,
    base_url: str | None = None,
    pin: str | None = None,
    endpoint: str | None = None,
    open_file: str | None = None,
    collection: str | None = None,
    insecure: bool = False,
) -> None:
    from labs_tui.cli.common import fail
    from labs_tui.cli.options import warn_insecure
    from labs_tui.client import ProfileError, resolve_profile
    from labs_tui.store import load_config
    from labs_tui.tui.settings import Settings

    config, warnings = load_config()  # its warnings are shown inside the app
    try:  # an unknown profile or a bad URL is a usage error, said before the screen is taken over
        chosen = resolve_profile(
            profile, base_url=base_url, config=config.profiles_mapping(), insecure=insecure
        )
    except ProfileError as error:
        fail(str(error))
    warn_insecure(chosen)  # on stderr, still there when the app quits; the app's header marks it too
    opened = _saved_request(open_file)
    settings = Settings(
        spec_source=spec_source,
        profile=profile,
        base_url=base_url,
        pin=pin,
        endpoint=endpoint,
        config=config,
        config_warnings=tuple(warnings),
        open_request=opened,
        collection_dir=_collection_dir(collection, open_file),
        insecure=insecure,
    )
    try:
        from labs_tui.tui.app import make_app
    except ImportError as error:
        fail(f"the TUI could not start: {error}")
    make_app(settings).run()


def _saved_request(path: str | None) -> Any:
    """``--open FILE`` read before the screen is taken over: a bad file is a one-line error (exit 2)."""
    if path is None:
        return None
    from labs_tui.cli.common import fail
    from labs_tui.store import CollectionError, load_request

    try:
        return load_request(Path(path).expanduser())
    except CollectionError as error:
        fail(str(error))


def _collection_dir(collection: str | None, open_file: str | None) -> Path | None:
    """``--collection DIR``; else the folder of ``--open FILE`` (its .env, and where saves go); else None."""
    if collection:
        return Path(collection).expanduser()
    if open_file:
        return Path(open_file).expanduser().resolve().parent
    return None
