"""Memory housekeeping shared by every layer (imports nothing of ims_xl)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector during a big read or a month's run: they make
    millions of objects (cells, records, entries) and none form cycles, yet each full
    collection rescans them all (a third of a 100,000-row register read, ~10 % of a run).

    On leaving, the objects made meanwhile go straight to the oldest generation (freeze, then
    unfreeze: no scan). Otherwise the first allocation after the pause would scan them all as
    one young generation (0.7-0.9 s at 100,000 records, the objects still in use). A full
    collection still looks at them later, so a cycle among them is not leaked.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.unfreeze()
            gc.enable()
