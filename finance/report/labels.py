"""Every word the reports show, in zh-CN and English: one source for the workbook and the page.

The texts are the catalogs' ``[categories]``, ``[columns]``, ``[labels]`` and ``[platforms]``
sections (``finance/locales/``). ``LABELS`` maps a key (a canonical category, a column name, a
heading) to its text in each language; ``label(key, lang)`` looks one up.
Platform codes have display names in ``PLATFORMS``; an unknown code is shown as it is.
``SIGNS`` says how each P&L line enters true margin, for the sign column of the summary.
"""

from __future__ import annotations

import polars as pl

from finance import i18n

LANGS = i18n.LANGS

CATEGORY_LABELS: dict[str, dict[str, str]] = i18n.section("categories")
COLUMN_LABELS: dict[str, dict[str, str]] = i18n.section("columns")
TEXT_LABELS: dict[str, dict[str, str]] = i18n.section("labels")
LABELS: dict[str, dict[str, str]] = CATEGORY_LABELS | COLUMN_LABELS | TEXT_LABELS
PLATFORMS: dict[str, dict[str, str]] = i18n.section("platforms")

SIGNS: dict[str, str] = {
    "sales": "+",
    "refund": "−",
    "platform_subsidy": "+",
    "unclassified": "±",
    "true_margin": "=",
}
"""How a P&L line enters true margin; lines not named here are costs (``−``)."""


def label(key: str, lang: str = "zh-CN", **fields: object) -> str:
    """The text for ``key`` in ``lang`` (English when ``lang`` is not zh-CN), formatted."""
    entry = LABELS[key]
    text = entry["zh-CN"] if lang == "zh-CN" else entry["en"]
    return text.format(**fields) if fields else text


def platform_name(code: str | None, lang: str = "zh-CN") -> str:
    """A platform's display name; an unknown code is shown as it is."""
    if code is None:
        return ""
    names = PLATFORMS.get(code.lower())
    if names is None:
        return code
    return names["zh-CN"] if lang == "zh-CN" else names["en"]


def platform_expr(lang: str = "zh-CN", column: str = "platform") -> pl.Expr:
    """``platform_name`` for every row of a frame: 天猫 / Tmall; unknown codes as they are."""
    names = {code: (n["zh-CN"] if lang == "zh-CN" else n["en"]) for code, n in PLATFORMS.items()}
    return pl.col(column).str.to_lowercase().replace_strict(names, default=pl.col(column))


def sign(line: str) -> str:
    return SIGNS.get(line, "−")


def category_name(code: str | None, lang: str = "zh-CN") -> str:
    """A category's display name; an unknown code is shown as it is."""
    names = CATEGORY_LABELS.get(code or "")
    if names is None:
        return code or ""
    return names["zh-CN"] if lang == "zh-CN" else names["en"]


FLAGS = ("cost_missing", "returns_inferred", "cogs_estimated", "sales_uncosted")
"""A P&L row's warnings, in the order they are shown (boolean columns of ``MonthResult.pnl``;
the last two only on a shop's unallocated row, see ``finance.uncosted``)."""


def flag_text(
    *,
    cost_missing: bool,
    returns_inferred: bool,
    lang: str = "zh-CN",
    cogs_estimated: bool = False,
    sales_uncosted: bool = False,
) -> str:
    """The warnings of one P&L row, joined: empty when there are none."""
    on = {
        "cost_missing": cost_missing,
        "returns_inferred": returns_inferred,
        "cogs_estimated": cogs_estimated,
        "sales_uncosted": sales_uncosted,
    }
    flags = [key for key in FLAGS if on[key]]
    return label("flag_separator", lang).join(label(key, lang) for key in flags)
