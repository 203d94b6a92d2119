"""Ledger entries -> allocated parts: every cent of a month pinned to a SKU, or left visibly
unallocated with its reason (DESIGN.md, "Allocation").

An entry is pinned by the most specific key it carries: SKU, then order (the order's lines; a
refund goes to the SKUs the refund list names), waybill (its orders' lines, in whichever
platform's and shop's order export they are: a courier bills the seller), listing (the
listing's SKUs), campaign (the campaign's SKUs, from campaign-skus), then shop and month (the
shop's SKUs). A key that resolves to nothing stays unallocated, with a reason.

Within a group the split follows the category's basis from ``rules/allocation.toml`` (revenue,
quantity, weight, order count), falling back as declared when a basis cannot be used; each part
records the basis used. Every step is a function from LazyFrame to LazyFrame; ``money.split``
does the largest-remainder arithmetic.

A part row: ``entry`` (ledger row id; negative for a fixed cost from the rules), ``origin``,
platform, shop, sku (null when unallocated), category, amount (signed cents), key, basis,
weight, weight_total, reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from finance.money import split
from finance.rulebook.allocation import BASES, AllocationRules
from finance.schema import EXCLUDED
from finance.waybills import owners, shipped

PART_SCHEMA = {
    "entry": pl.Int64,
    "origin": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "sku": pl.String,
    "category": pl.String,
    "amount": pl.Int64,
    "key": pl.String,
    "basis": pl.String,
    "weight": pl.Int64,
    "weight_total": pl.Int64,
    "reason": pl.String,
}
W = [f"w_{b}" for b in BASES]

NO_ORDER = "order {} is in no order export"
NO_WAYBILL = "waybill {} is in no order export"
SHARED_WAYBILL = "waybill {} is in the order exports of several shops: {}"
NO_LISTING = "listing {} is in no order export"
NO_CAMPAIGN = "campaign {} has no SKUs in campaign-skus"
NO_SALES = "the shop has no SKU sales this month"
NO_SKU_CODE = "the order line has no SKU code (商家编码)"
REASONS = (NO_ORDER, NO_WAYBILL, SHARED_WAYBILL, NO_LISTING, NO_CAMPAIGN, NO_SALES, NO_SKU_CODE)
"""Why a part stays unallocated (English, stable; ``i18n.reason_text`` translates them)."""


@dataclass
class Inputs:
    """What allocation needs besides the month's entries."""

    lines: pl.LazyFrame  # order lines: platform, order_id, line_id, id, sku, listing_id,
    #                      quantity, line_amount, waybill
    returns: pl.LazyFrame  # refund list: platform, order_id, sku, amount
    weights: pl.LazyFrame = field(  # sku, weight_g (grams per unit)
        default_factory=lambda: pl.LazyFrame(schema={"sku": pl.String, "weight_g": pl.Int64})
    )
    campaigns: pl.LazyFrame = field(  # platform, campaign, sku
        default_factory=lambda: pl.LazyFrame(
            schema={"platform": pl.String, "campaign": pl.String, "sku": pl.String}
        )
    )
    rules: AllocationRules = field(default_factory=AllocationRules)


def _parts(frame: pl.LazyFrame) -> pl.LazyFrame:
    have = set(frame.collect_schema().names())
    return frame.with_columns(
        pl.lit(None, t).alias(c) for c, t in PART_SCHEMA.items() if c not in have
    ).select(pl.col(c).cast(t) for c, t in PART_SCHEMA.items())


def _usable(basis: str) -> pl.Expr:
    w = pl.col(f"w_{basis}")
    return w.is_not_null().all().over("entry") & (w.fill_null(0).sum().over("entry") > 0)


