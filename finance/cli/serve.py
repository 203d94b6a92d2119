"""``finance serve``: the local dashboard over the ledger."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from finance import i18n
from finance.cli.apps import app
from finance.cli.common import WorkspaceOpt, _fail, _open, out
from finance.errors import FinanceError


@app.command()
def serve(
    workspace: WorkspaceOpt = Path("."),
    host: Annotated[
        str,
        typer.Option(help="The address to listen on (default 127.0.0.1; any other needs a token)."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8000,
) -> None:
    """A local dashboard over the ledger: the month's figures, the SKUs with their statement
    rows, and drag-and-drop import. Ctrl-C stops.

    Example: finance serve --workspace ./my-shop --port 8000
    """
    from sqlalchemy.engine import make_url

    from finance.serve import TOKEN_ENV, check_bind
    from finance.serve import serve as run

    ws = _open(workspace)
    try:
        check_bind(host, os.environ.get(TOKEN_ENV) or None)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    shown = f"[{host}]" if ":" in host else host
    database = make_url(ws.database_url).render_as_string(hide_password=True)
    out.print(
        i18n.text("serve_started", ws.language, url=f"http://{shown}:{port}/", database=database)
    )
    try:
        run(ws, host=host, port=port)
    except FinanceError as error:
        _fail(error, ws.language)
