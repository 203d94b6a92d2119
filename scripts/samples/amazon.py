#!/usr/bin/env python3
"""Write sample_statements/amazon/: an Amazon.com seller's October 2026, in USD.

Two files in their real shapes: a Settlement Report V2 flat file (tab-separated, summary row
first, MM/DD/YY posted dates) and a Sponsored Products advertised-product report (`$29.56`,
`Oct 01, 2026`, header names ending in a space). Deterministic: a fixed seed, Decimal money,
the standard library only. The facts table of the README is computed here, from the rows as
written, in USD and in CNY (each row converted with the sample rates, half up to the fen).

    python scripts/samples/amazon.py
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fx_rates import beijing_day, to_cny

ROOT = Path(__file__).resolve().parent.parent.parent
FOLDER = ROOT / "sample_statements" / "amazon"
SEED, SETTLEMENT = 20261029, "28473019521"
SETTLEMENT_FILE = f"{SETTLEMENT}_settlement_v2.txt"
ADS_FILE = "Sponsored_Products_Advertised_product_report_202610.csv"
CENT = Decimal("0.01")
# SKU (the seller's own code, as on Tmall), ASIN, price in USD, FBA fee per unit
CATALOG = [
    ("YQ-PIL-MEM-GR", "B0CYQPIL01", Decimal("49.99"), Decimal("6.85")),
    ("YQ-CUP350-WH", "B0CYQCUP35", Decimal("18.99"), Decimal("4.25")),
    ("YQ-LMP-DSK-WH", "B0CYQLMP02", Decimal("39.99"), Decimal("5.90")),
]
HEADER = (
    "settlement-id settlement-start-date settlement-end-date deposit-date total-amount currency "
    "transaction-type order-id merchant-order-id adjustment-id shipment-id marketplace-name "
    "amount-type amount-description amount fulfillment-id posted-date posted-date-time "
    "order-item-code merchant-order-item-id merchant-adjustment-item-id sku quantity-purchased "
    "promotion-id"
).split()


def money(x: Decimal) -> Decimal:
    return x.quantize(CENT, ROUND_HALF_UP)


def main() -> None:
    rng = random.Random(SEED)
    rows: list[dict[str, str]] = []
    facts: dict[str, list[tuple[Decimal, date]]] = defaultdict(list)

    def add(
        category: str, when: datetime, base: dict[str, str], kind: str, name: str, amount: str
    ) -> None:
        rows.append(
            {
                "settlement-id": SETTLEMENT,
                "currency": "USD",
                "marketplace-name": "Amazon.com",
                "posted-date": when.strftime("%m/%d/%y"),
                "posted-date-time": when.strftime("%Y-%m-%d %H:%M:%S UTC"),
                **base,
                "amount-type": kind,
                "amount-description": name,
                "amount": amount,
            }
        )
        facts[category].append((Decimal(amount), beijing_day(when)))

    orders = []
    for n in range(26):
        when = datetime(2026, 10, 1, 6) + timedelta(hours=rng.randrange(0, 28 * 24))
        order = (
            f"11{rng.randrange(1, 9)}-{rng.randrange(10**6, 10**7)}-{rng.randrange(10**6, 10**7)}"
        )
        sku, _asin, price, fba = rng.choice(CATALOG)
        qty = rng.choice([1, 1, 1, 2])
        item = str(55182930000 + n)
        principal = price * qty
        tax = money(principal * Decimal("0.0725"))
        commission = money(principal * Decimal("0.15"))
        base = {
            "transaction-type": "Order",
            "order-id": order,
            "shipment-id": f"DS{rng.randrange(10**6, 10**7)}",
            "fulfillment-id": "AFN",
            "order-item-code": item,
            "sku": sku,
            "quantity-purchased": str(qty),
        }
        add("sales", when, base, "ItemPrice", "Principal", str(principal))
        add("tax", when, base, "ItemPrice", "Tax", str(tax))
        add("tax", when, base, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", str(-tax))
        add("commission", when, base, "ItemFees", "Commission", str(-commission))
        add("logistics", when, base, "ItemFees", "FBAPerUnitFulfillmentFee", str(-fba * qty))
        orders.append((order, item, sku, qty, principal, tax, commission, when))

    for order, item, sku, qty, principal, tax, commission, when in rng.sample(orders, 3):
        back = when + timedelta(days=rng.randrange(2, 6), hours=3)
        if back >= datetime(2026, 10, 30):
            back = datetime(2026, 10, 29, 18)
        refund_fee = min(Decimal("5.00"), money(commission * Decimal("0.20")))
        base = {
            "transaction-type": "Refund",
            "order-id": order,
            "adjustment-id": f"amzn1:crow:{rng.randrange(10**8, 10**9)}",
            "fulfillment-id": "AFN",
            "order-item-code": item,
            "sku": sku,
            "quantity-purchased": str(qty),
        }
        add("refund", back, base, "ItemPrice", "Principal", str(-principal))
        add("tax", back, base, "ItemPrice", "Tax", str(-tax))
        add("tax", back, base, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", str(tax))
        add("commission", back, base, "ItemFees", "Commission", str(commission))
        add("commission", back, base, "ItemFees", "RefundCommission", str(-refund_fee))

    for when, name, amount in (
        (datetime(2026, 10, 12, 4, 12), "Storage Fee", Decimal("-23.41")),
        (datetime(2026, 10, 20, 4, 12), "Subscription Fee", Decimal("-39.99")),
    ):
        add(
            "other_fee",
            when,
            {"transaction-type": "ServiceFee"},
            "other-transaction",
            name,
            str(amount),
        )

    total = sum(Decimal(r["amount"]) for r in rows)
    deposit = datetime(2026, 10, 31, 0, 0)
    summary = {
        "settlement-id": SETTLEMENT,
        "settlement-start-date": "2026-10-01 00:00:00 UTC",
        "settlement-end-date": "2026-10-29 23:59:59 UTC",
        "deposit-date": deposit.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "total-amount": str(total),
        "currency": "USD",
    }
    facts["transfer"].append((-total, beijing_day(deposit)))
    out = ["\t".join(HEADER), "\t".join(summary.get(h, "") for h in HEADER)]
    out += ["\t".join(r.get(h, "") for h in HEADER) for r in rows]
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / SETTLEMENT_FILE).write_text("\n".join(out) + "\n", encoding="utf-8")

    # Sponsored Products: spend per day and advertised SKU (campaign per SKU).
    ads = [
        "Date,Portfolio name,Currency,Campaign Name,Ad Group Name,Advertised SKU ,Advertised ASIN,"
        "Impressions,Clicks,Click-Thru Rate (CTR),Cost Per Click (CPC),Spend ,7 Day Total Sales ,"
        "Total Advertising Cost of Sales (ACOS) ,Total Return on Advertising Spend (ROAS),"
        "7 Day Total Orders (#),7 Day Total Units (#)"
    ]
    for day in range(1, 30):
        d = date(2026, 10, day)
        for sku, asin, price, _fba in CATALOG:
            clicks = rng.randrange(0, 14) if sku == CATALOG[0][0] else rng.randrange(0, 5)
            cpc = Decimal(rng.randrange(60, 160)) / 100
            spend = money(cpc * clicks)
            impressions = clicks * rng.randrange(40, 90) + rng.randrange(0, 200)
            orders_n = rng.randrange(0, 3) if clicks else 0
            sales = price * orders_n
            ctr = f"{Decimal(clicks * 100) / max(impressions, 1):.2f}%"
            acos = f"{(spend / sales * 100):.2f}%" if sales else "-"
            roas = f"{(sales / spend):.2f}" if spend else "-"
            ads.append(
                f'"{d.strftime("%b %d, %Y")}",Home,USD,SP-{sku}-Auto,Auto,{sku},{asin},'
                f'"{impressions:,}",{clicks},{ctr},${cpc:.2f},"${spend:,}","${sales:,}",{acos},{roas},'
                f"{orders_n},{orders_n}"
            )
            facts["advertising"].append((-spend, d))
    (FOLDER / ADS_FILE).write_text("\r\n".join(ads) + "\r\n", encoding="utf-8")

    def fact(category: str) -> str:
        items = facts[category]
        usd = sum((a for a, _ in items), Decimal("0.00"))
        cny = sum((to_cny(a, d) for a, d in items), Decimal("0.00"))
        return f"{len(items)} rows, {usd} USD, {cny} CNY"

    labels = {
        "sales": "sales (ItemPrice Principal)",
        "refund": "refund (Refund Principal)",
        "commission": "commission (Commission, RefundCommission)",
        "logistics": "logistics (FBAPerUnitFulfillmentFee)",
        "other_fee": "other_fee (Storage Fee, Subscription Fee)",
        "tax": "tax (Tax and MarketplaceFacilitatorTax, excluded)",
        "transfer": "transfer (the settlement's deposit, excluded)",
        "advertising": "advertising (Sponsored Products spend)",
    }
    table = "\n".join(f"| {labels[c]} | {fact(c)} |" for c in labels)
    units: dict[str, int] = defaultdict(int)
    for _order, _item, sku, qty, *_rest in orders:
        units[sku] += qty
    unit_text = " · ".join(f"{s} {u}" for s, u in sorted(units.items()))
    files = "\n".join(
        [
            f"| `{SETTLEMENT_FILE}` | Settlement Report V2 flat file, one settlement (10-01..10-29,"
            f" deposited 10-31) | tab-separated; the first data row is the summary (total-amount"
            f" {total}, deposit-date); posted-date `MM/DD/YY`, posted-date-time with ` UTC` |",
            f"| `{ADS_FILE}` | Sponsored Products advertised-product report, spend per day and SKU"
            ' | money `$29.56` and `"$1,043.05"`, dates `Oct 01, 2026`, header names ending in a'
            " space, `-` for no ACOS |",
        ]
    )
    (FOLDER / "README.md").write_text(
        f"""# Sample statements: Amazon.com, October 2026 (USD)

Synthetic, in the real shapes; written by `scripts/samples/amazon.py` from a fixed seed with
Decimal money. The shop is the demo's `[shops] amazon`. Amounts are in USD; `finance demo`
converts each row to CNY with `../fx-rates/` (the rate of its day or the nearest earlier one).
Times are UTC; a row's day and month are its Beijing ones (the workspace's `timezone`), so a
row posted at 20:00 UTC takes the next day's rate.

| file | what it is | shape and quirks |
|---|---|---|
{files}

Settlement rows name the SKU, so their money goes straight to it; they also carry the quantity,
so units sold come from the settlement itself (there is no Amazon order export) and are costed
with the seller's unit-cost table. Refunded units are not assumed to come back (the settlement
does not say), so COGS is not reversed for them. The deposit is a `transfer`: the settlement's
rows plus the deposit add up to zero.

## Known facts (computed by scripts/samples/amazon.py)

| fact | value |
|---|---|
{table}
| settlement total-amount | {total} USD |
| units sold by SKU (settled order items) | {unit_text} |
| reconcile: exceptions | none (the settlement's rows add up to its total-amount; no order export) |
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
