"""Allocated parts and unit costs -> the month's P&L per SKU (true margin, DESIGN.md "Money").

``month_books`` reads what the store holds for a month; ``cogs_parts`` prices units sold (net of
resellable returns) at the unit cost in force on the settlement date; ``pnl`` pivots parts into
one row per (platform, shop, sku) plus one row per shop (sku empty) for what stayed unallocated.
All amounts are signed cents in the parts (income +, cost -); the P&L shows costs as positive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl
from sqlalchemy import column

from finance import returns
from finance.allocate import PART_SCHEMA, Inputs, allocate, settled_orders
from finance.counted_once import Pair, count_once
from finance.errors import FinanceError
from finance.fx import stored_rates, to_base
from finance.money import ratio_text, round_half_up_div
from finance.returns import sales_of_orders
from finance.returns import with_cost as _with_cost
from finance.rulebook.allocation import AllocationRules
from finance.schema import (
    COST_CATEGORIES,
    COST_SCALE,
    EXCLUDED,
    MARGIN_CATEGORIES,
    PNL_COLUMNS,
    SALES_CATEGORIES,
)
from finance.store import Store
from finance.tax import TaxSettings
from finance.uncosted import estimated_cogs, flag_margins
from finance.vat import add_vat


@dataclass
class Books:
    """What the store holds that a month's P&L needs, as lazy frames."""

    month: str
    entries: pl.LazyFrame
    lines: pl.LazyFrame
    returns: pl.LazyFrame
    costs: pl.LazyFrame
    files: pl.DataFrame
    rules: AllocationRules = field(default_factory=AllocationRules)
    campaigns: pl.LazyFrame | None = None
    period: str = "posting"
    tax: TaxSettings = field(default_factory=TaxSettings)  # [tax]: the VAT view (finance/vat.py)
    shop_cost_rates: dict[str, int] = field(default_factory=dict)  # [costs.shops] (uncosted.py)
    # goods payments of the orders refunded in the month, whenever posted (returns.sold)
    sales: pl.LazyFrame | None = None

    def inputs(self) -> Inputs:
        """What allocation needs: order lines, refund list, SKU weights, campaigns, rules."""
        weights = (
            self.costs.filter(pl.col("weight_g").is_not_null())
            .sort("effective_from")
            .group_by("sku")
            .agg(weight_g=pl.col("weight_g").last())
        )
        extra = {} if self.campaigns is None else {"campaigns": self.campaigns}
        return Inputs(
            lines=self.lines, returns=self.returns, weights=weights, rules=self.rules, **extra
        )


PERIODS = ("posting", "order")


def month_books(
    store: Store,
    month: str,
    *,
    base_currency: str = "CNY",
    rules: AllocationRules | None = None,
    period: str = "posting",
    tax: TaxSettings | None = None,
    shop_cost_rates: dict[str, int] | None = None,
    pairs: Sequence[Pair] = (),
) -> Books:
    """The month's books. ``period="posting"``: entries posted in the month (the default, as
    the platform's own statement counts them); ``"order"``: entries linked to orders paid in
    the month, whenever they posted, plus the month's entries with no known order (cohort).
    ``pairs``: statement rows an imported report describes again become transfers
    (``counted_once``)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    if period == "posting":
        entries = store.frame("ledger", column("month") == month)
    else:
        entries = _order_period(store, month)
    if entries.height == 0:
        raise FinanceError(
            "no_data_for_month", month=month, months=", ".join(store.months()) or "-"
        )
    files = store.files()
    entries = count_once(entries, files, pairs)
    rates = stored_rates(store)
    entries = to_base(entries, rates, base_currency)
    costs = store.frame("unit_costs")
    if costs.height and (costs["currency"].fill_null(base_currency) != base_currency).any():
        costs = to_base(
            costs.with_columns(pl.col("currency").fill_null(base_currency)),
            rates,
            base_currency,
            amount="unit_cost",
            on="effective_from",
        )
    headers = store.frame("orders").lazy()
    lines = (
        store.frame("order_lines")
        .lazy()
        .join(
            headers.select(
                "platform", "order_id", h_paid="paid_at", h_waybill="waybill", h_shop="shop"
            ).unique(["platform", "order_id"]),
            on=["platform", "order_id"],
            how="left",
        )
        .with_columns(
            paid_at=pl.coalesce("paid_at", "h_paid"), waybill=pl.coalesce("waybill", "h_waybill")
        )
        .drop("h_paid", "h_waybill", "h_shop")
    )
    refunded = entries.filter(pl.col("category") == "refund")["order_id"].drop_nulls().unique()
    return Books(
        month=month,
        sales=sales_of_orders(store, refunded.to_list()).lazy(),
        entries=entries.lazy(),
        lines=lines,
        returns=store.frame("returns").lazy(),
        costs=costs.lazy(),
        files=files,
        rules=rules or AllocationRules(),
        period=period,
        campaigns=store.frame("campaign_skus").lazy(),
        tax=tax or TaxSettings(),
        shop_cost_rates=shop_cost_rates or {},
    )


def _order_period(store: Store, month: str) -> pl.DataFrame:
    """Ledger rows whose order was paid in ``month``, and the month's rows with no known order."""
    paid = (
        pl.concat(
            [
                store.frame(kind).select("platform", "order_id", "paid_at")
                for kind in ("order_lines", "orders")
            ]
        )
        .drop_nulls("paid_at")
        .group_by("platform", "order_id")
        .agg(paid_month=pl.col("paid_at").min().dt.strftime("%Y-%m"))
    )
    entries = store.frame("ledger")
    return (
        entries.join(paid, on=["platform", "order_id"], how="left")
        .filter(pl.coalesce("paid_month", "month") == month)
        .drop("paid_month")
    )


