"""The month's report as one self-contained HTML page, rendered by jinja2.

Templates see one variable, ``page``, a ``ReportContext``: plain text already formatted for
reading ("12,345.67", "12.34%") plus the exact ``Decimal`` behind each headline figure, never a
polars frame. ``report.html`` extends ``base.html`` and includes ``_table.html`` once per table.
A workspace ``templates/`` folder overrides a shipped template by file name (ChoiceLoader:
workspace first, shipped second). Autoescaping is on: statement text is never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from finance.i18n import basis_text, reason_text
from finance.margin import PNL_COLUMNS
from finance.report.labels import category_name, flag_text, label, platform_name, sign
from finance.resources import shipped

if TYPE_CHECKING:
    from finance.report import Figures

TEMPLATE = "report.html"


@dataclass(frozen=True)
class Cell:
    """One table cell: ``text`` as shown, ``note`` a smaller second line, ``css`` its classes
    (``num`` right-aligned figure, ``neg`` negative, ``sign`` the ± column, ``muted``,
    ``flag`` a warning, ``wrap`` long text that may wrap)."""

    text: str
    note: str = ""
    css: str = ""


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    css: str = ""  # "total": an emphasised line


@dataclass(frozen=True)
class Table:
    """What ``_table.html`` renders: a captioned table; ``empty`` is shown when it has no rows."""

    id: str
    caption: str
    headers: list[Cell]
    rows: list[Row]
    empty: str = ""


@dataclass(frozen=True)
class Figure:
    """A headline figure: its label, its text as shown, and the exact value behind it."""

    label: str
    text: str
    value: Decimal | None
    css: str = ""


@dataclass(frozen=True)
class ReportContext:
    """Everything ``report.html`` (and ``base.html``) may use, as ``page``.

    lang: ``zh-CN`` or ``en`` (the ``<html lang>``); title: page heading; month: ``YYYY-MM``;
    note: how to read the amounts (currency, signs); headline: sales, refunds, true margin,
    margin %; summary: P&L lines by shop; skus: every P&L row; unallocated: what reached no
    SKU and why; bases: how split costs were divided (key and basis, fallbacks marked);
    excluded: transfers, deposits and tax; footer: the last line of the page.
    """

    lang: str
    title: str
    month: str
    note: str
    headline: list[Figure]
    summary: Table
    skus: Table
    unallocated: Table
    bases: Table
    excluded: Table
    footer: str


def money_text(cents: int) -> str:
    """Cents as text with thousands separators and two places: ``-1234567`` -> ``-12,345.67``."""
    return f"{Decimal(cents).scaleb(-2):,.2f}"


def percent_text(ratio: Decimal | None, lang: str) -> str:
    """A ratio as a percentage with two places: ``0.1234`` -> ``12.34%``; a dash when undefined."""
    return label("no_ratio", lang) if ratio is None else f"{ratio.scaleb(2):.2f}%"


def money_cell(cents: int) -> Cell:
    return Cell(money_text(cents), css="num neg" if cents < 0 else "num")


def ratio_cell(ratio: Decimal | None, lang: str) -> Cell:
    negative = ratio is not None and ratio < 0
    return Cell(percent_text(ratio, lang), css="num neg" if negative else "num")


def _headline(figs: Figures, lang: str) -> list[Figure]:
    def money(line: str, css: str = "") -> Figure:
        cents = figs.total(line)
        tone = "neg" if cents < 0 else css
        return Figure(label(line, lang), money_text(cents), Decimal(cents).scaleb(-2), tone)

    ratio = figs.ratios[-1]
    return [
        money("sales"),
        money("refund"),
        money("true_margin", "key"),
        Figure(
            label("margin_pct", lang),
            percent_text(ratio, lang),
            ratio,
            "neg" if ratio is not None and ratio < 0 else "key",
        ),
    ]


def summary_table(figs: Figures, lang: str) -> Table:
    headers = [
        Cell(label("line", lang)),
        Cell(label("sign", lang), css="sign"),
        *(Cell(shop, note=platform_name(p, lang), css="num") for p, shop in figs.shops),
        Cell(label("total", lang), css="num"),
    ]

    def line(name: str, mark: str, cells: list[Cell], css: str = "") -> Row:
        return Row([Cell(name), Cell(mark, css="sign"), *cells], css)

    rows = [
        line(
            label(c, lang),
            sign(c),
            [money_cell(v) for v in figs.lines[c]],
            "total" if c == "true_margin" else "",
        )
        for c in [*PNL_COLUMNS, "true_margin"]
    ]
    rows.append(line(label("margin_pct", lang), "", [ratio_cell(r, lang) for r in figs.ratios]))
    rows.append(
        line(
            label("unallocated_total", lang),
            "±",
            [money_cell(v) for v in figs.unallocated_total],
            "sub",
        )
    )
    return Table("summary", label("pnl_by_shop", lang), headers, rows)


def _sku_row(r: dict, lang: str) -> Row:
    ratio = Decimal(r["margin_pct"]) if r["margin_pct"] else None
    flags = flag_text(
        cost_missing=bool(r["cost_missing"]),
        returns_inferred=bool(r["returns_inferred"]),
        lang=lang,
    )
    sku = (
        Cell(r["sku"], note=flags, css="flag" if flags else "")
        if r["sku"] is not None
        else Cell(label("unallocated_row", lang), css="muted")
    )
    return Row(
        [
            Cell(r["shop"] or "", note=platform_name(r["platform"], lang)),
            sku,
            Cell(str(r["units_sold"]), css="num"),
            Cell(str(r["units_returned"]), css="num"),
            money_cell(r["true_margin"]),
            ratio_cell(ratio, lang),
            *(money_cell(r[c]) for c in PNL_COLUMNS),
        ],
        css="sub" if r["sku"] is None else "",
    )


def sku_table(figs: Figures, lang: str) -> Table:
    """Every P&L row. On screen the result comes first: true margin and margin % right after
    the units, then the lines in margin-formula order; a row's warnings sit under its SKU."""
    headers = [
        Cell(label("shop", lang), note=label("platform", lang)),
        Cell(label("sku", lang), note=label("flags", lang)),
    ] + [
        Cell(label(c, lang), css="num")
        for c in ("units_sold", "units_returned", "true_margin", "margin_pct", *PNL_COLUMNS)
    ]
    rows = [_sku_row(r, lang) for r in figs.skus.iter_rows(named=True)]
    return Table("skus", label("skus_heading", lang), headers, rows, label("none", lang))


