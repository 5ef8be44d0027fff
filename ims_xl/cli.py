"""The `ims-xl` command line: each command reads its files, calls one core function, writes.

Exit codes: 0 fine, 1 an error the user can fix (message names file, row and field),
2 usage error (click's own), 3 an internal error (a bug; `--debug` shows the traceback).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from .model.errors import ImsXlError, ValidationFailed

_DEBUG = {"on": False}


def _friendly(fn):
    """Turn our errors into a message and an exit code; no traceback unless --debug."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationFailed as e:
            for issue in e.report.issues:
                click.echo(str(issue), err=True)
            click.echo(f"error: {len(e.report.errors)} error(s); nothing was written.", err=True)
            sys.exit(1)
        except ImsXlError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:           # output piped into `head`: the reader has gone
            sys.stderr.close()
            sys.exit(0)
        except Exception as e:  # a bug: say so plainly, keep the user's files untouched
            if _DEBUG["on"]:
                raise
            click.echo(f"internal error: {type(e).__name__}: {e}\n"
                       "Nothing was overwritten. Run again with --debug and report the output.",
                       err=True)
            sys.exit(3)
    return run


def run() -> None:
    """The `ims-xl` program (and `python -m ims_xl`): `main`, then the process ends at once,
    its output flushed, without freeing what the command left one object at a time
    (`memory.left_for_exit`) or tearing the modules down."""
    from . import memory
    memory.ONE_SHOT["on"] = True
    try:
        main()
        code: object = 0
    except SystemExit as e:
        code = e.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)          # what Python does with SystemExit("text")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):         # a closed pipe: nothing more can reach it
            pass
    os._exit(code or 0)


def _echo_shown(lines) -> None:
    """Echo the command's lines; on a terminal, the stage of long work shows on stderr."""
    from .progress import TerminalProgress
    shown = TerminalProgress()
    with shown.shown():
        for line in lines:
            shown.clear()
            click.echo(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.version_option(package_name="ims-xl")
def main(debug: bool) -> None:
    """IMS Reconciler: GST IMS downloads vs your purchase register, and the upload JSON.

    Example: ims-xl demo --out demo-output
    """
    from .files.atomic import clean_up_on_sigterm
    _DEBUG["on"] = debug
    clean_up_on_sigterm()


@main.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("demo-output"), show_default=True, help="Folder for the results.")
@_friendly
def demo(out: Path) -> None:
    """Run the whole month on the bundled samples.

    Imports samples/ims_download.json and samples/purchase_register.csv, reconciles them,
    applies the suggestions and writes OUT/IMS_Reconciled.xlsm, OUT/result.json and
    OUT/upload.json.

    Example: ims-xl demo --out demo-output
    """
    from .month.pipeline import run_demo
    for line in run_demo(out):
        click.echo(line)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the merged records back as one offline-dialect download.")
@_friendly
def parse(files, out: Path | None) -> None:
    """Read IMS downloads (.json or .zip, any dialect) and count records per section.

    Example: ims-xl parse march.json april.zip --out merged.json
    """
    from .month.pipeline import parse_files
    for line in parse_files(list(files), out):
        click.echo(line)


@main.command()
@click.argument("register", type=click.Path(exists=True, dir_okay=False))
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path),
              help="This client's settings file: use (and show) its saved mapping.")
@_friendly
def books(register, mapping) -> None:
    """Show how a purchase register is read: which column feeds which field and why,
    and what the checks found.

    Example: ims-xl books register.xlsx --mapping client.json
    """
    from .month.pipeline import describe_register
    for line in describe_register(register, mapping):
        click.echo(line)


@main.command()
@click.option("--ims", "ims", multiple=True, required=True,
              type=click.Path(exists=True, dir_okay=False), help="IMS download (repeatable).")
@click.option("--books", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Purchase register (.xlsx, .xlsm, .xls, .csv).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Reconciled workbook to write (.xlsx, or .xlsm for one with the ribbon).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the result as JSON.")
@click.option("--gstin", help="Recipient GSTIN, when the download does not carry it.")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False),
              help="Last month's workbook: carry its actions and remarks forward.")
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path),
              help="Settings file with this client's column mapping and tolerances.")
@_friendly
def reconcile(ims, books, out, json_out, gstin, previous, mapping) -> None:
    """Reconcile IMS downloads with the purchase register.

    Example: ims-xl reconcile --ims march.json --books register.xlsx --out march.xlsx --json result.json
    """
    from .month.pipeline import reconcile_files
    _echo_shown(reconcile_files(list(ims), books, out, json_out=json_out, gstin=gstin,
                                previous=previous, settings_path=mapping))


@main.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@_friendly
def validate(workbook) -> None:
    """Check every action in the workbook against the portal's rules.

    Exit 1 when there are errors (they block export); warnings are printed but pass.

    Example: ims-xl validate march.xlsx
    """
    from .month.export import validate_workbook
    report = validate_workbook(workbook)
    for issue in report.issues:
        click.echo(str(issue))
    click.echo(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    if not report.valid:
        sys.exit(1)


@main.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, readable=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--gstin", help="Recipient GSTIN, when neither download nor workbook has it.")
@_friendly
def export(workbook, out, gstin) -> None:
    """Write the upload JSON: only records whose action, remarks or ITC declaration changed.

    Example: ims-xl export march.xlsx --out upload.json
    """
    from .month.export import export_workbook
    _echo_shown(export_workbook(workbook, out, gstin=gstin))


@main.command("import-errors")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, readable=False))
@click.argument("errorfile", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of updating WORKBOOK in place.")
@_friendly
def import_errors(workbook, errorfile, out) -> None:
    """Put the portal's error messages on their rows and mark the rest of the upload synced.

    Example: ims-xl import-errors march.xlsx error_report.json
    """
    from .month.import_errors import import_error_file
    for line in import_error_file(workbook, errorfile, out=out):
        click.echo(line)


@main.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_friendly
def summary(workbook, as_json) -> None:
    """ITC impact before upload: what flows to GSTR-2B, what is rejected or deferred.

    Example: ims-xl summary march.xlsx
    """
    from .reports.summary import summary_lines
    _echo_shown(summary_lines(workbook, as_json=as_json))


@main.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@_friendly
def statements(workbook, out) -> None:
    """One statement per supplier with differences, plus a combined one, ready to send.

    Example: ims-xl statements march.xlsx --out statements/
    """
    from .reports.statements import write_statements
    _echo_shown(write_statements(workbook, out))


@main.command()
@click.argument("clients_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the workbooks (default: each client's folder).")
@click.option("--jobs", type=int, default=0, help="Parallel workers (default: all cores).")
@_friendly
def batch(clients_dir, out, jobs) -> None:
    """Reconcile every client folder (its downloads and books) and write a cover workbook.

    Example: ims-xl batch clients/ --out results/
    """
    from .month.batch import run_batch
    for line in run_batch(clients_dir, out=out, jobs=jobs or None):
        click.echo(line)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_friendly
def workbook(directory) -> None:
    """Put IMS_Reconciler.xlsm in DIRECTORY and point xlwings at this Python.

    Example: ims-xl workbook ~/Documents/IMS
    """
    from .workbook.writer import install_workbook
    for line in install_workbook(directory):
        click.echo(line)


if __name__ == "__main__":  # pragma: no cover
    main()
