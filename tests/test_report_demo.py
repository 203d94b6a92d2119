"""The demo workspace's reports as a person opens them: ``report.html`` in headless Chromium
(driven over the DevTools protocol: no console error, no request beyond the file itself, the
figures on the page equal ``finance export margins``, sorting, filtering and drill-down work,
a screenshot is saved) and ``pnl.xlsx`` in LibreOffice (converts to PDF without error, its
native charts drawn; recalculated, every live total equals the export)."""

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
        assert shown["True margin (contribution margin)"] == money_text(
            int(total(rows, "true_margin") * 100)
        )
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
        assert headline["真实利润（贡献毛利）"] == money_text(int(total(rows, "true_margin") * 100))
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


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is not installed, and CI is set: apt-get install -y poppler-utils")
    pytest.skip(f"{tool} is not installed (apt-get install -y poppler-utils)")


def _page_image(pdf: Path, page: int, target: Path, *options: str) -> Path:
    """Page ``page`` of ``pdf`` as an image (PPM unless ``options`` say ``-png``)."""
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        [_poppler("pdftoppm"), *options, "-singlefile", *pages, str(pdf), str(target)], check=True
    )
    return target.with_suffix(".png" if "-png" in options else ".ppm")


def _pixels(ppm: bytes, rgb: tuple[int, int, int], tolerance: int = 24) -> int:
    """How many pixels of a binary PPM (P6, 8 bits) are within ``tolerance`` of ``rgb``."""
    magic, width, height, depth, body = ppm.split(maxsplit=4)
    assert (magic, depth) == (b"P6", b"255")
    return sum(
        all(abs(body[i + k] - rgb[k]) <= tolerance for k in range(3))
        for i in range(0, int(width) * int(height) * 3, 3)
    )


def test_libreoffice_converts_the_workbook_to_pdf(demo, tmp_path: Path) -> None:
    """Every sheet prints; the native charts are drawn (their titles are text on the pages,
    the waterfall's columns are there in its colours), and a picture of the waterfall's page
    is kept beside the page's screenshots."""
    _, _, folder = demo
    pdf = _convert(folder / "pnl.xlsx", "pdf", tmp_path)
    data = pdf.read_bytes()
    assert (
        data.startswith(b"%PDF") and data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 6
    )  # at least a page per sheet
    pages = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\f")
    # (LibreOffice may also put a chart's text on the page before it, clipped: look at both)
    found = [n for n, text in enumerate(pages, start=1) if "From sales to true margin" in text]
    assert found, "the waterfall chart's title is on no page"
    assert any("Cost structure by platform (Share of net sales)" in text for text in pages)
    colours = {
        "income": (0x2E, 0x7D, 0x32),
        "cost": (0xC0, 0x39, 0x2B),
        "total": (0x0B, 0x53, 0x94),
    }
    drawn = {}
    for n in found:
        raw = _page_image(pdf, n, tmp_path / f"page-{n}", "-r", "40").read_bytes()
        drawn[n] = {kind: _pixels(raw, rgb) for kind, rgb in colours.items()}
    page, counts = max(drawn.items(), key=lambda item: sum(item[1].values()))
    # the waterfall's columns: sales (income), the costs, true margin (the total column)
    assert all(count > 20 for count in counts.values()), drawn
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        _page_image(pdf, page, SCREENSHOTS / "pnl-waterfall-en", "-r", "80", "-png")


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
        ("true_margin", "True margin (contribution margin)"),
        ("advertising", "Advertising"),
        ("cogs", "Cost of goods"),
    ):
        value = skus.cell(last, head.index(name) + 1).value
        assert Decimal(str(value)).quantize(Decimal("0.01")) == total(rows, column), column
    summary = book["Summary"]
    col = [c.value for c in summary[5]].index("Total") + 1
    margin_row = next(c.row for c in summary["A"] if c.value == "True margin (contribution margin)")
    value = summary.cell(margin_row, col).value
    assert Decimal(str(value)).quantize(Decimal("0.01")) == total(rows, "true_margin")
