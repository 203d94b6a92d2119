"""``finance costs``: unit-cost tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from finance import pipeline
from finance.cli.apps import costs_app
from finance.cli.common import WorkspaceOpt, _fail, _open, out
from finance.errors import FinanceError


@costs_app.command("import")
def costs_import(
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX: 商家编码,成本价,生效日期[,币种,重量(g)].")
    ],
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Import a unit-cost table (kept in costs/). Same SKU and date again replaces the cost.

    Example: finance costs import 商品成本.csv
    """
    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        outcome = pipeline.import_costs(ws, store, file)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    out.print(outcome.message)
    if outcome.status == "rejected":
        raise typer.Exit(1)
