#!/usr/bin/env python3
"""Write sample_statements/shopify/: a Shopify store's October 2026, in USD.

Two files in their real shapes: the Shopify Payments transactions export (19 columns; dates
with an offset such as ``-0400``; refunds with a negative Amount and a positive Presentment
Amount) and the orders export (one row per line item; order-level cells on the first row only).
Deterministic: a fixed seed, Decimal money, the standard library only. The README's facts are
computed here, in USD and in CNY (each row converted with the sample rates, half up to the fen).

    python scripts/samples/shopify.py
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
FOLDER = ROOT / "sample_statements" / "shopify"
SEED = 20261015
PAYMENTS_FILE, ORDERS_FILE = "payment_transactions_export_1.csv", "orders_export_1.csv"
CENT = Decimal("0.01")
CATALOG = [  # SKU, title, price in USD
    ("YQ-PIL-MEM-GR", "Memory foam pillow", Decimal("45.00")),
    ("YQ-CUP350-WH", "Ceramic mug 350ml, white", Decimal("16.00")),
    ("YQ-TWL-BATH-GR", "Bath towel, grey", Decimal("22.00")),
    ("YQ-LMP-DSK-WH", "Desk lamp, white", Decimal("36.00")),
]
PAY_HEADER = (
    "Transaction Date,Type,Order,Card Brand,Card Source,Payout Status,Payout Date,Payout ID,"
    "Available On,Amount,Fee,Net,Checkout,Payment Method Name,Presentment Amount,"
    "Presentment Currency,Currency,Business Entity Name,Business Entity ID"
)
ORDER_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,"
    "Shipping,Taxes,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,"
    "Lineitem price,Lineitem sku"
)


def money(x: Decimal) -> Decimal:
    return x.quantize(CENT, ROUND_HALF_UP)


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S -0400")


def day(when: datetime) -> date:
    """The Beijing day of a time written at -0400 (its day, month and rate in the books)."""
    return beijing_day(when + timedelta(hours=4))


def main() -> None:
    rng = random.Random(SEED)
    payments, order_rows = [], []
    facts: dict[str, list[tuple[Decimal, date]]] = defaultdict(list)
    units: dict[str, int] = defaultdict(int)
    charged = []
    for n in range(22):
        name = f"#{1001 + n}"
        when = datetime(2026, 10, 1, 9) + timedelta(minutes=rng.randrange(0, 29 * 24 * 60))
        lines = rng.sample(CATALOG, rng.choice([1, 1, 2]))
        qtys = [rng.choice([1, 1, 2]) for _ in lines]
        subtotal = sum(p * q for (_, _, p), q in zip(lines, qtys, strict=True))
        shipping = Decimal("0.00") if subtotal >= 50 else Decimal("6.00")
        total = subtotal + shipping
        pending = n in (20, 21)  # the last two orders are not paid yet
        status = "pending" if pending else "paid"
        for i, ((sku, title, price), qty) in enumerate(zip(lines, qtys, strict=True)):
            head = (
                f"{name},buyer{n}@example.com,{status},{'' if pending else stamp(when)},"
                f"fulfilled,{stamp(when + timedelta(days=1))},USD,{subtotal},{shipping},0.00,"
                f"{total},0.00,{stamp(when - timedelta(minutes=1))}"
                if i == 0
                else f"{name},,,,,,,,,,,,"
            )
            order_rows.append(f'{head},{qty},"{title}",{price},{sku}')
            if not pending:
                units[sku] += qty
        if pending:
            continue
        fee = money(total * Decimal("0.029") + Decimal("0.30"))
        payout = 148156580000 + (when.day // 7)
        payments.append(
            (when, f"{stamp(when)},charge,{name},visa,online,paid,"
             f"{(when + timedelta(days=3)).date()},{payout},{(when + timedelta(days=2)).date()},"
             f"{total},{fee},{total - fee},#{43700000000000 + n},card,{total},USD,USD,"
             "Yunqi Home LLC,MTY5NDMzMDY1NjMw")
        )  # fmt: skip
        facts["sales"].append((total, day(when)))
        facts["payment_fee"].append((-fee, day(when)))
        charged.append((name, when, total))
    for name, when, total in rng.sample(charged, 2):
        back = when + timedelta(days=rng.randrange(1, 4), hours=5)
        back = min(back, datetime(2026, 10, 30, 20))
        payments.append(
            (back, f"{stamp(back)},refund,{name},visa,online,paid,"
             f"{(back + timedelta(days=3)).date()},{148156580000 + back.day // 7},{back.date()},"
             f"-{total},0.00,-{total},#{43700000000000 + int(name[1:])},card,{total},USD,USD,"
             "Yunqi Home LLC,MTY5NDMzMDY1NjMw")
        )  # fmt: skip
        facts["refund"].append((-total, day(back)))
    payments.sort(key=lambda p: p[0], reverse=True)  # newest first, as Shopify writes it
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / PAYMENTS_FILE).write_text(
        "\n".join([PAY_HEADER, *(p[1] for p in payments)]) + "\n", encoding="utf-8"
    )
    (FOLDER / ORDERS_FILE).write_text(
        "\n".join([ORDER_HEADER, *order_rows]) + "\n", encoding="utf-8"
    )

    def fact(category: str) -> str:
        items = facts[category]
        usd = sum((a for a, _ in items), Decimal("0.00"))
        cny = sum((to_cny(a, d) for a, d in items), Decimal("0.00"))
        return f"{len(items)} rows, {usd} USD, {cny} CNY"

    files = "\n".join(
        [
            f"| `{PAYMENTS_FILE}` | Shopify Payments transactions: a charge per paid order (with"
            " its fee), two refunds | 19 columns; `-0400` offsets; refunds negative with a"
            " positive Presentment Amount; newest first |",
            f"| `{ORDERS_FILE}` | orders export, one row per line item | `#1001` names;"
            " order-level cells only on an order's first row; two orders still pending |",
        ]
    )
    unit_text = " · ".join(f"{s} {u}" for s, u in sorted(units.items()))
    (FOLDER / "README.md").write_text(
        f"""# Sample statements: a Shopify store, October 2026 (USD)

Synthetic, in the real shapes; written by `scripts/samples/shopify.py` from a fixed seed with
Decimal money. The shop is the demo's `[shops] shopify`. Amounts are in USD; `finance demo`
converts each row to CNY with `../fx-rates/`. Times are written at `-0400`; a row's day and month
are its Beijing ones (the workspace's `timezone`, 12 hours ahead).

| file | what it is | shape and quirks |
|---|---|---|
{files}

Charges and refunds name the order, so they are split over its lines (by line amount); fees too.
Units sold are the paid orders' line quantities, costed with the Tmall unit-cost table (CNY).

## Known facts (computed by scripts/samples/shopify.py)

| fact | value |
|---|---|
| sales (charge) | {fact("sales")} |
| refund (refund) | {fact("refund")} |
| payment_fee (Fee) | {fact("payment_fee")} |
| units sold by SKU (paid orders) | {unit_text} |
| reconcile: exceptions | none (pending orders owe nothing; charges add 6.00 shipping below 50) |
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
