"""ITC impact before upload: what flows into GSTR-2B, what is rejected, deferred or reduced.

One module per job: `model` (the `Summary` and its parts), `calculate` (`compute(rows)` turns IMS
sheet rows, `ims_sheet.SheetRow`, into a `Summary`), `rows` (`summary_rows()` lays it out for the
Summary sheet; `figures()` reads the headline back), `chart` (`chart_spec()` describes the chart
drawn on the sheet, `insert_chart()` draws it with XlsxWriter) and `command` (`summary_lines()`
is the `ims-xl summary` command). The names below stay importable from here.
"""

from __future__ import annotations

from .calculate import (BOOKS_ONLY, RISK_STATUSES, cn_reduction, compute, compute_fresh,
                        effective_action, outcome_of, status_label)
from .chart import CHART_COLOURS, CHART_OUTCOMES, chart_spec, insert_chart
from .command import summary_lines, summary_of_workbook, text_lines, to_json
from .model import (HEAD_LABELS, NOT_RECONCILED, OUTCOME_TITLE, OUTCOMES, TOP_SUPPLIERS, Summary,
                    SupplierRisk, Tally)
from .rows import figures, gone_rows, outcome_rows, summary_rows, supplier_rows

__all__ = [
    "BOOKS_ONLY", "CHART_COLOURS", "CHART_OUTCOMES", "HEAD_LABELS", "NOT_RECONCILED", "OUTCOMES",
    "OUTCOME_TITLE", "RISK_STATUSES", "TOP_SUPPLIERS", "Summary", "SupplierRisk", "Tally",
    "chart_spec", "cn_reduction", "compute", "compute_fresh", "effective_action", "figures",
    "gone_rows", "insert_chart", "outcome_of", "outcome_rows", "status_label", "summary_lines",
    "summary_of_workbook", "summary_rows", "supplier_rows", "text_lines", "to_json",
]
