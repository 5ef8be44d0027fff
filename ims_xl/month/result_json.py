"""RESULT.json: the document (`result_document`, the contract other tools read), and its
text, one object per line inside each top-level list (`result_text`, `result_bytes`).

    {
    "ims": [
    {"section": "b2b", "stin": "27…", "doc_num": "INV-1", …},
    {"section": "b2b", …}
    ],
    "books_only": [
    …
    ]
    }

A line per record keeps the file greppable and its diffs readable, and lets the standard
library's C encoder write each record: with `indent` the encoder falls back to a Python
generator per value (2.5 s for 100,000 records; this writer: under 1 s). The content is what
`json.dumps(doc)` writes; only the line breaks differ.

The command writes the records' lines column by column (`result_bytes`, with
`files.jsontext.objects_text`): a column of texts that need no escaping is written as it is,
the records' keys and values are interleaved and joined once, and only what is rare goes
through the encoder. The same text, in 0.7-0.9 s instead of 1.4-1.8 s at 100,000 records,
the document built included.
"""

from __future__ import annotations

from functools import partial

from ..files.jsontext import compact as _compact, objects_text
from ..reconcile.link import RULE as MANUAL
from ..model.document import column_of
from ..reconcile.result import Reconciliation, records_of


def result_document(result: Reconciliation) -> dict:
    """RESULT.json: the command-line contract other tools read (docs/guide/reconcile.md,
    'In result.json')."""
    return {
        "ims": [dict(zip(RECORD_KEYS, values)) for values in zip(*_record_columns(result))],
        "books_only": [{"row": b.row, "stin": b.supplier_gstin, "doc_num": b.doc_number}
                       for b in result.books_only],
        "not_in_ims": [{"row": b.row, "stin": b.supplier_gstin, "doc_num": b.doc_number,
                        "why": "reverse charge"} for b in result.not_in_ims],
    }


def result_bytes(result: Reconciliation) -> bytes:
    """`result_text(result_document(result))`, UTF-8, the records' lines made column by
    column (`files.jsontext.objects_text`)."""
    text = objects_text(dict(zip(RECORD_KEYS, _record_columns(result, own=False))), _BETWEEN)
    if text is None:
        return result_text(result_document(result)).encode()
    rest = Reconciliation([], result.books_only, {}, result.not_in_ims)
    return result_text(result_document(rest), {"ims": text}).encode()


# Each record's fields, in order
RECORD_KEYS = ("section", "stin", "doc_num", "doc_date", "status", "books_rows",
               "suggested_action", "reason", "suggested_remarks", "suggested_itc_red_req",
               "rule", "score", "differences", "runner_up", "manual")


def _record_columns(result: Reconciliation, own: bool = True) -> list[list]:
    """The records' fields (`RECORD_KEYS`) as columns, one value per record (matching's
    results read as columns: `Reconciliation.column`). `own`: the books rows and the
    differences are copies, the document's own (not needed for text written at once)."""
    recs = records_of(result.ims)
    rec, res = partial(column_of, recs), result.column
    rules = res("rule")
    rows, differences = res("books_rows"), res("differences")
    if own:
        rows = list(map(list, rows))
        differences = [{k: list(v) for k, v in d.items()} for d in differences]
    return [rec("section"), rec("supplier_gstin"), rec("doc_number"), rec("doc_date"),
            res("status"), rows, res("suggested_action"),
            res("reason"), res("suggested_remarks"), res("suggested_itc_red_req"),
            rules, res("score"), differences,
            res("runner_up"), [rule == MANUAL for rule in rules]]


def result_text(doc, texts: dict | None = None) -> str:
    """`doc` as JSON text, a line per item of each top-level list (see the module doc).
    `texts` (key -> the items' lines as `_compact` writes them, joined by `_BETWEEN`) stand
    in for `doc[key]`.

    The text is joined once from its pieces: at 100,000 records it is 45 MB, and each `+`
    of a part that size copied all of it again (five copies, 0.15 s of page faults and
    copying in the process that writes it)."""
    if not isinstance(doc, dict) or not all(isinstance(k, str) for k in doc):
        return _compact(doc) + "\n"
    texts = texts or {}
    pieces = ["{\n"]
    for n, (k, v) in enumerate(doc.items()):
        pieces.append(("" if n == 0 else ",\n") + _compact(k) + ": ")
        if k in texts or isinstance(v, list):
            text = texts[k] if k in texts else _BETWEEN.join(map(_compact, v))
            pieces += ["[\n", text, "\n]"] if text else ["[]"]     # no copy of the text
        else:
            pieces.append(_compact(v))
    pieces.append("\n}\n")
    return "".join(pieces)


_BETWEEN = ",\n"                  # between the lines of a list's items
