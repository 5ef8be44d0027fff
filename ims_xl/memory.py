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


# Set by a one-shot program (`cli.run`), which ends with `os._exit` once its work is done.
ONE_SHOT = {"on": False}
_LEFT: list = []


def left_for_exit(*objects) -> None:
    """Keep `objects` to the end of a one-shot program, which then ends without freeing
    them: a month's millions of objects cost 0.6 s to free one by one at 100,000 records,
    for a process about to end. Anywhere else (the Excel server, tests, `ims-xl batch`
    between clients) they are freed as usual."""
    if ONE_SHOT["on"]:
        _LEFT.append(objects)
