"""The month's report as one self-contained HTML page, rendered by jinja2.

Templates see one variable, ``page``, a ``ReportContext``: plain text already formatted for
reading ("12,345.67", "12.34%") plus the exact ``Decimal`` behind each headline figure, never a
polars frame; charts arrive as shapes in integer pixels (``charts``). ``report.html`` extends
``base.html`` and includes ``_table.html`` once per table and ``_chart.html`` once per chart;
``_report.js`` is the one inline script (sorting, filtering, drill-down), allowed by its SHA-256
in the page's Content-Security-Policy. A workspace ``templates/`` folder overrides a shipped
template by file name (ChoiceLoader: workspace first, shipped second; ``report-<shop>.html``
before ``report.html`` for a one-shop month). Autoescaping is on: statement text is never markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from finance.i18n import basis_text, reason_text
from finance.margin import PNL_COLUMNS
from finance.report import charts
from finance.report.charts import Chart
from finance.report.labels import category_name, flag_text, label, platform_name, sign
from finance.resources import shipped
from finance.schema import COST_CATEGORIES

if TYPE_CHECKING:
    from finance.report import Figures
    from finance.report.sections import Section

TEMPLATE = "report.html"
DRILL_DEFAULT = 5
SCRIPT = "_report.js"
"""The page's one small script (sorting, filtering, opening a drill-down), inlined; the page's
Content-Security-Policy allows exactly this script by its SHA-256 hash."""


@dataclass(frozen=True)
class Cell:
    """One table cell: ``text`` as shown, ``note`` a smaller second line, ``css`` its classes
    (``num`` right-aligned figure, ``neg`` negative, ``sign`` the ± column, ``muted``,
    ``flag`` a warning, ``wrap`` long text that may wrap)."""

    text: str
    note: str = ""
    css: str = ""
    sort: str = ""  # the value a sortable table sorts by (a plain number), when not the text
    href: str = ""  # a link within the page (``#drill-3``)


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    css: str = ""  # "total": an emphasised line
    html: Markup | None = None  # the cells already rendered (a big table, built by polars)


@dataclass(frozen=True)
class Table:
    """What ``_table.html`` renders: a captioned table; ``empty`` is shown when it has no rows."""

    id: str
    caption: str
    headers: list[Cell]
    rows: list[Row]
    empty: str = ""
    body: Markup | None = None  # the rows already rendered as <tr> elements (a big table)


@dataclass(frozen=True)
class Figure:
    """A headline figure: its label, its text as shown, and the exact value behind it."""

    label: str
    text: str
    value: Decimal | None
    css: str = ""
    note: str = ""  # against the prior month: "prior month 1,234.00 · +12.34%"


@dataclass(frozen=True)
class Drill:
    """A SKU traced to its statement rows: ``id`` is the anchor its figures link to."""

    id: str
    title: str
    note: str
    table: Table


@dataclass(frozen=True)
class SectionView:
    """A contributed ``Section`` as the page shows it (at most ``limit_html`` rows)."""

    key: str
    heading: str
    summary: list[str]
    table: Table
    more: str = ""


@dataclass(frozen=True)
class ReportContext:
    """Everything ``report.html`` (and ``base.html``) may use, as ``page``.

    lang: ``zh-CN`` or ``en`` (the ``<html lang>``); title: page heading; month: ``YYYY-MM``;
    note: how to read the amounts (currency, signs); headline: sales, refunds, true margin,
    margin %; summary: P&L lines by shop; skus: every P&L row; unallocated: what reached no
    SKU and why; bases: how split costs were divided (key and basis, fallbacks marked);
    excluded: transfers, deposits and tax; footer: the last line of the page.
    charts: waterfall, cost structure, best/worst SKUs, trend (``charts.Chart``, drawn by
    ``_chart.html``); unclassified: fee names no rule maps; sources: the imported files;
    drills: the best and worst SKUs traced to their rows; sections: contributed ``Section``s;
    filter_placeholder, sort_hint: the SKU table's controls; script, script_hash: the inline
    script and its CSP hash.
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
    costs: Table | None = None
    charts: list[Chart] = field(default_factory=list)
    unclassified: Table | None = None
    sources: Table | None = None
    drills: list[Drill] = field(default_factory=list)
    sections: list[SectionView] = field(default_factory=list)
    filter_placeholder: str = ""
    sort_hint: str = ""
    script: str = ""
    script_hash: str = ""
    drill_heading: str = ""
    toc: list[tuple[str, str]] = field(default_factory=list)  # (anchor, text) under the title


