"""The report's "Accounting basis" section (口径说明): what the month's figures rest on, said in
the report itself (docs/accounting.md).

- Sales are net of the price discounts the seller funds (``discount``: contra-revenue).
- Each cost is counted once: an imported ad report is the advertising; the statement's ad
  charge for the same spend is a payment (its reconciliation is in the Reconciliation section).
- VAT: the ``[tax]`` regime and rates the ex-VAT figures use, or that there is none.
- Cost of goods: returned units reverse it at the cost they left at; a refund no return source
  covers did not reverse it, and the table lists each such refund with the COGS at stake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from finance import i18n
from finance.money import format_cents
from finance.returns import NO_COST, NO_RETURN_INFO, NO_SALE
from finance.section import Section

if TYPE_CHECKING:
    from finance.margin import MonthResult
    from finance.store import Store
    from finance.workspace import Workspace

COLUMNS = {
    "platform": {"zh-CN": "平台", "en": "Platform"},
    "shop": {"zh-CN": "店铺", "en": "Shop"},
    "sku": {"zh-CN": "SKU", "en": "SKU"},
    "order_id": {"zh-CN": "订单号", "en": "Order"},
    "refund": {"zh-CN": "退款", "en": "Refund"},
    "units": {"zh-CN": "售出件数", "en": "Units sold"},
    "cogs_not_reversed": {"zh-CN": "未冲回的商品成本", "en": "COGS not reversed"},
    "reason": {"zh-CN": "说明", "en": "Why"},
}
REASONS = {
    NO_RETURN_INFO: {"zh-CN": "有退款，没有退货信息", "en": NO_RETURN_INFO},
    NO_SALE: {"zh-CN": "退款订单的货款和订单明细都没有导入", "en": NO_SALE},
    NO_COST: {"zh-CN": "该 SKU 没有成本价", "en": NO_COST},
}


def _money(cents: int) -> str:
    return format_cents(cents, grouped=True)


def lines(result: MonthResult, lang: str, base: str) -> list[str]:
    """The basis, in ``lang``: sales net of discounts, ads counted once, returns and COGS."""
    pnl = result.pnl
    out = []
    shops = (
        pnl.group_by("platform", "shop")
        .agg(pl.col("sales").sum(), pl.col("discount").sum())
        .filter(pl.col("discount") != 0)
        .sort("platform", "shop")
    )
    if shops.height == 0:
        out.append(i18n.text("basis_sales_net_none", lang))
    else:
        out.append(i18n.text("basis_sales_net", lang))
        for row in shops.iter_rows(named=True):
            out.append(
                i18n.text(
                    "basis_discount_line",
                    lang,
                    shop=row["shop"],
                    platform=row["platform"],
                    gross=_money(row["sales"] + row["discount"]),
                    discount=_money(row["discount"]),
                    net=_money(row["sales"]),
                    currency=base,
                )
            )
    out.append(i18n.text("basis_ads_once", lang))
    # VAT: the regime and rates the ex-VAT figures use, or that the figures include VAT
    out.extend(
        result.tax.describe(lang) if result.tax.active else [i18n.text("vat_basis_none", lang)]
    )
    out.append(i18n.text("basis_cogs", lang))
    unreversed = (
        result.unreversed.group_by("platform", "shop")
        .agg(
            orders=pl.col("order_id").n_unique(),
            amount=pl.col("cogs_not_reversed").sum(),
            unknown=pl.col("cogs_not_reversed").null_count(),
        )
        .sort("platform", "shop")
    )
    if unreversed.height == 0:
        out.append(i18n.text("basis_all_returns_known", lang))
    for row in unreversed.iter_rows(named=True):
        out.append(
            i18n.text(
                "basis_cogs_not_reversed",
                lang,
                shop=row["shop"],
                platform=row["platform"],
                orders=row["orders"],
                amount=_money(int(row["amount"])),
                currency=base,
                unknown=row["unknown"],
            )
        )
    return out


def section(result: MonthResult, lang: str, base: str) -> Section:
    """The section: the basis lines above the refunds whose COGS was not reversed."""
    frame = result.unreversed.sort("platform", "shop", "sku", "order_id", nulls_last=True)

    def rows(lg: str) -> pl.DataFrame:
        return frame.select(
            *COLUMNS.keys() - {"reason"},
            reason=pl.col("reason").replace_strict(
                {k: v[lg] for k, v in REASONS.items()}, default=pl.col("reason")
            ),
        ).select(list(COLUMNS))

    return Section(
        key="basis",
        title=i18n.per_lang("basis_title"),
        frame=rows(lang),
        frames={lg: rows(lg) for lg in i18n.LANGS},
        labels=COLUMNS,
        money=("refund", "cogs_not_reversed"),
        summary={lg: lines(result, lg, base) for lg in i18n.LANGS},
    )


def provide(ws: Workspace, store: Store, month: str) -> list[Section]:
    """The report provider (the month's result is computed once per report run)."""
    from finance.month import month_result

    return [section(month_result(ws, store, month), ws.language, ws.base_currency)]
