"""Work done on the second core, in a forked child, while this process goes on.

Five kinds, all for `ims-xl reconcile`:
- `written_aside`: an output file. The workbook and RESULT.json come from the same result and
  neither needs the other: a child encodes and writes RESULT.json into its `Transaction`
  temp while the parent writes the workbook (at 100,000 records, about a second).
- `read_aside`: a value. Re-running onto a worked workbook first reads that workbook (about
  6 s at 100,000 rows); a child reads it while the parent reads the download and the
  register, and hands it back pickled (lists of cells: a fraction of a second).
- `done_aside`: work whose output the child leaves in files the parent opened, used only if
  the child finished: the data sheets' cells that need no match result, written while
  matching runs (`workbook/ahead.py`).
- `Handed`: a value such a child makes first and hands back at once, before its other work:
  the register, read while the download is read here; the child then writes the Purchase
  sheet's cells from it.
- `Sent`: a value made here later and sent to such a child: the match results the sheets'
  processes fill their cells in with, to deflate the sheets there.

Fork shares the parent's memory, so this runs only where `os.fork` is safe for plain Python
work: Linux and macOS (`IMS_XL_NO_FORK=1` turns it off). Windows, a failed fork and a child
that did not finish cleanly all fall back to doing the work here, in this process: the
result is the same either way, and an error (a full disk, a file that is not a workbook)
is raised here, with the usual message.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, Any

from .. import progress
from .atomic import Transaction

CAN_FORK = hasattr(os, "fork") and sys.platform in ("linux", "darwin") \
    and os.environ.get("IMS_XL_NO_FORK", "") == ""


@contextmanager
def written_aside(tx: Transaction, target: str | Path, make: Callable[[], bytes],
                  ) -> Iterator[None]:
    """Write `make()` to `target` within `tx`, in a child process while the block runs.

    Leaving the block waits for the child. If the block fails, the child is stopped and
    `tx` removes its temp with the others.
    """
    tmp = tx.path(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC)      # opened here: the child never makes a file
    child = _Child(lambda: _write_all(fd, make()), fd)
    try:
        yield
    except BaseException:
        child.stop()
        raise
    if not child.succeeded():
        tmp.write_bytes(make())


@contextmanager
def read_aside(make: Callable[[], Any]) -> Iterator[Callable[[], Any]]:
    """`make()` started in a child process; the block gets a function returning its value
    (or raising its error), waiting for the child if need be (`Handed`: made here when no
    child made it). A child still running when the block ends (the value was not needed
    after all) is stopped."""
    first = Handed(make)
    try:
        # no room to hand the value back: no child, `value()` makes it here
        with done_aside(first.make_first) if first.out else nullcontext():
            first.forked()
            yield first.value
    finally:
        first.close()


@contextmanager
def done_aside(work: Callable[[], Any]) -> Iterator[Callable[[], bool]]:
    """`work()` started in a child process; the block gets a function telling whether it
    finished (waiting for it if need be). No child, or one that failed: False, and the
    caller does without (`work` is never run here). A child still running when the block
    ends is stopped."""
    child = _Child(work)
    done: list[bool] = []

    def finished() -> bool:
        if not done:
            done.append(child.succeeded())
        return done[0]
    try:
        yield finished
    finally:
        child.stop()


class _Channel:
    """A temp file and a pipe between a process and its child: a value is pickled into the
    file, then one byte on the pipe says it is there. No room for the file: no pipe either,
    and nothing passes (the value is made where it is needed)."""

    def __init__(self) -> None:
        try:
            self.out: IO[bytes] | None = tempfile.TemporaryFile()
        except OSError:
            self.out = None
        self.ready, self.done = os.pipe() if self.out else (-1, -1)

    def close(self) -> None:
        self._close_done()
        if self.ready >= 0:
            os.close(self.ready)
            self.ready = -1
        if self.out is not None:
            self.out.close()
            self.out = None

    def _close_done(self) -> None:
        """This process's copy of the writing end: once every copy is closed, a reader
        waiting for the byte reads nothing instead of waiting for ever."""
        if self.done >= 0:
            os.close(self.done)
            self.done = -1


class Handed(_Channel):
    """A value a child makes before its other work and hands back as soon as it is made:
    pickled into a temp file, then one byte on a pipe. `make_first()` starts the child's
    work; `forked()` follows the fork in the parent (whether a child started or not);
    `value()` waits for the byte only, and makes the value here when no child made it (no
    child, no room for the temp file, a child that failed first)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        super().__init__()
        self.make = make
        self.got: tuple[bool, Any] | None = None

    def make_first(self) -> None:
        """In the child: the value, handed back (and kept: `value()` gives it here too)."""
        if self.out is not None:
            self.got = _outcome(self.make)
            _pickled(self.got, self.out)
            os.write(self.done, b"\x01")

    def forked(self) -> None:
        """In the parent: only a child writes the byte, so a child that dies is an empty
        read, not a wait for ever."""
        self._close_done()

    def value(self) -> Any:
        if self.got is None:
            self.forked()
            ready = self.out is not None and os.read(self.ready, 1) == b"\x01"
            got = _handed_back(self.out) if ready and self.out else None
            self.got = got or _outcome(self.make)
            self.close()
        ok, v = self.got
        if not ok:
            raise v
        return v


