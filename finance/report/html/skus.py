"""The SKU table: every P&L row, rendered by polars in one pass over the frame (a big month has
tens of thousands of rows), each cell escaped."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl
from markupsafe import Markup

from finance.margin import PNL_COLUMNS
from finance.report.html.cells import money_cell, ratio_cell
from finance.report.html.context import Cell, Row, Table
from finance.report.labels import FLAGS, flag_text, label, platform_name

if TYPE_CHECKING:
    from finance.report import Figures


def _sku_row(r: dict, lang: str, drills: dict[tuple[str, str, str], str]) -> Row:
    """One SKU row cell by cell: the reference ``sku_rows`` is tested against."""
    ratio = Decimal(r["margin_pct"]) if r["margin_pct"] else None
    flags = flag_text(
        cost_missing=bool(r["cost_missing"]),
        returns_inferred=bool(r["returns_inferred"]),
        cogs_estimated=bool(r.get("cogs_estimated")),
        sales_uncosted=bool(r.get("sales_uncosted")),
        lang=lang,
    )
    sku = (
        Cell(r["sku"], note=flags, css="flag" if flags else "")
        if r["sku"] is not None
        else Cell(label("unallocated_row", lang), note=flags, css="muted")
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
            pl.when(pl.col(flag)).then(pl.lit(label(flag, lang)))
            for flag in FLAGS
            if flag in skus.columns
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
            note=flags,
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