def choose_basis(candidates: pl.LazyFrame, rules: AllocationRules) -> pl.LazyFrame:
    """Set ``weight`` and ``basis`` on each candidate from its entry's category (or the entry's
    own ``basis_override``): the first basis of the chain every recipient has a weight for."""

    def chain_expr(chain: list[str]) -> pl.Expr:
        expr: pl.Expr = pl.lit("equal")
        for basis in reversed(chain):
            label = basis if basis == chain[0] else f"{basis} (no {chain[0]} for every SKU)"
            expr = pl.when(pl.col(f"__usable_{basis}")).then(pl.lit(label)).otherwise(expr)
        return expr

    # categories grouped by their chain (those the rules leave on the default need no branch)
    default = rules.chain(rules.default)
    by_chain: dict[tuple[str, ...], list[str]] = {}
    for category in rules.basis:
        chain = rules.chain(category)
        if chain != default:
            by_chain.setdefault(tuple(chain), []).append(category)
    chosen = chain_expr(default)
    for chain, categories in by_chain.items():
        chosen = (
            pl.when(pl.col("category").is_in(categories))
            .then(chain_expr(list(chain)))
            .otherwise(chosen)
        )
    for basis in BASES:
        chosen = (
            pl.when(pl.col("basis_override") == basis)
            .then(chain_expr(rules.fallbacks(basis)))
            .otherwise(chosen)
        )
    weight = pl.lit(1, pl.Int64)
    for basis in BASES:
        weight = (
            pl.when(pl.col("basis").str.starts_with(basis))
            .then(pl.col(f"w_{basis}"))
            .otherwise(weight)
        )
    usable = [f"__usable_{basis}" for basis in BASES]
    return (
        candidates.with_columns(
            _usable(basis).alias(name) for basis, name in zip(BASES, usable, strict=True)
        )
        .with_columns(basis=chosen)
        .with_columns(weight=weight)
        .drop(usable)
    )


def _split_parts(candidates: pl.LazyFrame, *, key: str) -> pl.LazyFrame:
    """``candidates``: one row per (entry, recipient) with ``weight`` and ``basis``."""
    return (
        candidates.with_columns(weight=pl.col("weight").fill_null(0).clip(lower_bound=0))
        .with_columns(weight_total=pl.col("weight").sum().over("entry"))
        .with_columns(
            basis=pl.when(pl.col("weight_total") == 0)
            .then(pl.lit("equal (every weight is zero)"))
            .otherwise(pl.col("basis")),
            key=pl.lit(key),
            __tb=pl.col("sku").fill_null(""),
        )
        .pipe(
            split,
            group=["entry"],
            amount="amount",
            weight="weight",
            tiebreak=["__tb", "__line"],
            out="part",
        )
        .with_columns(amount=pl.col("part"))
        .pipe(_parts)
    )


def _unallocated(entries: pl.LazyFrame, reason: pl.Expr, key: str) -> pl.LazyFrame:
    return entries.with_columns(
        sku=pl.lit(None, pl.String), key=pl.lit(key), basis=pl.lit(None, pl.String), reason=reason
    ).pipe(_parts)


def settled_orders(entries: pl.LazyFrame) -> pl.LazyFrame:
    """Orders whose goods payment posted among ``entries``: platform, shop, order_id, when it
    settled and the first sales entry. Units sold, COGS, quantity and order-count bases and
    per-parcel costs all count these orders."""
    return (
        entries.filter((pl.col("category") == "sales") & pl.col("order_id").is_not_null())
        .group_by("platform", "shop", "order_id")
        .agg(settled_at=pl.col("posted_at").min(), entry=pl.col("id").min())
    )


def in_margin(entries: pl.LazyFrame) -> pl.LazyFrame:
    """Entries that count in true margin (not transfers, deposits or tax)."""
    return entries.filter(~pl.col("category").is_in(list(EXCLUDED)))


def line_weights(lines: pl.LazyFrame, weights: pl.LazyFrame) -> pl.LazyFrame:
    """Order lines with one weight column per basis (null where the basis has no value)."""
    return lines.join(weights, on="sku", how="left").select(
        "platform",
        "order_id",
        "sku",
        "listing_id",
        "waybill",
        __shop=pl.col("shop"),
        __line=pl.col("line_id").fill_null(pl.col("id").cast(pl.String)),
        w_revenue=pl.col("line_amount"),
        w_quantity=pl.col("quantity"),
        w_weight=pl.col("quantity") * pl.col("weight_g"),
        w_order_count=pl.lit(1, pl.Int64),
    )