def money_text(cents: int) -> str:
    """Cents as text with thousands separators and two places: ``-1234567`` -> ``-12,345.67``."""
    whole, part = divmod(abs(int(cents)), 100)  # integer arithmetic: one call per table cell
    return f"{'-' if cents < 0 else ''}{whole:,}.{part:02d}"


def percent_text(ratio: Decimal | None, lang: str) -> str:
    """A ratio as a percentage with two places: ``0.1234`` -> ``12.34%``; a dash when undefined."""
    return label("no_ratio", lang) if ratio is None else f"{ratio.scaleb(2):.2f}%"


def money_cell(cents: int, href: str = "") -> Cell:
    return Cell(
        money_text(cents), css="num neg" if cents < 0 else "num", sort=str(cents), href=href
    )


def ratio_cell(ratio: Decimal | None, lang: str) -> Cell:
    negative = ratio is not None and ratio < 0
    return Cell(
        percent_text(ratio, lang),
        css="num neg" if negative else "num",
        sort="" if ratio is None else str(ratio),
    )


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """``finance.report.ratio`` (imported late: that package imports this module)."""
    from finance.report import ratio as exact_ratio

    return exact_ratio(numerator, denominator)


def _change(this: int | Decimal | None, prior: int | Decimal | None) -> str:
    """``+12.34%`` from prior to this; empty when there is no prior or it is zero."""
    if this is None or prior is None or prior == 0:
        return ""
    pct = (Decimal(this) - Decimal(prior)) / abs(Decimal(prior)) * 100
    return f"{pct:+.2f}%"


def _headline(figs: Figures, lang: str) -> list[Figure]:
    def money(line: str, css: str = "") -> Figure:
        cents = figs.total(line)
        tone = "neg" if cents < 0 else css
        prior = figs.prior_total(line)
        note = ""
        if prior is not None:
            note = label("headline_vs", lang, value=money_text(prior))
            change = _change(cents, prior)
            note += f" · {change}" if change else ""
        return Figure(label(line, lang), money_text(cents), Decimal(cents).scaleb(-2), tone, note)

    ratio = figs.ratios[-1]
    prior_ratio = figs.prior_ratios[-1] if figs.prior_ratios else None
    pct_note = ""
    if figs.prior_ratios is not None:
        pct_note = label("headline_vs", lang, value=percent_text(prior_ratio, lang))
        if ratio is not None and prior_ratio is not None:
            points = (ratio - prior_ratio).scaleb(2)
            pct_note += f" · {points:+.2f} pp"
    unallocated = figs.unallocated_total[-1]
    unclassified = figs.total("unclassified")
    return [
        money("sales"),
        money("refund"),
        money("true_margin", "key"),
        Figure(
            label("margin_pct", lang),
            percent_text(ratio, lang),
            ratio,
            "neg" if ratio is not None and ratio < 0 else "key",
            pct_note,
        ),
        Figure(
            label("kind_unallocated", lang),
            money_text(unallocated),
            Decimal(unallocated).scaleb(-2),
            "warn" if unallocated else "",
            label("unallocated_total", lang),
        ),
        Figure(
            label("unclassified", lang),
            money_text(unclassified),
            Decimal(unclassified).scaleb(-2),
            "warn" if unclassified else "",
            label("signed_amount", lang),
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


def _sku_row(r: dict, lang: str, drills: dict[tuple[str, str, str], str]) -> Row:
    """One SKU row cell by cell: the reference ``sku_rows`` is tested against."""
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
            Cell(str(r["units_sold"]), css="num", sort=str(r["units_sold"])),
            Cell(str(r["units_returned"]), css="num", sort=str(r["units_returned"])),
            money_cell(r["true_margin"], href=drills.get((r["platform"], r["shop"], r["sku"]), "")),
            ratio_cell(ratio, lang),
            *(money_cell(r[c]) for c in PNL_COLUMNS),
        ],
        css="sub" if r["sku"] is None else "",
    )


