"""YAML reading for the store's small files (themes, config): libyaml's safe loader when PyYAML has it.

``yaml.safe_load`` always uses the pure-Python loader, several times slower, and the three bundled themes
are read at every start. Both loaders build the same values with the same safe constructors.
"""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str | bytes) -> Any:
    """One YAML document, safely; raises ``yaml.YAMLError`` as ``yaml.safe_load`` does."""
    return yaml.load(text, Loader=SAFE_LOADER)
