"""Reading the month: ``finance status``, ``finance report`` and ``finance explain``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from finance import i18n, pipeline
from finance.cli.apps import app
from finance.cli.common import (
    DETAIL_ROWS,
    BasisOpt,
    MonthOpt,
    WorkspaceOpt,
    _check_basis,
    _check_lang,
    _fail,
    _open,
    _table,
    out,
)
from finance.errors import FinanceError


@app.command()
def status(workspace: WorkspaceOpt = Path(".")) -> None:
    """What is imported: files, formats, shops, months, rows, and fee names no rule knows.

    Example: finance status --workspace ./my-shop
    """
    from finance import status as st

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        lang = ws.language
        out.print("已导入的文件 / Imported files" if lang == "zh-CN" else "Imported files")
        _table(st.imported_files(store))
        out.print("按月份和店铺 / By month and shop" if lang == "zh-CN" else "By month and shop")
        _table(st.coverage(store))
        orders = st.descriptive(store)
        if orders.height:
            out.print(
                "订单与退款导出（按付款/退款月份）/ Order exports and refund lists"
                if lang == "zh-CN"
                else "Order exports and refund lists (by month)"
            )
            _table(orders)
        missing = st.missing(ws, store, lang)
        if missing.height:
            out.print(i18n.text("status_notes", lang))
            _table(missing)
        from finance.fx import missing_rates, stored_rates

        no_rate = missing_rates(store.frame("ledger"), stored_rates(store), ws.base_currency)
        if no_rate.height:
            out.print(
                f"缺少汇率（换算为 {ws.base_currency}），请导入汇率表"
                if lang == "zh-CN"
                else f"Missing exchange rates (to {ws.base_currency}): import an fx-rates file"
            )
            _table(no_rate)
        shut = st.closed_months(store)
        if shut.height:
            out.print(i18n.text("status_closed", lang))
            _table(shut)
        late = st.adjustments(store)
        if late.height:
            out.print(i18n.text("status_adjustments", lang))
            _table(late, money=("amount",))
        unknown = st.unclassified(store)
        if unknown.height:
            out.print(
                "未归类的费用名称（请在规则中加入 [[classify]]，然后运行 finance rebuild）"
                if lang == "zh-CN"
                else "Unclassified fee names (add a [[classify]] rule, then run finance rebuild)"
            )
            _table(unknown, money=("amount",))
    finally:
        store.close()


@app.command()
def report(
    month: MonthOpt,
    workspace: WorkspaceOpt = Path("."),
    lang: Annotated[str | None, typer.Option(help="zh-CN or en (default: finance.toml).")] = None,
    basis: BasisOpt = "posting",
) -> None:
    """Write reports/YYYY-MM/pnl.xlsx and report.html for a month.

    Example: finance report --month 2026-10
    """
    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        _check_basis(basis)
        paths = pipeline.write_reports(ws, store, month, lang=_check_lang(lang), period=basis)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    out.print(i18n.text("report_written", ws.language))
    for path in paths:
        out.print(f"  {path.as_posix()}")


@app.command()
def explain(
    month: MonthOpt,
    sku: Annotated[str, typer.Option(help="The SKU code (商家编码); empty for unallocated.")],
    workspace: WorkspaceOpt = Path("."),
    basis: BasisOpt = "posting",
    output: Annotated[
        Path | None, typer.Option(help="Write every traced row to this CSV file.")
    ] = None,
) -> None:
    """Trace each figure of a SKU to the statement rows (file, row) behind it.

    Prints the total per category, then the rows (file, row, fee, amount, the SKU's part, key,
    basis and share); --output writes all of them to a CSV file.

    Example: finance explain --month 2026-10 --sku YQ-PIL-MEM-GR --output pillow.csv
    """
    from finance.explain import explain as trace
    from finance.explain import not_reversed, summary

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        _check_basis(basis)
        result = pipeline.month_result(ws, store, month, period=basis)
        detail = trace(result, sku)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    if detail.height == 0:
        _fail(FinanceError("unknown_sku", sku=sku, month=month), ws.language)
    _table(summary(detail), money=("amount",))
    unreversed = not_reversed(result, sku)
    if unreversed.height:
        from finance.money import format_cents

        out.print(
            i18n.text(
                "explain_not_reversed",
                ws.language,
                orders=unreversed["order_id"].n_unique(),
                amount=format_cents(int(unreversed["cogs_not_reversed"].sum()), grouped=True),
                unknown=unreversed["cogs_not_reversed"].null_count(),
            )
        )
    shown = detail.drop("platform", "weight", "weight_total").with_columns(
        pl.col("posted_at").dt.strftime("%Y-%m-%d %H:%M:%S")
    )
    brief = shown.select(
        "category",
        "file",
        "source_row",
        pl.col("posted_at").str.slice(0, 10),
        "fee_name",
        key_value=pl.coalesce("order_id", "listing_id"),
        entry_amount="entry_amount",
        part="part",
        basis="basis",
        share="share",
    )
    _table(brief, money=("entry_amount", "part"), rows=DETAIL_ROWS)
    if output is not None:
        from finance.money import cents_to_text
        from finance.report.csvfile import write_for_excel

        write_for_excel(
            shown.with_columns(cents_to_text(pl.col(c)).alias(c) for c in ("entry_amount", "part")),
            output,
        )
        out.print(
            i18n.text("explain_written", ws.language, rows=detail.height, path=output.as_posix())
        )
    elif detail.height > DETAIL_ROWS:
        out.print(i18n.text("explain_more", ws.language, rows=detail.height, shown=DETAIL_ROWS))
