"""Checking the month: ``finance reconcile``, ``finance alerts`` and ``finance digest``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from finance import i18n, pipeline
from finance.cli.apps import app
from finance.cli.common import MonthOpt, WorkspaceOpt, _check_lang, _fail, _open, _table, out
from finance.errors import FinanceError


@app.command()
def reconcile(
    month: MonthOpt,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write every exception to this CSV.")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="zh-CN or en (default: finance.toml).")] = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Check the month: orders vs settlements, withdrawals vs bank, fees vs contracts.

    Prints totals by kind and the largest exceptions; statuses (new, open, resolved) are kept
    across runs. Expected rates and windows come from rules/contracts.toml.

    Example: finance reconcile --month 2026-10 --output reconcile-2026-10.csv
    """
    from finance import reconcile as recon
    from finance.reconcile.section import section, summary_lines

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        shown_lang = _check_lang(lang) or ws.language
        result = recon.reconcile(ws, store, month)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    from finance.reconcile.counted import summary_lines as counted_lines

    if result.exceptions.height == 0:
        out.print(i18n.text("recon_clean", shown_lang, month=month))
        for line in counted_lines(result.counted_once, shown_lang):
            out.print(line)
        return
    for line in summary_lines(result.exceptions, month, shown_lang):
        out.print(line)
    for line in counted_lines(result.counted_once, shown_lang):
        out.print(line)
    shown = section(result.exceptions, month, shown_lang)
    columns = ["kind", "status", "platform", "shop", "order_id", "amount", "ageing", "detail"]
    _table(
        shown.frame.select(columns)
        .head(10)
        .rename({c: shown.column_label(c, shown_lang) for c in columns}),
        money=(shown.column_label("amount", shown_lang),),
    )
    if output is not None:
        recon.write_csv(result, output)
        out.print(
            i18n.text(
                "recon_written", shown_lang, rows=result.exceptions.height, path=output.as_posix()
            )
        )


@app.command()
def alerts(
    month: MonthOpt,
    workspace: WorkspaceOpt = Path("."),
    lang: Annotated[str | None, typer.Option(help="zh-CN or en (default: finance.toml).")] = None,
) -> None:
    """Print the month's alerts, top first: severity, platform, shop, SKU, figure, threshold, why.

    Thresholds are in rules/alerts.toml. The alerts are stored (first and last seen).

    Example: finance alerts --month 2026-10
    """
    from finance import alerts as al
    from finance import history

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        language = _check_lang(lang) or ws.language
        found = al.month_alerts(ws, store, month, lang=language)
        history.record(store, month, found)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    if found.height == 0:
        out.print(i18n.text("alerts_none", language, month=month))
        return
    counts = dict(found.group_by("severity").len().iter_rows())
    out.print(
        i18n.text(
            "alerts_summary",
            language,
            total=found.height,
            high=counts.get("high", 0),
            medium=counts.get("medium", 0),
            low=counts.get("low", 0),
        )
    )
    colour = {"high": "red", "medium": "yellow"}
    for severity, message in found.select("severity", "message").iter_rows():
        name = al.SEVERITY_NAMES.get(severity, {}).get(language, severity)
        out.print(Text(f"[{name}] {message}", style=colour.get(severity, "")))


@app.command()
def digest(
    month: MonthOpt,
    to: Annotated[
        list[str] | None, typer.Option("--to", help="Recipient (repeatable; default: [mail] to).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write reports/YYYY-MM/digest.eml; send nothing.")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
    lang: Annotated[str | None, typer.Option(help="zh-CN or en (default: finance.toml).")] = None,
) -> None:
    """Email the month's digest: new, persisting and cleared alerts, headline figures, pnl.xlsx.

    SMTP settings are in finance.toml [mail]; the password only in FINANCE_SMTP_PASSWORD. A send
    that fails exits with status 1 and records nothing as sent.

    Example: finance digest --month 2026-10 --to boss@example.com --dry-run
    """
    from finance import digest as dg

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        outcome = dg.run(ws, store, month, to=to, dry_run=dry_run, lang=_check_lang(lang))
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    if outcome.path is not None:
        out.print(i18n.text("digest_written", ws.language, path=outcome.path.as_posix()))
    else:
        out.print(
            i18n.text(
                "digest_sent", ws.language, to=", ".join(outcome.recipients), **outcome.counts
            )
        )
