"""VAT settings: ``[tax]`` in ``finance.toml``, read and checked once.

```toml
[tax]
regime = "general"        # general (一般纳税人) | small_scale (小规模纳税人) | none (default)
rate = "0.13"             # output VAT on sales (small-scale: the levy rate, "0.01" or "0.03")

[tax.platforms]           # a whole platform at another rate: cross-border sales are zero-rated
amazon = "0"

[tax.shops]               # a shop at another rate (wins over its platform)
"云栖家居奥莱店" = "0.13"

[tax.input]               # deductible input VAT inside a cost category (general taxpayers only)
commission = "0.06"       # e.g. platform fees and ads on a 6 % special invoice (专用发票)
advertising = "0.06"
```

A SKU may carry its own rate in the unit-cost table (``税率``); a shop's or a platform's rate
wins over it (zero-rated export sales stay zero-rated whatever the goods). Rates are integers in
1/10,000 (``finance.settings.RATE_PLACES``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from finance import i18n
from finance.schema import COST_CATEGORIES, PLATFORM_NAMES
from finance.settings import RATE_UNIT, SettingsText, invalid, rate, rate_text, toml_text

if TYPE_CHECKING:
    from finance.workspace import Workspace

REGIMES = ("none", "general", "small_scale")
KEYS = ("regime", "rate", "platforms", "shops", "input")
PLATFORM_CODES = tuple(sorted({*PLATFORM_NAMES.values(), "own"}))


@dataclass(frozen=True)
class TaxSettings:
    """The VAT basis of the figures. Rates in 1/10,000; ``regime == "none"``: no VAT view."""

    regime: str = "none"
    rate: int = 0
    platforms: dict[str, int] = field(default_factory=dict)
    shops: dict[str, int] = field(default_factory=dict)
    input: dict[str, int] = field(default_factory=dict)
    input_platforms: dict[str, dict[str, int]] = field(default_factory=dict)
    """[tax.input.<platform>]: a platform's own input rates (Amazon's fees carry no Chinese
    special invoice: ``[tax.input.amazon] commission = "0"``), over ``input``."""

    def input_rate(self, category: str, platform: str) -> int:
        """The input VAT rate of a cost category on a platform (0 when none is set)."""
        own = self.input_platforms.get(platform, {})
        return own.get(category, self.input.get(category, 0))

    @property
    def active(self) -> bool:
        return self.regime != "none"

    @property
    def sku_rates(self) -> bool:
        """Whether the cost table's per-SKU rates apply: a general taxpayer's goods are taxed at
        their own rates (13 %, 9 % …); a small-scale one levies one rate on all sales."""
        return self.regime == "general"

    def describe(self, lang: str) -> list[str]:
        """The basis in words, one sentence a line: regime, rates, overrides, input VAT."""
        sep = "、" if lang == "zh-CN" else ", "
        parts = [
            i18n.text(
                "vat_basis_regime",
                lang,
                regime=i18n.per_lang(f"vat_regime_{self.regime}"),
                rate=rate_text(self.rate),
            )
        ]
        if self.platforms:
            listed = sep.join(
                f"{platform_name(p, lang)} {rate_text(r)}"
                for p, r in sorted(self.platforms.items())
            )
            parts.append(i18n.text("vat_basis_platforms", lang, rates=listed))
        if self.shops:
            listed = sep.join(f"{s} {rate_text(r)}" for s, r in sorted(self.shops.items()))
            parts.append(i18n.text("vat_basis_shops", lang, rates=listed))
        if self.sku_rates:
            parts.append(i18n.text("vat_basis_skus", lang))
        if self.input or self.input_platforms:

            def listed(rates: dict[str, int]) -> str:
                return sep.join(
                    f"{category_name(c, lang)} {rate_text(r)}" for c, r in sorted(rates.items())
                )

            parts.append(i18n.text("vat_basis_input", lang, rates=listed(self.input) or "-"))
            for platform, rates in sorted(self.input_platforms.items()):
                parts.append(
                    i18n.text(
                        "vat_basis_input_platform",
                        lang,
                        platform=platform_name(platform, lang),
                        rates=listed(rates),
                    )
                )
        elif self.active:
            parts.append(i18n.text(f"vat_basis_no_input_{self.regime}", lang))
        return [p for p in parts if p]


def platform_name(code: str, lang: str) -> str:
    """A platform's name in ``lang`` (the catalogs' ``[platforms]``), else its code."""
    return i18n.section("platforms").get(code, {}).get(lang, code)


def category_name(code: str, lang: str) -> str:
    """A category's name in ``lang`` (the catalogs' ``[categories]``), else its code."""
    return i18n.section("categories").get(code, {}).get(lang, code)


def load_tax(settings: SettingsText) -> TaxSettings:
    """``[tax]`` of ``finance.toml`` checked; absent means ``regime = "none"``."""
    table = settings.data.get("tax")
    if table is None:
        return TaxSettings()
    if not isinstance(table, dict):
        raise invalid(
            settings,
            "tax",
            None,
            i18n.per_lang("settings_not_table", section="tax"),
            i18n.per_lang("tax_fix_regime"),
        )
    for key in table:
        if key not in KEYS:
            raise invalid(
                settings,
                "tax",
                key,
                i18n.per_lang("settings_unknown_key", section="tax", key=key),
                i18n.per_lang("rules_fix_use", choices=", ".join(KEYS)),
            )
    regime = table.get("regime", "none")
    if regime not in REGIMES:
        raise invalid(
            settings,
            "tax",
            "regime",
            i18n.per_lang("tax_bad_regime", value=toml_text(regime)),
            i18n.per_lang("tax_fix_regime"),
        )
    example = "0.03" if regime == "small_scale" else "0.13"
    if "rate" in table:
        default = rate(settings, "tax", "rate", table["rate"], example=example)
    elif regime != "none":
        raise invalid(
            settings,
            "tax",
            "regime",
            i18n.per_lang("tax_no_rate", regime=regime),
            i18n.per_lang("tax_fix_rate", example=example),
        )
    else:
        default = 0
    written = _rates(settings, table, "platforms", example="0")
    for key in written:
        if PLATFORM_NAMES.get(key.lower(), key) not in PLATFORM_CODES:
            raise invalid(
                settings,
                "tax.platforms",
                key,
                i18n.per_lang("tax_unknown_platform", key=key),
                i18n.per_lang("rules_fix_one_of", choices=", ".join(PLATFORM_CODES)),
            )
    platforms = {PLATFORM_NAMES.get(k.lower(), k): v for k, v in written.items()}
    shops = _rates(settings, table, "shops", example="0")
    found = table.get("input", {})
    nested = found if isinstance(found, dict) else {}
    flat = {k: v for k, v in nested.items() if not isinstance(v, dict)}
    inputs = _rates(
        settings, {"input": flat if isinstance(found, dict) else found}, "input", example="0.06"
    )
    _categories(settings, "tax.input", inputs)
    by_platform: dict[str, dict[str, int]] = {}
    for name, rates in nested.items():
        if not isinstance(rates, dict):
            continue
        code = PLATFORM_NAMES.get(name.lower(), name)
        if code not in PLATFORM_CODES:
            raise invalid(
                settings,
                f"tax.input.{name}",
                None,
                i18n.per_lang("tax_unknown_platform", key=name),
                i18n.per_lang("rules_fix_one_of", choices=", ".join(PLATFORM_CODES)),
            )
        checked = _rates(settings, {name: rates}, name, example="0", prefix="tax.input")
        _categories(settings, f"tax.input.{name}", checked)
        by_platform[code] = checked
    if (inputs or by_platform) and regime == "small_scale":
        raise invalid(
            settings,
            "tax.input",
            None,
            i18n.per_lang("tax_input_small_scale"),
            i18n.per_lang("tax_fix_input_small_scale"),
        )
    return TaxSettings(
        regime=regime,
        rate=default,
        platforms=platforms,
        shops=shops,
        input=inputs,
        input_platforms=by_platform,
    )


def _categories(settings: SettingsText, section: str, rates: dict[str, int]) -> None:
    for key in rates:
        if key not in COST_CATEGORIES:
            raise invalid(
                settings,
                section,
                key,
                i18n.per_lang("tax_input_category", key=key),
                i18n.per_lang("rules_fix_one_of", choices=", ".join(COST_CATEGORIES)),
            )


def _rates(
    settings: SettingsText, table: dict, name: str, *, example: str, prefix: str = "tax"
) -> dict[str, int]:
    """``[<prefix>.<name>]``: each ``key = "rate"`` checked, in 1/10,000."""
    section = f"{prefix}.{name}"
    found = table.get(name, {})
    if not isinstance(found, dict):
        raise invalid(
            settings,
            prefix,
            name,
            i18n.per_lang("settings_not_table", section=section),
            i18n.per_lang("settings_fix_decimal", key=f"[{section}] name", example=example),
        )
    return {
        str(key): rate(settings, section, str(key), value, high=RATE_UNIT, example=example)
        for key, value in found.items()
    }


def tax_settings(ws: Workspace) -> TaxSettings:
    """The workspace's VAT settings (``[tax]`` of its finance.toml), checked."""
    return load_tax(SettingsText.of(ws.root, ws.settings))
