"""Using the second core for a stage that does not depend on the one running now.

`in_background(fn, ...)` starts `fn` in a forked child process and returns a `Pending`
whose `result()` waits for it: reading the register while the download is read cuts a
100,000-record run by the shorter of the two. The result comes back pickled through a pipe.
Where `fork` is missing (Windows) or the child fails for any reason, `fn` simply runs in
this process when its result is asked for, so errors are raised here, with their usual
messages. `cancel()` stops a child whose result is no longer wanted.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys


class Pending:
    """A call running elsewhere (or not yet run); `result()` once, or `cancel()`."""

    def __init__(self, fn, args, kwargs, pid: int | None = None, pipe: int | None = None):
        self.call = lambda: fn(*args, **kwargs)     # the fallback: the same call, here
        self.pid, self.pipe = pid, pipe

    def result(self):
        if self.pid is None:
            return self.call()
        with os.fdopen(self.pipe, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if status == 0 and data:
            try:
                return pickle.loads(data)
            except Exception:                       # noqa: BLE001 - run it here instead
                pass
        return self.call()

    def cancel(self) -> None:
        if self.pid is None:
            return
        os.close(self.pipe)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        self.pid = None


def in_background(fn, *args, **kwargs) -> Pending:
    """Start `fn(*args, **kwargs)` in a child process (where the system can fork)."""
    if not hasattr(os, "fork"):
        return Pending(fn, args, kwargs)
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return Pending(fn, args, kwargs)
    if pid == 0:                                    # the child: compute, send, leave at once
        os.close(read_end)
        _child(fn, args, kwargs, write_end)
    os.close(write_end)
    return Pending(fn, args, kwargs, pid, read_end)


def _child(fn, args, kwargs, write_end: int) -> None:
    code = 1
    try:
        import gc
        gc.disable()                                # a collection would copy every page
        from . import progress
        progress._listener.set(None)                # the parent draws; the child stays silent
        data = pickle.dumps(fn(*args, **kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:                           # noqa: BLE001 - the parent runs fn again
        pass
    finally:
        os._exit(code)
