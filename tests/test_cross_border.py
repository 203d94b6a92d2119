"""Cross-border and several shops: currencies converted exactly, shops told by folder, new
layouts added as rules files only, and the rejections that name what is missing.

Store tests run on SQLite and on the real PostgreSQL server (the ``ws`` / ``store`` fixtures).
"""

from __future__ import annotations

import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl
import pytest

from finance.errors import FinanceError, ImportRejected
from finance.golden import normalise_file
from finance.ingest import ingest, rebuild
from finance.pipeline import month_result
from finance.rulebook import load_rules
from finance.store import Store
from finance.workspace import open_workspace

from .conftest import FIXTURES, HANDCHECK, drop

ERRORS = Path(__file__).parent / "errors" / "import"
SP_ADS = FIXTURES / "amazon-sp-advertised-product" / "sp-advertised-product.csv"
FX = FIXTURES / "fx-rates" / "fx-rates.csv"


def _settings(ws, extra: str):  # type: ignore[no-untyped-def]
    toml = ws.root / "finance.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return open_workspace(ws.root)


def _golden(name: str, error: FinanceError) -> None:
    """The message in both languages equals tests/errors/import/<name>.expected.txt."""
    expected = ERRORS / f"{name}.expected.txt"
    actual = error.render("en") + "\n" + error.render("zh-CN") + "\n"
    if not expected.exists():
        expected.write_text(actual, encoding="utf-8")
        pytest.fail(f"wrote {expected.name}; review it and run again")
    assert actual == expected.read_text(encoding="utf-8")


def _yuan(text: str) -> Decimal:
    return Decimal(text.replace("$", "").replace(",", ""))


def test_usd_ad_spend_is_converted_at_the_rate_of_its_day(ws, store: Store) -> None:
    ws.settings.setdefault("shops", {})["amazon"] = "云栖 Amazon US"
    drop(ws, SP_ADS, FX)
    outcomes = ingest(ws, store)
    assert {o.status for o in outcomes} == {"imported"}, [o.message for o in outcomes]
    result = month_result(ws, store, "2026-10")
    # Oct 1 and Oct 2 both use the 2026-09-30 USD rate 7.1250 (the nearest earlier one).
    spend = [_yuan(s) for s in ("$29.56", "$7.92", "$1,043.05", "$0.00")]
    expected = sum(
        int((s * Decimal("7.1250") * 100).quantize(Decimal("1"), ROUND_HALF_UP)) for s in spend
    )
    assert result.pnl["advertising"].sum() == expected
    entries = result.entries
    assert set(entries["currency"]) == {"CNY"}
    assert set(entries["original_currency"]) == {"USD"}
    assert entries["original_amount"].sum() == -int(sum(spend) * 100)


def test_a_month_without_a_rate_fails_naming_currency_and_date(ws, store: Store) -> None:
    ws.settings.setdefault("shops", {})["amazon"] = "云栖 Amazon US"
    drop(ws, SP_ADS)
    ingest(ws, store)
    with pytest.raises(FinanceError) as info:
        month_result(ws, store, "2026-10")
    assert info.value.key == "fx_rate_missing"
    _golden("fx-rate-missing", info.value)


def test_two_tmall_shops_side_by_side(ws, store: Store) -> None:
    ws = _settings(ws, '\n[[shop_by_path]]\npattern = "(^|/)outlet/"\nshop = "云栖家居奥莱店"\n')
    drop(ws, FIXTURES / "alipay-ledger" / "ledger-16col.csv")
    (ws.inbox / "outlet").mkdir()
    shutil.copyfile(
        FIXTURES / "alipay-ledger" / "ledger-12col.csv", ws.inbox / "outlet" / "ledger-12col.csv"
    )
    outcomes = ingest(ws, store)
    assert {o.status for o in outcomes} == {"imported"}
    shops = store.frame("ledger").group_by("shop").len().sort("shop")
    assert dict(shops.iter_rows()) == {"测试店": 15, "云栖家居奥莱店": 7}
    assert (ws.archive / "alipay-ledger" / "outlet" / "ledger-12col.csv").exists()
    # Rebuilding from the archive tells the shops apart the same way.
    rebuild(ws, store)
    again = store.frame("ledger").group_by("shop").len().sort("shop")
    assert again.equals(shops)


def test_a_file_whose_shop_cannot_be_told_is_rejected(ws, store: Store) -> None:
    drop(ws, SP_ADS)  # no [shops] amazon, no shop column, no [[shop_by_path]]
    [outcome] = ingest(ws, store)
    assert outcome.status == "rejected"
    assert store.count("ledger") == 0
    with pytest.raises(ImportRejected) as info:
        normalise_file(SP_ADS, load_rules(ws.rules), shop=None)
    _golden("no-shop", info.value)


NEW_LAYOUT = """\
# my-marketplace — a layout the project has never seen, described by a rules file only.
#
#   Booked,Ref,Item code,What,Money (EUR),Kind
#   2026-10-02,R-1,SKU-1,Sale,"95,00",S

[format]
name = "my-marketplace"
kind = "ledger"
platform = "mymarket"
currency = "EUR"

[identify]
columns = ["Booked", "Ref", "Item code", "What", "Money (EUR)", "Kind"]

[parse]
decimal_mark = ","

[columns]
posted_at = "Booked"
entry_id = "Ref"
sku = "Item code"
amount = "Money (EUR)"

[fee_name]
columns = ["What"]

[[classify]]
category = "sales"
when = { Kind = "^S$" }

[[classify]]
category = "commission"
sign = "expense"
when = { Kind = "^F$" }

[key]
columns = ["Ref"]

[shop]
name = "My EU shop"
"""


