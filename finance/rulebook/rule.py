"""What a loaded rules file is: the ``Rule`` and the small records its tables become.

Only data lives here; ``load.py`` and the table modules (``tables_*.py``) fill it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SIGNS = ("as_is", "negate", "income", "expense")
"""How a conditional mapping or an amount column sets the sign (see docs/rules.md)."""
KEYS = ("sku", "order", "waybill", "listing", "campaign", "shop")
"""The allocation key a conditional mapping may pin a row to (most specific first)."""

DEFAULT_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日",
    "%Y%m%d",
)


@dataclass(frozen=True)
class Extract:
    """Take a canonical field from a column, optionally the first group of a pattern."""

    column: str
    pattern: str | None = None


@dataclass(frozen=True)
class Flag:
    """A true/false field: the column's text matches the pattern."""

    column: str
    pattern: str


@dataclass(frozen=True)
class Classify:
    """Rows whose columns all match ``when`` (regex search) get ``category``; optionally the
    amount's ``sign`` and the allocation ``key`` are set too."""

    category: str
    when: dict[str, str]
    sign: str | None = None
    key: str | None = None
    fee_name: str | None = None


@dataclass(frozen=True)
class Amount:
    """A wide row: this column gives a canonical row of its own (``[[amounts]]``)."""

    column: str
    category: str | None = None
    sign: str = "as_is"
    fee_name: str | None = None


@dataclass(frozen=True)
class Unpivot:
    """A wide statement: each of ``columns`` becomes a row; ``name``/``value`` hold its name and
    cell; ``total`` (optional) is a column the unpivoted amounts of a row must add up to."""

    columns: tuple[str, ...]
    name: str
    value: str
    total: str | None = None


@dataclass(frozen=True)
class Direction:
    """The sign of an unsigned amount comes from ``column``: ``income`` or ``expense`` pattern."""

    column: str
    income: str
    expense: str


@dataclass(frozen=True)
class Supersedes:
    """``[[supersedes]]``: rows of the statements ``formats`` whose fee name matches
    ``fee_name`` describe the same money as this report's rows (docs/formats.md, "Money never
    counted twice"); where this report is imported for a month and shop, they are a payment."""

    formats: tuple[str, ...]
    fee_name: str


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    platform: str
    path: Path
    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()
    description: str = ""
    currency: str = "CNY"
    category: str | None = None
    sign: str = "as_is"
    filename: str | None = None
    comment: str | None = None
    footer: str | None = None
    delimiter: str = ","
    header_search_lines: int = 40
    sheet: str | None = None
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    decimal_mark: str = "."
    null_values: tuple[str, ...] = ()
    weight_unit: str = "g"
    timezone: str | None = None  # the zone of the file's naive times (finance/zones.py)
    fields: dict[str, tuple[Extract, ...]] = field(default_factory=dict)
    flags: dict[str, Flag] = field(default_factory=dict)
    fee_name_columns: tuple[str, ...] = ()
    fee_name_remove: str | None = None
    classify: tuple[Classify, ...] = ()
    key_columns: tuple[str, ...] = ()
    key_scope: str = ""
    duplicates: str = "error"
    on_conflict: str = "skip"
    shop: str | None = None
    amounts: tuple[Amount, ...] = ()
    shop_account: str | None = None
    fill_down: tuple[str, ...] = ()
    includes: tuple[Path, ...] = ()
    # --- wide statements, direction columns, summary rows (issue #3 part A)
    skip_rows_without: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    unpivot: Unpivot | None = None
    direction: Direction | None = None
    # --- money two files describe, counted once (issue 16)
    supersedes: tuple[Supersedes, ...] = ()

    @property
    def known_columns(self) -> tuple[str, ...]:
        return self.columns + self.optional
