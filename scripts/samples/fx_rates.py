#!/usr/bin/env python3
"""Write sample_statements/fx-rates/: the demo's exchange rates (USD -> CNY), October 2026.

Deterministic (fixed values), standard library only. ``rate_on`` is what the cross-border sample
scripts use to state their facts in CNY, independently of the tool.

    python scripts/samples/fx_rates.py
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FOLDER = ROOT / "sample_statements" / "fx-rates"
FILE = "汇率_202610.csv"
RATES = {  # USD -> CNY, from the date on
    date(2026, 9, 30): Decimal("7.1250"),
    date(2026, 10, 8): Decimal("7.1302"),
    date(2026, 10, 15): Decimal("7.1186"),
    date(2026, 10, 22): Decimal("7.1240"),
    date(2026, 10, 29): Decimal("7.1311"),
}


def rate_on(day: date) -> Decimal:
    """The USD rate of ``day``: that day's, or the nearest earlier one."""
    return RATES[max(d for d in RATES if d <= day)]


def beijing_day(utc: datetime) -> date:
    """The day in Beijing (UTC+8, no daylight saving) of a UTC time: the workspace's zone, where
    the tool gives a row its day, its month and so its rate."""
    return (utc + timedelta(hours=8)).date()


def to_cny(usd: Decimal, day: date) -> Decimal:
    """One amount converted as the tool promises: per entry, half up to the fen."""
    return (usd * rate_on(day)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    lines = ["日期,币种,汇率"] + [f"{d.isoformat()},USD,{r}" for d, r in RATES.items()]
    (FOLDER / FILE).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    table = "\n".join(f"| USD {d.isoformat()} | {r} |" for d, r in RATES.items())
    (FOLDER / "README.md").write_text(
        f"""# Sample exchange rates (fx-rates)

`{FILE}` gives the demo workspace (base currency CNY) the USD rate from each date on; an amount
posted on a day uses that day's rate or the nearest earlier one. Written by
`scripts/samples/fx_rates.py` (fixed values). The Amazon and Shopify samples are in USD.

| fact | value |
|---|---|
{table}
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
