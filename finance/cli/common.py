"""What every command shares: the consoles, the common options, turning a library error into a
short message and exit status 1, and printing a table for people."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from finance.errors import FinanceError
from finance.workspace import Workspace, open_workspace

out = Console(highlight=False, soft_wrap=True, markup=False)


err = Console(stderr=True, highlight=False, soft_wrap=True)


WorkspaceOpt = Annotated[
    Path, typer.Option("--workspace", "-w", help="The workspace folder (default: current folder).")
]


MonthOpt = Annotated[str, typer.Option("--month", "-m", help="The month, YYYY-MM.")]


DETAIL_ROWS = 60


BasisOpt = Annotated[
    str,
    typer.Option(
        "--basis",
        help="posting: entries in the month they posted (agrees with the platform's statement); "
        "order: order-linked entries in the month the order was paid (cohort view).",
    ),
]


def _fail(error: Exception, lang: str | None = None) -> None:
    if isinstance(error, FinanceError):
        message = error.render(lang) if lang else error.both()
    else:
        message = str(error)
    err.print(Text(message, style="red"))
    raise typer.Exit(1)


def _check_lang(lang: str | None) -> str | None:
    """zh-CN (also zh, cn, zh_cn) or en, case-insensitive; anything else is an error."""
    if lang is None:
        return None
    key = lang.strip().lower().replace("_", "-")
    if key in ("zh", "zh-cn", "cn", "chinese", "中文"):
        return "zh-CN"
    if key in ("en", "en-us", "en-gb", "english"):
        return "en"
    raise FinanceError("bad_lang", value=lang)


def _check_basis(basis: str) -> None:
    if basis not in ("posting", "order"):
        raise FinanceError("bad_basis", value=basis)


def _open(path: Path) -> Workspace:
    try:
        return open_workspace(path)
    except FinanceError as error:
        _fail(error)
        raise  # unreachable


def _table(frame: pl.DataFrame, *, money: tuple[str, ...] = (), rows: int = 200) -> None:
    """Print a frame for people: money columns in yuan, empty cells blank, no type row."""
    from finance.money import cents_to_text

    shown = frame.with_columns(cents_to_text(pl.col(c)).alias(c) for c in money if c in frame)
    shown = shown.with_columns(
        pl.col(c).cast(pl.String).fill_null("") for c, t in shown.schema.items() if t != pl.String
    ).with_columns(pl.col(pl.String).fill_null(""))
    with pl.Config(
        tbl_rows=rows,
        tbl_cols=30,
        tbl_width_chars=200,
        fmt_str_lengths=120,
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
    ):
        out.print(str(shown))


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not sys.stderr.isatty(),
    )
