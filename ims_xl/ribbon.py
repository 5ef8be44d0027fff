"""The IMS ribbon's entry points: `RunPython "import ims_xl.ribbon; ims_xl.ribbon.<fn>()"`.

One line per button (names = `layout.RIBBON_BUTTONS[*].function`). `_run` finds the calling
workbook with `xw.Book.caller()` at click time - never at import, which can leave a zombie
Excel process (xlwings docs/vba.md) - and turns errors into a message box: an `ImsXlError`
(something the user can fix) as it is, anything else as a short bug notice with the log file.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

import xlwings as xw

from .model.errors import ImsXlError
from .excel import actions, sheets

TITLE = "IMS Reconciler"


def log_path() -> Path:
    """Where tracebacks of bugs go: $IMS_XL_LOG_DIR or the temp folder."""
    return Path(os.environ.get("IMS_XL_LOG_DIR") or tempfile.gettempdir()) / "ims_xl_error.log"


def _run(action) -> None:
    book = xw.Book.caller()
    try:
        action(book)
    except ImsXlError as e:
        _tidy(book)
        book.app.alert(str(e), title=TITLE, buttons="ok", mode="critical")
    except OSError as e:  # the computer said no: permissions, a locked file, a full disk
        _tidy(book)
        book.app.alert(file_problem(e), title=TITLE, buttons="ok", mode="critical")
    except Exception as e:  # a bug: keep the traceback, show one line
        _tidy(book)
        where = _log(e)
        book.app.alert(f"Something went wrong inside ims-xl (a bug, not your data):\n"
                       f"{type(e).__name__}: {e}\n\nThe details are in {where}. Please send "
                       "that file with your report. The upload file was not changed.",
                       title=TITLE, buttons="ok", mode="critical")
    finally:
        _done(book)


def file_problem(e: OSError) -> str:
    """A refused read or write, in words: which file, why, and where to allow it."""
    name = e.filename or "a file"
    return (f"Could not open {name}: {e.strerror or e}.\n\nIs it open in another program, "
            "or in a folder you cannot write to? On a Mac, macOS may have refused Excel or "
            "Python access to that folder (Downloads, Desktop, Documents): allow it in System "
            "Settings > Privacy & Security > Files and Folders, or move the file into the "
            "workbook's folder, and click the button again.")


def _done(book: xw.Book) -> None:
    """Let the buttons run again: empty the ribbon's busy marker (see RibbonIMS.bas)."""
    try:
        sheets.clear_busy(book)
    except Exception:  # noqa: BLE001 - best effort; Check Setup clears it too
        pass


def _tidy(book: xw.Book) -> None:
    """Give the screen and the status bar back even if the step stopped half-way."""
    try:
        book.app.status_bar = False
        book.app.screen_updating = True
    except Exception:  # noqa: BLE001 - best effort; the message box matters more
        pass


def _log(error: Exception) -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now():%Y-%m-%d %H:%M:%S}\n")
            f.write("".join(traceback.format_exception(error)))
    except OSError:
        pass
    return path


def import_ims(): _run(actions.import_ims)                  # noqa: E704
def import_books(): _run(actions.import_books)              # noqa: E704
def reconcile(): _run(actions.reconcile)                    # noqa: E704
def apply_suggestions(): _run(actions.apply_suggestions)    # noqa: E704
def validate(): _run(actions.validate)                      # noqa: E704
def export(): _run(actions.export)                          # noqa: E704
def import_errors(): _run(actions.import_errors)            # noqa: E704
def summary(): _run(actions.refresh_summary)                # noqa: E704
def statements(): _run(actions.write_statements)            # noqa: E704
def undo(): _run(actions.undo)                              # noqa: E704
def check_setup(): _run(actions.check_setup)                # noqa: E704
def help(): _run(actions.help)                              # noqa: E704,A001
