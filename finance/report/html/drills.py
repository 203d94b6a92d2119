"""Charts (as shapes for ``_chart.html``) and the drill-downs of the best and worst SKUs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from finance.i18n import basis_text
from finance.report import charts
from finance.report.charts import Chart
from finance.report.html.cells import money_cell, money_text, ratio
from finance.report.html.context import DRILL_DEFAULT, Cell, Drill, Row, Table
from finance.report.html.summary import _platform_costs
from finance.report.labels import category_name, label, platform_name
from finance.schema import COST_CATEGORIES

if TYPE_CHECKING:
    from finance.report import Figures


def chart_list(figs: Figures, lang: str) -> list[Chart]:
    """The waterfall, the cost structure by platform, the best and worst SKUs, the trend."""
    shown = [(label(n, lang), v) for n, v in charts.waterfall_steps(figs)]
    waterfall = charts.waterfall(
        shown,
        (label("true_margin", lang), figs.total("true_margin")),
        title=label("waterfall_heading", lang),
    )
    costs = charts.stacked_shares(
        [(platform_name(p, lang), net, c) for p, net, c in _platform_costs(figs)],
        [label(c, lang) for c in COST_CATEGORIES],
        title=f"{label('costs_by_platform', lang)} ({label('share_of_net_sales', lang)})",
        empty=label("none", lang),
    )
    ranked = figs.skus.filter(pl.col("sku").is_not_null()).sort(
        "true_margin", "platform", "shop", "sku", descending=[True, False, False, False]
    )
    keys = set(figs.drill) or {
        tuple(k)
        for frame in (ranked.head(DRILL_DEFAULT), ranked.tail(DRILL_DEFAULT))
        for k in frame.select("platform", "shop", "sku").iter_rows()
    }
    picked = ranked.filter(
        pl.struct("platform", "shop", "sku").is_in(
            [{"platform": p, "shop": s, "sku": k} for p, s, k in keys]
        )
    )
    best_worst = charts.ranked_bars(
        [
            (f"{sku} · {shop}", int(m))
            for sku, shop, m in picked.select("sku", "shop", "true_margin").iter_rows()
        ],
        title=label("best_worst_heading", lang),
        empty=label("none", lang),
    )
    trend_rows = []
    for month, sales, refund, margin in figs.trend.iter_rows():
        trend_rows.append((month, sales - refund, margin, ratio(margin, sales - refund)))
    trend = charts.trend(trend_rows, lang=lang, title=label("trend_heading", lang))
    return [waterfall, costs, best_worst, trend]


DRILL_COLUMNS = (
    ("category", "category", ""),
    ("part", "part", "num"),
    ("entry_amount", "entry_amount", "num"),
    ("share", "share", "num"),
    ("basis", "basis", ""),
    ("fee_name", "fee_name", "wrap"),
    ("order_id", "order_id", ""),
    ("posted_at", "posted_at", ""),
    ("file", "source_file", "wrap"),
    ("source_row", "source_row", "num"),
)


def drill_table(rows: pl.DataFrame, lang: str, *, id: str, caption: str) -> Table:
    """``finance.explain`` rows as the drill-down table: category, the SKU's part, the entry,
    share, basis, fee name, order, date, file and row."""
    headers = [Cell(label(name, lang), css=css) for _, name, css in DRILL_COLUMNS]
    body = []
    for r in rows.iter_rows(named=True):
        cells = []
        for column, _, css in DRILL_COLUMNS:
            value = r[column]
            if column in ("entry_amount", "part"):
                cells.append(money_cell(value) if value is not None else Cell("", css="num"))
            elif column == "category":
                cells.append(Cell(category_name(value, lang)))
            elif column == "basis":
                cells.append(Cell(basis_text(value, lang)))
            elif column == "posted_at":
                cells.append(Cell(str(value)[:16] if value is not None else ""))
            else:
                cells.append(Cell("" if value is None else str(value), css=css))
        body.append(Row(cells))
    return Table(id, caption, headers, body, label("none", lang))


def drill_list(figs: Figures, lang: str) -> list[Drill]:
    """Each traced SKU: its parts with the file, row and fee name they came from."""
    out = []
    margins = {
        (p, s, k): m
        for p, s, k, m in figs.skus.select("platform", "shop", "sku", "true_margin").iter_rows()
    }
    for i, (key, rows) in enumerate(figs.drill.items(), start=1):
        platform, shop, sku = key
        margin = margins.get(key, 0)
        title = f"{sku} · {shop} · {platform_name(platform, lang)}"
        note = f"{label('true_margin', lang)} {money_text(margin)}"
        table = drill_table(rows, lang, id=f"drill-{i}-rows", caption=title)
        out.append(Drill(f"drill-{i}", title, note, table))
    return out
