"""The VAT in the books: output VAT inside the sales (销项税额), input VAT inside the costs
(进项税额), per platform and shop, when ``finance.toml [tax]`` sets a regime.

Read here minimally, the same way issue 16's VAT view reads it (``regime`` general |
small_scale | none, ``rate``, ``[tax.platforms]``, ``[tax.shops]``, ``[tax.input]`` and
``[tax.input.<platform>]``; rates as "0.13" or "13%", kept in 1/10,000), and computed per P&L
row as that view does: VAT inside a gross amount = gross × rate ÷ (1 + rate), rounded half away
from zero to the fen, per row; a shop's VAT is the sum of its rows, so the books' VAT is the
margins' VAT to the fen. When the VAT view is in the P&L itself (``output_vat`` among its
columns), its figure is the one used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import polars as pl

from finance.errors import FinanceError
from finance.schema import COST_CATEGORIES, PLATFORM_NAMES

RATE_UNIT = 10_000
REGIMES = ("none", "general", "small_scale")


@dataclass(frozen=True)
class Tax:
    """``[tax]``: the regime and its rates in 1/10,000."""

    regime: str = "none"
    rate: int = 0
    platforms: dict[str, int] = field(default_factory=dict)
    shops: dict[str, int] = field(default_factory=dict)
    input: dict[str, int] = field(default_factory=dict)
    input_platforms: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.regime != "none"

    def input_categories(self) -> list[str]:
        names = {*self.input, *(c for own in self.input_platforms.values() for c in own)}
        return sorted(names)


def _rate(value: object, where: str) -> int:
    text = str(value).strip()
    try:
        number = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation as exc:
        raise FinanceError("books_tax_rate", where=where, value=text) from exc
    scaled = number * RATE_UNIT
    if number < 0 or number >= 1 or scaled != scaled.to_integral_value():
        raise FinanceError("books_tax_rate", where=where, value=text)
    return int(scaled)


def load_tax(settings: dict) -> Tax:
    """``[tax]`` of finance.toml's settings (absent: no regime)."""
    table = settings.get("tax") or {}
    regime = str(table.get("regime", "none"))
    if regime not in REGIMES:
        raise FinanceError("books_tax_regime", value=regime, choices=", ".join(REGIMES))
    if regime == "none":
        return Tax()

    def rates(section: dict, where: str) -> dict[str, int]:
        return {str(k): _rate(v, f"{where}.{k}") for k, v in section.items()}

    platforms = {
        PLATFORM_NAMES.get(k.lower(), k): v
        for k, v in rates(table.get("platforms", {}), "[tax.platforms]").items()
    }
    found = table.get("input", {})
    flat = {k: v for k, v in found.items() if not isinstance(v, dict)}
    nested = {
        PLATFORM_NAMES.get(k.lower(), k): rates(v, f"[tax.input.{k}]")
        for k, v in found.items()
        if isinstance(v, dict)
    }
    for category in [*flat, *(c for own in nested.values() for c in own)]:
        if category not in COST_CATEGORIES:
            raise FinanceError(
                "books_tax_category", value=category, choices=", ".join(COST_CATEGORIES)
            )
    return Tax(
        regime=regime,
        rate=_rate(table.get("rate", "0"), "[tax] rate"),
        platforms=platforms,
        shops=rates(table.get("shops", {}), "[tax.shops]"),
        input=rates(flat, "[tax.input]"),
        input_platforms=nested,
    )


def vat_inside(gross: pl.Expr, rate: pl.Expr) -> pl.Expr:
    """The VAT inside ``gross`` cents at ``rate`` (1/10,000), rounded half away from zero."""
    num = gross.cast(pl.Int128) * rate.cast(pl.Int128)
    den = rate.cast(pl.Int128) + RATE_UNIT
    q = ((num.abs() * 2 + den) // (den * 2)).cast(pl.Int64)
    return pl.when(num < 0).then(-q).otherwise(q)


def _row_rate(tax: Tax) -> pl.Expr:
    by_shop = pl.col("shop").replace_strict(tax.shops, default=None, return_dtype=pl.Int64)
    by_platform = pl.col("platform").replace_strict(
        tax.platforms, default=None, return_dtype=pl.Int64
    )
    return pl.coalesce(by_shop, by_platform, pl.lit(tax.rate, pl.Int64))


def _input_rate(tax: Tax, category: str) -> pl.Expr:
    own = {p: rates[category] for p, rates in tax.input_platforms.items() if category in rates}
    return pl.col("platform").replace_strict(
        own, default=tax.input.get(category, 0), return_dtype=pl.Int64
    )


def shop_vat(pnl: pl.DataFrame, tax: Tax) -> pl.DataFrame:
    """Per platform and shop: ``output_vat`` and one ``input_<category>`` column per cost
    category with an input rate (cents). Empty when no regime is set."""
    if not tax.active or pnl.is_empty():
        return pl.DataFrame(schema={"platform": pl.String, "shop": pl.String})
    output = (
        pl.col("output_vat")
        if "output_vat" in pnl.columns
        else vat_inside(pl.col("sales") - pl.col("refund"), _row_rate(tax))
    )
    inputs = {
        f"input_{c}": vat_inside(pl.col(c), _input_rate(tax, c)) for c in tax.input_categories()
    }
    return (
        pnl.select("platform", "shop", output_vat=output, **inputs)
        .group_by("platform", "shop")
        .agg(pl.all().sum())
        .sort("platform", "shop")
    )