def sku_month_weights(entries: pl.LazyFrame, parts: pl.LazyFrame, inputs: Inputs) -> pl.LazyFrame:
    """Each SKU's month, per shop: sales before refunds (from the parts so far), units and
    orders whose goods payment settled this month, and units x weight."""
    sales = (
        parts.filter((pl.col("category") == "sales") & pl.col("sku").is_not_null())
        .group_by("platform", "shop", "sku")
        .agg(w_revenue=pl.col("amount").sum())
    )
    settled = (
        settled_orders(entries)
        .join(
            inputs.lines.select("platform", "order_id", "sku", "quantity"),
            on=["platform", "order_id"],
        )
        .filter(pl.col("sku").is_not_null())
        .group_by("platform", "shop", "sku")
        .agg(w_quantity=pl.col("quantity").sum(), w_order_count=pl.col("order_id").n_unique())
    )
    return (
        sales.join(settled, on=["platform", "shop", "sku"], how="full", coalesce=True)
        .join(inputs.weights, on="sku", how="left")
        .with_columns(
            pl.col("w_revenue", "w_quantity", "w_order_count").fill_null(0),
            w_weight=pl.col("w_quantity").fill_null(0) * pl.col("weight_g"),
        )
        .select("platform", "shop", "sku", *W)
    )


def by_sku(entries: pl.LazyFrame) -> pl.LazyFrame:
    return (
        entries.filter(pl.col("sku").is_not_null())
        .with_columns(
            key=pl.lit("sku"), basis=pl.lit("direct"), weight=pl.lit(1), weight_total=pl.lit(1)
        )
        .pipe(_parts)
    )


def _todo(entries: pl.LazyFrame, *, has: str, lacks: tuple[str, ...]) -> pl.LazyFrame:
    cond = pl.col(has).is_not_null()
    for name in lacks:
        cond &= pl.col(name).is_null()
    return entries.filter(cond).drop("sku")


def by_order(entries: pl.LazyFrame, inputs: Inputs, lines: pl.LazyFrame) -> pl.LazyFrame:
    """Entries with an order id: the order's lines by basis; refunds the refund list covers go
    to the SKUs it names, by refunded amount."""
    todo = _todo(entries, has="order_id", lacks=("sku",))
    refunded = (
        inputs.returns.filter(pl.col("sku").is_not_null())
        .group_by("platform", "order_id", "sku")
        .agg(weight=pl.col("amount").fill_null(0).sum())
        # a return source without refund amounts (Amazon's FBA returns, a sales report's order
        # lines) says nothing about how a refund splits: the order's lines do
        .filter(pl.col("weight") > 0)
        .with_columns(__line=pl.col("sku"), basis=pl.lit("refund list amount"))
    )
    refunds = todo.filter(pl.col("category") == "refund")
    pinned = refunds.join(refunded, on=["platform", "order_id"], how="inner")
    rest = pl.concat(
        [
            todo.filter(pl.col("category") != "refund"),
            refunds.join(
                refunded.select("platform", "order_id").unique(),
                on=["platform", "order_id"],
                how="anti",
            ),
        ]
    )
    on_lines = rest.join(lines.drop("listing_id", "waybill"), on=["platform", "order_id"])
    missing = rest.join(
        lines.select("platform", "order_id").unique(), on=["platform", "order_id"], how="anti"
    )
    return pl.concat(
        [
            _split_parts(pinned, key="order"),
            _split_parts(choose_basis(on_lines, inputs.rules), key="order"),
            _unallocated(missing, pl.format(NO_ORDER, pl.col("order_id")), "order"),
        ]
    ).pipe(_no_sku_reason)


