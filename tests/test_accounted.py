"""Every cent of a real statement accounted for (issue 15).

Every amount cell of a row is a money row (Amazon V1's ServiceFee carries the advertising cost
and its tax), units written without money are kept, fee names are classified by their meaning,
rows that are not money are set aside and reported, the file's own totals hold or the file is
rejected (golden messages in both languages, nothing stored), and every sheet of a workbook is
read. Store tests run on SQLite and on the real PostgreSQL server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from finance.accounted.cells import cell_name, to_micros
from finance.accounted.notes import strip_amount_notes
from finance.accounted.totals import take_rows
from finance.errors import FinanceError, ImportRejected
from finance.golden import cases, read_file
from finance.ingest import ingest
from finance.pipeline import month_result
from finance.read import open_source, read_table
from finance.read.identify import identify
from finance.resources import shipped
from finance.rulebook import load_rules
from finance.store import Store
from finance.workspace import open_workspace

from .conftest import FIXTURES, drop

RULES = load_rules(shipped("rules"))
ERRORS = Path(__file__).parent / "errors" / "import"
V1 = FIXTURES / "amazon-settlement-v1"


def _golden(name: str, error: FinanceError) -> None:
    """The message in both languages equals tests/errors/import/<name>.expected.txt."""
    expected = ERRORS / f"{name}.expected.txt"
    actual = error.render("en") + "\n" + error.render("zh-CN") + "\n"
    if not expected.exists():
        expected.write_text(actual, encoding="utf-8")
        pytest.fail(f"wrote {expected.name}; review it and run again")
    assert actual == expected.read_text(encoding="utf-8")


def _rejected(path: Path, rules: list = RULES) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        read_file(path, rules)
    return info.value


# --- the guarantee: no money cell of an accepted file is dropped silently

ACCEPTED = [c for c in cases(FIXTURES) if not c.with_name(c.name + ".expected-error.txt").exists()]


@pytest.mark.parametrize(
    "case", ACCEPTED, ids=[c.relative_to(FIXTURES).as_posix() for c in ACCEPTED]
)
def test_every_money_cell_of_an_accepted_file_is_imported_or_reported(case: Path) -> None:
    """For each amount column of each table read: the cells of its data rows (as written, at the
    file's precision) = the cells the imported rows carry + the cells of the rows the import
    reports as set aside (skipped, summary, repeats). Nothing else can leave."""
    statement = read_file(case, RULES)
    source = open_source(case)
    for part in statement.parts:
        rule = part.lines.rule
        if not rule.money_columns:
            continue
        raw = read_table(source, part.rule, part.header)
        data, _ = take_rows(raw, rule, case.name)
        data = strip_amount_notes(data, rule)
        skipped = part.lines.skipped.rows["__row"].unique()
        cells = part.lines.cells
        for column in rule.money_columns:
            if column not in data.columns:
                continue
            value = to_micros(pl.col(column), rule).fill_null(0)
            written = data.select(value.sum()).item()
            set_aside = data.filter(pl.col("__row").is_in(skipped.implode())).select(value.sum())
            imported = cells[cell_name(column)].sum() if cell_name(column) in cells.columns else 0
            assert written == imported + set_aside.item(), (case.name, column)


def test_a_rule_that_takes_one_amount_per_row_is_refused_naming_the_cell(tmp_path: Path) -> None:
    """The old Amazon V1 rule kept the first filled amount column of a row; the tax of a
    ServiceFee row was lost without a word. Such a rule now fails, naming the cell."""
    rules = tmp_path / "rules"
    shutil.copytree(shipped("rules") / "formats", rules)
    v1 = rules / "amazon-settlement-v1.toml"
    text = v1.read_text(encoding="utf-8")
    head, rest = text.split("[[amounts]]", 1)
    columns = ["price-amount", "item-related-fee-amount", "other-fee-amount", "other-amount"]
    coalesced = ", ".join(f'{{ column = "{c}" }}' for c in [*columns, "total-amount"])
    head = head.replace("[extract]\n", f"[extract]\namount = [{coalesced}]\n", 1)
    v1.write_text(head + rest[rest.index("[[classify]]") :], encoding="utf-8")
    error = _rejected(V1 / "amazon-settlement-flat-v1-b.txt", load_rules(rules))
    assert error.key == "money_dropped"
    assert error.fields["row"] == 16 and error.fields["column"] == "other-fee-amount"
    _golden("money-dropped", error)


# --- item 1: Amazon V1, every amount cell, units, fee names by meaning


def test_service_fee_row_gives_its_advertising_and_its_tax() -> None:
    rows = read_file(V1 / "several-amounts-per-row.txt", RULES).rows()
    service = rows.filter(pl.col("source_row") == 19)
    assert service.select("fee_name", "category", "amount").rows() == [
        ("ServiceFee / Cost of Advertising", "advertising", -41023),
        ("ServiceFee / TaxAmount", "tax", -4923),
    ]
    assert rows.filter(pl.col("fee_name") == "Order / ShippingChargeback")[
        "category"
    ].to_list() == ["logistics"]


AMAZON_NAMES = [
    ("Order", "ItemPrice", "Principal", "sales"),
    ("Order", "ItemPrice", "Shipping", "sales"),
    ("Order", "ItemFees", "ShippingChargeback", "logistics"),
    ("Order", "ItemPrice", "ShippingTax", "tax"),
    ("Order", "ItemFees", "SalesTaxCollectionFee", "other_fee"),
    ("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "tax"),
    ("Order", "Promotion", "Shipping", "discount"),
    ("Order", "ItemFees", "FBAPerUnitFulfillmentFee", "logistics"),
    ("Refund", "ItemPrice", "Principal", "refund"),
    ("Refund", "ItemFees", "RefundCommission", "commission"),
    ("ServiceFee", "other-transaction", "Cost of Advertising", "advertising"),
    ("ServiceFee", "other-transaction", "TaxAmount", "tax"),
    ("ServiceFee", "other-transaction", "FBALongTermStorageFee", "other_fee"),
    ("ServiceFee", "other-transaction", "Subscription Fee", "other_fee"),
    ("ServiceFee", "other-transaction", "Something New", "unclassified"),
    ("Transfer", "other-transaction", "Current Reserve Amount", "transfer"),
]
V2_HEADER = "settlement-id	settlement-start-date	settlement-end-date	deposit-date	total-amount	currency	transaction-type	order-id	merchant-order-id	adjustment-id	shipment-id	marketplace-name	amount-type	amount-description	amount	fulfillment-id	posted-date	posted-date-time	order-item-code	merchant-order-item-id	merchant-adjustment-item-id	sku	quantity-purchased	promotion-id"  # noqa: E501


def test_fee_names_are_classified_by_their_meaning_not_a_prefix(tmp_path: Path) -> None:
    lines = [V2_HEADER, "\t".join(["1", "", "", "2026-07-02", "-16.00", "USD"] + [""] * 18)]
    for tt, at, ad, _ in AMAZON_NAMES:
        cells = ["1", "", "", "", "", "", tt, "", "", "", "", "", at, ad, "-1.00"]
        lines.append("\t".join(cells + ["", "06/17/26"] + [""] * 7))
    path = tmp_path / "settlement.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = read_file(path, RULES).rows().filter(pl.col("source_row") > 2)
    got = rows.select("fee_name", "category").rows()
    assert got == [(f"{tt} / {at} / {ad}", category) for tt, at, ad, category in AMAZON_NAMES]


def test_a_deposit_top_up_is_the_deposit_not_a_transfer(tmp_path: Path) -> None:
    text = (FIXTURES / "pdd-ledger" / "ledger.csv").read_bytes().decode("gb18030")
    text = text.replace(
        "提现,提现到银行卡,0060001|提现-提现", "保证金充值,保证金充值,0070001|保证金-充值"
    )
    text = text.replace("#支出合计：-150.85\r\n", "").replace("#支出合计：-150.85\n", "")
    path = tmp_path / "ledger.csv"
    path.write_bytes(text.encode("gb18030"))
    rows = read_file(path, RULES).rows()
    assert rows.filter(pl.col("fee_name").str.starts_with("保证金"))["category"].to_list() == [
        "deposit"
    ]


def test_units_of_an_order_item_listed_twice_all_count(ws, store: Store) -> None:
    """Amazon V1 lists one order item twice (1 unit, then 2 units, each on a row without
    money): 3 units sold, not the largest 2."""
    toml = ws.root / "finance.toml"
    text = toml.read_text(encoding="utf-8").replace(
        'base_currency = "CNY"', 'base_currency = "CAD"'
    )
    toml.write_text(text.replace("[shops]\n", '[shops]\namazon = "云栖 Amazon CA"\n'), "utf-8")
    ws = open_workspace(ws.root)
    drop(ws, V1 / "several-amounts-per-row.txt")
    assert [o.status for o in ingest(ws, store)] == ["imported"]
    pnl = month_result(ws, store, "2025-11").pnl
    units = dict(pnl.filter(pl.col("sku").is_not_null()).select("sku", "units_sold").rows())
    assert units["YQ-PIL-MEM-GR"] == 3 and units["YQ-CUP350-WH"] == 1
    assert pnl["advertising"].sum() == 41023


# --- item 2: totals as balance assertions


def test_a_total_off_by_a_cent_rejects_the_file_and_stores_nothing(ws, store: Store) -> None:
    ws.settings.setdefault("shops", {})["amazon"] = "云栖 Amazon CA"
    drop(ws, V1 / "total-off-by-a-cent.txt")
    [outcome] = ingest(ws, store)
    assert outcome.status == "rejected"
    assert store.count("ledger") == 0 and store.files().height == 0
    note = (ws.rejected / "total-off-by-a-cent.txt.error.txt").read_text(encoding="utf-8")
    assert "-379.50" in note and "-379.51" in note and "0.01" in note and "相差 0.01" in note
    _golden("totals-mismatch", _rejected(V1 / "total-off-by-a-cent.txt"))


def test_a_running_balance_that_breaks_names_the_row(tmp_path: Path) -> None:
    """The 12-column ledger with its 花呗 row (0.95) taken out: the balance jumps there."""
    lines = (FIXTURES / "alipay-ledger" / "ledger-12col.csv").read_bytes().decode("gbk")
    lines = "\r\n".join(line for line in lines.split("\r\n") if "0.95,2112.10" not in line)
    lines = lines.replace("共1144.35元", "共1143.40元").replace("#支出合计：6笔", "#支出合计：5笔")
    path = tmp_path / "ledger.csv"
    path.write_bytes(lines.encode("gbk"))
    error = _rejected(path)
    assert error.key == "balance_break" and error.fields["difference"] == "0.95"
    _golden("balance-break", error)


def test_a_footer_that_disagrees_names_both_figures(tmp_path: Path) -> None:
    text = (FIXTURES / "pdd-ledger" / "ledger.csv").read_bytes().decode("gb18030")
    path = tmp_path / "ledger.csv"
    path.write_bytes(text.replace("#收入合计：151.90", "#收入合计：152.90").encode("gb18030"))
    error = _rejected(path)
    assert (error.fields["figure"], error.fields["sum"]) == ("152.90", "151.90")
    _golden("totals-footer", error)


def test_a_declared_total_the_file_lacks_rejects_it(tmp_path: Path) -> None:
    text = (FIXTURES / "wechatpay-tradebill" / "tradebill-with-refund.csv").read_text("utf-8")
    path = tmp_path / "tradebill.csv"
    path.write_text("\n".join(text.splitlines()[:-2]) + "\n", encoding="utf-8")
    error = _rejected(path)
    assert error.key == "totals_missing"
    _golden("totals-missing", error)


def test_wechat_fees_are_checked_at_their_five_decimals() -> None:
    statement = read_file(FIXTURES / "wechatpay-tradebill" / "tradebill-with-refund.csv", RULES)
    assert statement.checked == ("应结订单总金额", "退款总金额", "手续费总金额")
    assert (
        statement.rows()["amount"].filter(statement.rows()["category"] == "payment_fee").sum()
        == -93
    )


def test_ingest_says_which_totals_it_checked(ws, store: Store) -> None:
    drop(ws, FIXTURES / "alipay-ledger" / "ledger-12col.csv")
    [outcome] = ingest(ws, store)
    assert outcome.status == "imported"
    assert "已与文件自带的合计核对：支出合计, 收入合计, 账户余额" in outcome.message


# --- item 3: every sheet of a workbook


def test_both_sheets_of_a_depot_bill_are_imported(ws, store: Store) -> None:
    drop(ws, FIXTURES / "courier-bill-depot" / "bill-with-intercepts.xlsx")
    [outcome] = ingest(ws, store)
    assert outcome.status == "imported", outcome.message
    ledger = store.frame("ledger")
    sums = dict(ledger.group_by("category").agg(pl.col("amount").sum()).rows())
    assert sums == {"logistics": -2570, "return_cost": -1650}
    assert ledger["file_id"].n_unique() == 1 and store.files().height == 1


def _workbook(path: Path, extra: str) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "运费明细"
    sheet.append(
        ["发件日期", "运单编号", "目的网点", "实际重量", "体积重量", "结算重量", "合计运费"]
    )
    sheet.append(["2026-10-04 09:00:00", "YT7512345678901", "广州白云三部", 0.8, 1.1, 1.1, 6])
    other = book.create_sheet(extra)
    other.append(["改派单号", "改派费"])
    other.append(["YT7512345678901", 2.5])
    book.save(path)
    return path


def test_a_sheet_no_rule_reads_rejects_the_workbook_naming_it(ws, store: Store, tmp_path) -> None:
    drop(ws, _workbook(tmp_path / "网点账单.xlsx", "改派"))
    [outcome] = ingest(ws, store)
    assert outcome.status == "rejected" and "改派" in outcome.message
    assert store.count("ledger") == 0
    _golden("sheet-unaccounted", _rejected(tmp_path / "网点账单.xlsx"))


def test_a_sheet_declared_as_notes_is_not_read(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    depot = (shipped("rules") / "formats" / "courier-bill-depot.toml").read_text("utf-8")
    (rules / "courier-bill-depot.toml").write_text(
        depot.replace("[parse]", '[read]\nnotes_sheets = ["^改派$"]\n\n[parse]'), "utf-8"
    )
    statement = read_file(_workbook(tmp_path / "bill.xlsx", "改派"), load_rules(rules))
    assert statement.rows()["amount"].to_list() == [-600]


# --- item 4: rows that are not money, amounts with a note


def test_closed_and_neutral_rows_are_reported_not_imported(ws, store: Store) -> None:
    drop(ws, FIXTURES / "alipay-bill" / "alipay_record_20261101_0912.csv")
    [outcome] = ingest(ws, store)
    assert outcome.status == "imported"
    assert store.count("ledger") == 4
    assert (
        "另有 3 行不计为收支，未导入：不计收支 2 行（115.37）；交易关闭 1 行（58.00）。"
        in outcome.message
    )


def test_an_amount_written_with_a_refund_note_reads_what_stayed_spent() -> None:
    rows = read_file(FIXTURES / "jd-bill" / "京东交易流水_20261101.csv", RULES).rows()
    assert rows["amount"].to_list() == [-4193, -1800, 2500]


def test_pending_rows_are_skipped_by_value(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    shopify = (shipped("rules") / "formats" / "shopify-payment-transactions.toml").read_text(
        "utf-8"
    )
    (rules / "shopify.toml").write_text(
        shopify + '\n[[skip]]\nwhen = { "Payout Status" = "^pending$" }\nreason = "Pending"\n',
        "utf-8",
    )
    lines = (
        (FIXTURES / "shopify-payment-transactions" / "shopify-payment-transactions.csv")
        .read_text("utf-8")
        .splitlines()
    )
    lines[2] = lines[2].replace(",paid,", ",pending,")  # a charge of 988.21 (fee 57.68) pending
    case = tmp_path / "payment_transactions_export_1.csv"
    case.write_text("\n".join(lines) + "\n", encoding="utf-8")
    every = read_file(case, RULES)
    kept = read_file(case, load_rules(rules))
    assert kept.skipped.summary() == [("Pending", 1, 98821 + 5768)]
    assert every.rows().height - kept.rows().height == 2  # its Amount and its Fee


def test_identify_still_names_one_rule_for_the_new_formats() -> None:
    for folder in ("alipay-bill", "jd-bill", "courier-bill-intercept"):
        for case in (FIXTURES / folder).glob("*.csv"):
            if ".expected" not in case.name:
                assert identify(open_source(case), RULES).rule.name == folder
