"""The books: ``finance export books``, ``finance close`` and ``finance reopen``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from finance import i18n, pipeline
from finance.cli.apps import app, export_app
from finance.cli.common import MonthOpt, WorkspaceOpt, _fail, _open, err, out
from finance.errors import FinanceError


@export_app.command("books")
def export_books(
    month: MonthOpt,
    fmt: Annotated[
        str, typer.Option("--format", help="csv, kis, k3, u8, beancount or hledger.")
    ] = "csv",
    output: Annotated[
        Path | None, typer.Option(help="Write here (a workbook needs a file).")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """The month in the books: vouchers for your accounting software, or a journal.

    Example: finance export books --month 2026-10 --format kis --output 2026-10-kis.xlsx
    """
    from finance.books.export import WORKBOOKS, render

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        if output is None and fmt in WORKBOOKS:
            output = Path(f"{month}-{fmt}.xlsx")
        done = render(ws, store, month, fmt)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    lang = ws.language
    if done.books.closed:
        err.print(i18n.text("books_closed_note", lang, month=month))
    if output is None:
        sys.stdout.buffer.write(done.data)
        sys.stdout.flush()
    else:
        output.write_bytes(done.data)
        out.print(
            i18n.text(
                "books_written",
                lang,
                path=output.as_posix(),
                vouchers=done.vouchers,
                lines=done.lines,
                month=month,
            )
        )
    for line in done.suspense(lang):
        err.print(Text(line, style="yellow"))


@app.command()
def close(
    month: MonthOpt,
    yes: Annotated[
        bool, typer.Option("--yes", help="Close even with warnings (suspense, unmatched payouts).")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Close a month: its report, margins and vouchers no longer change.

    Example: finance close --month 2026-10
    """
    from finance.books.close import close_month

    ws = _open(workspace)
    lang = ws.language
    store = pipeline.open_store(ws)
    try:
        done = close_month(ws, store, month, force=yes)
        if not done.closed:
            for warning in done.warnings:
                err.print(Text(warning[lang], style="yellow"))
            if sys.stdin.isatty() and typer.confirm(i18n.text("close_confirm", lang, month=month)):
                done = close_month(ws, store, month, force=True)
            else:
                message = "close_needs_yes" if not sys.stdin.isatty() else "close_aborted"
                err.print(i18n.text(message, lang, month=month))
                raise typer.Exit(1)
        else:
            for warning in done.warnings:
                err.print(Text(warning[lang], style="yellow"))
    except FinanceError as error:
        _fail(error, lang)
        return
    finally:
        store.close()
    out.print(i18n.text("close_done", lang, month=month))


@app.command()
def reopen(
    month: MonthOpt,
    reason: Annotated[str, typer.Option("--reason", help="Why the month is reopened.")] = "",
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Reopen a closed month (recorded with its reason); its figures are computed again.

    Example: finance reopen --month 2026-10 --reason "late JD statement"
    """
    from finance.books.close import reopen_month

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        reopen_month(ws, store, month, reason=reason)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    out.print(i18n.text("reopen_done", ws.language, month=month, reason=reason.strip()))