def by_waybill(entries: pl.LazyFrame, inputs: Inputs, lines: pl.LazyFrame) -> pl.LazyFrame:
    """Entries with a waybill only (courier bills, parcels): the lines shipped under it.

    A courier bills the seller, not a platform: a waybill is looked up in the order exports of
    every platform and shop, and its parts take the platform and shop of the lines it shipped.
    A waybill in the exports of two shops is not split by guess: it stays unallocated, naming
    the shops; one in no export stays unallocated too. Either way on the entry's own platform
    and shop (a courier bill's: the ``courier`` platform, its courier as the shop).
    """
    todo = _todo(entries, has="waybill", lacks=("sku", "order_id"))
    lines = lines.filter(pl.col("waybill").is_not_null())
    found = owners(shipped(lines.with_columns(shop=pl.col("__shop")))).select(
        "waybill", "owners", "owner_names"
    )
    todo = todo.join(found, on="waybill", how="left")
    one = todo.filter(pl.col("owners") == 1).drop("owners", "owner_names")
    candidates = one.join(
        lines.drop("order_id", "listing_id").rename({"platform": "__platform"}), on="waybill"
    ).with_columns(platform=pl.col("__platform"), shop=pl.col("__shop"))
    return pl.concat(
        [
            _split_parts(choose_basis(candidates, inputs.rules), key="waybill"),
            _unallocated(
                todo.filter(pl.col("owners") > 1),
                pl.format(SHARED_WAYBILL, pl.col("waybill"), pl.col("owner_names")),
                "waybill",
            ),
            _unallocated(
                todo.filter(pl.col("owners").is_null()),
                pl.format(NO_WAYBILL, pl.col("waybill")),
                "waybill",
            ),
        ]
    ).pipe(_no_sku_reason)


def _no_sku_reason(parts: pl.LazyFrame) -> pl.LazyFrame:
    return parts.with_columns(
        reason=pl.when(pl.col("sku").is_null() & pl.col("reason").is_null())
        .then(pl.lit(NO_SKU_CODE))
        .otherwise(pl.col("reason"))
    )


def _by_group(
    todo: pl.LazyFrame,
    members: pl.LazyFrame,
    on: str,
    month: pl.LazyFrame,
    inputs: Inputs,
    *,
    key: str,
    reason: str,
) -> pl.LazyFrame:
    """Split entries over a group's SKUs (listing, campaign) by their month weights."""
    candidates = (
        todo.join(members, on=["platform", on])
        .join(month.drop("w_weight"), on=["platform", "shop", "sku"], how="left")
        .with_columns(pl.col("w_revenue", "w_quantity", "w_order_count").fill_null(0))
        .join(inputs.weights, on="sku", how="left")
        .with_columns(w_weight=pl.col("w_quantity") * pl.col("weight_g"), __line=pl.col("sku"))
    )
    missing = todo.join(members.select("platform", on).unique(), on=["platform", on], how="anti")
    return pl.concat(
        [
            _split_parts(choose_basis(candidates, inputs.rules), key=key),
            _unallocated(missing, pl.format(reason, pl.col(on)), key),
        ]
    )


def by_listing(entries: pl.LazyFrame, inputs: Inputs, month: pl.LazyFrame) -> pl.LazyFrame:
    """Entries with a listing id only (ad spend per item): the listing's SKUs."""
    todo = _todo(entries, has="listing_id", lacks=("sku", "order_id", "waybill"))
    members = (
        inputs.lines.filter(pl.col("listing_id").is_not_null() & pl.col("sku").is_not_null())
        .select("platform", "listing_id", "sku")
        .unique()
    )
    return _by_group(todo, members, "listing_id", month, inputs, key="listing", reason=NO_LISTING)


def by_campaign(entries: pl.LazyFrame, inputs: Inputs, month: pl.LazyFrame) -> pl.LazyFrame:
    """Entries with a campaign only: the campaign's SKUs from the campaign-skus table."""
    todo = _todo(entries, has="campaign", lacks=("sku", "order_id", "waybill", "listing_id"))
    members = inputs.campaigns.select("platform", "campaign", "sku").unique()
    return _by_group(todo, members, "campaign", month, inputs, key="campaign", reason=NO_CAMPAIGN)


def by_shop(entries: pl.LazyFrame, inputs: Inputs, month: pl.LazyFrame) -> pl.LazyFrame:
    """Entries with no key at all: the shop's SKUs that month."""
    todo = entries.filter(
        pl.all_horizontal(
            pl.col(c).is_null() for c in ("sku", "order_id", "waybill", "listing_id", "campaign")
        )
    ).drop("sku")
    active = month.filter(pl.any_horizontal(pl.col(W).fill_null(0) > 0))
    candidates = todo.join(active, on=["platform", "shop"]).with_columns(__line=pl.col("sku"))
    missing = todo.join(
        active.select("platform", "shop").unique(), on=["platform", "shop"], how="anti"
    )
    return pl.concat(
        [
            _split_parts(choose_basis(candidates, inputs.rules), key="shop"),
            _unallocated(missing, pl.lit(NO_SALES), "shop"),
        ]
    )


