"""Load ``rules/contracts.toml``: the rates, rate cards, windows and tolerances reconciliation
checks the statements against. Every value is checked when the file loads; an error names the
file, the line and the fix (as rules files do).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import polars as pl

from finance import i18n
from finance.errors import RuleError
from finance.rulebook.toml import read_toml

SECTIONS = {
    "settlement": {"days"},
    "tolerance": {"fee", "amount", "parcel", "payout_days"},
    "commission": {"platform", "shop", "category", "skus", "rate"},
    "payment_fee": {"platform", "shop", "fee", "rate"},
    "payout": {"platform", "shop", "withdrawal", "bank"},
    "rate_card": {"courier", "formats", "first_weight_g", "step_g", "zones"},
    "platform": {"order_export", "goods", "refunds", "shipping", "settlement_total"},
}
PLATFORM_KEYS = SECTIONS["platform"]
"""Keys of a ``[platform.<name>]`` table: how that platform's statements are reconciled."""
REFUND_SOURCES = ("export", "settlement")
DEFAULT_DAYS = 15


@dataclass(frozen=True)
class PlatformRules:
    """How one platform's orders and settlements are compared (``[platform.<name>]``).

    ``order_export``: its settled orders are expected in an order export (else no
    ``unknown_order``, no receivable and no goods comparison: the settlement is all there is).
    ``goods``: the ledger categories whose sum is the goods money settled for an order.
    ``refunds``: ``export`` (a refund list is imported: the order side is paid less its
    refunds) or ``settlement`` (no refund list: the settlement's refund rows are the refunds,
    netted on both sides). ``shipping``: (fee, free_from) in cents when the settled charge
    includes a shipping fee the order lines do not carry. ``settlement_total``: a pattern on
    the fee name of the ``transfer`` row that states a settlement's own total.
    """

    order_export: bool = True
    goods: tuple[str, ...] = ("sales",)
    refunds: str = "export"
    shipping: tuple[int, int] | None = None
    settlement_total: str | None = None


@dataclass(frozen=True)
class RateCard:
    courier: str
    formats: tuple[str, ...]
    first_weight_g: int
    step_g: int
    zones: tuple[tuple[tuple[str, ...], int, int], ...]  # provinces, first cents, step cents


