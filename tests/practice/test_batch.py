"""Many clients in one run: discovery, broken clients, the cover workbook, the command."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ims_xl.month.batch import (COVER_HEADERS, COVER_NAME, RESULT_NAME, ClientResult, Progress,
                                cover_rows, find_clients, run_batch, run_client, write_cover)
from ims_xl.cli import main
from ims_xl.model.errors import ImsXlError
from ims_xl.testdata.generate import make_case, write_books_csv, write_books_xlsx
from ims_xl.portal.upload import dumps


def _client(root: Path, name: str, n: int, seed: int, *, books="csv", zipped=False,
            settings=None):
    folder = root / name
    folder.mkdir(parents=True)
    case = make_case(n, seed=seed, perturb={"amount_diff": 0.1, "missing": 0.1})
    text = dumps(case.download)
    if zipped:
        with zipfile.ZipFile(folder / "ims.zip", "w") as z:
            z.writestr("ims_1.json", text)
    else:
        (folder / "march.json").write_text(text)
    if books == "csv":
        write_books_csv(case.books, folder / "register.csv")
    elif books == "xlsx":
        write_books_xlsx(case.books, folder / "Purchase Register.xlsx")
    if settings is not None:
        (folder / "settings.json").write_text(json.dumps(settings))
    return case


@pytest.fixture
def clients(tmp_path):
    root = tmp_path / "clients"
    cases = {
        "Acme Traders": _client(root, "Acme Traders", 120, 1),
        "Bharat Steel": _client(root, "Bharat Steel", 60, 2, books="xlsx", zipped=True),
        "Chemicals & Co": _client(root, "Chemicals & Co", 80, 3,
                                  settings={"RecipientGSTIN": ""}),
    }
    broken = root / "Dodgy JSON"
    broken.mkdir()
    (broken / "ims.json").write_text('{"imsDetails": {"b2b": [')
    write_books_csv(cases["Acme Traders"].books, broken / "books.csv")
    nobooks = root / "No Books"
    nobooks.mkdir()
    (nobooks / "ims.json").write_text(dumps(cases["Acme Traders"].download))
    (root / ".hidden").mkdir()
    (root / "_archive").mkdir()
    return root, cases


def _net_itc(case):
    """No Action everywhere: invoices and debit notes minus credit notes, all heads."""
    total = 0
    for section, items in case.download["imsDetails"].items():
        sign = -1 if section in ("b2bcn", "b2bcna") else 1
        total += sum(sign * (r["iamt"] + r["camt"] + r["samt"] + r["cess"]) for r in items)
    return float(total)


def _records(case):
    return sum(len(v) for v in case.download["imsDetails"].values())


# Discovery and rows (no reconciliation) -----------------------------------------------------

def test_find_clients(clients, tmp_path):
    root, _ = clients
    (root / "Acme Traders" / "~$register.xlsx").write_text("lock")      # Excel's lock file
    (root / "Acme Traders" / RESULT_NAME).write_text("last run")         # our own output
    jobs = {j.name: j for j in find_clients(root)}
    assert sorted(jobs) == ["Acme Traders", "Bharat Steel", "Chemicals & Co", "Dodgy JSON",
                            "No Books"]
    acme = jobs["Acme Traders"]
    assert acme.problem == "" and Path(acme.books).name == "register.csv"
    assert [Path(p).name for p in acme.downloads] == ["march.json"]
    assert Path(acme.out) == root / "Acme Traders" / RESULT_NAME
    assert Path(jobs["Chemicals & Co"].settings).name == "settings.json"
    assert jobs["Chemicals & Co"].downloads[0].endswith("march.json")   # settings is no download
    assert "no purchase register" in jobs["No Books"].problem
    out = root / "_results"
    named = {j.name: Path(j.out) for j in find_clients(root, out)}
    assert named["Chemicals & Co"] == out / "Chemicals_Co.xlsx"


def test_two_registers_is_a_problem_not_a_guess(clients):
    root, cases = clients
    write_books_xlsx(cases["Acme Traders"].books, root / "Acme Traders" / "other.xlsx")
    job = next(j for j in find_clients(root) if j.name == "Acme Traders")
    assert "several possible purchase registers" in job.problem
    assert "other.xlsx" in job.problem and "register.csv" in job.problem


def test_out_folder_inside_clients_is_not_a_client(clients):
    root, _ = clients
    (root / "results").mkdir()
    assert "results" not in [j.name for j in find_clients(root, root / "results")]


def test_a_client_with_a_problem_reports_it_without_raising(clients):
    root, _ = clients
    job = next(j for j in find_clients(root) if j.name == "No Books")
    res = run_client(job)
    assert not res.ok and "no purchase register" in res.error and res.records == 0


def test_cover_rows_and_file(tmp_path):
    results = [ClientResult("A", "a.xlsx", 10, 4, 2, 1, 1, 3, 100.5, 20.25, 5.0, 1.0),
               ClientResult("B", error="file ims.json: is not valid JSON")]
    rows = cover_rows(results)
    assert rows[0][:11] == ["A", "OK", 10, 4, 2, 1, 1, 3, 100.5, 20.25, 5.0]
    assert rows[1][1] == "FAILED" and rows[1][-1].startswith("file ims.json")
    assert rows[2][:4] == ["Total", "1 OK", 10, 4]
    path = write_cover(tmp_path / COVER_NAME, results)
    from python_calamine import CalamineWorkbook
    got = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Clients").to_python()
    assert got[0] == list(COVER_HEADERS) and got[2][-1] == "file ims.json: is not valid JSON"


def test_progress_counter_when_not_a_terminal():
    out = io.StringIO()
    p = Progress(2, stream=out)
    p(1, 2, "A")
    p(2, 2, "B")
    assert out.getvalue() == "[1/2] A\n[2/2] B\n"


def test_progress_bar_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True
    out = Tty()
    p = Progress(2, stream=out, width=4)
    p(1, 2, "A")
    p(2, 2, "B")
    assert "\rReconciling [##..] 1/2 A" in out.getvalue() and out.getvalue().endswith("\n")


def test_no_client_folders(tmp_path):
    with pytest.raises(ImsXlError, match="no client folders"):
        list(run_batch(tmp_path))


# The whole run ----------------------------------------------------------------------------

def _run(root, **kw):
    lines = []
    with pytest.raises(ImsXlError, match="2 of 5 client"):
        for line in run_batch(root, progress=lambda *a: None, **kw):
            lines.append(line)
    return lines


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_reconciles_every_client_and_reports_the_broken_ones(clients, tmp_path, jobs):
    from python_calamine import CalamineWorkbook

    from ims_xl.workbook.data import read_workbook
    root, cases = clients
    out = tmp_path / "out"
    lines = _run(root, out=out, jobs=jobs)
    assert any(line.startswith("Dodgy JSON: FAILED: file ims.json") for line in lines)
    cover = CalamineWorkbook.from_path(str(out / COVER_NAME)).get_sheet_by_name("Clients")
    rows = {r[0]: dict(zip(COVER_HEADERS, r)) for r in cover.to_python()[1:]}
    for name, case in cases.items():
        row = rows[name]
        assert row["Status"] == "OK", row["Error"]
        assert row["Records"] == _records(case)
        assert row["To act"] == _records(case)           # nobody has decided anything yet
        assert row["ITC to GSTR-2B"] == pytest.approx(_net_itc(case), abs=0.011)
        data = read_workbook(out / row["Workbook"])
        assert len(data.ims_rows) == _records(case)
        summary = CalamineWorkbook.from_path(str(out / row["Workbook"]))
        assert summary.get_sheet_by_name("Summary").to_python()[0][0] == \
            "ITC impact before upload"
    assert rows["Dodgy JSON"]["Status"] == "FAILED" and "not valid JSON" in \
        rows["Dodgy JSON"]["Error"]
    assert "Traceback" not in rows["Dodgy JSON"]["Error"]
    assert rows["No Books"]["Status"] == "FAILED"
    assert rows["Total"]["Records"] == sum(_records(c) for c in cases.values())


def test_batch_writes_into_client_folders_without_out(clients):
    root, cases = clients
    _run(root, jobs=2)
    assert (root / COVER_NAME).exists()
    for name in cases:
        assert (root / name / RESULT_NAME).exists()
    # a second run does not mistake its own output for a purchase register
    assert "several" not in " ".join(_run(root, jobs=1))


def test_batch_command(clients, tmp_path):
    root, _ = clients
    res = CliRunner().invoke(main, ["batch", str(root), "--out", str(tmp_path / "o"),
                                    "--jobs", "2"])
    assert res.exit_code == 1
    assert "Acme Traders: " in res.output and "No Books: FAILED" in res.output
    assert "error: 2 of 5 client(s) failed" in res.output
    assert "Traceback" not in res.output
