"""Small helpers the app's parts share: no state, no Textual import."""

from __future__ import annotations

import sys
from typing import Any


def loaded_class(module: str, name: str) -> type[Any] | None:
    """``module.name`` if that module is imported already, else None (no instance of it can exist).

    Screens opened on demand (compare, history) are imported when first opened, not at start; code
    that only needs to find their instances asks here instead of importing them.
    """
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) else None


def is_bundled(source: str | None) -> bool:
    """Whether ``source`` names the bundled spec, as ``load_spec`` reads it."""
    return source is None or source.strip().lower() in ("", "bundled")


def one_line(error: BaseException | str) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__