def units_sold(books: Books) -> pl.LazyFrame:
    """Order lines whose goods payment settled this month: platform, shop, sku, units, date.

    Where a settlement itself names the SKU and quantity of an order item (Amazon) and no order
    export has the order, the settlement's sales rows give the units (see ``settled_units``).
    """
    from_lines = (
        settled_orders(books.entries)
        .join(
            books.lines.select(
                "platform", "order_id", "sku", "quantity", "id", "file_id", "source_row"
            ),
            on=["platform", "order_id"],
            how="inner",
        )
        .filter(pl.col("sku").is_not_null())
    )
    return pl.concat([from_lines, settled_units(books)], how="diagonal_relaxed")


def settled_units(books: Books) -> pl.LazyFrame:
    """Units from sales entries that carry SKU and quantity, for orders in no order export.

    One order item shows on several money rows with the same quantity (Amazon V2: Principal,
    Shipping), so those count their largest quantity once, at the first sales entry. A row that
    carries units and no money (Amazon V1's units row, amount zero) states units of its own:
    where an order item has such rows, their quantities add up (V1 lists one order item twice,
    1 unit then 2, when Amazon splits it).
    """
    known = books.lines.select("platform", "order_id").unique()
    sales = books.entries.filter(
        (pl.col("category") == "sales")
        & pl.col("order_id").is_not_null()
        & pl.col("sku").is_not_null()
        & (pl.col("quantity") > 0)
    ).join(known, on=["platform", "order_id"], how="anti")
    return (
        sales.sort("id")
        .group_by("platform", "shop", "order_id", "sku")
        .agg(
            settled_at=pl.col("posted_at").min(),
            entry=pl.col("id").first(),
            quantity=pl.when((pl.col("amount") == 0).any())
            .then(pl.col("quantity").filter(pl.col("amount") == 0).sum())
            .otherwise(pl.col("quantity").max()),
            id=pl.col("id").first(),
            file_id=pl.col("file_id").first(),
            source_row=pl.col("source_row").first(),
        )
        .select(
            "platform",
            "shop",
            "order_id",
            "settled_at",
            "entry",
            "sku",
            "quantity",
            "id",
            "file_id",
            "source_row",
        )
    )


def units_returned(books: Books) -> pl.LazyFrame:
    """Units that came back with refunds posted this month (``returns.units_returned``)."""
    return returns.units_returned(books.entries, books.returns, books.lines, _sales(books))


def _sales(books: Books) -> pl.LazyFrame:
    if books.sales is not None:
        return books.sales
    return books.entries.filter(pl.col("category") == "sales").select(returns.SALES_COLUMNS)


def unreversed(books: Books) -> pl.LazyFrame:
    """Refunds this month with no return information, and the COGS they did not reverse."""
    return returns.unreversed(books.entries, books.returns, books.lines, _sales(books), books.costs)


def cogs_parts(books: Books) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """COGS parts (negative cents per SKU) and the units per SKU (sold, returned, cost missing).

    Sold units cost what was in force when the goods payment settled; returned units reverse
    COGS at the cost they left at (in force when their goods payment settled); unsellable
    returns reverse COGS too and are charged as ``return_cost`` (the goods are lost, once).
    """
    sold = _with_cost(units_sold(books), books.costs, "settled_at").with_columns(
        amount=-round_half_up_div(pl.col("quantity") * pl.col("unit_cost"), 10 ** (COST_SCALE - 2)),
        category=pl.lit("cogs"),
    )
    back = _with_cost(units_returned(books), books.costs, "priced_at").with_columns(
        amount=round_half_up_div(pl.col("quantity") * pl.col("unit_cost"), 10 ** (COST_SCALE - 2)),
        category=pl.lit("cogs"),
    )
    # Unsellable goods came back too (their COGS is reversed above), but are lost: their unit
    # cost is charged again as return_cost, so the loss counts once, in the right category.
    lost = back.filter(pl.col("unsellable")).with_columns(
        amount=-pl.col("amount"), category=pl.lit("return_cost")
    )
    parts = pl.concat(
        [
            frame.filter(pl.col("unit_cost").is_not_null()).select(
                "entry",
                "platform",
                "shop",
                "sku",
                "category",
                "amount",
                origin=pl.lit("unit costs"),
                key=pl.lit("sku"),
                basis=pl.lit(basis),
                weight=pl.col("quantity"),
                weight_total=pl.col("unit_cost"),
                reason=pl.lit(None, pl.String),
            )
            for frame, basis in (
                (sold, "units x unit cost"),
                (back, "returned units x unit cost"),
                (lost, "unsellable returned units x unit cost"),
            )
        ]
    ).select(pl.col(c).cast(t) for c, t in PART_SCHEMA.items())
    units = (
        pl.concat(
            [
                sold.select(
                    "platform",
                    "shop",
                    "sku",
                    sold=pl.col("quantity"),
                    returned=pl.lit(0),
                    inferred=pl.lit(False),
                    no_cost=pl.col("unit_cost").is_null(),
                ),
                back.select(
                    "platform",
                    "shop",
                    "sku",
                    sold=pl.lit(0),
                    returned=pl.col("quantity"),
                    inferred=pl.col("inferred"),
                    no_cost=pl.col("unit_cost").is_null(),
                ),
            ],
            how="vertical_relaxed",
        )
        .group_by("platform", "shop", "sku")
        .agg(
            units_sold=pl.col("sold").sum(),
            units_returned=pl.col("returned").sum(),
            returns_inferred=pl.col("inferred").any(),
            cost_missing=pl.col("no_cost").any(),
        )
    )
    return parts, units


