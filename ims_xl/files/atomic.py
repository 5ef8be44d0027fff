"""Write files whole or not at all: a temp file beside the target, then a rename.

One file: `atomic_path` / `write_bytes`. Several files of one command (a workbook and its
RESULT.json, an upload and the workbook recording it): a `Transaction` writes every temp
first and renames them together at the end; if one rename fails, the files already replaced
are put back from backups, so the user keeps either all the old files or all the new ones.

Targets are checked before anything is written: a read-only file or folder is refused (a
rename would silently replace a 444 file with a writable one), and so is a folder where a
file should go.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Iterator

from ..model.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()
_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def check_writable(target: str | Path) -> Path:
    """Raise `OutputError` when `target` cannot be written as a whole new file.

    Permission bits are read rather than `os.access`, so a read-only file stays read-only
    even for an administrator (root may rename over anything).
    """
    target = Path(target)
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"{target}: cannot be written ({e.strerror or e})") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{target}: cannot be written: it is a folder")
        if not st.st_mode & _WRITE_BITS:
            raise OutputError(f"{target}: cannot be written: the file is read-only (or locked); "
                              "make it writable or choose another name")
    folder = _existing_folder(target.parent)
    if not folder.is_dir():
        raise OutputError(f"{target}: cannot be written: {folder} is a file, not a folder")
    if not folder.stat().st_mode & _WRITE_BITS:
        raise OutputError(f"{target}: cannot be written: the folder {folder} is read-only; "
                          "choose another folder")
    return target


def _existing_folder(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


class Transaction:
    """Outputs committed together: `path(target)` gives a temp to fill; `commit()` renames all.

    Used as `with Transaction() as tx:`: leaving the block normally commits, an exception
    (or Ctrl+C / SIGTERM) removes the temps and leaves every old file as it was.
    """

    def __init__(self) -> None:
        self._items: list[tuple[Path, Path]] = []      # (target, temp)

    def path(self, target: str | Path) -> Path:
        target = check_writable(target)
        if any(_same_name(target, t) for t, _ in self._items):
            raise OutputError(f"{target}: written twice by one command; choose different names")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                       dir=target.parent)
        except OSError as e:
            raise OutputError(f"{target}: cannot be written ({e.strerror or e})") from None
        os.close(fd)
        self._items.append((target, Path(tmp)))
        return Path(tmp)

    def write_bytes(self, target: str | Path, data: bytes) -> Path:
        self.path(target).write_bytes(data)
        return Path(target)

    def commit(self) -> None:
        saved: dict[Path, Path | None] = {}          # target -> backup of the old file
        replaced: list[Path] = []
        try:
            for target, tmp in self._items:
                os.chmod(tmp, _mode_for(target))
            if len(self._items) > 1:
                for target, _ in self._items:
                    saved[target] = _backup(target)
            for target, tmp in self._items:
                _replace(tmp, target)
                replaced.append(target)
        except BaseException as e:
            stranded = _put_back(replaced, saved)
            self.abort()
            if stranded and isinstance(e, Exception):
                raise OutputError(f"{e}; and putting back the old files failed: "
                                  + ", ".join(f"{t} is saved as {b}" for t, b in stranded)) from e
            raise
        finally:
            for bak in saved.values():
                if bak is not None and bak.exists():
                    bak.unlink()
        self._items = []

    def abort(self) -> None:
        """Remove the temps; the targets are untouched."""
        for _, tmp in self._items:
            tmp.unlink(missing_ok=True)
        self._items = []

    def __enter__(self) -> "Transaction":
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def _put_back(replaced: list, saved: dict) -> list:
    """Undo the renames done: old files back, new ones removed. Returns (target, backup) for
    any old file that could not be put back; its backup is kept, never deleted."""
    stranded = []
    for target in reversed(replaced):
        try:
            if saved.get(target) is not None:
                os.replace(saved[target], target)
            else:
                target.unlink(missing_ok=True)
        except OSError:
            if saved.get(target) is not None:
                stranded.append((target, saved.pop(target)))
    return stranded


def _same_name(a: Path, b: Path) -> bool:
    return os.path.realpath(a).casefold() == os.path.realpath(b).casefold()


def _mode_for(target: Path) -> int:
    """The old file's permissions, else what a new file gets under the umask (not mkstemp's 600)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_UMASK


def _backup(target: Path) -> Path | None:
    """A second name for the old file, to put it back if a later rename fails."""
    if not target.exists():
        return None
    fd, bak = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".bak", dir=target.parent)
    os.close(fd)
    os.unlink(bak)
    try:
        os.link(target, bak)                       # instant; no copy of a big workbook
    except OSError:                                # file systems without hard links
        shutil.copy2(target, bak)
    return Path(bak)


def _replace(tmp: Path, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except PermissionError:
        raise OutputError(f"{target}: cannot be written (is it open in Excel or another "
                          "program?); close it and run again") from None
    except OSError as e:
        raise OutputError(f"{target}: cannot be written ({e.strerror or e})") from None


@contextmanager
def atomic_path(target: str | Path, tx: Transaction | None = None) -> Iterator[Path]:
    """Yield a temp path in the target's folder; rename it over `target` only on success.

    Inside a `Transaction` the rename waits for the transaction's commit.
    """
    own = tx is None
    tx = tx or Transaction()
    tmp = tx.path(target)
    try:
        yield tmp
    except BaseException:
        if own:
            tx.abort()
        raise
    if own:
        tx.commit()


def write_bytes(target: str | Path, data: bytes, tx: Transaction | None = None) -> Path:
    with atomic_path(target, tx) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def clean_up_on_sigterm() -> None:
    """Make SIGTERM unwind like Ctrl+C, so temp files are removed and no rename half-happens."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)