def unallocated_table(figs: Figures, lang: str) -> Table:
    headers = [Cell(label(c, lang)) for c in ("platform", "shop", "category", "reason")] + [
        Cell(label("entries", lang), css="num"),
        Cell(label("signed_amount", lang), css="num"),
    ]
    rows = [
        Row(
            [
                Cell(platform_name(p, lang)),
                Cell(shop),
                Cell(category_name(c, lang)),
                Cell(reason_text(reason, lang), css="wrap"),
                Cell(str(entries), css="num"),
                money_cell(amount),
            ]
        )
        for p, shop, c, reason, entries, amount in figs.unallocated.select(
            "platform", "shop", "category", "reason", "entries", "amount"
        ).iter_rows()
    ]
    return Table(
        "unallocated", label("unallocated_heading", lang), headers, rows, label("none", lang)
    )


def bases_table(figs: Figures, lang: str) -> Table:
    headers = [Cell(label(c, lang)) for c in ("platform", "shop", "category", "key", "basis")] + [
        Cell(label("entries", lang), css="num"),
        Cell(label("signed_amount", lang), css="num"),
    ]
    rows = [
        Row(
            [
                Cell(platform_name(p, lang)),
                Cell(shop or ""),
                Cell(category_name(c, lang)),
                Cell(label(f"key_{key}", lang)),
                Cell(basis_text(basis, lang), css="flag" if fallback else ""),
                Cell(str(n), css="num"),
                money_cell(amount),
            ]
        )
        for p, shop, c, key, basis, n, amount, fallback in figs.bases.select(
            "platform", "shop", "category", "key", "basis", "entries", "amount", "fallback"
        ).iter_rows()
    ]
    return Table("bases", label("bases_heading", lang), headers, rows, label("none", lang))


def excluded_table(figs: Figures, lang: str) -> Table:
    headers = [Cell(label(c, lang)) for c in ("platform", "shop", "category")] + [
        Cell(label("entries", lang), css="num"),
        Cell(label("signed_amount", lang), css="num"),
    ]
    rows = [
        Row(
            [
                Cell(platform_name(p, lang)),
                Cell(shop or ""),
                Cell(category_name(c, lang)),
                Cell(str(n), css="num"),
                money_cell(amount),
            ]
        )
        for p, shop, c, amount, n in figs.excluded_rows.select(
            "platform", "shop", "category", "amount", "rows"
        ).iter_rows()
    ]
    return Table("excluded", label("excluded_heading", lang), headers, rows, label("none", lang))


def report_context(figs: Figures, *, lang: str = "zh-CN") -> ReportContext:
    """The page's context, every figure formatted for ``lang``."""
    lang = "zh-CN" if lang == "zh-CN" else "en"
    return ReportContext(
        lang=lang,
        title=label("title", lang, month=figs.month),
        month=figs.month,
        note=label(
            "costs_positive",
            lang,
            currency=figs.currency or "-",
            period=label(f"period_{figs.period}", lang),
        ),
        headline=_headline(figs, lang),
        summary=summary_table(figs, lang),
        skus=sku_table(figs, lang),
        unallocated=unallocated_table(figs, lang),
        bases=bases_table(figs, lang),
        excluded=excluded_table(figs, lang),
        footer=label("generated_by", lang),
    )


def environment(templates: Path | None = None) -> Environment:
    """Jinja2 with autoescaping; ``templates`` (a workspace folder) before the shipped ones."""
    folders = [Path(templates)] if templates is not None else []
    folders.append(shipped("templates"))
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(str(f)) for f in folders]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(context: ReportContext, *, templates: Path | None = None) -> str:
    """The page as text."""
    return environment(templates).get_template(TEMPLATE).render(page=context)
