"""``finance init`` and ``finance demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from finance import i18n, pipeline
from finance.cli.apps import app
from finance.cli.common import _fail, _progress, out
from finance.errors import FinanceError


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Folder to create (or complete).")],
    shop: Annotated[str, typer.Option(help="Your Tmall shop's name.")] = "我的天猫店",
) -> None:
    """Make a workspace: finance.toml, inbox/, archive/, rejected/, rules/, costs/, reports/.

    Example: finance init ./my-shop --shop 云栖家居旗舰店
    """
    from finance.workspace import init as make

    ws, created = make(path, shop=shop)
    key = "workspace_created" if created else "workspace_exists"
    out.print(i18n.text(key, ws.language, path=path.as_posix()))


@app.command()
def demo(
    target: Annotated[
        Path | None, typer.Option(help="Where to put the demo workspace (default: a temp folder).")
    ] = None,
) -> None:
    """Run the whole pipeline on the bundled sample statements and print where the reports are.

    Example: finance demo
    """
    try:
        with _progress() as progress:
            task = progress.add_task("ingest", total=None)
            ws, outcomes, paths = pipeline.demo(
                target, on_file=lambda p: progress.update(task, advance=1, description=p.name[:40])
            )
    except FinanceError as error:
        _fail(error)
        return
    for outcome in outcomes:
        out.print(outcome.message)
    out.print(i18n.text("demo_done", ws.language, path=ws.root.as_posix()))
    out.print(i18n.text("report_written", ws.language))
    for path in paths:
        out.print(f"  {path.as_posix()}")
