"""Column-at-once reading gives what reading cell by cell gives."""

from __future__ import annotations

from datetime import date

from ims_xl.register import cells, read_register
from ims_xl.register.columns import text_column

HEADER = "GSTIN,Supplier,Bill No,Bill Date,Type,Taxable Value,IGST,CGST,SGST,Cess,Invoice Value\n"
A, B = "27AAHCM1357N1Z2", "29AABCT1332L1ZU"


def test_text_column_matches_text_per_cell():
    for column in (["INV-1", " INV-2 ", ""], ["'0123", "INV-3"], ['="0456"', "x"],
                   ["D'SOUZA", " = "], ["INV-4", 2025000000000123.0, None]):
        assert text_column(column) == [cells.text(v) for v in column]


def _books(tmp_path, lines):
    path = tmp_path / "books.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return read_register(path, today=date(2026, 4, 15))


def test_rows_each_a_document_and_rows_that_fold(tmp_path):
    one = "05-03-2026,Purchase,100.0,18.0,0.0,0.0,0.0,118.0"
    # Adjacent rows with one number but other suppliers stay apart; a blank GSTIN is a
    # document of its own; the same supplier and number on adjacent rows fold.
    plain = _books(tmp_path, [f"{A},S,INV-1,{one}", f"{B},T,INV-1,{one}", f",U,INV-1,{one}"])
    assert [(e.supplier_gstin, e.rows) for e in plain.entries] == \
        [(A, (2,)), (B, (3,)), ("", (4,))]
    folded = _books(tmp_path, [f"{A},S,INV-1,{one}", f"{A},S,INV-1,{one}", f"{B},T,INV-2,{one}"])
    assert [e.rows for e in folded.entries] == [(2, 3), (4,)]
    assert str(folded.entries[0].igst) == "36.0"


def test_place_of_supply_read_per_document(tmp_path):
    header = HEADER.rstrip("\n") + ",Place of Supply\n"
    path = tmp_path / "books.csv"
    one = "05-03-2026,Purchase,100.0,18.0,0.0,0.0,0.0,118.0"
    path.write_text(header + f"{A},S,INV-1,{one},Maharashtra\n{B},T,INV-2,{one},Atlantis\n"
                    f"{B},T,INV-3,{one},\n", encoding="utf-8")
    reg = read_register(path, today=date(2026, 4, 15))
    assert [e.pos for e in reg.entries] == ["27", "", ""]
    assert [w.code for w in reg.entries[1].warnings if w.code == "pos-unknown"] == ["pos-unknown"]
    assert not [w for e in (reg.entries[0], reg.entries[2]) for w in e.warnings
                if w.code == "pos-unknown"]
