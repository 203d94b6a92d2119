"""``rules/allocation.toml``: the split basis of each category, fallbacks, fixed and monthly costs.

Validated when loaded, like the format rules: an unknown category, basis or key names the file,
the line and the fix.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from finance.errors import RuleError
from finance.rulebook.load import _Checker, _line_of
from finance.schema import COST_CATEGORIES, MARGIN_CATEGORIES

BASES = ("revenue", "quantity", "weight", "order_count")
FIXED_KEYS = {"name", "category", "per", "amount", "platform", "shop"}
MONTHLY_KEYS = {"name", "category", "amount", "platform", "shop", "basis"}


@dataclass(frozen=True)
class FixedCost:
    name: str
    category: str
    per: str  # parcel | unit
    amount: int  # cents per parcel or unit
    platform: str | None = None
    shop: str | None = None


@dataclass(frozen=True)
class MonthlyCost:
    name: str
    category: str
    amount: int  # cents per month
    platform: str
    shop: str
    basis: str = "revenue"


@dataclass(frozen=True)
class AllocationRules:
    basis: dict[str, str] = field(default_factory=dict)
    default: str = "revenue"
    fallback: dict[str, str] = field(
        default_factory=lambda: {
            "weight": "quantity",
            "quantity": "revenue",
            "order_count": "revenue",
        }
    )
    fixed: tuple[FixedCost, ...] = ()
    monthly: tuple[MonthlyCost, ...] = ()
    path: Path | None = None

    def chain(self, category: str) -> list[str]:
        """The bases to try for a category, in order (no repeats)."""
        return self.fallbacks(self.basis.get(category, self.default))

    def fallbacks(self, basis: str) -> list[str]:
        """``basis`` and the bases it falls back to, in order (no repeats)."""
        out = [basis]
        while out[-1] in self.fallback and self.fallback[out[-1]] not in out:
            out.append(self.fallback[out[-1]])
        return out


def _cents(check: _Checker, section: str, value: object) -> int:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise check.fail(
            section,
            "amount",
            f"amount {value!r} is not a number",
            'write the amount as a string, e.g. amount = "1.20"',
        ) from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise check.fail(
            section,
            "amount",
            f"amount {value!r} must be positive with at most two decimals",
            'e.g. amount = "1.20"',
        )
    return int(amount * 100)


def load_allocation(path: Path) -> AllocationRules:
    """Load ``allocation.toml``; a missing file means the defaults (revenue everywhere)."""
    if not path.is_file():
        return AllocationRules()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError("rule_toml", rule_file=path.as_posix(), line=1, detail=str(exc)) from exc
    check = _Checker(path, text)
    for section in data:
        if section not in ("basis", "fallback", "fixed", "monthly"):
            raise check.fail(
                section,
                None,
                f"unknown section [{section}]",
                "use [basis], [fallback], [[fixed]] or [[monthly]]",
            )
    basis = dict(data.get("basis", {}))
    default = basis.pop("default", "revenue")
    for category, name in {**basis, "default": default}.items():
        if category != "default" and category not in MARGIN_CATEGORIES:
            raise check.fail(
                "basis",
                category,
                f"unknown category {category!r}",
                f"use one of: {', '.join(MARGIN_CATEGORIES)}",
            )
        if name not in BASES:
            raise check.fail(
                "basis", category, f"unknown basis {name!r}", f"use one of: {', '.join(BASES)}"
            )
    fallback = dict(data.get("fallback", {}))
    for name, then in fallback.items():
        for value in (name, then):
            if value not in BASES:
                raise check.fail(
                    "fallback", name, f"unknown basis {value!r}", f"use one of: {', '.join(BASES)}"
                )
    fixed = []
    for item in data.get("fixed", []):
        _keys(check, "fixed", item, FIXED_KEYS)
        _category(check, "fixed", item)
        if item.get("per") not in ("parcel", "unit"):
            raise check.fail("fixed", "per", f"per = {item.get('per')!r}", 'use "parcel" or "unit"')
        fixed.append(
            FixedCost(
                item["name"],
                item["category"],
                item["per"],
                _cents(check, "fixed", item.get("amount")),
                item.get("platform"),
                item.get("shop"),
            )
        )
    monthly = []
    for item in data.get("monthly", []):
        _keys(check, "monthly", item, MONTHLY_KEYS)
        _category(check, "monthly", item)
        for key in ("platform", "shop"):
            if not item.get(key):
                raise check.fail(
                    "monthly",
                    None,
                    f"[[monthly]] {item.get('name')!r} has no {key}",
                    f'add {key} = "..."',
                )
        if item.get("basis", "revenue") not in BASES:
            raise check.fail(
                "monthly",
                "basis",
                f"unknown basis {item['basis']!r}",
                f"use one of: {', '.join(BASES)}",
            )
        monthly.append(
            MonthlyCost(
                item["name"],
                item["category"],
                _cents(check, "monthly", item.get("amount")),
                item["platform"],
                item["shop"],
                item.get("basis", "revenue"),
            )
        )
    return AllocationRules(
        basis=basis,
        default=default,
        fallback=fallback or AllocationRules().fallback,
        fixed=tuple(fixed),
        monthly=tuple(monthly),
        path=path,
    )


def _keys(check: _Checker, section: str, item: dict, allowed: set[str]) -> None:
    for key in item:
        if key not in allowed:
            raise check.fail(
                section,
                key,
                f"unknown key {key!r} in [[{section}]]",
                f"use one of: {', '.join(sorted(allowed))}",
            )
    if not item.get("name"):
        raise check.fail(section, None, f"a [[{section}]] entry has no name", 'add name = "..."')


def _category(check: _Checker, section: str, item: dict) -> None:
    if item.get("category") not in COST_CATEGORIES:
        raise RuleError(
            "rule_invalid",
            rule_file=check.path.as_posix(),
            line=_line_of(check.text, section, "category"),
            detail=f"category {item.get('category')!r} of {item['name']!r} is not a cost",
            fix=f"use one of: {', '.join(COST_CATEGORIES)}",
        )
