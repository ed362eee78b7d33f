"""A large spec kept out of the garbage collector's full passes (``gc.freeze``).

CPython's cyclic collector now and then walks every tracked object (a generation-2 pass). With a spec of
22,000 operations loaded, that walk took 140-163 ms on this 2-CPU machine (a ``gc.callbacks`` timer),
and it fell wherever allocations happened to trigger it: on a ctrl+p or on a key typed in the palette.
At 10 operations the same pass takes about 15 ms.

After a large spec is on screen, a worker builds what is built once per spec (the palette's endpoint
hits), runs one collection to clear what loading left behind, and ``gc.freeze`` moves every surviving
object (the spec, the app's widgets, the hits) to the permanent generation, which later passes skip.
That collection is one such pause, once, right after the spec appears. Loading another spec unfreezes
first, so the old one can be collected; the app's exit unfreezes too. Small specs are left alone: their
passes are short and freezing would only keep garbage alive.

Measured side by side in one run (``benchmarks/palette.py``: a 120x40 pseudo-terminal, key to the last
byte drawn, 22,000 operations, five opens and 14 typed keys each, two runs):

==================  =====================  ======================
                    frozen                 left to the collector
==================  =====================  ======================
worst ctrl+p open   0.174 s, 0.190 s       0.351 s, 0.374 s
worst key typed     98 ms, 123 ms          233 ms, 250 ms
==================  =====================  ======================
"""

from __future__ import annotations

import gc

LARGE_SPEC_OPERATIONS = 2_000
"""From this many operations a spec is frozen (a full pass over the bundled spec's app is ~15 ms)."""


def is_large(operations: int) -> bool:
    return operations >= LARGE_SPEC_OPERATIONS


def settle(operations: int) -> bool:
    """Collect once and freeze what survives, if the spec is large; whether it did."""
    gc.unfreeze()
    if not is_large(operations):
        return False
    gc.collect()
    gc.freeze()
    return True


def release() -> None:
    """Give frozen objects back to the collector (the app is leaving or a new spec is coming)."""
    gc.unfreeze()
