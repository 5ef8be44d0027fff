"""The portal's error file back into the workbook (docs/reference/ims-format.md#error-file).

Error records are matched to sheet rows on the identity key (section + supplier GSTIN +
number + return period; without the period when the file has none, as the API form may).
Their messages go to Portal Error and the rows stay due for export; the rest of the last
export is marked synced: its Portal State becomes what was sent, so the next export holds
exactly the rows to fix.

One module per job: `mark` (`apply_error_file()`, pure: the error records onto sheet rows),
`sent` (`sent_records()`: what the last upload sent, from the kept copies) and `command`
(`import_error_file()`, `ims-xl import-errors`: the files read and the workbook written). The
names below stay importable from here.
"""

from __future__ import annotations

from .command import import_error_file
from .mark import (
           ERROR_STATUS,
           SYNCED_STATUS,
           ErrorImport,
           apply_error_file,
           error_message,
)
from .sent import decision_from_upload, sent_records

__all__ = ["ERROR_STATUS", "SYNCED_STATUS", "ErrorImport", "apply_error_file",
           "decision_from_upload", "error_message", "import_error_file", "sent_records"]
