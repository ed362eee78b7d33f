"""Lazy package exports (PEP 562), shared by the core packages' ``__init__`` modules.

A package lists which of its modules defines each exported name; the first access imports only that
module and caches the value in the package's namespace. The app's first screen then does not pay
for httpx, the spec loader or SQLite until something uses them. Type checkers see the real imports,
which each package keeps under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(
    package: str, homes: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` for ``package``, given ``{module: (names, ...)}``."""
    home_of = {name: module for module, names in homes.items() for name in names}
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        home = home_of.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(home), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(home_of))

    return __getattr__, __dir__
