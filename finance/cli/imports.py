"""Getting statements in: ``finance ingest``, ``finance rebuild`` and ``finance watch``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from finance import i18n, pipeline
from finance.cli.apps import app
from finance.cli.common import WorkspaceOpt, _fail, _open, _progress, out
from finance.errors import FinanceError


@app.command()
def ingest(workspace: WorkspaceOpt = Path(".")) -> None:
    """Import every file in inbox/ once: archive what is recognised, reject the rest with a reason.

    Exits with status 1 when a file was rejected (see rejected/FILE.error.txt).

    Example: finance ingest --workspace ./my-shop
    """
    from finance.ingest import inbox_files
    from finance.ingest import ingest as run

    ws = _open(workspace)
    files = inbox_files(ws)
    if not files:
        out.print(i18n.text("inbox_empty", ws.language))
        return
    try:
        store = pipeline.open_store(ws)
        with _progress() as progress:
            task = progress.add_task("ingest", total=len(files))
            outcomes = run(
                ws,
                store,
                on_file=lambda p: progress.update(task, advance=1, description=p.name[:40]),
            )
        store.close()
    except FinanceError as error:
        _fail(error, ws.language)
        return
    for outcome in outcomes:
        colour = {"imported": "green", "duplicate": "yellow", "busy": "yellow", "rejected": "red"}[
            outcome.status
        ]
        out.print(Text(outcome.message, style=colour))
    if any(o.status == "rejected" for o in outcomes):
        raise typer.Exit(1)  # so a script or scheduler notices; the message said what to do


@app.command()
def rebuild(workspace: WorkspaceOpt = Path(".")) -> None:
    """Re-import every archived file with the current rules (after you change a rule).

    All or nothing: if a file no longer imports, the ledger stays as it was and the error
    names the file.

    Example: finance rebuild --workspace ./my-shop
    """
    from finance.ingest import rebuild as run

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        outcomes = run(ws, store)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    out.print(i18n.text("rebuilt", ws.language, files=len(outcomes)))


@app.command()
def watch(
    workspace: WorkspaceOpt = Path("."),
    settle: Annotated[
        float, typer.Option(help="Seconds a file must stop growing before it is read.")
    ] = 2.0,
    poll: Annotated[
        float, typer.Option(help="Look at inbox/ at least this often (seconds).")
    ] = 1.0,
) -> None:
    """Keep processing inbox/: import each file once it stops growing, refresh its month's
    reports, and send the digest on the [mail] schedule of finance.toml. Ctrl-C stops.

    Example: finance watch --workspace ./my-shop
    """
    from finance.watch import watch as run

    ws = _open(workspace)
    styles = {"error": "red", "warning": "yellow"}

    def log(level: str, message: str) -> None:
        from datetime import datetime

        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        out.print(Text(f"{stamp} {message}", style=styles.get(level, "")))

    try:
        run(ws, settle=settle, poll=poll, log=log, handle_signals=True)
    except FinanceError as error:
        _fail(error, ws.language)
