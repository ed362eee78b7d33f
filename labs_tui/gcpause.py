"""Pausing Python's cyclic garbage collector around bulk work, shared by every place that does it.

Parsing a big spec and preparing the lines of a big response body each allocate or walk millions of
objects that stay alive. With the collector running, its full collections walk all of them again and
again: a spec load takes twice as long, and while a 12 MB body is prepared in its thread the UI thread
stalls for up to 100 ms at each full collection (the body view's keys went from ~20 to ~90 ms).

``gc_paused()`` disables the collector for its block. It counts its holders, so overlapping blocks in
several threads (the two sides of a comparison preparing at once) re-enable it only when the last one
ends, and only if it was enabled before the first began. On the way out the objects made meanwhile are
handed to the oldest generation (``settle``), as two young collections would have done, instead of
being walked at the next allocation. No lasting ``gc.freeze``: it would pin whatever else the process
holds. Nothing here imports Textual.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused", "settle"]

_lock = threading.Lock()
_holders = 0
_was_enabled = False


def settle() -> None:
    """Move every tracked object to the oldest generation and clear the young count.

    ``freeze`` then ``unfreeze`` splices the generation lists (no walk); skipped when someone else has
    frozen objects, since ``unfreeze`` would release theirs too.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector off for the block (shared, counted: see the module docstring)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                settle()
                gc.enable()