def test_a_new_layout_needs_a_rules_file_and_no_python(ws, store: Store) -> None:
    (ws.rules / "formats" / "my-marketplace.toml").write_text(NEW_LAYOUT, encoding="utf-8")
    (ws.inbox / "export.csv").write_text(
        'Booked,Ref,Item code,What,Money (EUR),Kind\n2026-10-02,R-1,SKU-1,Sale,"95,00",S\n'
        '2026-10-02,R-2,SKU-1,Marketplace fee,"14,25",F\n2026-10-03,R-3,SKU-1,Mystery,"-1,10",X\n',
        encoding="utf-8",
    )
    [outcome] = ingest(ws, store)
    assert outcome.status == "imported", outcome.message
    rows = store.frame("ledger").sort("entry_id")
    assert rows.select("shop", "sku", "category", "amount", "currency").rows() == [
        ("My EU shop", "SKU-1", "sales", 9500, "EUR"),
        ("My EU shop", "SKU-1", "commission", -1425, "EUR"),
        ("My EU shop", "SKU-1", "unclassified", -110, "EUR"),
    ]


def test_two_rules_claiming_one_file_are_named(ws, store: Store) -> None:
    src = ws.rules / "formats" / "fx-rates.toml"
    copy = src.read_text(encoding="utf-8").replace('name = "fx-rates"', 'name = "fx-rates-copy"')
    (ws.rules / "formats" / "fx-rates-copy.toml").write_text(copy, encoding="utf-8")
    drop(ws, FX)
    [outcome] = ingest(ws, store)
    assert outcome.status == "rejected"
    note = (ws.rejected / "fx-rates.csv.error.txt").read_text(encoding="utf-8")
    assert "fx-rates (fx-rates.toml)" in note and "fx-rates-copy (fx-rates-copy.toml)" in note
    with pytest.raises(ImportRejected) as info:
        normalise_file(FX, load_rules(ws.rules))
    _golden("two-rules", info.value)


def test_a_known_format_missing_a_column_is_rejected_naming_it(ws, store: Store) -> None:
    text = SP_ADS.read_text(encoding="utf-8").replace("Ad Group Name,", "Group,", 1)
    (ws.inbox / "sp.csv").write_text(text, encoding="utf-8")
    [outcome] = ingest(ws, store)
    assert outcome.status == "rejected"
    note = (ws.rejected / "sp.csv.error.txt").read_text(encoding="utf-8")
    assert "amazon-sp-advertised-product" in note and "Ad Group Name" in note
    with pytest.raises(ImportRejected) as info:
        normalise_file(ws.rejected / "sp.csv", load_rules(ws.rules))
    _golden("missing-column", info.value)


def test_amazon_summary_row_keeps_the_payout_for_reconciliation() -> None:
    from finance.golden import normalise_file
    from finance.resources import shipped
    from finance.rulebook import load_rules

    case = FIXTURES / "amazon-settlement-v2" / "amazon-settlement-v2-layout.txt"
    _, rows = normalise_file(case, load_rules(shipped("rules")))
    summary = rows.filter(pl.col("fee_name") == "settlement total (deposit)")
    assert summary.select("category", "amount", "posted_at").rows() == [
        ("transfer", "-582.89", "2026-07-02 08:00:00")  # 00:00 UTC in Beijing
    ]


def test_report_sections_list_unknown_fees_and_converted_currencies(ws, store: Store) -> None:
    from finance.pipeline import collect

    ws.settings.setdefault("shops", {})["amazon"] = "云栖 Amazon US"
    drop(ws, SP_ADS, FX, HANDCHECK / "ledger.csv")
    ingest(ws, store)
    sections = {s.key: s for s in collect(ws, store, "2026-10")}
    unknown = sections["unclassified"].frame
    assert unknown.select("platform", "fee_name", "rows", "amount").rows() == [
        ("tmall", "其它 / 天猫服务年费", 1, -1200)
    ]
    money = sections["currencies"].frame
    assert money.rows() == [("USD", 4, -108053, -769878)]


def test_the_account_in_the_preamble_names_the_shop(ws, store: Store) -> None:
    # ledger-16col.csv opens with #账号：[20885021234567890156]; [shops] tmall is 测试店.
    ws = _settings(ws, '\n[accounts]\n"20885021234567890156" = "账号店"\n')
    drop(ws, FIXTURES / "alipay-ledger" / "ledger-16col.csv")
    (ws.inbox / "other").mkdir()
    shutil.copyfile(  # its account (20888011365400330156) is not listed: [shops] decides
        FIXTURES / "alipay-ledger" / "real-sample-2012.csv", ws.inbox / "other" / "2012.csv"
    )
    assert {o.status for o in ingest(ws, store)} == {"imported"}
    shops = dict(store.frame("ledger").group_by("shop").len().rows())
    assert shops == {"账号店": 15, "测试店": 3}


def test_status_lists_the_rates_a_month_lacks(ws, store: Store) -> None:
    from typer.testing import CliRunner

    from finance.cli import app

    ws.settings.setdefault("shops", {})["amazon"] = "云栖 Amazon US"
    (ws.root / "finance.toml").write_text(
        (ws.root / "finance.toml")
        .read_text(encoding="utf-8")
        .replace("[shops]\n", '[shops]\namazon = "云栖 Amazon US"\n'),
        encoding="utf-8",
    )
    drop(ws, SP_ADS)
    ingest(ws, store)
    result = CliRunner().invoke(app, ["status", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert "缺少汇率（换算为 CNY）" in result.output
    assert "2026-10-01" in result.output and "USD" in result.output
