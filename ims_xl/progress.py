"""Telling the user what a long step is doing, without the core knowing who listens.

The core marks its stages (`stage("Reading the register", total)`) and, inside long loops,
how far it got (`advance(done)`). Whoever runs it installs a listener for the duration
(`with reporting(listener):`): the command line draws a line on a terminal's stderr
(`TerminalProgress`), the workbook puts each stage on Excel's status bar (`ims_xl.excel`).
With no listener installed, both calls cost a dictionary look-up.

A listener is any callable `listener(stage, done, total)`; `done` is 0 when a stage starts,
`total` is None when the count is not known in advance.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar

_listener: ContextVar = ContextVar("ims_xl_progress", default=None)
_where: dict = {"stage": "", "total": None}


def stage(name: str, total: int | None = None) -> None:
    """A new stage of the current job starts."""
    listener = _listener.get()
    if listener is not None:
        _where["stage"], _where["total"] = name, total
        listener(name, 0, total)


def advance(done: int) -> None:
    """`done` items of the current stage are finished (call it every few thousand items)."""
    listener = _listener.get()
    if listener is not None:
        listener(_where["stage"], done, _where["total"])


@contextmanager
def reporting(listener):
    """Send the stages and counts of the work inside the block to `listener`."""
    token = _listener.set(listener)
    try:
        yield listener
    finally:
        _listener.reset(token)


class TerminalProgress:
    """One line on a terminal: the stage, the count (a bar when the total is known), seconds.

    Nothing is drawn for a job shorter than `after` seconds (IMS_XL_PROGRESS_AFTER, default 1)
    nor when `stream` is not a terminal, so piped and redirected output stays clean. A small
    thread redraws the line ten times a second, so a stage without counts still shows time
    passing; the line is erased when the job ends.
    """

    def __init__(self, stream=None, after: float | None = None):
        self.stream = stream or sys.stderr
        self.after = float(os.environ.get("IMS_XL_PROGRESS_AFTER", "1")) if after is None \
            else after
        self.state: tuple[str, int, int | None] = ("Starting", 0, None)
        self.start = time.monotonic()
        self.drawn = False
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.showing = False

    def __call__(self, name: str, done: int, total: int | None) -> None:
        new = name != self.state[0]
        self.state = (name, done, total)
        if new and self.showing and time.monotonic() - self.start >= self.after:
            self._draw(self.line())           # every stage shows, however short

    def line(self) -> str:
        name, done, total = self.state
        seconds = time.monotonic() - self.start
        if total:
            filled = min(20, 20 * done // total)
            count = f" [{'#' * filled}{'.' * (20 - filled)}] {done:,}/{total:,}"
        else:
            count = f" {done:,}" if done else ""
        return f"{name}{count}  {seconds:.0f} s"

    def _run(self) -> None:
        if self.done.wait(self.after):
            return
        while not self.done.wait(0.1):
            self._draw(self.line())

    def _draw(self, text: str) -> None:
        with self.lock:
            try:
                self.stream.write("\r\x1b[K" + text)
                self.stream.flush()
                self.drawn = bool(text)
            except (OSError, ValueError):      # the terminal went away: stop drawing
                self.done.set()

    def clear(self) -> None:
        """Erase the line before other output goes to the same terminal."""
        if self.drawn:
            self._draw("")

    @contextmanager
    def shown(self):
        """Report the block's stages while it runs (only on a terminal)."""
        try:
            tty = self.stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        if not tty:
            yield
            return
        thread = threading.Thread(target=self._run, name="ims-xl progress", daemon=True)
        self.showing = True
        with reporting(self):
            thread.start()
            try:
                yield
            finally:
                self.done.set()
                thread.join()
                self.showing = False
                self.clear()
