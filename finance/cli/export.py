"""``finance export``: figures for other tools."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from finance import pipeline
from finance.cli.apps import export_app
from finance.cli.common import BasisOpt, MonthOpt, WorkspaceOpt, _check_basis, _fail, _open
from finance.errors import FinanceError


@export_app.command("margins")
def export_margins(
    month: MonthOpt,
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option(help="Write here instead of standard output.")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    basis: BasisOpt = "posting",
) -> None:
    """One row per platform, shop and SKU (plus each shop's unallocated row), stable columns.

    Example: finance export margins --month 2026-10 --format csv --output margins.csv
    """
    from finance.export import render

    if fmt not in ("csv", "json"):
        _fail(ValueError(f"--format must be csv or json, not {fmt!r}"))
    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        _check_basis(basis)
        text = render(pipeline.month_result(ws, store, month, period=basis), fmt)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
