"""The spec diff's result shapes: one change, an endpoint, an endpoint's changes, the whole diff.

``SpecChange`` carries its kind (a key of ``breaking.RULES``), where it is and whether it breaks a
client; ``SpecDiff`` groups them by operation and writes the ``diff-spec --json`` form. These are
plain data: this module must not compare specs, read documents, or render anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from labs_tui.compare.breaking import is_breaking
from labs_tui.compare.diff import MISSING


@dataclass(frozen=True, slots=True)
class SpecChange:
    """One change in one operation; ``before``/``after`` are MISSING where a side has nothing to say."""

    kind: str  # a key of ``breaking.RULES``
    where: str  # "query limit", "request application/json /name", "200 application/json /items/0/id"
    breaking: bool
    before: Any = MISSING
    after: Any = MISSING

    def to_json(self) -> dict[str, Any]:
        """``{kind, where, breaking, from?, to?}`` as ``diff-spec --json`` writes it."""
        out: dict[str, Any] = {"kind": self.kind, "where": self.where, "breaking": self.breaking}
        if self.before is not MISSING:
            out["from"] = self.before
        if self.after is not MISSING:
            out["to"] = self.after
        return out

    def detail(self) -> str:
        """``a -> b``, ``was a``, ``now b`` or ``""``: the values, compact, for one line."""
        before = "" if self.before is MISSING else _short(self.before)
        after = "" if self.after is MISSING else _short(self.after)
        if before and after:
            return f"{before} -> {after}"
        if before:
            return f"was {before}"
        if after:
            return f"now {after}"
        return ""


def _short(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path}


@dataclass(frozen=True, slots=True)
class EndpointChanges:
    """The changes to one operation present in both versions (``path`` is the new version's)."""

    method: str
    path: str
    changes: tuple[SpecChange, ...]
    old_path: str = ""

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def breaking(self) -> int:
        """How many of the changes break a client."""
        return sum(1 for change in self.changes if change.breaking)

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "changes": [c.to_json() for c in self.changes]}


@dataclass(frozen=True, slots=True)
class SpecDiff:
    """Operations added and removed, and those changed (breaking ones first, each breaking-first)."""

    added: tuple[Endpoint, ...] = ()
    removed: tuple[Endpoint, ...] = ()
    changed: tuple[EndpointChanges, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def breaking_count(self) -> int:
        """Breaking changes in all: every removed operation plus every breaking change."""
        return len(self.removed) + sum(entry.breaking for entry in self.changed)

    def breaking_only(self) -> SpecDiff:
        """Only what breaks a client: removed operations and breaking changes."""
        changed = tuple(
            replace(entry, changes=tuple(c for c in entry.changes if c.breaking))
            for entry in self.changed
            if entry.breaking
        )
        return SpecDiff(added=(), removed=self.removed, changed=changed)

    def to_json(self) -> dict[str, Any]:
        """``{"added": [{method, path}], "removed": [...], "changed": [{method, path, changes}]}``."""
        return {
            "added": [e.to_json() for e in self.added],
            "removed": [e.to_json() for e in self.removed],
            "changed": [e.to_json() for e in self.changed],
        }


def _change(kind: str, where: str, before: Any = MISSING, after: Any = MISSING) -> SpecChange:
    return SpecChange(kind, where, is_breaking(kind), before, after)
