"""Purchase-register import: read the user's books into one `RegisterEntry` per document.

    read_register(path, mapping=, sheet=, today=) -> Register   (reader.py)
    purchase_rows(entries) / entries_from_rows(rows)            (purchase_sheet.py)
    Mapping, load_settings, save_settings                       (mapping.py)

Modules: `headers` (the alias and ledger table), `cells` (cleaning one cell), `source`
(opening .xlsx/.xls/.csv), `locate` (finding the sheet and header row), `mapping` (which
column feeds which field), `columns` (a column's cells converted at once), `reader` (rows ->
documents), `purchase_sheet` (entries <-> the Purchase sheet's rows), `checks` (books checks).
"""

from .mapping import Link, Mapping, load_settings, save_settings
from .purchase_sheet import entries_from_rows, purchase_rows
from .reader import Register, read_register

__all__ = ["Link", "Mapping", "Register", "entries_from_rows", "load_settings",
           "purchase_rows", "read_register", "save_settings"]
