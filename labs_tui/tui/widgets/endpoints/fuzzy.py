"""The endpoint filter: every word typed must match an operation's search key.

A word matches when it is a substring of the key, or its letters appear in order within one word
of the key (``dpl`` finds ``deployments``; letters scattered across words do not count).

Pure and linear in the number of operations (no Textual import), so it can run on every keystroke
over thousands of operations. Contiguous matches rank before scattered ones; ties keep spec order.
"""

from __future__ import annotations

from collections.abc import Sequence

from labs_tui.spec.model import Operation


def _subsequence(needle: str, haystack: str) -> bool:
    position = 0
    for char in needle:
        position = haystack.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def fuzzy_filter(operations: Sequence[Operation], text: str) -> list[Operation]:
    """The operations matching ``text``, best first; all of them for blank text."""
    words = text.lower().split()
    if not words:
        return list(operations)
    exact: list[Operation] = []
    loose: list[Operation] = []
    for operation in operations:
        key = (
            operation.search_key
            or " ".join(
                (operation.method, operation.path, operation.operation_id, operation.summary, *operation.tags)
            ).lower()
        )
        if all(word in key for word in words):
            exact.append(operation)
        else:
            parts = key.split()
            if all(any(_subsequence(word, part) for part in parts) for word in words):
                loose.append(operation)
    return exact + loose
