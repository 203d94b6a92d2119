"""The dashboard in Debian's chromium (Playwright, the system browser): the page loads with its
figures and charts, a SKU opens to its categories and a category to its statement rows, files
dropped or chosen are imported or rejected with the reason, statement text stays text, and the
page asks nothing of any other address. ``FINANCE_SCREENSHOTS`` keeps the pictures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from finance.workspace import Workspace, init
from tests.serve_browser import (
    browser_page,
    choose_files,
    drop_files,
    open_import,
    open_overview,
    open_sku,
    shoot,
    wait_uploads,
)
from tests.serve_server import HOSTILE, LEDGER, SAMPLES, fill, get_json, running

SHOTS = Path(os.environ["FINANCE_SCREENSHOTS"]) if os.environ.get("FINANCE_SCREENSHOTS") else None
SKU = "YQ-PIL-MEM-GR"
JUNK = "日期,摘要,金额\n2026-10-01,随便什么,1.00\n".encode()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.delenv("FINANCE_DATABASE_URL", raising=False)
    ws, _ = init(tmp_path / "ws", shop="测试店")
    fill(ws)
    return ws


def test_the_dashboard_in_chromium(workspace: Workspace) -> None:
    ws = workspace
    with running(ws) as base, browser_page() as page:
        open_overview(page, base, lang="en")
        labels = page.locator("#ov-headline .label").all_text_contents()
        assert labels[:4] == [
            "Sales",
            "Refunds",
            "True margin (contribution margin)",
            "Contribution margin %",
        ]
        overview = get_json(f"{base}/api/months/2026-10/overview?lang=en")[1]
        values = page.locator("#ov-headline .value").all_text_contents()
        assert values == [f["text"] for f in overview["headline"]]
        assert page.locator("#chart-shops canvas").count() == 1
        headings = page.locator("#ov-sections h2").all_text_contents()
        assert headings[:2] == [s["heading"] for s in overview["sections"]][:2]
        # a fee name carrying markup is shown as text and runs nothing
        assert HOSTILE in page.locator("#section-unclassified").inner_text()
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("window.__xss === undefined")
        shoot(page, SHOTS, "serve-overview-en.png")

        open_sku(page, SKU)
        title = page.locator("#drill-title").inner_text()
        assert title.startswith(SKU)
        categories = page.locator("#drill-categories tbody tr").count()
        assert categories >= 3
        rows = page.locator("#drill-rows tbody tr")
        assert rows.count() > 0
        headers = page.locator("#drill-rows thead th").all_text_contents()
        first = dict(zip(headers, rows.first.locator("td").all_text_contents(), strict=True))
        assert first["Source file"] in {LEDGER, "商品成本.csv"} or first["Source file"].startswith(
            "ExportOrderList"
        )
        assert first["Row"].isdigit()
        shoot(page, SHOTS, "serve-sku-en.png")
        # sorting: a click on a heading orders the rows by it
        page.locator("#sku-table th[data-column=sku]").click()
        skus = page.locator("#sku-table tbody td:nth-child(3)").all_text_contents()
        assert skus == sorted(skus, key=str) or skus == sorted(skus, key=str, reverse=True)
        page.fill("#sku-filter", SKU)
        assert page.locator("#sku-table tbody tr").count() == 1

        open_import(page)
        choose_files(page, [SAMPLES / "退款管理_20261101.csv"])
        drop_files(page, [("什么.csv", JUNK)])
        outcomes = {o["name"]: o for o in wait_uploads(page, 2)}
        assert outcomes["退款管理_20261101.csv"]["status"] == "imported"
        assert "archive/taobao-refunds/" in outcomes["退款管理_20261101.csv"]["message"]
        assert outcomes["什么.csv"]["status"] == "rejected"
        assert "rejected/什么.csv" in outcomes["什么.csv"]["message"]
        page.wait_for_function(
            "() => document.getElementById('rejected').textContent.includes('什么.csv')"
        )
        page.wait_for_function(
            "() => document.getElementById('files').textContent.includes('退款管理_20261101.csv')"
        )
        shoot(page, SHOTS, "serve-import-en.png")

        assert [u for u in page.seen["requests"] if not u.startswith(base)] == []
        assert page.seen["errors"] == []
        assert [m for m in page.seen["console"] if m.startswith(("error", "warning"))] == []
    assert (ws.archive / "taobao-refunds" / "退款管理_20261101.csv").is_file()
    assert (ws.rejected / "什么.csv.error.txt").is_file()


def test_the_dashboard_speaks_chinese(workspace: Workspace) -> None:
    with running(workspace) as base, browser_page() as page:
        open_overview(page, base)
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.locator("nav a[data-view=overview]").inner_text() == "概览"
        assert page.locator("#ov-headline .label").first.inner_text() == "销售额"
        shoot(page, SHOTS, "serve-overview-zh.png")
        page.click("#lang")
        page.wait_for_selector("html[lang=en]")
        page.wait_for_selector("#ov-headline li.figure")
        assert page.locator("nav a[data-view=overview]").inner_text() == "Overview"
        assert page.seen["errors"] == []