@dataclass(frozen=True)
class Contracts:
    path: Path | None = None
    settlement_days: dict[str, int] = field(default_factory=dict)
    fee_tolerance: int = 1
    amount_tolerance: int = 1
    parcel_tolerance: int = 0
    payout_days: int = 3
    # platform, shop (None: every shop), category, skus, rate
    commission: tuple[tuple[str, str | None, str, str | None, Decimal], ...] = ()
    # platform, shop, fee pattern, rate
    payment_fee: tuple[tuple[str, str | None, str, Decimal], ...] = ()
    # platform, shop, withdrawal pattern, bank pattern
    payout: tuple[tuple[str, str | None, str, str], ...] = ()
    rate_cards: tuple[RateCard, ...] = ()
    platforms: dict[str, PlatformRules] = field(default_factory=dict)

    def days_for(self, platform: str) -> int:
        return self.settlement_days.get(platform, DEFAULT_DAYS)

    def rules_for(self, platform: str) -> PlatformRules:
        """The platform's ``[platform.<name>]`` settings; Tmall's defaults when it has none."""
        return self.platforms.get(platform, PlatformRules())

    def rate_table(self) -> pl.DataFrame:
        """One row per (format, province): first weight, step and prices in cents."""
        rows = [
            (fmt, province, card.first_weight_g, card.step_g, first, step)
            for card in self.rate_cards
            for fmt in card.formats
            for provinces, first, step in card.zones
            for province in provinces
        ]
        schema = {
            "format": pl.String,
            "province": pl.String,
            "first_weight_g": pl.Int64,
            "step_g": pl.Int64,
            "first": pl.Int64,
            "additional": pl.Int64,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")


def _line(text: str, needle: str) -> int:
    """The first line assigning ``needle``, else the first non-comment line holding it."""
    lines = text.splitlines()
    key = re.compile(r"^\s*\"?" + re.escape(needle) + r"\"?\s*=")
    for test in (key.match, lambda line: needle in line and not line.lstrip().startswith("#")):
        for i, line in enumerate(lines, start=1):
            if test(line):
                return i
    return 1


class _Check:
    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text

    def fail(self, needle: str, detail: dict[str, str], fix: dict[str, str]) -> RuleError:
        return RuleError(
            "rule_invalid",
            rule_file=self.path.as_posix(),
            line=_line(self.text, needle),
            detail=detail,
            fix=fix,
        )

    def decimal(self, needle: str, value: object) -> Decimal:
        try:
            if not isinstance(value, str):
                raise InvalidOperation
            number = Decimal(value)
        except InvalidOperation as exc:
            raise self.fail(
                needle,
                i18n.per_lang("contracts_not_decimal", value=value),
                i18n.per_lang("contracts_fix_decimal"),
            ) from exc
        if number < 0:
            raise self.fail(
                needle,
                i18n.per_lang("contracts_negative", value=value),
                i18n.per_lang("contracts_fix_positive"),
            )
        return number

    def cents(self, needle: str, value: object) -> int:
        number = self.decimal(needle, value)
        if number != number.quantize(Decimal("0.01")):
            raise self.fail(
                needle,
                i18n.per_lang("contracts_more_decimals", value=value),
                i18n.per_lang("contracts_fix_cents"),
            )
        return int(number * 100)

    def regex(self, needle: str, value: object) -> str:
        try:
            re.compile(str(value))
        except re.error as exc:
            raise self.fail(
                needle,
                i18n.per_lang("rules_bad_regex", pattern=value, error=exc),
                i18n.per_lang("rules_fix_regex"),
            ) from exc
        return str(value)

    def require(self, section: str, item: dict, *keys: str) -> None:
        for key in keys:
            if key not in item:
                raise self.fail(
                    f"[[{section}]]",
                    i18n.per_lang("contracts_entry_lacks", section=section, key=key),
                    i18n.per_lang("rules_fix_add", example=f"{key} = ..."),
                )


def load_contracts(path: Path) -> Contracts:
    """The contracts of ``path``; a workspace without the file gets empty contracts."""
    if not path.is_file():
        return Contracts()
    text, data = read_toml(path)
    check = _Check(path, text)
    for section, value in data.items():
        if section not in SECTIONS:
            raise check.fail(
                section,
                i18n.per_lang("rules_unknown_section", section=section),
                i18n.per_lang("rules_fix_one_of", choices=", ".join(sorted(SECTIONS))),
            )
        if section == "platform":
            items = [v for v in value.values() if isinstance(v, dict)]
        else:
            items = value if isinstance(value, list) else [value]
        for item in items:
            for key in item:
                if key not in SECTIONS[section]:
                    raise check.fail(
                        key,
                        i18n.per_lang("rules_unknown_key", key=key, section=f"[{section}]"),
                        i18n.per_lang(
                            "rules_fix_one_of", choices=", ".join(sorted(SECTIONS[section]))
                        ),
                    )
    days = {str(k): int(v) for k, v in data.get("settlement", {}).get("days", {}).items()}
    tol = data.get("tolerance", {})
    commission = []
    for item in data.get("commission", []):
        check.require("commission", item, "platform", "rate")
        skus = check.regex(item["skus"], item["skus"]) if "skus" in item else None
        rate = check.decimal(str(item["rate"]), item["rate"])
        shop = item.get("shop")
        commission.append((item["platform"], shop, item.get("category", ""), skus, rate))
    payment = []
    for item in data.get("payment_fee", []):
        check.require("payment_fee", item, "platform", "fee", "rate")
        payment.append(
            (
                item["platform"],
                item.get("shop"),
                check.regex(item["fee"], item["fee"]),
                check.decimal(str(item["rate"]), item["rate"]),
            )
        )
    payout = []
    for item in data.get("payout", []):
        check.require("payout", item, "platform", "withdrawal", "bank")
        payout.append(
            (
                item["platform"],
                item.get("shop"),
                check.regex(item["withdrawal"], item["withdrawal"]),
                check.regex(item["bank"], item["bank"]),
            )
        )
    cards = []
    for item in data.get("rate_card", []):
        check.require("rate_card", item, "courier", "formats", "zones")
        zones = []
        for zone in item["zones"]:
            if not {"provinces", "first", "additional"} <= set(zone):
                raise check.fail(
                    "zones",
                    i18n.per_lang("contracts_zone_lacks", courier=item["courier"]),
                    i18n.per_lang(
                        "rules_fix_write",
                        example='{ provinces = ["浙江"], first = "3.00", additional = "1.00" }',
                    ),
                )
            zones.append(
                (
                    tuple(province_name(p) for p in zone["provinces"]),
                    check.cents(str(zone["first"]), zone["first"]),
                    check.cents(str(zone["additional"]), zone["additional"]),
                )
            )
        cards.append(
            RateCard(
                courier=item["courier"],
                formats=tuple(item["formats"]),
                first_weight_g=int(item.get("first_weight_g", 1000)),
                step_g=int(item.get("step_g", 1000)),
                zones=tuple(zones),
            )
        )
    platforms = {
        str(name): _platform_rules(check, str(name), item)
        for name, item in data.get("platform", {}).items()
    }
    return Contracts(
        path=path,
        platforms=platforms,
        settlement_days=days,
        fee_tolerance=check.cents("fee", tol.get("fee", "0.01")),
        amount_tolerance=check.cents("amount", tol.get("amount", "0.01")),
        parcel_tolerance=check.cents("parcel", tol.get("parcel", "0.00")),
        payout_days=int(tol.get("payout_days", 3)),
        commission=tuple(commission),
        payment_fee=tuple(payment),
        payout=tuple(payout),
        rate_cards=tuple(cards),
    )


def _platform_rules(check: _Check, name: str, item: dict) -> PlatformRules:
    """One ``[platform.<name>]`` table, checked."""
    if not isinstance(item, dict):
        raise check.fail(
            f"[platform.{name}]",
            i18n.per_lang("rules_not_table", section=f"platform.{name}"),
            i18n.per_lang("rules_fix_write", example="[platform.jd] ..."),
        )
    for key in item:
        if key not in PLATFORM_KEYS:
            raise check.fail(
                key,
                i18n.per_lang("rules_unknown_key", key=key, section=f"[platform.{name}]"),
                i18n.per_lang("rules_fix_one_of", choices=", ".join(sorted(PLATFORM_KEYS))),
            )
    from finance.schema import CATEGORIES

    goods = item.get("goods", ["sales"])
    if not isinstance(goods, list) or not goods or not set(goods) <= set(CATEGORIES):
        raise check.fail(
            "goods",
            i18n.per_lang("contracts_goods", goods=goods, name=name),
            i18n.per_lang("contracts_fix_goods", known=", ".join(CATEGORIES)),
        )
    refunds = item.get("refunds", "export")
    if refunds not in REFUND_SOURCES:
        raise check.fail(
            "refunds",
            i18n.per_lang("contracts_refunds", refunds=refunds, name=name),
            i18n.per_lang("contracts_fix_refunds"),
        )
    order_export = item.get("order_export", True)
    if not isinstance(order_export, bool):
        raise check.fail(
            "order_export",
            i18n.per_lang("contracts_not_bool", key="order_export", value=order_export),
            i18n.per_lang("rules_fix_write", example="order_export = true"),
        )
    shipping = item.get("shipping")
    if shipping is not None:
        if not isinstance(shipping, dict) or set(shipping) != {"fee", "free_from"}:
            raise check.fail(
                "shipping",
                i18n.per_lang("contracts_shipping", name=name),
                i18n.per_lang(
                    "rules_fix_write", example='shipping = { fee = "6.00", free_from = "50.00" }'
                ),
            )
        shipping = (
            check.cents(str(shipping["fee"]), shipping["fee"]),
            check.cents(str(shipping["free_from"]), shipping["free_from"]),
        )
    total = item.get("settlement_total")
    return PlatformRules(
        order_export=order_export,
        goods=tuple(goods),
        refunds=refunds,
        shipping=shipping,
        settlement_total=check.regex(total, total) if total is not None else None,
    )


PROVINCE_SUFFIX = r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$"


def province_name(name: str) -> str:
    """``浙江省`` and ``浙江`` are one province; ``广西壮族自治区`` is ``广西``."""
    return re.sub(PROVINCE_SUFFIX, "", name.strip())


def province_expr(expr: pl.Expr) -> pl.Expr:
    """``province_name`` on a column."""
    return expr.str.strip_chars().str.replace(PROVINCE_SUFFIX, "")
