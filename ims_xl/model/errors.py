"""Exceptions raised when work cannot go on.

    ImsXlError                 base: the CLI prints it and exits 1; Excel shows a message box
    ├── InputError             a file we were given cannot be used
    │   ├── ImsFormatError     IMS download / error file: bad JSON, unknown envelope, bad record
    │   └── RegisterFormatError purchase register: no header, required column missing, bad cell
    ├── WorkbookError          the reconciled workbook lacks a sheet or column we need
    ├── OutputError            a file cannot be written, or writing it would destroy work
    └── ValidationFailed       export refused: the report carries the errors

Problems in the data that do not stop the work are `Issue`s (see `ims_xl.model.issue`), not
exceptions.
"""

from __future__ import annotations

from .issue import Report


class ImsXlError(Exception):
    """Base of every error the user can act on."""


class InputError(ImsXlError):
    """A file cannot be used. Carries where: file, section, record, row and field."""

    def __init__(self, message: str, *, file: str = "", section: str = "",
                 record: str = "", row: int | None = None, field: str = "") -> None:
        self.file, self.section, self.record = file, section, record
        self.row, self.field = row, field
        where = ", ".join(p for p in (
            file and f"file {file}",
            section and f"section {section}",
            record and f"record {record}",
            row is not None and f"row {row}",
            field and f"field {field!r}",
        ) if p)
        super().__init__(f"{where}: {message}" if where else message)


class ImsFormatError(InputError):
    """An IMS download or error file is not in a format we know."""


class RegisterFormatError(InputError):
    """A purchase register cannot be read or mapped."""


class WorkbookError(ImsXlError):
    """The reconciled workbook lacks a sheet or a column we need."""


class OutputError(ImsXlError):
    """A file cannot be written (read-only, locked), or writing it would destroy an input or
    typed work; raised before anything is replaced."""


class ValidationFailed(ImsXlError):
    """Export refused because validation found errors; `.report` lists them."""

    def __init__(self, report: Report) -> None:
        self.report = report
        errors = report.errors
        head = "\n".join(str(i) for i in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} error(s) block the export:\n{head}{more}")
