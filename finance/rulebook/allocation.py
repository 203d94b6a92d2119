"""``rules/allocation.toml``: the split basis of each category, fallbacks, fixed and monthly costs.

Validated when loaded, like the format rules: an unknown category, basis or key names the file,
the line and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from finance import i18n
from finance.errors import RuleError
from finance.rulebook.checker import Checker, line_of, one_of, unknown, use
from finance.rulebook.toml import read_toml
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


def _cents(check: Checker, section: str, value: object) -> int:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise check.fail(
            section,
            "amount",
            i18n.per_lang("rules_amount_not_number", value=value),
            i18n.per_lang("rules_fix_amount_string"),
        ) from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise check.fail(
            section,
            "amount",
            i18n.per_lang("rules_amount_cents", value=value),
            i18n.per_lang("rules_fix_amount_example"),
        )
    return int(amount * 100)


def load_allocation(path: Path) -> AllocationRules:
    """Load ``allocation.toml``; a missing file means the defaults (revenue everywhere)."""
    if not path.is_file():
        return AllocationRules()
    text, data = read_toml(path)
    check = Checker(path, text)
    for section in data:
        if section not in ("basis", "fallback", "fixed", "monthly"):
            raise check.fail(
                section,
                None,
                i18n.per_lang("rules_unknown_section", section=section),
                i18n.per_lang("rules_fix_alloc_sections"),
            )
    basis = dict(data.get("basis", {}))
    default = basis.pop("default", "revenue")
    for category, name in {**basis, "default": default}.items():
        if category != "default" and category not in MARGIN_CATEGORIES:
            raise check.fail(
                "basis",
                category,
                unknown("category", category),
                one_of(MARGIN_CATEGORIES),
            )
        if name not in BASES:
            raise check.fail("basis", category, unknown("basis", name), one_of(BASES))
    fallback = dict(data.get("fallback", {}))
    for name, then in fallback.items():
        for value in (name, then):
            if value not in BASES:
                raise check.fail("fallback", name, unknown("basis", value), one_of(BASES))
    fixed = []
    for item in data.get("fixed", []):
        _keys(check, "fixed", item, FIXED_KEYS)
        _category(check, "fixed", item)
        if item.get("per") not in ("parcel", "unit"):
            raise check.fail(
                "fixed",
                "per",
                i18n.per_lang("rules_setting_eq", key="per", value=item.get("per")),
                use("parcel", "unit"),
            )
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
                    i18n.per_lang(
                        "rules_entry_lacks", section="[[monthly]]", name=item.get("name"), key=key
                    ),
                    i18n.per_lang("rules_fix_add", example=f'{key} = "..."'),
                )
        if item.get("basis", "revenue") not in BASES:
            raise check.fail(
                "monthly",
                "basis",
                unknown("basis", item["basis"]),
                one_of(BASES),
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


def _keys(check: Checker, section: str, item: dict, allowed: set[str]) -> None:
    for key in item:
        if key not in allowed:
            raise check.fail(
                section,
                key,
                i18n.per_lang("rules_unknown_key", key=key, section=f"[[{section}]]"),
                one_of(sorted(allowed)),
            )
    if not item.get("name"):
        raise check.fail(
            section,
            None,
            i18n.per_lang("rules_entry_no_name", section=section),
            i18n.per_lang("rules_fix_add", example='name = "..."'),
        )


def _category(check: Checker, section: str, item: dict) -> None:
    if item.get("category") not in COST_CATEGORIES:
        raise RuleError(
            "rule_invalid",
            rule_file=check.path.as_posix(),
            line=line_of(check.text, section, "category"),
            detail=i18n.per_lang(
                "rules_not_a_cost", category=item.get("category"), name=item["name"]
            ),
            fix=one_of(COST_CATEGORIES),
        )
