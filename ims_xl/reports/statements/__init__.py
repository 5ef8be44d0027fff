"""Supplier statements: each difference between a supplier's GSTR-1 (as IMS shows it) and our books,
with both values and a draft e-mail, ready to send (docs/reference/matching.md#user-asks item 8).

One module per job: `model` (`Statement`, its lines and draft e-mail), `build`
(`build_statements()`, pure: IMS `SheetRow`s + Purchase sheet rows + Home settings), `files`
(`write_statement_files()` writes one `.xlsx` per supplier and a combined one, atomically) and
`command` (`write_statements()`, the `ims-xl statements` command). The names below stay
importable from here.
"""

from __future__ import annotations

from .build import (
                    BOOKS_ONLY,
                    FIELD_LABELS,
                    books_only_lines,
                    build_statements,
                    ims_lines,
                    parse_differences,
                    period_label,
)
from .command import write_statements
from .files import (
                    COMBINED_NAME,
                    LINE_HEADERS,
                    file_names,
                    safe_name,
                    write_statement_files,
)
from .model import (
                    DIFFERS,
                    ISSUES,
                    NOT_IN_BOOKS,
                    NOT_REPORTED,
                    Statement,
                    StatementLine,
                    draft_email,
)

__all__ = ["BOOKS_ONLY", "COMBINED_NAME", "DIFFERS", "FIELD_LABELS", "ISSUES", "LINE_HEADERS",
           "NOT_IN_BOOKS", "NOT_REPORTED", "Statement", "StatementLine", "books_only_lines",
           "build_statements", "draft_email", "file_names", "ims_lines", "parse_differences",
           "period_label", "safe_name", "write_statement_files", "write_statements"]
