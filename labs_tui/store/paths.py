"""Where labs-tui keeps its files, and the one way it writes a file the user may care about.

Directories come from platformdirs (XDG on Linux), so tests isolate them with environment
variables alone. ``atomic_write`` is the only writer of config and state files: a reader, or a
crash at any instant, sees either the old file or the new one, never a mix. Nothing here reads
or interprets file contents, and nothing here prints.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "labs-tui"
CONFIG_ENV = "LABS_TUI_CONFIG"
CONFIG_NAME = "config.yaml"
_CHUNK = 1024 * 1024


def config_dir() -> Path:
    """The platform config dir (``$XDG_CONFIG_HOME/labs-tui`` on Linux): config file and user themes."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The platform data dir (``$XDG_DATA_HOME/labs-tui`` on Linux): the history database."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """The platform cache dir (``$XDG_CACHE_HOME/labs-tui`` on Linux): things that can be refetched."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def config_file(env: Mapping[str, str] | None = None) -> Path:
    """The config file: ``$LABS_TUI_CONFIG`` when set and not blank, else ``config.yaml`` in ``config_dir()``.

    The file may not exist; the caller decides what that means (defaults, for the loader).
    """
    override = (os.environ if env is None else env).get(CONFIG_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return config_dir() / CONFIG_NAME


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) private to the user if it does not exist yet; return it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def atomic_write(path: Path | str, data: bytes, mode: int = 0o600, *, make_parents: bool = True) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old file or the new one.

    Writes a temporary file in the same directory (so the rename cannot cross file systems), with
    ``mode`` set before any byte is written, fsyncs it, ``os.replace``s it over ``path`` and fsyncs
    the directory so the rename itself survives a power cut. A symlink at ``path`` is followed, so a
    config file managed from a dotfiles repository stays a symlink. The parent directory is
    created if missing, unless ``make_parents`` is false (a path the user typed: then a missing
    folder raises ``FileNotFoundError`` and nothing is created). Raises ``OSError``; the temporary
    file is removed on any failure it sees (a process killed mid-write can leave one behind, named
    ``.<name>.<random>.tmp``).
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    parent = target.parent
    if make_parents:
        ensure_dir(parent)
    fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view[:_CHUNK])
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    os.close(fd)
    try:
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(parent)


def _fsync_dir(directory: Path) -> None:
    # Some platforms and file systems cannot open or fsync a directory; the data itself is safe by then.
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
