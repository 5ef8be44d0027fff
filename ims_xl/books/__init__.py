"""Purchase-register import: read the user's books into one `BookEntry` per document.

    read_register(path, mapping=, sheet=, today=) -> Register   (register.py)
    purchase_rows(entries) / entries_from_rows(rows)            (purchase.py, Purchase sheet)
    Mapping, load_settings, save_settings                       (mapping.py)

Modules: `headers` (the alias and ledger table), `cells` (cleaning one cell), `files`
(opening .xlsx/.xls/.csv), `sheets` (finding the sheet and header row), `mapping` (which
column feeds which field), `register` (rows -> documents), `checks` (books checks).
"""

from .mapping import Link, Mapping, load_settings, save_settings
from .purchase import entries_from_rows, purchase_rows
from .register import Register, read_register

__all__ = ["Link", "Mapping", "Register", "entries_from_rows", "load_settings",
           "purchase_rows", "read_register", "save_settings"]