# --- the SKU table, rendered by polars: tens of thousands of rows would take a Python object per
# cell and a template loop per cell (a quarter of a big month's report time); these expressions
# give the same cells as ``_sku_row`` (tests/test_report_html.py compares the two).

_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;"))


def _escaped(text: pl.Expr) -> pl.Expr:
    """HTML-escape a text column as markupsafe does (statement text is untrusted)."""
    for raw, entity in _ENTITIES:
        text = text.str.replace_all(raw, entity, literal=True)
    return text


def _money_expr(cents: pl.Expr) -> pl.Expr:
    """``money_text`` as an expression: ``-1234567`` -> ``-12,345.67``."""
    whole = (cents.abs() // 100).cast(pl.String)
    grouped = (
        whole.str.reverse()
        .str.replace_all(r"(\d{3})", "${1},")
        .str.reverse()
        .str.strip_chars_start(",")
    )
    part = (cents.abs() % 100).cast(pl.String).str.zfill(2)
    sign_ = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str([sign_, grouped, pl.lit("."), part])


def _percent_expr(ratio: pl.Expr, lang: str) -> pl.Expr:
    """``percent_text`` of a four-place ratio string: ``-0.0123`` -> ``-1.23%``."""
    body = ratio.str.strip_chars_start("-")
    whole = body.str.split(".").list.get(0).cast(pl.Int64)
    frac = body.str.split(".").list.get(1, null_on_oob=True).fill_null("").str.pad_end(4, "0")
    shown = whole * 100 + frac.str.slice(0, 2).cast(pl.Int64)
    text = pl.concat_str(
        [
            pl.when(ratio.str.starts_with("-")).then(pl.lit("-")).otherwise(pl.lit("")),
            shown.cast(pl.String),
            pl.lit("."),
            frac.str.slice(2, 2),
            pl.lit("%"),
        ]
    )
    return (
        pl.when(ratio.is_null() | (ratio == ""))
        .then(pl.lit(label("no_ratio", lang)))
        .otherwise(text)
    )


def _td(css: pl.Expr, text: pl.Expr, *, sort: pl.Expr | None = None, note: pl.Expr | None = None,
        href: pl.Expr | None = None) -> pl.Expr:  # fmt: skip
    """One ``<td>`` as ``_table.html`` writes it; ``text``, ``note`` and ``href`` escaped here."""
    value = (
        pl.lit("")
        if sort is None
        else pl.when(sort != "")
        .then(pl.concat_str([pl.lit(' data-value="'), _escaped(sort), pl.lit('"')]))
        .otherwise(pl.lit(""))
    )
    body = _escaped(text)
    if href is not None:
        body = (
            pl.when(href != "")
            .then(
                pl.concat_str(
                    [pl.lit('<a href="'), _escaped(href), pl.lit('">'), body, pl.lit("</a>")]
                )
            )
            .otherwise(body)
        )
    small = (
        pl.lit("")
        if note is None
        else pl.when(note != "")
        .then(pl.concat_str([pl.lit("<small>"), _escaped(note), pl.lit("</small>")]))
        .otherwise(pl.lit(""))
    )
    return pl.concat_str(
        [pl.lit('<td class="'), _escaped(css), pl.lit('"'), value, pl.lit(">"), body, small,
         pl.lit("</td>")]
    )  # fmt: skip


def _money_td(column: str, href: pl.Expr | None = None) -> pl.Expr:
    cents = pl.col(column)
    css = pl.when(cents < 0).then(pl.lit("num neg")).otherwise(pl.lit("num"))
    return _td(css, _money_expr(cents), sort=cents.cast(pl.String), href=href)


def sku_body(skus: pl.DataFrame, lang: str, drills: dict[tuple[str, str, str], str]) -> Markup:
    """The SKU table's ``<tr>`` rows as one piece of HTML (tens of thousands of rows on a big
    month: no Python object and no template step per row)."""
    built = _sku_html(skus, lang, drills)
    if built is None:
        return Markup("")
    tr = pl.concat_str([pl.lit('<tr class="'), pl.col("css"), pl.lit('">\n'), pl.col("html")])
    return Markup(built.select(tr.add(pl.lit("\n</tr>")).str.join("\n")).item())


def sku_rows(skus: pl.DataFrame, lang: str, drills: dict[tuple[str, str, str], str]) -> list[Row]:
    """The SKU table's rows, each rendered to HTML in one pass over the frame."""
    built = _sku_html(skus, lang, drills)
    if built is None:
        return []
    return [Row([], css, Markup(html)) for html, css in built.iter_rows()]


def _sku_html(
    skus: pl.DataFrame, lang: str, drills: dict[tuple[str, str, str], str]
) -> pl.DataFrame | None:
    """Per SKU row: ``html`` (its cells, escaped) and ``css`` (its class)."""
    from finance.report.labels import platform_expr

    if skus.height == 0:
        return None
    platform = platform_expr(lang)
    sep = label("flag_separator", lang)
    flags = pl.concat_str(
        [
            pl.when(pl.col("cost_missing")).then(pl.lit(label("cost_missing", lang))),
            pl.when(pl.col("returns_inferred")).then(pl.lit(label("returns_inferred", lang))),
        ],
        separator=sep,
        ignore_nulls=True,
    )
    keys = {
        "\x1f".join("\x00" if v is None else v for v in key): href for key, href in drills.items()
    }
    key = pl.concat_str(
        [pl.col(c).fill_null("\x00") for c in ("platform", "shop", "sku")], separator="\x1f"
    )
    href = key.replace_strict(keys, default="", return_dtype=pl.String) if keys else pl.lit("")
    allocated = pl.col("sku").is_not_null()
    ratio = pl.col("margin_pct").cast(pl.String)
    cells = [
        _td(pl.lit(""), pl.col("shop").fill_null(""), note=platform.fill_null("")),
        _td(
            pl.when(~allocated)
            .then(pl.lit("muted"))
            .when(flags != "")
            .then(pl.lit("flag"))
            .otherwise(pl.lit("")),
            pl.when(allocated)
            .then(pl.col("sku"))
            .otherwise(pl.lit(label("unallocated_row", lang))),
            note=pl.when(allocated).then(flags).otherwise(pl.lit("")),
        ),
        *(
            _td(pl.lit("num"), pl.col(c).cast(pl.String), sort=pl.col(c).cast(pl.String))
            for c in ("units_sold", "units_returned")
        ),
        _money_td("true_margin", href=href),
        _td(
            pl.when(ratio.str.starts_with("-")).then(pl.lit("num neg")).otherwise(pl.lit("num")),
            _percent_expr(ratio, lang),
            sort=ratio.fill_null(""),
        ),
        *(_money_td(c) for c in PNL_COLUMNS),
    ]
    return skus.select(
        html=pl.concat_str(cells, separator="\n"),
        css=pl.when(allocated).then(pl.lit("")).otherwise(pl.lit("sub")),
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
    drills = {key: f"#drill-{i}" for i, key in enumerate(figs.drill, start=1)}
    body = sku_body(figs.skus, lang, drills) if figs.skus.height else None
    return Table("skus", label("skus_heading", lang), headers, [], label("none", lang), body)


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


def unclassified_table(figs: Figures, lang: str) -> Table:
    headers = [Cell(label(c, lang)) for c in ("platform", "shop", "fee_name")] + [
        Cell(label("entries", lang), css="num"),
        Cell(label("signed_amount", lang), css="num"),
    ]
    rows = [
        Row(
            [
                Cell(platform_name(p, lang)),
                Cell(shop),
                Cell(name),
                Cell(str(n), css="num"),
                money_cell(amount),
            ]
        )
        for p, shop, name, n, amount in figs.unclassified.iter_rows()
    ]
    caption = f"{label('kind_unclassified', lang)}: {label('no_rule_reason', lang)}"
    return Table("unclassified", caption, headers, rows, label("none", lang))


def sources_table(figs: Figures, lang: str) -> Table:
    frame = figs.sources
    columns = ("name", "format", "platform", "shop", "rows_this_month", "first_date", "last_date")
    names = {"name": "file_name"}
    headers = [
        Cell(label(names.get(c, c), lang), css="num" if c == "rows_this_month" else "")
        for c in columns
    ] + [Cell(label("sha256", lang))]
    rows = []
    if frame.width:
        for r in frame.iter_rows(named=True):
            rows.append(
                Row(
                    [
                        Cell(r["name"] or "", css="wrap"),
                        Cell(r["format"] or ""),
                        Cell(platform_name(r["platform"], lang)),
                        Cell(r["shop"] or ""),
                        Cell(str(r["rows_this_month"]), css="num"),
                        Cell(str(r["first_date"] or "")),
                        Cell(str(r["last_date"] or "")),
                        Cell((r["sha256"] or "")[:12], css="muted"),
                    ]
                )
            )
    return Table("sources", label("sources_heading", lang), headers, rows, label("none", lang))


def _platform_costs(figs: Figures) -> list[tuple[str, int, list[int]]]:
    pnl = figs.skus
    out = []
    for platform in sorted({p for p, _ in figs.shops}):
        rows = pnl.filter(pl.col("platform") == platform)
        net = int(rows["sales"].sum()) - int(rows["refund"].sum())
        out.append((platform, net, [int(rows[c].sum()) for c in COST_CATEGORIES]))
    return out


def costs_table(figs: Figures, lang: str) -> Table:
    """The cost structure by platform in figures: each cost and its share of net sales."""
    platforms = _platform_costs(figs)
    headers = [Cell(label("line", lang))]
    for platform, _, _ in platforms:
        headers += [
            Cell(platform_name(platform, lang), css="num"),
            Cell(label("share_of_net_sales", lang), css="num"),
        ]
    rows = [
        Row(
            [Cell(label("net_sales", lang))]
            + [c for _, net, _ in platforms for c in (money_cell(net), Cell(""))],
            css="sub",
        )
    ]
    lines = [*COST_CATEGORIES, "total_costs"]
    for k, line in enumerate(lines):
        cells = [Cell(label(line, lang))]
        for _, net, costs in platforms:
            amount = sum(costs) if line == "total_costs" else costs[k]
            share = ratio(amount, net) if net else None
            cells += [money_cell(amount), ratio_cell(share, lang)]
        rows.append(Row(cells, css="total" if line == "total_costs" else ""))
    caption = label("costs_by_platform", lang)
    return Table("costs", caption, headers, rows, label("none", lang))


def chart_list(figs: Figures, lang: str) -> list[Chart]:
    """The waterfall, the cost structure by platform, the best and worst SKUs, the trend."""
    steps = [("sales", figs.total("sales"))]
    steps += [
        ("refund", -figs.total("refund")),
        ("platform_subsidy", figs.total("platform_subsidy")),
    ]
    steps += [(c, -figs.total(c)) for c in COST_CATEGORIES]
    steps += [("unclassified", figs.total("unclassified"))]
    shown = [(label(n, lang), v) for n, v in steps if v != 0 or n == "sales"]
    waterfall = charts.waterfall(
        shown,
        (label("true_margin", lang), figs.total("true_margin")),
        title=label("waterfall_heading", lang),
    )
    costs = charts.stacked_shares(
        [(platform_name(p, lang), net, c) for p, net, c in _platform_costs(figs)],
        [label(c, lang) for c in COST_CATEGORIES],
        title=f"{label('costs_by_platform', lang)} ({label('share_of_net_sales', lang)})",
        empty=label("none", lang),
    )
    ranked = figs.skus.filter(pl.col("sku").is_not_null()).sort(
        "true_margin", "platform", "shop", "sku", descending=[True, False, False, False]
    )
    keys = set(figs.drill) or {
        tuple(k)
        for frame in (ranked.head(DRILL_DEFAULT), ranked.tail(DRILL_DEFAULT))
        for k in frame.select("platform", "shop", "sku").iter_rows()
    }
    picked = ranked.filter(
        pl.struct("platform", "shop", "sku").is_in(
            [{"platform": p, "shop": s, "sku": k} for p, s, k in keys]
        )
    )
    best_worst = charts.ranked_bars(
        [
            (f"{sku} · {shop}", int(m))
            for sku, shop, m in picked.select("sku", "shop", "true_margin").iter_rows()
        ],
        title=label("best_worst_heading", lang),
        empty=label("none", lang),
    )
    trend_rows = []
    for month, sales, refund, margin in figs.trend.iter_rows():
        trend_rows.append((month, sales - refund, margin, ratio(margin, sales - refund)))
    trend = charts.trend(trend_rows, lang=lang, title=label("trend_heading", lang))
    return [waterfall, costs, best_worst, trend]


DRILL_COLUMNS = (
    ("category", "category", ""),
    ("part", "part", "num"),
    ("entry_amount", "entry_amount", "num"),
    ("share", "share", "num"),
    ("basis", "basis", ""),
    ("fee_name", "fee_name", "wrap"),
    ("order_id", "order_id", ""),
    ("posted_at", "posted_at", ""),
    ("file", "source_file", "wrap"),
    ("source_row", "source_row", "num"),
)


def drill_list(figs: Figures, lang: str) -> list[Drill]:
    """Each traced SKU: its parts with the file, row and fee name they came from."""
    out = []
    margins = {
        (p, s, k): m
        for p, s, k, m in figs.skus.select("platform", "shop", "sku", "true_margin").iter_rows()
    }
    for i, (key, rows) in enumerate(figs.drill.items(), start=1):
        platform, shop, sku = key
        headers = [Cell(label(name, lang), css=css) for _, name, css in DRILL_COLUMNS]
        body = []
        for r in rows.iter_rows(named=True):
            cells = []
            for column, _, css in DRILL_COLUMNS:
                value = r[column]
                if column in ("entry_amount", "part"):
                    cells.append(money_cell(value) if value is not None else Cell("", css="num"))
                elif column == "category":
                    cells.append(Cell(category_name(value, lang)))
                elif column == "basis":
                    cells.append(Cell(basis_text(value, lang)))
                elif column == "posted_at":
                    cells.append(Cell(str(value)[:16] if value is not None else ""))
                else:
                    cells.append(Cell("" if value is None else str(value), css=css))
            body.append(Row(cells))
        margin = margins.get(key, 0)
        title = f"{sku} · {shop} · {platform_name(platform, lang)}"
        note = f"{label('true_margin', lang)} {money_text(margin)}"
        out.append(
            Drill(
                f"drill-{i}",
                title,
                note,
                Table(f"drill-{i}-rows", title, headers, body, label("none", lang)),
            )
        )
    return out


def _section_cell(value: object, money: bool) -> Cell:
    if value is None:
        return Cell("")
    if money:
        return money_cell(int(value))  # type: ignore[call-overload]
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return Cell(f"{value:,}", css="num", sort=str(value))
    return Cell(str(value), css="wrap")


def section_views(sections: Sequence[Section], lang: str) -> list[SectionView]:
    """Contributed sections: heading, summary lines, at most ``limit_html`` rows, escaped."""
    out = []
    for section in sections:
        frame = section.rows(lang)
        headers = [
            Cell(section.column_label(c, lang), css="num" if c in section.money else "")
            for c in frame.columns
        ]
        rows = [
            Row(
                [
                    _section_cell(v, c in section.money)
                    for c, v in zip(frame.columns, values, strict=True)
                ]
            )
            for values in frame.head(section.limit_html).iter_rows()
        ]
        more = ""
        if frame.height > section.limit_html:
            more = label("section_more", lang, shown=section.limit_html, rows=frame.height)
        key = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in section.key)
        out.append(
            SectionView(
                key=key,
                heading=section.heading(lang),
                summary=list(section.summary.get(lang) or section.summary.get("en") or []),
                table=Table(
                    f"section-{key}-table",
                    section.heading(lang),
                    headers,
                    rows,
                    label("none", lang),
                ),
                more=more,
            )
        )
    return out


def report_context(
    figs: Figures,
    *,
    lang: str = "zh-CN",
    sections: Sequence[Section] = (),
    script: str | None = None,
) -> ReportContext:
    """The page's context, every figure formatted for ``lang``."""
    lang = "zh-CN" if lang == "zh-CN" else "en"
    views = section_views(sections, lang)
    toc = [
        ("section-summary", label("pnl_by_shop", lang)),
        ("section-charts", label("waterfall_heading", lang)),
        ("section-skus", label("skus_heading", lang)),
        *([("section-drill", label("drill_heading", lang))] if figs.drill else []),
        ("section-unallocated", label("exceptions_heading", lang)),
        ("section-sources", label("sources_heading", lang)),
        *((f"section-{v.key}", v.heading) for v in views),
    ]
    if script is None:
        script = (shipped("templates") / SCRIPT).read_text(encoding="utf-8")
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
        charts=chart_list(figs, lang),
        costs=costs_table(figs, lang),
        unclassified=unclassified_table(figs, lang),
        sources=sources_table(figs, lang),
        drills=drill_list(figs, lang),
        sections=views,
        filter_placeholder=label("filter_placeholder", lang),
        sort_hint=label("sort_hint", lang),
        script=script,
        script_hash=script_hash(script),
        drill_heading=label("drill_heading", lang),
        toc=toc,
    )


def script_hash(script: str) -> str:
    """The CSP source that allows exactly ``script``: ``'sha256-…'``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def template_names(figs: Figures) -> list[str]:
    """Which template renders the page: ``report-<shop>.html`` first when the month has one
    shop (a shop name that is not a plain file name is skipped), then ``report.html``."""
    names = []
    shop_names = {shop for _, shop in figs.shops}
    if len(shop_names) == 1:
        shop = next(iter(shop_names))
        if shop and not any(ch in shop for ch in "/\\") and ".." not in shop:
            names.append(f"report-{shop}.html")
    return [*names, TEMPLATE]


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


def render(
    context: ReportContext, *, templates: Path | None = None, names: Sequence[str] = (TEMPLATE,)
) -> str:
    """The page as text, from the first of ``names`` found (workspace folder first)."""
    env = environment(templates)
    if context.script:  # a workspace's own _report.js replaces the shipped one
        try:
            source = env.loader.get_source(env, SCRIPT)[0]  # type: ignore[union-attr]
        except TemplateNotFound:
            source = context.script
        if source != context.script:
            import dataclasses

            context = dataclasses.replace(context, script=source, script_hash=script_hash(source))
    return env.select_template(list(names)).render(page=context)
