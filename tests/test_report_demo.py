"""The demo workspace's reports as a person opens them: ``report.html`` in headless Chromium
(driven over the DevTools protocol: no console error, no request beyond the file itself, the
figures on the page equal ``finance export margins``, sorting, filtering and drill-down work,
a screenshot is saved) and ``pnl.xlsx`` in LibreOffice (converts to PDF without error;
recalculated, every live total equals the export)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from finance import pipeline
from finance.export import margins_csv
from finance.margin import PNL_COLUMNS
from finance.report.html import money_text

from .report_browser import Browser

MONTH = "2026-10"
SCREENSHOTS = (
    Path(os.environ.get("FINANCE_SCREENSHOTS", ""))
    if os.environ.get("FINANCE_SCREENSHOTS")
    else None
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """The demo run once: (workspace, export rows of the month, reports folder)."""
    root = tmp_path_factory.mktemp("demo") / "ws"
    ws, _, _ = pipeline.demo(root)
    store = pipeline.open_store(ws)
    try:
        export = margins_csv(pipeline.month_result(ws, store, MONTH))
        chinese = ws.reports(MONTH) / "report.html"  # the demo writes the workspace language
        shutil.copyfile(chinese, chinese.with_name("report-zh.html"))
        english = pipeline.write_reports(ws, store, MONTH, lang="en")
    finally:
        store.close()
    rows = list(csv.DictReader(io.StringIO(export)))
    return ws, rows, english[0].parent


def total(rows: list[dict[str, str]], column: str) -> Decimal:
    return sum((Decimal(r[column]) for r in rows), Decimal(0))


def test_the_page_in_chromium(demo, tmp_path: Path) -> None:
    _, rows, folder = demo
    page = folder / "report.html"
    with Browser(tmp_path / "profile", width=1280, height=1000) as browser:
        browser.open(page.as_uri())
        assert browser.problems() == []
        assert browser.requests() == [page.as_uri()]
        headline = browser.js(
            "[...document.querySelectorAll('#headline .figure')].map(f =>"
            " [f.querySelector('.label').textContent, f.querySelector('.value').textContent])"
        )
        shown = dict(headline)
        assert shown["Sales"] == money_text(int(total(rows, "sales") * 100))
        assert shown["Refunds"] == money_text(int(total(rows, "refund") * 100))
        assert shown["True margin"] == money_text(int(total(rows, "true_margin") * 100))
        # every SKU row: its true margin and units as the export has them
        table = browser.js(
            "[...document.querySelectorAll('#skus tbody tr')].map(r =>"
            " [...r.cells].map(c => c.childNodes[0].textContent.trim()))"
        )
        assert len(table) == len(rows)
        for cells, row in zip(table, rows, strict=True):
            assert cells[1] in (row["sku"], "(unallocated)")
            assert cells[2:4] == [row["units_sold"], row["units_returned"]]
            assert cells[4] == money_text(int(Decimal(row["true_margin"]) * 100))
            money = [money_text(int(Decimal(row[c]) * 100)) for c in PNL_COLUMNS]
            assert cells[6:] == money, row["sku"]
        # sort by true margin (click twice: descending, then ascending), filter, drill down
        browser.js("document.querySelectorAll('#skus th')[4].click()")
        first = browser.js("document.querySelector('#skus tbody tr').cells[4].dataset.value")
        assert int(first) == max(int(Decimal(r["true_margin"]) * 100) for r in rows)
        browser.js("document.querySelectorAll('#skus th')[4].click()")
        first = browser.js("document.querySelector('#skus tbody tr').cells[4].dataset.value")
        assert int(first) == min(int(Decimal(r["true_margin"]) * 100) for r in rows)
        sku = next(r["sku"] for r in rows if r["sku"])
        visible = browser.js(
            f"const f = document.getElementById('sku-filter'); f.value = {sku!r};"
            " f.dispatchEvent(new Event('input'));"
            " [...document.querySelectorAll('#skus tbody tr')].filter(r => !r.hidden)"
            ".map(r => r.cells[1].childNodes[0].textContent.trim())"
        )
        assert visible and all(sku in v for v in visible)
        opened = browser.js(
            "new Promise(done => {"
            " const a = document.querySelector('#skus a[href^=\"#drill-\"]');"
            " const target = document.querySelector(a.getAttribute('href'));"
            " addEventListener('hashchange', () => done(target.open), {once: true});"
            " a.click(); })"
        )
        assert opened is True
        assert browser.problems() == []
        browser.js(
            "document.getElementById('sku-filter').value = '';"
            "document.getElementById('sku-filter').dispatchEvent(new Event('input'));"
            "location.hash = ''; window.scrollTo(0, 0)"
        )
        shot = browser.screenshot(folder / "report.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOTS / "report-en.png")


def test_the_chinese_page_in_chromium(demo, tmp_path: Path) -> None:
    _, rows, folder = demo
    page = folder / "report-zh.html"
    with Browser(tmp_path / "profile") as browser:
        browser.open(page.as_uri())
        assert browser.problems() == [] and browser.requests() == [page.as_uri()]
        assert browser.js("document.documentElement.lang") == "zh-CN"
        headline = dict(
            browser.js(
                "[...document.querySelectorAll('#headline .figure')].map(f =>"
                " [f.querySelector('.label').textContent, f.querySelector('.value').textContent])"
            )
        )
        assert headline["真实毛利"] == money_text(int(total(rows, "true_margin") * 100))
        assert headline["销售额"] == money_text(int(total(rows, "sales") * 100))
        shot = browser.screenshot(tmp_path / "report-zh.png")
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOTS / "report-zh.png")


def test_the_harness_sees_a_request_and_a_console_error(tmp_path: Path) -> None:
    """The checks above can fail: a page that fetches something is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<img src="http://127.0.0.1:9/x.png"><p>bad</p>',
        encoding="utf-8",
    )
    with Browser(tmp_path / "profile") as browser:
        browser.open(page.as_uri())
        assert browser.problems(), "the CSP violation is reported"
    page.write_text('<!doctype html><img src="http://127.0.0.1:9/x.png">', encoding="utf-8")
    with Browser(tmp_path / "profile2") as browser:
        browser.open(page.as_uri())
        assert "http://127.0.0.1:9/x.png" in browser.requests()


