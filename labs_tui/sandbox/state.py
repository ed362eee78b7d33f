"""In-memory resources for ``--stateful``: a collection path and its item-by-id path share records.

A pair is ``/things`` and ``/things/{id}`` (the item template is the collection plus one templated
segment). POST to the collection stores the request body under a fresh id the server assigns
(``spec_state.py`` picks it); GET on the item reads it back, PUT replaces it,
PATCH merges it, DELETE removes it (then 404). GET on the collection lists what was stored. The
store is per sandbox, bounded, and guarded by a lock (the HTTP layer is threaded).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

MAX_RECORDS = 10_000
ID_NAMES = ("id", "uuid", "key", "name")


@dataclass(frozen=True, slots=True)
class Resource:
    collection: str  # "/pets"
    item: str  # "/pets/{petId}"
    parameter: str  # "petId"


def resources(paths: Iterable[str]) -> dict[str, Resource]:
    """Each resource-shaped path template (collection or item) -> its pair."""
    known = set(paths)
    found: dict[str, Resource] = {}
    for path in known:
        head, _, last = path.rstrip("/").rpartition("/")
        if last.startswith("{") and last.endswith("}") and head and head in known and "{" not in head:
            pair = Resource(collection=head, item=path, parameter=last[1:-1])
            found[head] = pair
            found[path] = pair
    return found


class Store:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, dict[str, Any]] = {}
        self._counters: dict[str, itertools.count[int]] = {}

    def next_number(self, collection: str) -> int:
        """The collection's next server-assigned number (1, 2, ...; each is handed out once)."""
        with self._lock:
            return next(self._counters.setdefault(collection, itertools.count(1)))

    def put(self, collection: str, key: str, value: Any) -> None:
        with self._lock:
            records = self._records.setdefault(collection, {})
            if key not in records and sum(len(r) for r in self._records.values()) >= MAX_RECORDS:
                oldest = next(iter(records), None)
                if oldest is not None:
                    records.pop(oldest)
            records[key] = value

    def get(self, collection: str, key: str) -> Any | None:
        with self._lock:
            return self._records.get(collection, {}).get(key)

    def has(self, collection: str, key: str) -> bool:
        with self._lock:
            return key in self._records.get(collection, {})

    def delete(self, collection: str, key: str) -> bool:
        with self._lock:
            return self._records.get(collection, {}).pop(key, None) is not None

    def all(self, collection: str) -> list[Any]:
        with self._lock:
            return list(self._records.get(collection, {}).values())
