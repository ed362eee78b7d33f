"""The endpoint filter, the one both ``labs-tui endpoints FILTER`` and the TUI's endpoint list use.

The search key of an operation is its method, path, operationId, summary and tags, lower-cased.
Every whitespace-separated word of the text must match the key, case-insensitively; a word matches
when it is a substring of the key, or when its letters appear in order within one word of the key
(``dpl`` finds ``deployments``; letters scattered across words do not count). Operations where
every word is a substring rank first, then the in-order ones; ties keep spec order. Blank text
matches everything, in spec order.

Pure (no Textual import) and cheap enough for every keystroke at 20,000+ operations: the keys are
precomputed once (``Operation.search_key``), the in-order test is one compiled regular expression
per word, and ``FilterIndex`` narrows from the previous answer when the new text only extends the
old (a longer word, or one more word, can only match fewer operations). The palette passes its own
keys (``FilterIndex(operations, keys=...)``) to match the same way over its hit names.

Also the one grouping of operations by tag (``group_by_tag``, in ``declared_tags`` order): the CLI's
``endpoints`` and the TUI's list show groups in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from labs_tui.spec.model import Operation


def search_key(operation: Operation) -> str:
    """The precomputed key, or the same text built here for an operation made without one."""
    if operation.search_key:
        return operation.search_key
    parts = (operation.method, operation.path, operation.operation_id, operation.summary, *operation.tags)
    return " ".join(parts).lower()


def _in_order(word: str) -> re.Pattern[str]:
    r"""Matches ``word``'s letters in order inside one whitespace-free run.

    Each gap is ``[^\sX]*X``: it cannot skip past the next wanted letter, so the first match from a
    start is the only candidate and the search stays linear however the letters repeat.
    """
    first, rest = word[0], word[1:]
    pattern = re.escape(first) + "".join(rf"[^\s{re.escape(c)}]*{re.escape(c)}" for c in rest)
    return re.compile(pattern)


class FilterIndex:
    """The operations of one spec with their keys, answering ``filter(text)`` repeatedly."""

    def __init__(self, operations: Sequence[Operation], *, keys: Sequence[str] | None = None) -> None:
        """``keys``: lower-cased search keys to use instead of the operations' own (same order)."""
        self._operations = tuple(operations)
        if keys is not None and len(keys) != len(self._operations):
            raise ValueError("one key per operation")
        self._keys = tuple(keys) if keys is not None else tuple(search_key(op) for op in self._operations)
        self._last_words: tuple[str, ...] = ()
        self._last_hits: list[int] = []  # spec-order indexes matching _last_words

    @property
    def operations(self) -> tuple[Operation, ...]:
        return self._operations

    def __len__(self) -> int:
        return len(self._operations)

    def _candidates(self, words: tuple[str, ...]) -> Sequence[int]:
        last = self._last_words
        narrowing = (
            bool(last)
            and len(words) >= len(last)
            and all(old in new for old, new in zip(last, words, strict=False))
        )
        return self._last_hits if narrowing else range(len(self._operations))

    def filter(self, text: str) -> list[Operation]:
        """The operations matching ``text``, best first; all of them for blank text."""
        words = tuple(text.lower().split())
        if not words:
            self._last_words, self._last_hits = (), []
            return list(self._operations)
        keys = self._keys
        candidates = self._candidates(words)
        exact = list(candidates)
        for word in words:
            exact = [index for index in exact if word in keys[index]]
        loose: list[int] = []
        if any(len(word) > 1 for word in words) and len(exact) < len(candidates):
            patterns = [_in_order(word) for word in words]
            contiguous = set(exact)
            loose = [
                index
                for index in candidates
                if index not in contiguous and all(pattern.search(keys[index]) for pattern in patterns)
            ]
        self._last_words = words
        self._last_hits = sorted(exact + loose) if loose else exact
        operations = self._operations
        return [operations[i] for i in exact] + [operations[i] for i in loose]


def filter_operations(operations: Sequence[Operation], text: str) -> list[Operation]:
    """The operations matching ``text``, best first; all of them for blank text (one-off use)."""
    return FilterIndex(operations).filter(text)


def declared_tags(document: object) -> list[str]:
    """The tag names a spec document declares in its top-level ``tags`` list, in their order."""
    declared = document.get("tags") if isinstance(document, Mapping) else None
    if not isinstance(declared, list):
        return []
    names = (tag.get("name") for tag in declared if isinstance(tag, Mapping))
    return [name for name in names if isinstance(name, str)]


def group_by_tag(
    operations: Sequence[Operation], tag_order: Sequence[str] = ()
) -> list[tuple[str, list[Operation]]]:
    """Operations grouped by first tag (``default`` without one), as the CLI and the TUI list them.

    Groups come in ``tag_order`` (the spec's declared tags, ``declared_tags``), then any other tag in
    order of first appearance; empty groups are dropped. Inside a group the given order is kept (spec
    order, or a filter's best-first order).
    """
    groups: dict[str, list[Operation]] = {name: [] for name in tag_order}
    for operation in operations:
        tags = operation.tags
        groups.setdefault(tags[0] if tags else "default", []).append(operation)
    return [(name, members) for name, members in groups.items() if members]
