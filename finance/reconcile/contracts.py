"""Load ``rules/contracts.toml``: the rates, rate cards, windows and tolerances reconciliation
checks the statements against. Every value is checked when the file loads; an error names the
file, the line and the fix (as rules files do).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import polars as pl

from finance.errors import RuleError

SECTIONS = {
    "settlement": {"days"},
    "tolerance": {"fee", "amount", "parcel", "payout_days"},
    "commission": {"platform", "category", "skus", "rate"},
    "payment_fee": {"platform", "fee", "rate"},
    "payout": {"platform", "withdrawal", "bank"},
    "rate_card": {"courier", "formats", "first_weight_g", "step_g", "zones"},
}
DEFAULT_DAYS = 15


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
    commission: tuple[tuple[str, str, str | None, Decimal], ...] = ()  # platform, cat, skus, rate
    payment_fee: tuple[tuple[str, str, Decimal], ...] = ()  # platform, fee pattern, rate
    payout: tuple[tuple[str, str, str], ...] = ()  # platform, withdrawal pattern, bank pattern
    rate_cards: tuple[RateCard, ...] = ()

    def days_for(self, platform: str) -> int:
        return self.settlement_days.get(platform, DEFAULT_DAYS)

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

    def fail(self, needle: str, detail: str, fix: str) -> RuleError:
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
                f"{value!r} is not an exact decimal string",
                'write money and rates as strings, e.g. "0.05" or "3.00"',
            ) from exc
        if number < 0:
            raise self.fail(needle, f"{value!r} is negative", "use a positive number")
        return number

    def cents(self, needle: str, value: object) -> int:
        number = self.decimal(needle, value)
        if number != number.quantize(Decimal("0.01")):
            raise self.fail(needle, f"{value!r} has more than two decimals", "round to cents")
        return int(number * 100)

    def regex(self, needle: str, value: object) -> str:
        try:
            re.compile(str(value))
        except re.error as exc:
            raise self.fail(
                needle, f"pattern {value!r} is not a valid regular expression ({exc})", "fix it"
            ) from exc
        return str(value)

    def require(self, section: str, item: dict, *keys: str) -> None:
        for key in keys:
            if key not in item:
                raise self.fail(
                    f"[[{section}]]", f"a [[{section}]] entry has no {key!r}", f"add {key} = ..."
                )


def load_contracts(path: Path) -> Contracts:
    """The contracts of ``path``; a workspace without the file gets empty contracts."""
    if not path.is_file():
        return Contracts()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise RuleError(
            "rule_toml",
            rule_file=path.as_posix(),
            line=int(match.group(1)) if match else 1,
            detail=str(exc),
        ) from exc
    check = _Check(path, text)
    for section, value in data.items():
        if section not in SECTIONS:
            raise check.fail(
                section,
                f"unknown section [{section}]",
                f"use one of: {', '.join(sorted(SECTIONS))}",
            )
        for item in value if isinstance(value, list) else [value]:
            for key in item:
                if key not in SECTIONS[section]:
                    raise check.fail(
                        key,
                        f"unknown key {key!r} in [{section}]",
                        f"use one of: {', '.join(sorted(SECTIONS[section]))}",
                    )
    days = {str(k): int(v) for k, v in data.get("settlement", {}).get("days", {}).items()}
    tol = data.get("tolerance", {})
    commission = []
    for item in data.get("commission", []):
        check.require("commission", item, "platform", "rate")
        skus = check.regex(item["skus"], item["skus"]) if "skus" in item else None
        rate = check.decimal(str(item["rate"]), item["rate"])
        commission.append((item["platform"], item.get("category", ""), skus, rate))
    payment = []
    for item in data.get("payment_fee", []):
        check.require("payment_fee", item, "platform", "fee", "rate")
        payment.append(
            (
                item["platform"],
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
                    f"a zone of {item['courier']!r} lacks provinces, first or additional",
                    'write { provinces = ["浙江"], first = "3.00", additional = "1.00" }',
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
    return Contracts(
        path=path,
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


PROVINCE_SUFFIX = r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$"


def province_name(name: str) -> str:
    """``浙江省`` and ``浙江`` are one province; ``广西壮族自治区`` is ``广西``."""
    return re.sub(PROVINCE_SUFFIX, "", name.strip())


def province_expr(expr: pl.Expr) -> pl.Expr:
    """``province_name`` on a column."""
    return expr.str.strip_chars().str.replace(PROVINCE_SUFFIX, "")