def _soffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(
            "LibreOffice is not installed, and CI is set: apt-get install -y libreoffice-calc-nogui"
        )
    pytest.skip("LibreOffice is not installed (apt-get install -y libreoffice-calc-nogui)")


def _convert(source: Path, fmt: str, out: Path) -> Path:
    profile = out / "lo-profile"
    done = subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    target = out / f"{source.stem}.{fmt.split(':')[0]}"
    assert done.returncode == 0 and target.is_file(), done.stdout + done.stderr
    return target


def test_libreoffice_converts_the_workbook_to_pdf(demo, tmp_path: Path) -> None:
    _, _, folder = demo
    pdf = _convert(folder / "pnl.xlsx", "pdf", tmp_path)
    data = pdf.read_bytes()
    assert (
        data.startswith(b"%PDF") and data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 6
    )  # at least a page per sheet


def test_libreoffice_recalculates_every_total_to_the_export(demo, tmp_path: Path) -> None:
    _, rows, folder = demo
    copy = tmp_path / "in" / "pnl.xlsx"
    copy.parent.mkdir()
    shutil.copyfile(folder / "pnl.xlsx", copy)
    out = tmp_path / "out"
    out.mkdir()
    book = load_workbook(_convert(copy, "xlsx:Calc MS Excel 2007 XML", out), data_only=True)
    skus = book["SKUs"]
    head = [c.value for c in skus[1]]
    last = skus.max_row
    assert skus.cell(last, 1).value == "Total"
    for column, name in (
        ("sales", "Sales"),
        ("refund", "Refunds"),
        ("true_margin", "True margin"),
        ("advertising", "Advertising"),
        ("cogs", "Cost of goods"),
    ):
        value = skus.cell(last, head.index(name) + 1).value
        assert Decimal(str(value)).quantize(Decimal("0.01")) == total(rows, column), column
    summary = book["Summary"]
    col = [c.value for c in summary[5]].index("Total") + 1
    margin_row = next(c.row for c in summary["A"] if c.value == "True margin")
    value = summary.cell(margin_row, col).value
    assert Decimal(str(value)).quantize(Decimal("0.01")) == total(rows, "true_margin")
