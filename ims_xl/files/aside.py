"""One output written on the second core while this process writes another.

`ims-xl reconcile --json` writes a workbook and RESULT.json from the same result; neither
needs the other. `written_aside` forks a child that makes and writes one of them into its
`Transaction` temp while the parent goes on with the other: at 100,000 records RESULT.json
is about a second of encoding that no longer waits for the workbook.

Fork shares the parent's memory (nothing is pickled), so this runs only where `os.fork` is
safe for plain Python work: Linux and macOS. Windows, a failed fork and a child that did not
finish cleanly all fall back to writing the output here, in this process: the file is the
same either way, and any error (a full disk) is raised here, with the usual message.
"""

from __future__ import annotations

import os
import signal
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

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
    pid = _fork_writer(tmp, make) if CAN_FORK else None
    try:
        yield
    except BaseException:
        if pid is not None:
            _stop(pid)
        raise
    if pid is None or not _succeeded(pid):
        tmp.write_bytes(make())


def _fork_writer(tmp: Path, make: Callable[[], bytes]) -> int | None:
    """The child's pid, or None when no child could be started."""
    fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC)      # opened here: the child never makes a file
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns when other threads run (the terminal's progress line): the
            # child takes none of their locks; it encodes, writes one file and exits.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(fd)
        return None
    if pid:
        os.close(fd)
        return pid
    code = 1
    try:                                   # the child: no progress lines, no atexit, no flush
        with progress.reporting(None), os.fdopen(fd, "wb") as out:
            out.write(make())
        code = 0
    except BaseException:                  # Ctrl+C, SIGTERM (as SystemExit), a full disk
        pass
    finally:
        os._exit(code)


def _succeeded(pid: int) -> bool:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