class Sent(_Channel):
    """A value this process makes after forking a child and sends it (`Handed` the other
    way): `send(value)` here, once; `received()` in the child waits for it, and gives None
    when none comes (no room for the temp file, a value that does not pickle, this process
    gone). A child waiting for a value never sent is stopped with the others
    (`done_aside`)."""

    def send(self, value: Any) -> bool:
        """Here: the value, to the child (at most once); whether it was sent."""
        if self.done < 0 or self.out is None:
            return False
        try:
            pickle.dump(value, self.out, pickle.HIGHEST_PROTOCOL)
            self.out.flush()
            return os.write(self.done, b"\x01") == 1
        except Exception:               # the child hears none: the work stays here
            return False
        finally:
            self._close_done()

    def received(self) -> Any:
        """In the child: the value sent, waited for; None when none will come."""
        self._close_done()              # the child's copy: the value comes from the parent
        if self.out is None or os.read(self.ready, 1) != b"\x01":
            return None
        try:
            size = os.fstat(self.out.fileno()).st_size
            return pickle.loads(os.pread(self.out.fileno(), size, 0))
        except Exception:
            return None


def _pickled(outcome: tuple[bool, Any], out: IO[bytes]) -> None:
    pickle.dump(outcome, out, pickle.HIGHEST_PROTOCOL)
    out.flush()


def _handed_back(out: IO[bytes]) -> tuple[bool, Any] | None:
    """The child's pickled outcome; None if it cannot be read back (an error type whose
    arguments do not round-trip, say): then it is made again here."""
    out.seek(0)
    try:
        ok, value = pickle.load(out)
    except Exception:
        return None
    return bool(ok), value


def _outcome(make: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, make()
    except Exception as e:         # the caller's error, raised where the value is asked for
        return False, e


def _write_all(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as out:
        out.write(data)


class _Child:
    """`work` run in a forked child. `fd`, the parent's copy of a descriptor the child writes
    to, is closed here either way. No child (no fork here, or it failed): `succeeded()` is
    False and the caller does the work itself."""

    def __init__(self, work: Callable[[], Any], fd: int | None = None) -> None:
        self.pid = _fork(work) if CAN_FORK else None
        if fd is not None:
            os.close(fd)

    def succeeded(self) -> bool:
        """Wait for the child; whether it finished its work."""
        if self.pid is None:
            return False
        _, status = os.waitpid(self.pid, 0)
        self.pid = None                        # reaped: its number may be reused
        return os.waitstatus_to_exitcode(status) == 0

    def stop(self) -> None:
        """Stop a child not yet waited for."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        self.pid = None


def _fork(work: Callable[[], Any]) -> int | None:
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns when other threads run (the terminal's progress line): the
            # child takes none of their locks; it reads or encodes, writes, and exits.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        return None
    if pid:
        return pid
    code = 1
    try:                                   # the child: no progress lines, no atexit, no flush
        with progress.reporting(None):
            work()
        code = 0
    except BaseException:                  # Ctrl+C, SIGTERM (as SystemExit), a full disk
        pass
    finally:
        os._exit(code)
