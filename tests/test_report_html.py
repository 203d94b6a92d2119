"""The HTML report: escaped statement text, the right figures, a self-contained page, templates
overridable by name, a context of plain values, and a real browser's view of it."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.margin import PNL_COLUMNS
from finance.report import ReportContext, figures, write_html
from finance.report.html import money_text, report_context
from finance.resources import shipped

from .test_report_workbook import (
    EVIL_FILE,
    EVIL_SKU,
    SHOP_B,
    empty_result,
    hostile_section,
    prior_result,
    sample_result,
)

ESCAPED_SHOP = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def page(tmp_path: Path) -> str:
    return write_html(sample_result(), tmp_path / "report.html", lang="en").read_text("utf-8")


def _margin_total() -> int:
    return sample_result().pnl["true_margin"].sum()


def test_statement_text_is_escaped(page: str) -> None:
    assert SHOP_B[1] not in page
    assert ESCAPED_SHOP in page
    assert page.lower().count("<script") == 1  # ours, at the end (see the CSP test)
    assert EVIL_SKU not in page and "=HYPERLINK(&#34;http://x&#34;)" in page
    assert EVIL_FILE not in page and "+账单&lt;b&gt;.csv" in page  # drill-down and sources
    assert "@SUM(A1:A9)" in page  # the unclassified fee name, as text


def test_headline_against_the_prior_month(tmp_path: Path) -> None:
    figs = figures(sample_result(), prior=prior_result())
    page = write_html(figs, tmp_path / "r.html", lang="en").read_text("utf-8")
    before = prior_result().pnl
    sales_now, sales_before = sample_result().pnl["sales"].sum(), before["sales"].sum()
    change = (Decimal(sales_now) - sales_before) / sales_before * 100
    assert f"prior month {money_text(sales_before)} · {change:+.2f}%" in page
    margin = before["true_margin"].sum()
    assert f"prior month {money_text(margin)}" in page
    assert " pp</div>" in page  # margin % change in percentage points


def test_headline_figures(page: str) -> None:
    pnl = sample_result().pnl
    headline = re.search(r'<ul class="figures" id="headline">(.*?)</ul>', page, re.S).group(1)
    for text in (
        money_text(pnl["sales"].sum()),
        money_text(pnl["refund"].sum()),
        money_text(_margin_total()),
    ):
        assert f'<div class="value">{text}</div>' in headline
    assert money_text(_margin_total()) == "3,724.95"
    assert '<div class="value">30.28%</div>' in headline  # 372,495 / 1,230,050


def test_every_pnl_row_and_figure_is_on_the_page(page: str) -> None:
    skus = re.search(r'<table id="skus"[^>]*>(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r"<tr class=\"[^\"]*\">(.*?)</tr>", skus.split("<tbody>")[1], re.S)
    pnl = sample_result().pnl
    assert len(rows) == pnl.height
    for html_row, row in zip(rows, pnl.iter_rows(named=True), strict=True):
        cells = [
            re.sub(r"</?a[^>]*>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", html_row, re.S)
        ]
        assert cells[2:4] == [str(row["units_sold"]), str(row["units_returned"])]
        assert cells[4] == money_text(row["true_margin"])
        assert cells[6:] == [money_text(row[c]) for c in PNL_COLUMNS]
    assert "(unallocated)" in skus
    assert "LAMP-02<small>No unit cost: margin incomplete</small>" in skus
    assert '<td class="num">—</td>' in skus  # the unallocated row has no net sales


def test_unallocated_and_excluded_lines(page: str) -> None:
    unallocated = re.search(r'<table id="unallocated"[^>]*>(.*?)</table>', page, re.S).group(1)
    assert "campaign 双11 maps to no SKU" in unallocated and "-123.45" in unallocated
    excluded = re.search(r'<table id="excluded"[^>]*>(.*?)</table>', page, re.S).group(1)
    assert "Transfers" in excluded and "-5,000.00" in excluded and "-1,000.00" in excluded


def test_page_is_self_contained(page: str) -> None:
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for needle in ("<link", "<img", "<iframe", "src=", "@import", "url(", "<object"):
        assert needle not in page.lower(), needle
    # only inside the escaped SKU text, wherever it is shown
    assert len(re.findall(r"https?://", page)) == page.count("=HYPERLINK(&#34;http://x&#34;)")
    # one inline script, allowed by the CSP through its hash and nothing else
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    assert script == (shipped("templates") / "_report.js").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert f"script-src 'sha256-{digest}'" in html.unescape(policy)


def test_charts_are_inline_svg_with_titles_and_labels(page: str) -> None:
    for chart in ("waterfall", "costs", "best-worst", "trend"):
        assert f'id="chart-{chart}"' in page
    waterfall = re.search(r'id="chart-waterfall">(.*?)</figure>', page, re.S).group(1)
    assert "<title>From sales to true margin</title>" in waterfall
    assert ">Sales</text>" in waterfall and ">True margin (contribution margin)</text>" in waterfall
    assert "<title>True margin (contribution margin): 3,724.95</title>" in waterfall
    best = re.search(r'id="chart-best-worst">(.*?)</figure>', page, re.S).group(1)
    assert "=HYPERLINK(&#34;http://x&#34;) · &lt;script&gt;" in best  # names escaped
    assert ">-777.77</text>" in best  # the worst SKU's true margin


def test_cost_structure_by_platform_in_figures(page: str) -> None:
    table = re.search(r'<table id="costs"[^>]*>(.*?)</table>', page, re.S).group(1)
    cogs = re.search(r"<td[^>]*>Cost of goods</td>(.*?)</tr>", table, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", cogs)
    # JD: 1,500.00 of net sales 800.00; Tmall: 4,000.00 of 11,500.50
    assert cells == ["1,500.00", "187.50%", "4,000.00", "34.78%"]


def test_drill_down_from_a_sku_figure_to_its_statement_rows(page: str) -> None:
    sofa = re.search(r'<details class="drill" id="(drill-\d+)">\s*<summary>SOFA-01', page)
    assert sofa, "SOFA-01 is traced"
    anchor = sofa.group(1)
    assert f'<a href="#{anchor}">' in page  # its true margin in the SKU table links there
    block = page[sofa.start() : page.index("</details>", sofa.start())]
    assert "+账单&lt;b&gt;.csv" in block and ">2</td>" in block  # file and row of entry 1
    assert "10,000.00" in block  # the sales part


def test_unclassified_fee_names_are_listed(page: str) -> None:
    table = re.search(r'<table id="unclassified"[^>]*>(.*?)</table>', page, re.S).group(1)
    assert "@SUM(A1:A9)" in table and "-2.50" in table


def test_a_contributed_section_is_rendered_escaped_and_limited(tmp_path: Path) -> None:
    section = hostile_section()
    page = write_html(
        sample_result(), tmp_path / "r.html", lang="en", sections=[section]
    ).read_text("utf-8")
    block = re.search(r'<section id="section-recon-1-"[^>]*>(.*?)</section>', page, re.S)
    assert block, "the section is on the page under a safe anchor"
    text = block.group(1)
    assert "Reconciliation: &lt;b&gt;gaps&lt;/b&gt;" in text
    assert "<li>Owed &lt;i&gt;by&lt;/i&gt; platform: 123.45</li>" in text
    assert "123.45" in text and "-0.99" in text and "正常店" not in text  # 2 of 3 rows
    assert "The first 2 of 3 rows; pnl.xlsx has them all." in text
    assert ESCAPED_SHOP in text and "<script>alert" not in page


def test_chinese_is_the_default(tmp_path: Path) -> None:
    page = write_html(sample_result(), tmp_path / "r.html").read_text("utf-8")
    assert '<html lang="zh-CN">' in page
    assert (
        "真实利润（贡献毛利）" in page and "（未分摊）" in page and "2026-10 月度损益报表" in page
    )


def test_a_workspace_template_overrides_the_shipped_one_by_name(tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "report.html").write_text(
        '{% extends "base.html" %}{% block content %}MINE {{ page.headline[2].text }}'
        "{% endblock %}",
        encoding="utf-8",
    )
    page = write_html(sample_result(), tmp_path / "r.html", lang="en", templates=mine).read_text(
        "utf-8"
    )
    assert "MINE 3,724.95" in page and "<style>" in page  # base.html still the shipped one


def test_a_folder_without_report_html_falls_back_to_the_shipped_one(tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "_table.html").write_text("<p>table {{ table.id }}</p>", encoding="utf-8")
    page = write_html(sample_result(), tmp_path / "r.html", lang="en", templates=mine).read_text(
        "utf-8"
    )
    assert "<p>table skus</p>" in page and 'id="headline"' in page


def _leaves(value: object) -> list[object]:
    if dataclasses.is_dataclass(value):
        return [x for f in dataclasses.fields(value) for x in _leaves(getattr(value, f.name))]
    if isinstance(value, list | tuple):
        return [x for item in value for x in _leaves(item)]
    return [value]


def test_the_context_holds_plain_formatted_values() -> None:
    context = report_context(figures(sample_result()), lang="en")
    assert isinstance(context, ReportContext)
    leaves = _leaves(context)
    assert all(isinstance(v, str | int | Decimal) or v is None for v in leaves)
    assert not any(isinstance(v, pl.DataFrame | float) for v in leaves)
    assert context.headline[2].value == Decimal("3724.95")


def test_templates_use_only_documented_context_fields() -> None:
    used = set()
    for name in ("base.html", "report.html"):
        used |= set(re.findall(r"page\.(\w+)", (shipped("templates") / name).read_text("utf-8")))
    fields = {f.name for f in dataclasses.fields(ReportContext)}
    assert used <= fields
    assert fields <= used | {"month"}  # the month is in the title


def _chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(
            "chromium is not installed, and CI is set so this test must run: "
            "apt-get install -y chromium"
        )
    pytest.skip(
        "chromium is not installed (apt-get install -y chromium); "
        "with CI set this test fails instead"
    )


def _browse(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_chromium_renders_the_page(tmp_path: Path) -> None:
    browser = _chromium()
    report = write_html(sample_result(), tmp_path / "report.html", lang="en")
    shot = tmp_path / "report.png"
    done = _browse(
        browser,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        report.as_uri(),
    )
    assert shot.is_file(), done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    dom = _browse(browser, tmp_path / "profile", "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    headline = re.search(r'id="headline">(.*?)</ul>', dom.stdout, re.S)
    assert headline and money_text(_margin_total()) in headline.group(1)
    assert dom.stdout.lower().count("<script") == 1  # ours; the shop's stayed text
    assert ESCAPED_SHOP in dom.stdout


def test_an_empty_month_still_makes_a_page(tmp_path: Path) -> None:
    page = write_html(empty_result(), tmp_path / "r.html", lang="en").read_text("utf-8")
    assert '<div class="value">0.00</div>' in page and '<div class="value">—</div>' in page
    # SKUs, unallocated, unclassified, bases, excluded, sources: "None"
    assert page.count('<td class="empty"') == 6


# --- the SKU table rendered by polars equals the cell-by-cell rendering


def _render_rows(rows: list) -> str:  # type: ignore[type-arg]
    from finance.report.html import Table, environment

    template = environment().get_template("_table.html")
    return template.render(table=Table("skus", "SKUs", [], rows, "-"), sortable=False)


def _both(skus: pl.DataFrame, lang: str, drills: dict) -> tuple[str, str]:  # type: ignore[type-arg]
    """The table rendered from the cell-by-cell reference rows, and from the rows polars
    rendered (as ``Row`` objects and as the one ``body`` the page uses: the same once the
    whitespace between tags, which HTML ignores there, is set aside)."""
    from finance.report.html import Table, _sku_row, environment, sku_body, sku_rows

    reference = [_sku_row(r, lang, drills) for r in skus.iter_rows(named=True)]
    fast = _render_rows(sku_rows(skus, lang, drills))
    template = environment().get_template("_table.html")
    body = sku_body(skus, lang, drills) if skus.height else None
    whole = template.render(table=Table("skus", "SKUs", [], [], "-", body), sortable=False)
    assert _between_tags(whole) == _between_tags(fast)
    return _render_rows(reference), fast


def _between_tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_sku_rows_render_as_cell_by_cell(lang: str) -> None:
    figs = figures(sample_result())
    drills = {key: f"#drill-{i}" for i, key in enumerate(figs.drill, start=1)}
    assert drills  # the sample has drill-downs: the links are compared too
    reference, fast = _both(figs.skus, lang, drills)
    assert fast == reference
    assert "&lt;script&gt;" in fast or "&#34;" in fast or "&amp;" in fast  # hostile text escaped


TEXT = st.text(alphabet=st.sampled_from(list("ab云<>&\"'=+-@ \t")), max_size=8)
CENTS = st.integers(min_value=-(10**13), max_value=10**13)


@st.composite
def sku_frames(draw: st.DrawFn) -> pl.DataFrame:
    from finance.money import ratio_text

    n = draw(st.integers(min_value=1, max_value=6))
    rows = []
    for _ in range(n):
        row = {
            "platform": draw(st.sampled_from(["tmall", "jd", "douyin", "Amazon", "mystery"])),
            "shop": draw(st.one_of(st.none(), TEXT)),
            "sku": draw(st.one_of(st.none(), TEXT)),
            **{c: draw(CENTS) for c in [*PNL_COLUMNS, "true_margin"]},
            "units_sold": draw(st.integers(min_value=-50, max_value=10**6)),
            "units_returned": draw(st.integers(min_value=0, max_value=10**6)),
            "returns_inferred": draw(st.booleans()),
            "cost_missing": draw(st.booleans()),
            "den": draw(st.one_of(st.just(0), CENTS)),
        }
        rows.append(row)
    frame = pl.DataFrame(rows).with_columns(pl.col("shop", "sku").cast(pl.String))
    return frame.with_columns(margin_pct=ratio_text(pl.col("true_margin"), pl.col("den"))).drop(
        "den"
    )


@given(sku_frames(), st.sampled_from(["zh-CN", "en"]))
@settings(max_examples=60, deadline=None)
def test_sku_rows_render_as_cell_by_cell_for_any_values(skus: pl.DataFrame, lang: str) -> None:
    first = skus.row(0, named=True)
    drills = {(first["platform"], first["shop"], first["sku"]): "#drill-1"}
    reference, fast = _both(skus, lang, drills)
    assert fast == reference
