"""The canonical tables: what every statement format is normalised into.

Declared once here. A rules file maps a statement's columns onto the fields of one *kind*;
the loader rejects a field the kind does not have, and ``normalise`` returns exactly these
columns with these types.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

CATEGORIES: dict[str, str] = {
    "sales": "+",
    "discount": "-",
    "refund": "-",
    "platform_subsidy": "+",
    "commission": "-",
    "payment_fee": "-",
    "advertising": "-",
    "affiliate": "-",
    "promotion": "-",
    "logistics": "-",
    "return_cost": "-",
    "cogs": "-",
    "other_fee": "-",
    "tax": "excluded",
    "transfer": "excluded",
    "deposit": "excluded",
    "unclassified": "signed",
}
"""Category -> how it enters true margin (DESIGN.md)."""

EXCLUDED = ("tax", "transfer", "deposit")
MARGIN_CATEGORIES = tuple(c for c, how in CATEGORIES.items() if how != "excluded")
PNL_COLUMNS = (
    "sales",
    "refund",
    "platform_subsidy",
    "cogs",
    "commission",
    "payment_fee",
    "advertising",
    "affiliate",
    "promotion",
    "logistics",
    "return_cost",
    "other_fee",
    "unclassified",
)
"""The P&L columns in margin-formula order (the export's and the reports' order)."""
SALES_CATEGORIES = ("sales", "discount")
"""What the P&L's ``sales`` is made of: goods payments less the price discounts the seller
funds (``discount``: Amazon Promotion, JD 京券/东券), which are contra-revenue, not a cost
(docs/accounting.md). ``discount`` is kept as a column of its own beside the stable ones."""
COST_CATEGORIES = tuple(c for c in PNL_COLUMNS if CATEGORIES[c] == "-" and c != "refund")


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # id | text | amount | cost | datetime | date | int | bool
    doc: str


def _fields(*items: tuple[str, str, str]) -> dict[str, Field]:
    return {name: Field(name, type_, doc) for name, type_, doc in items}


COMMON = _fields(
    ("shop", "text", "shop name, when the file carries one"),
)

KINDS: dict[str, dict[str, Field]] = {
    "ledger": COMMON
    | _fields(
        ("entry_id", "id", "the statement's own row id"),
        ("posted_at", "datetime", "when the platform posted the entry (decides its month)"),
        ("amount", "amount", "signed amount, income positive (or see [format] sign)"),
        ("income", "amount", "income column of a two-column layout"),
        ("expense", "amount", "outflow column of a two-column layout (either sign)"),
        ("order_id", "id", "the order the entry belongs to"),
        ("sku", "id", "the seller's SKU code (商家编码)"),
        ("listing_id", "id", "the platform's item / listing id (商品ID)"),
        ("waybill", "id", "courier waybill number"),
        ("weight_g", "int", "billed (settlement) weight of a parcel in grams (courier bills)"),
        ("region", "text", "destination province or region of a parcel (courier bills)"),
        ("campaign", "text", "ad campaign name"),
        ("quantity", "int", "units"),
        ("currency", "text", "ISO currency code"),
        ("memo", "text", "free text kept for the audit trail"),
    ),
    "order_lines": COMMON
    | _fields(
        ("order_id", "id", "main order id"),
        ("line_id", "id", "sub-order (line) id"),
        ("sku", "id", "the seller's SKU code (商家编码)"),
        ("listing_id", "id", "listing / item id (商品ID)"),
        ("title", "text", "item title"),
        ("quantity", "int", "units on the line"),
        ("unit_price", "amount", "list price per unit"),
        (
            "line_amount",
            "amount",
            "what the buyer paid for the line (unit_price x quantity if absent)",
        ),
        ("created_at", "datetime", "order created"),
        ("paid_at", "datetime", "order paid"),
        ("status", "text", "order status"),
        ("waybill", "id", "courier waybill number"),
        ("carrier", "text", "courier company"),
    ),
    "orders": COMMON
    | _fields(
        ("order_id", "id", "order id"),
        ("amount", "amount", "what the buyer paid for the order"),
        ("created_at", "datetime", "order created"),
        ("paid_at", "datetime", "order paid"),
        ("status", "text", "order status"),
        ("title", "text", "item titles"),
        ("waybill", "id", "courier waybill number"),
        ("carrier", "text", "courier company"),
    ),
    "returns": COMMON
    | _fields(
        ("order_id", "id", "order id"),
        ("refund_id", "id", "refund id"),
        ("sku", "id", "the seller's SKU code of the refunded line"),
        ("listing_id", "id", "listing id of the refunded line"),
        ("amount", "amount", "refunded to the buyer (0 when the export has no amount)"),
        ("quantity", "int", "units returned, when the export says"),
        ("goods_returned", "bool", "goods came back"),
        ("unsellable", "bool", "returned goods cannot be resold"),
        ("completed_at", "datetime", "refund completed"),
        ("status", "text", "refund status"),
    ),
    "campaign_skus": _fields(
        ("campaign_platform", "text", "the platform the campaign runs on (天猫, 京东, tmall…)"),
        ("campaign", "text", "ad campaign (plan) name, as the ad bill writes it"),
        ("sku", "id", "a SKU the campaign promotes (商家编码)"),
    ),
    "unit_costs": _fields(
        ("sku", "id", "the seller's SKU code (商家编码)"),
        ("unit_cost", "cost", "cost of one unit, up to 4 decimal places"),
        ("effective_from", "date", "first day the cost applies"),
        ("currency", "text", "ISO currency code"),
        ("weight_g", "int", "unit weight in grams"),
    ),
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "ledger": ("posted_at",),
    "order_lines": ("order_id",),
    "orders": ("order_id",),
    "returns": ("order_id",),
    "unit_costs": ("sku", "unit_cost", "effective_from"),
    "campaign_skus": ("campaign_platform", "campaign", "sku"),
}

POLARS_TYPES = {
    "id": pl.String,
    "text": pl.String,
    "amount": pl.Int64,
    "cost": pl.Int64,
    "datetime": pl.Datetime("us"),
    "date": pl.Date,
    "int": pl.Int64,
    "bool": pl.Boolean,
}

# Columns every stored row carries besides its kind's fields.
PROVENANCE = {
    "file_id": pl.Int64,
    "source_row": pl.Int64,
    "natural_key": pl.String,
    "platform": pl.String,
}

STORED: dict[str, dict[str, pl.DataType]] = {
    "ledger": {
        "platform": pl.String,
        "shop": pl.String,
        "entry_id": pl.String,
        "posted_at": pl.Datetime("us"),
        "month": pl.String,
        "category": pl.String,
        "fee_name": pl.String,
        "amount": pl.Int64,
        "currency": pl.String,
        "order_id": pl.String,
        "sku": pl.String,
        "listing_id": pl.String,
        "waybill": pl.String,
        "weight_g": pl.Int64,
        "region": pl.String,
        "campaign": pl.String,
        "quantity": pl.Int64,
        "memo": pl.String,
    },
    "order_lines": {
        "platform": pl.String,
        "shop": pl.String,
        "order_id": pl.String,
        "line_id": pl.String,
        "sku": pl.String,
        "listing_id": pl.String,
        "title": pl.String,
        "quantity": pl.Int64,
        "unit_price": pl.Int64,
        "line_amount": pl.Int64,
        "created_at": pl.Datetime("us"),
        "paid_at": pl.Datetime("us"),
        "status": pl.String,
        "waybill": pl.String,
        "carrier": pl.String,
    },
    "orders": {
        "platform": pl.String,
        "shop": pl.String,
        "order_id": pl.String,
        "amount": pl.Int64,
        "created_at": pl.Datetime("us"),
        "paid_at": pl.Datetime("us"),
        "status": pl.String,
        "title": pl.String,
        "waybill": pl.String,
        "carrier": pl.String,
    },
    "returns": {
        "platform": pl.String,
        "shop": pl.String,
        "order_id": pl.String,
        "refund_id": pl.String,
        "sku": pl.String,
        "listing_id": pl.String,
        "amount": pl.Int64,
        "quantity": pl.Int64,
        "goods_returned": pl.Boolean,
        "unsellable": pl.Boolean,
        "completed_at": pl.Datetime("us"),
        "status": pl.String,
    },
    "campaign_skus": {
        "platform": pl.String,
        "campaign": pl.String,
        "sku": pl.String,
    },
    "unit_costs": {
        "sku": pl.String,
        "unit_cost": pl.Int64,
        "effective_from": pl.Date,
        "currency": pl.String,
        "weight_g": pl.Int64,
    },
}
"""The columns of each stored table, in order, after ``file_id, source_row, natural_key``."""

PLATFORM_NAMES = {
    "天猫": "tmall",
    "淘宝": "tmall",
    "tmall": "tmall",
    "taobao": "tmall",
    "京东": "jd",
    "jd": "jd",
    "拼多多": "pdd",
    "pdd": "pdd",
    "抖音": "douyin",
    "抖店": "douyin",
    "douyin": "douyin",
    "amazon": "amazon",
    "亚马逊": "amazon",
    "shopify": "shopify",
    "微信": "wechat",
    "微信小店": "wechat",
    "wechat": "wechat",
}
"""Platform names as people write them -> the platform codes rules use."""

COST_SCALE = 4
"""Unit costs are kept in 1/10,000 of the currency unit: 12.3456 -> 123456."""


# --- reconciliation: when an order line shipped (receivables ageing) and the bank's statement
# lines (payouts received). Added here as one block so the kinds above stay as they were.
KINDS["order_lines"]["shipped_at"] = Field(
    "shipped_at", "datetime", "order shipped (starts the settlement clock of reconciliation)"
)
STORED["order_lines"]["shipped_at"] = pl.Datetime("us")
KINDS["bank_lines"] = _fields(
    ("entry_id", "id", "the bank's own transaction id (流水号), when the statement has one"),
    ("booked_at", "datetime", "when the bank booked the transaction"),
    ("amount", "amount", "signed amount, money in positive (or see [format] sign)"),
    ("income", "amount", "money-in column of a two-column layout"),
    ("expense", "amount", "money-out column of a two-column layout (either sign)"),
    ("counterparty", "text", "the other party (对方户名), e.g. 支付宝（中国）网络技术有限公司"),
    ("memo", "text", "the bank's description (摘要 / 交易备注 / 用途)"),
    ("account", "id", "the seller's own account number, when the statement has a column"),
    ("currency", "text", "ISO currency code"),
)
REQUIRED["bank_lines"] = ("booked_at",)
STORED["bank_lines"] = {
    "platform": pl.String,
    "account": pl.String,
    "entry_id": pl.String,
    "booked_at": pl.Datetime("us"),
    "amount": pl.Int64,
    "currency": pl.String,
    "counterparty": pl.String,
    "memo": pl.String,
}
# --- cross-border: exchange rates (fx-rates), a kind of its own
RATE_SCALE = 8
"""Exchange rates are kept in 1/100,000,000: 7.1234 CNY per USD -> 712340000."""

KINDS["fx_rates"] = _fields(
    ("date", "date", "the day the rate applies from (until the next rate of the currency)"),
    ("currency", "text", "ISO code of the foreign currency, e.g. USD"),
    ("rate", "rate", "units of the base currency for one unit of the currency, up to 8 places"),
)
REQUIRED["fx_rates"] = ("date", "currency", "rate")
POLARS_TYPES["rate"] = pl.Int64
STORED["fx_rates"] = {"date": pl.Date, "currency": pl.String, "rate": pl.Int64}

# --- VAT: a SKU's own VAT rate in the unit-cost table (税率), a kind of field of its own
VAT_RATE_PLACES = 4
"""VAT rates are kept in 1/10,000: 13% (or 0.13) -> 1300 (as finance.toml's [tax] rates)."""

KINDS["unit_costs"]["vat_rate"] = Field(
    "vat_rate", "percent", "the SKU's VAT rate, 13% or 0.13 (used under [tax] regime = general)"
)
POLARS_TYPES["percent"] = pl.Int64
STORED["unit_costs"]["vat_rate"] = pl.Int64

ALERT_SCHEMA: dict[str, pl.DataType] = {
    "severity": pl.String,
    "rule": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "sku": pl.String,
    "figure": pl.String,
    "threshold": pl.String,
    "amount": pl.Int64,
    "message": pl.String,
    "key": pl.String,
}
"""One alert: ``figure`` and ``threshold`` as shown (yuan, %, days), ``amount`` the cents at
stake (for ranking; null where none), ``key`` the alert's identity across runs
(``rule|platform|shop|sku``), ``message`` one sentence in the report language."""

# --- courier bills belong to the seller (issue #15): a seller-wide shipping list (an ERP's 发货
# records) names each order's platform per row, so its waybills reach orders of every platform
KINDS["orders"]["order_platform"] = Field(
    "order_platform",
    "text",
    "the platform the order was placed on, as written (天猫, 京东, 拼多多…), when one file lists "
    "several platforms' orders (a shipping list); else the rule's platform",
)
