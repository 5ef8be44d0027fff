"""The chart on the Summary sheet: a stacked column of ITC by outcome per tax head.

`chart_spec()` describes it (cells and values); `insert_chart()` draws it with XlsxWriter.
"""

from __future__ import annotations

from ...model.document import HEADS
from ...workbook.layout import SHEET_SUMMARY
from .model import HEAD_LABELS, OUTCOME_TITLE, OUTCOMES, Summary
from .rows import summary_rows

# What the chart stacks per tax head; the reduction is drawn below zero.
CHART_OUTCOMES = ("accepted", "no_action", "cn_reduction", "rejected", "pending")
CHART_COLOURS = {"accepted": "#63BE7B", "no_action": "#A9D08E", "cn_reduction": "#7F7F7F",
                 "rejected": "#F8696B", "pending": "#FFC000"}


# Chart -----------------------------------------------------------------------------------

def chart_spec(s: Summary | None = None, rows: list | None = None) -> dict | None:
    """The chart for the Summary sheet: a stacked column of ITC by outcome per tax head.

    Cell references are 0-based (row, col) into the sheet holding `summary_rows(s)` from A1
    (or `rows`, when given: the writer may only have `WorkbookData.summary_rows`). `values`
    repeat the figures for a drawer that cannot use references. None when there is no table.
    """
    if rows is None:
        if s is None:
            raise TypeError("chart_spec() needs a Summary or its rows")
        rows = summary_rows(s)
    top = next((i for i, r in enumerate(rows) if r and r[0] == OUTCOME_TITLE), None)
    if top is None:
        return None
    labels = {v: k for k, v in OUTCOMES.items()}
    series = []
    for i in range(top + 1, top + 1 + len(OUTCOMES)):
        key = labels.get(rows[i][0]) if i < len(rows) and rows[i] else None
        if key in CHART_OUTCOMES:
            series.append({"key": key, "name": rows[i][0], "name_cell": (i, 0),
                           "row": i, "first_col": 1, "last_col": len(HEADS),
                           "values": list(rows[i][1:1 + len(HEADS)]),
                           "colour": CHART_COLOURS[key]})
    return {"sheet": SHEET_SUMMARY, "type": "column", "subtype": "stacked",
            "title": "ITC by outcome per tax head", "y_axis": "Rs",
            "categories": {"row": top, "first_col": 1, "last_col": len(HEADS),
                           "values": list(HEAD_LABELS.values())},
            "series": series, "anchor": (1, len(HEADS) + 5),
            "size": {"width": 640, "height": 320}}


def insert_chart(workbook, worksheet, rows: list) -> None:
    """Draw `chart_spec(rows=rows)` with XlsxWriter on `worksheet` (the Summary sheet)."""
    spec = chart_spec(rows=rows)
    if spec is None:
        return
    chart = workbook.add_chart({"type": spec["type"], "subtype": spec["subtype"]})
    name = worksheet.get_name()
    cat = spec["categories"]
    for ser in spec["series"]:
        chart.add_series({
            "name": [name, *ser["name_cell"]],
            "categories": [name, cat["row"], cat["first_col"], cat["row"], cat["last_col"]],
            "values": [name, ser["row"], ser["first_col"], ser["row"], ser["last_col"]],
            "fill": {"color": ser["colour"]}, "gap": 60,
        })
    chart.set_title({"name": spec["title"]})
    chart.set_y_axis({"name": spec["y_axis"], "num_format": "#,##0"})
    chart.set_legend({"position": "bottom"})
    chart.set_size(spec["size"])
    worksheet.insert_chart(*spec["anchor"], chart)
