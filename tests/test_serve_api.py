"""``finance serve``'s JSON API against the real server process (uvicorn on a free loopback
port), over SQLite and the real PostgreSQL server: the same figures as the CLI, uploads taking
the inbox's path, and the safety rules (loopback, token, size, names, other sites' pages)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from finance.cli import app
from finance.pipeline import open_store
from finance.serve import check_bind
from finance.serve.security import CSP, cookie_value
from finance.serve.upload import reason, safe_name
from finance.workspace import Workspace, open_workspace
from tests.serve_server import (
    HOSTILE,
    SAMPLES,
    fill,
    get,
    get_json,
    post_file,
    running,
)

MONTH = "2026-10"
SKU = "YQ-PIL-MEM-GR"
JUNK = "日期,摘要,金额\n2026-10-01,随便什么,1.00\n".encode()


@pytest.fixture
def served(ws: Workspace) -> Iterator[tuple[Workspace, str]]:
    fill(ws)
    with running(ws) as base:
        yield ws, base


def test_months_and_the_margins_rows_are_the_exports(served: tuple[Workspace, str]) -> None:
    ws, base = served
    assert get_json(f"{base}/api/months") == (200, {"months": [MONTH]})
    status, headers, body = get(f"{base}/api/months/{MONTH}/margins")
    assert status == 200 and headers["content-type"].startswith("application/json")
    cli = CliRunner().invoke(
        app, ["export", "margins", "--month", MONTH, "--format", "json", "-w", str(ws.root)]
    )
    assert cli.exit_code == 0, cli.output
    assert body.decode() == cli.stdout  # byte for byte what finance export margins prints
    rows = json.loads(body)
    assert {r["sku"] for r in rows} >= {SKU, ""}
    assert list(rows[0])[:4] == ["month", "platform", "shop", "sku"]


def test_the_overview_has_the_reports_figures(served: tuple[Workspace, str]) -> None:
    _ws, base = served
    status, o = get_json(f"{base}/api/months/{MONTH}/overview?lang=en")
    assert status == 200
    assert [f["label"] for f in o["headline"]] == [
        "Sales",
        "Refunds",
        "True margin (contribution margin)",
        "Contribution margin %",
        "Unallocated",
        "Unclassified (no rule)",
    ]
    assert o["trend"][-1]["month"] == MONTH
    trend = o["trend"][-1]
    sales = o["headline"][0]["value"]
    assert trend["sales"] == f"{float(sales):.2f}"  # the same figure, as a decimal string
    assert o["summary"]["rows"][0]["cells"][0]["text"] == "Sales"
    keys = [s["key"] for s in o["sections"]]
    assert keys[:2] == ["alerts", "reconciliation"]
    assert "unclassified" in keys
    # statement text arrives as text (the page writes it with textContent)
    unclassified = next(s for s in o["sections"] if s["key"] == "unclassified")
    texts = [c["text"] for r in unclassified["table"]["rows"] for c in r["cells"]]
    assert any(HOSTILE in t for t in texts)
    zh = get_json(f"{base}/api/months/{MONTH}/overview?lang=zh-CN")[1]
    assert zh["headline"][0]["label"] == "销售额"
    assert zh["headline"][0]["value"] == o["headline"][0]["value"]


def test_a_sku_traced_to_its_categories_and_statement_rows(
    served: tuple[Workspace, str],
) -> None:
    ws, base = served
    shop = quote("测试店")
    status, d = get_json(
        f"{base}/api/months/{MONTH}/explain?sku={SKU}&platform=tmall&shop={shop}&lang=en"
    )
    assert status == 200, d
    from finance.explain import explain, summary
    from finance.pipeline import month_result

    store = open_store(ws)
    try:
        expected = summary(explain(month_result(ws, store, MONTH), SKU, shop="测试店"))
    finally:
        store.close()
    got = {c["category"]: (c["rows"], c["amount"]) for c in d["categories"]}
    assert got == {
        c: (n, f"{a / 100:.2f}") for c, n, a in expected.iter_rows()
    }  # finance explain's own totals
    category = d["categories"][0]["category"]
    status, rows = get_json(
        f"{base}/api/months/{MONTH}/explain?sku={SKU}&platform=tmall&shop={shop}"
        f"&category={category}&lang=en"
    )
    assert status == 200
    headers = [h["text"] for h in rows["table"]["headers"]]
    assert {"Source file", "Row", "Share"} <= set(headers), headers
    assert rows["total_rows"] == dict(got)[category][0] if category in got else True
    first = dict(zip(headers, [c["text"] for c in rows["table"]["rows"][0]["cells"]], strict=True))
    assert first["Source file"].endswith((".csv", ".xlsx"))
    assert first["Row"].isdigit()


def test_errors_say_what_is_wrong(served: tuple[Workspace, str]) -> None:
    _ws, base = served
    status, body = get_json(f"{base}/api/months/2026-09/overview?lang=en")
    assert status == 404 and "Nothing is imported for 2026-09" in body["error"]
    assert get_json(f"{base}/api/months/2026-13/margins")[0] == 400
    status, body = get_json(f"{base}/api/months/{MONTH}/explain?sku=NOPE&lang=en")
    assert status == 404 and "NOPE" in body["error"]
    assert get_json(f"{base}/api/months/{MONTH}/explain")[0] == 400
    assert get(f"{base}/api/nothing-here")[0] == 404


def test_an_upload_takes_the_inbox_path(served: tuple[Workspace, str]) -> None:
    ws, base = served
    before = len(get_json(f"{base}/api/months/{MONTH}/margins")[1])
    refunds = (SAMPLES / "退款管理_20261101.csv").read_bytes()
    status, r = post_file(f"{base}/api/inbox?lang=en", "退款管理_20261101.csv", refunds)
    assert status == 200, r
    assert r["status"] == "imported" and r["rule"] == "taobao-refunds" and r["added"] > 0
    assert r["moved_to"].startswith("archive/taobao-refunds/")
    assert (ws.root / r["moved_to"]).read_bytes() == refunds
    assert not list(ws.inbox.iterdir())
    # the same file again: recognised as already imported, nothing counted twice
    status, again = post_file(f"{base}/api/inbox", "退款管理_20261101.csv", refunds)
    assert status == 200 and again["status"] == "duplicate"
    files = get_json(f"{base}/api/files")[1]["files"]
    assert files[0]["name"] == "退款管理_20261101.csv"
    # the figures follow the ledger at once (the cache knows the ledger changed)
    after = get_json(f"{base}/api/months/{MONTH}/margins")[1]
    assert len(after) >= before
    assert get_json(f"{base}/api/inbox")[1] == {"files": []}


def test_an_unknown_file_is_rejected_with_its_reason(served: tuple[Workspace, str]) -> None:
    ws, base = served
    status, r = post_file(f"{base}/api/inbox?lang=en", "什么.csv", JUNK)
    assert status == 200 and r["status"] == "rejected", r
    assert r["moved_to"] == "rejected/什么.csv"
    assert (ws.rejected / "什么.csv.error.txt").is_file()
    assert "No rule" in r["reason"] or "no rule" in r["reason"].lower(), r["reason"]
    listed = get_json(f"{base}/api/rejected?lang=zh-CN")[1]["files"]
    assert listed[0]["file"] == "什么.csv"
    assert listed[0]["reason"] and "This file" not in listed[0]["reason"]  # the Chinese part


def test_upload_names_are_sanitised(served: tuple[Workspace, str]) -> None:
    ws, base = served
    status, r = post_file(f"{base}/api/inbox", "../../../etc/evil\u0007<x>.csv", JUNK)
    assert status == 200
    assert r["saved_as"] == "evil_x_.csv"
    assert r["moved_to"] == "rejected/evil_x_.csv"
    assert not (ws.root.parent / "evil_x_.csv").exists()


def test_uploads_over_the_limit_are_refused(ws: Workspace) -> None:
    toml = ws.root / "finance.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[serve]\nmax_upload_mb = 0.01\n")
    ws = open_workspace(ws.root)
    with running(ws) as base:
        status, r = post_file(f"{base}/api/inbox?lang=en", "big.csv", b"x" * 200_000)
        assert status == 413 and "upload limit" in r["error"]
        status, r = post_file(f"{base}/api/inbox?lang=en", "small.csv", JUNK, field="other")
        assert status == 400 and "file" in r["error"]
    assert not list(ws.inbox.iterdir()) and not list(ws.rejected.iterdir())


def test_safe_by_default(served: tuple[Workspace, str]) -> None:
    _ws, base = served
    for path in ("/", "/api/months", "/static/app.js"):
        status, headers, _ = get(base + path)
        assert status == 200
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    assert "script-src 'self';" in CSP and "unsafe-eval" not in CSP
    # another name for 127.0.0.1 (DNS rebinding) gets nothing
    assert get(f"{base}/api/months", headers={"Host": "evil.example"})[0] == 421
    # another site's page cannot upload through the user's browser
    status, _ = post_file(
        f"{base}/api/inbox", "a.csv", JUNK, headers={"Origin": "http://evil.example"}
    )
    assert status == 403
    status, _ = post_file(
        f"{base}/api/inbox", "a.csv", JUNK, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert status == 403
    # the page ships its chart library: no address outside the server
    page = get(base + "/")[2].decode()
    assert 'src="/static/vendor/echarts/echarts.common.min.js"' in page
    assert "http://" not in page.replace(base, "") and "https://" not in page


def test_with_a_token_every_request_needs_it(ws: Workspace) -> None:
    token = "s3cret-token-for-the-tests"
    with running(ws, token=token) as base:
        status, body = get_json(f"{base}/api/months")
        assert status == 401 and "token" in body["error"]
        assert get(f"{base}/")[0] == 401
        assert get(f"{base}/api/months", headers={"Authorization": "Bearer wrong"})[0] == 401
        ok = {"Authorization": f"Bearer {token}"}
        assert get_json(f"{base}/api/months", headers=ok) == (200, {"months": []})

        # opened once with ?token=: a cookie, and the address reloaded without the token
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(f"{base}/?token={token}&lang=en", timeout=30)
            raise AssertionError("expected a redirect")
        except urllib.error.HTTPError as answer:
            assert answer.code == 303
            assert answer.headers["Location"] == "/?lang=en"
            cookie = answer.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and token not in cookie
        jar = {"Cookie": f"finance_token={cookie_value(token)}"}
        assert get(f"{base}/?lang=en", headers=jar)[0] == 200
        status, _ = post_file(f"{base}/api/inbox", "a.csv", JUNK)
        assert status == 401
        assert not list(ws.inbox.iterdir())


def test_another_address_needs_a_token(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FINANCE_SERVE_TOKEN", raising=False)
    result = CliRunner().invoke(
        app, ["serve", "-w", str(ws.root), "--host", "0.0.0.0", "--port", "1"]
    )
    assert result.exit_code == 1
    assert "FINANCE_SERVE_TOKEN" in result.output and "0.0.0.0" in result.output
    monkeypatch.setenv("FINANCE_SERVE_TOKEN", "short")
    result = CliRunner().invoke(app, ["serve", "-w", str(ws.root), "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "16" in result.output
    check_bind("127.0.0.1", None)
    check_bind("::1", None)
    check_bind("localhost", None)
    check_bind("0.0.0.0", "a-long-enough-random-secret")


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("账务明细.csv", "账务明细.csv"),
        ("../../x.csv", "x.csv"),
        ("C:\\Users\\me\\Downloads\\京东结算单明细_202610.xlsx", "京东结算单明细_202610.xlsx"),
        (".hidden.csv", "hidden.csv"),
        ("~$lock.xlsx", "_lock.xlsx"),
        ("a\nb\tc\u202e.csv", "abc.csv"),
        ('a<b>c:d"e|f?g*.csv', "a_b_c_d_e_f_g_.csv"),
        ("CON.csv", "_CON.csv"),
        ("x.error.txt", "x_error.txt"),
        ("", "upload"),
        ("..", "upload"),
        ("a" * 300 + ".csv", "a" * 146 + ".csv"),
    ],
)
def test_safe_name(raw: str, safe: str) -> None:
    assert safe_name(raw) == safe


def test_the_reason_in_each_language(tmp_path: Path) -> None:
    from finance.errors import ImportRejected
    from finance.ingest import reject
    from finance.workspace import init

    ws, _ = init(tmp_path / "ws")
    bad = ws.inbox / "x.csv"
    bad.write_bytes(JUNK)
    moved = reject(bad, ws, ImportRejected("no_rule_matched", file="x.csv", closest="-"))
    en, zh = reason(moved, "en"), reason(moved, "zh-CN")
    assert "x.csv" in en and "rule" in en and "文件" not in en
    assert zh and zh != en and "This file" not in zh


def test_the_vendored_chart_library_is_the_one_documented() -> None:
    import hashlib

    folder = Path(__file__).parent.parent / "finance" / "serve" / "static" / "vendor" / "echarts"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((folder / "echarts.common.min.js").read_bytes()).hexdigest()
    assert digest in readme
    assert "Apache License" in (folder / "LICENSE").read_text(encoding="utf-8")
    assert (folder / "NOTICE").is_file() and (folder / "LICENSE-d3").is_file()
