"""`rows_xml`'s column-at-a-time paths write what `_cell` writes cell by cell."""

import random
from decimal import Decimal

from ims_xl.workbook.build.sheetdata import (PartlyWritten, _cell, column_letters, rows_with_gaps,
                                             rows_xml)

VALUES = ["", None, "plain", "A & B", "<x>", "_x0041_", " lead", "trail ", "two\nlines",
          "tab\t", "\x01ctl", "\x1f", "é ₹", "\u00a0nbsp", "\ufffe", 0.0, -0.0, 0, 3, 3.0,
          1.5, 0.1 + 0.2, 1e16, 10 ** 20, True, Decimal("1.10"), float("nan"), "x" * 20000]


def _reference(rows, styles, numeric, first_row=2):
    letters = column_letters(len(styles))
    return "".join(
        f'<row r="{n}">' + "".join(_cell(v, c, letters[c], styles[c], numeric[c], str(n))
                                   for c, v in enumerate(row)) + "</row>"
        for n, row in enumerate(rows, first_row))


def _table(rnd, width: int, most_rows: int) -> tuple[list, list, list]:
    """Random rows of `width` columns (each from a few of VALUES), styles and number columns."""
    pools = [rnd.sample(VALUES, rnd.randint(1, 4)) for _ in range(width)]
    rows = [[rnd.choice(pool) for pool in pools] for _ in range(rnd.randint(1, most_rows))]
    styles = [rnd.choice(["", ' s="3"']) for _ in range(width)]
    numeric = [rnd.random() < 0.5 for _ in range(width)]
    return rows, styles, numeric


def test_every_path_writes_what_cell_writes():
    rnd = random.Random(7)
    for _ in range(300):
        rows, styles, numeric = _table(rnd, rnd.randint(1, 5), 12)
        got = "".join(text for _, text in rows_xml(rows, styles, numeric,
                                                   batch=rnd.randint(1, 5)))
        assert got == _reference(rows, styles, numeric), (rows, numeric)


def test_rows_partly_written_ahead_are_the_rows_written_whole():
    """Rows written ahead with slots for the columns held back (`rows_with_gaps`, as the
    child does), those columns filled in later, give the XML of the whole rows, batch
    boundaries, `%` signs and all."""
    rnd = random.Random(11)
    pool = VALUES + ["100%", "%s", "%%d of %(x)s", "\ud83d alone"]     # a lone surrogate: "?"
    for _ in range(200):
        width = rnd.randint(2, 7)
        rows, styles, numeric = _table(rnd, width, 14)
        rows = [[rnd.choice(pool) if rnd.random() < 0.2 else v for v in row] for row in rows]
        held = set(rnd.sample(range(width), rnd.randint(1, width - 1)))
        batch = rnd.randint(1, 5)
        table = PartlyWritten(
            rows=len(rows), width=width, batch=batch,
            written=lambda: (styles, numeric,
                             lambda: rows_with_gaps(rows, styles, numeric, held, batch=batch)),
            columns={c: [row[c] for row in rows] for c in held},
            laid_out=lambda: rows)
        got = b"".join(text for _, text in rows_xml(table, styles, numeric))
        assert got == _reference(rows, styles, numeric).encode("utf-8", "replace"), \
            (rows, held)


def test_amounts_given_as_their_texts_write_the_cells_their_floats_write():
    """The Purchase sheet's process writes the register's amount texts as they are
    (`NumberTexts`) when each is what `repr` writes for its float; the cells are those the
    floats make. Any other text leaves the column to its floats."""
    import random

    from ims_xl.register.cells import money_text
    from ims_xl.workbook.build.sheetdata import Columns, number_texts, rows_xml
    random.seed(7)
    amounts = [0.0, 0.1 + 0.2, 1180.5, 100.0, 0.05, 0.0001, 9_999_999_999_999.99] + [
        round(random.uniform(0, 10 ** random.randint(0, 12)), random.randint(0, 2))
        for _ in range(1_200)]
    texts = [money_text(a) for a in amounts]                # "0" for nothing, "0.3", ...
    spelled = number_texts(texts)
    assert spelled is not None and spelled[:2] == ["0.0", "0.3"]
    floats = list(map(float, texts))
    assert spelled == list(map(repr, floats))
    styles, numeric = ['', ' s="5"'], [True, True]
    rows = list(range(len(texts)))
    assert list(rows_xml(Columns([rows, spelled]), styles, numeric, batch=500)) == \
        list(rows_xml(Columns([rows, floats]), styles, numeric, batch=500))
    for odd in ("0.50", "1e-05", "0.00005", "1.5E+16", "", "05.5", ".5", "5.", "12", "-5.5",
                "12345678901234567.5", "1,180.50"):
        assert number_texts(texts[:3] + [odd]) is None, odd