def fixed_costs(entries: pl.LazyFrame, inputs: Inputs, month: pl.LazyFrame) -> pl.LazyFrame:
    """Costs the rules declare: per parcel or unit of orders settled this month, and monthly
    shop costs. Returned as synthetic entries (negative ids) to allocate like ledger rows."""
    settled = settled_orders(entries).join(
        inputs.lines.select("platform", "order_id", "sku", "quantity", "waybill"),
        on=["platform", "order_id"],
    )
    frames = []
    for i, cost in enumerate(inputs.rules.fixed):
        scope = pl.lit(True)
        if cost.platform:
            scope &= pl.col("platform") == cost.platform
        if cost.shop:
            scope &= pl.col("shop") == cost.shop
        origin = f"allocation.toml [[fixed]] {cost.name}"
        if cost.per == "parcel":
            parcels = (
                settled.filter(scope)
                .with_columns(parcel=pl.coalesce("waybill", "order_id"))
                .group_by("platform", "shop", "parcel")
                .agg(order_id=pl.col("order_id").first(), waybill=pl.col("waybill").first())
                .with_columns(
                    order_id=pl.when(pl.col("waybill").is_null()).then(pl.col("order_id"))
                )
            )
            frames.append(
                parcels.select(
                    "platform",
                    "shop",
                    "order_id",
                    "waybill",
                    amount=pl.lit(-cost.amount),
                    category=pl.lit(cost.category),
                    origin=pl.lit(origin),
                    basis_override=pl.lit(None),
                    fixed=pl.lit(i),
                )
            )
        else:
            frames.append(
                settled.filter(scope & pl.col("sku").is_not_null())
                .group_by("platform", "shop", "sku")
                .agg(units=pl.col("quantity").sum())
                .select(
                    "platform",
                    "shop",
                    "sku",
                    amount=-pl.col("units") * cost.amount,
                    category=pl.lit(cost.category),
                    origin=pl.lit(origin),
                    basis_override=pl.lit(None),
                    fixed=pl.lit(i),
                )
            )
    for cost in inputs.rules.monthly:
        frames.append(
            pl.LazyFrame(
                {
                    "platform": [cost.platform],
                    "shop": [cost.shop],
                    "amount": [-cost.amount],
                    "category": [cost.category],
                    "basis_override": [cost.basis],
                    "origin": [f"allocation.toml [[monthly]] {cost.name}"],
                    "fixed": [-1],
                }
            )
        )
    if not frames:
        return entries.clear()
    schema = entries.collect_schema()
    synthetic = pl.concat(
        [f.with_columns(pl.col("amount").cast(pl.Int64)) for f in frames], how="diagonal_relaxed"
    )
    have = set(synthetic.collect_schema().names())
    return (
        synthetic.with_columns(pl.lit(None, t).alias(c) for c, t in schema.items() if c not in have)
        .with_columns(id=-(pl.int_range(1, pl.len() + 1)), entry=-(pl.int_range(1, pl.len() + 1)))
        .select(*schema.names())
    )


def allocate(entries: pl.LazyFrame, inputs: Inputs) -> pl.LazyFrame:
    """All parts of a month's in-margin entries (``entries``: ledger rows with ``id``) and of
    the fixed costs the rules declare."""
    entries = in_margin(entries).with_columns(
        entry=pl.col("id"), origin=pl.lit("ledger"), basis_override=pl.lit(None, pl.String)
    )
    lines = line_weights(inputs.lines, inputs.weights)
    first = pl.concat([by_sku(entries), by_order(entries, inputs, lines)]).collect().lazy()
    month = sku_month_weights(entries, first, inputs).collect().lazy()
    synthetic = fixed_costs(entries, inputs, month).collect().lazy()
    rest = [
        by_waybill(entries, inputs, lines),
        by_listing(entries, inputs, month),
        by_campaign(entries, inputs, month),
        by_shop(entries, inputs, month),
    ]
    extra = [
        by_sku(synthetic),
        by_order(synthetic, inputs, lines),
        by_waybill(synthetic, inputs, lines),
        by_shop(synthetic, inputs, month),
    ]
    return pl.concat([first, *rest, *extra])