@dataclass
class MonthResult:
    """A month's allocated parts, its P&L rows and what stayed outside margin."""

    month: str
    parts: pl.DataFrame  # every allocated part (incl. COGS), signed cents
    pnl: pl.DataFrame  # one row per (platform, shop, sku); sku null = unallocated
    excluded: pl.DataFrame  # transfers, deposits, tax: (platform, shop, category, amount)
    entries: pl.DataFrame  # the month's ledger entries
    files: pl.DataFrame
    period: str = "posting"
    tax: TaxSettings = field(default_factory=TaxSettings)  # the VAT basis of pnl's VAT columns
    # refunds with no return information and the COGS they did not reverse (returns.py)
    unreversed: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=returns.UNREVERSED_SCHEMA)
    )


def compute(books: Books) -> MonthResult:
    """Allocate the month and build its P&L."""
    parts = allocate(books.entries, books.inputs())
    cogs, units = cogs_parts(books)
    placed = pl.concat([parts, cogs]).collect()
    estimates = estimated_cogs(placed.lazy(), books.shop_cost_rates).collect()
    all_parts = pl.concat([placed, estimates]) if estimates.height else placed
    table = flag_margins(
        pnl(all_parts.lazy(), units).collect(), all_parts, estimates=bool(books.shop_cost_rates)
    )
    return MonthResult(
        month=books.month,
        parts=all_parts,
        pnl=add_vat(table, books.tax, books.costs, books.month),
        excluded=books.entries.filter(pl.col("category").is_in(list(EXCLUDED)))
        .group_by("platform", "shop", "category")
        .agg(amount=pl.col("amount").sum(), rows=pl.len())
        .sort("platform", "shop", "category")
        .collect(),
        entries=books.entries.collect(),
        files=books.files,
        period=books.period,
        tax=books.tax,
        unreversed=unreversed(books).collect(),
    )


def pnl(parts: pl.LazyFrame, units: pl.LazyFrame) -> pl.LazyFrame:
    """One row per (platform, shop, sku) with every P&L column in cents (costs positive)."""
    signed = {c: 1 for c in ("sales", "platform_subsidy", "unclassified")} | {
        c: -1 for c in (*COST_CATEGORIES, "refund")
    }
    sums = parts.group_by("platform", "shop", "sku").agg(
        *[
            (pl.col("amount").filter(pl.col("category") == c).sum() * signed[c]).alias(c)
            for c in PNL_COLUMNS
            if c != "sales"
        ],
        # sales net of the discounts the seller funds (contra-revenue); the discount beside it
        sales=pl.col("amount").filter(pl.col("category").is_in(SALES_CATEGORIES)).sum(),
        discount=-pl.col("amount").filter(pl.col("category") == "discount").sum(),
        true_margin=pl.col("amount")
        .filter(pl.col("category").is_in(list(MARGIN_CATEGORIES)))
        .sum(),
    )
    keyed = ["platform", "shop", "sku"]
    table = (
        sums.join(units, on=keyed, how="full", coalesce=True, nulls_equal=True)
        .with_columns(pl.col(c).fill_null(0) for c in [*PNL_COLUMNS, "discount", "true_margin"])
        .with_columns(
            units_sold=pl.col("units_sold").fill_null(0),
            units_returned=pl.col("units_returned").fill_null(0),
            returns_inferred=pl.col("returns_inferred").fill_null(False),
            cost_missing=pl.col("cost_missing").fill_null(False) & pl.col("sku").is_not_null(),
        )
        .with_columns(
            margin_pct=ratio_text(pl.col("true_margin"), pl.col("sales") - pl.col("refund")),
        )
    )
    return table.sort(["platform", "shop", pl.col("sku").is_null(), "sku"])
