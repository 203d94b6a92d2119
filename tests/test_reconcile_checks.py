"""The reconciliation checks on hand-built books (no store): ageing at month ends, payouts that
bundle days, parcels against the rate card, fees against the contract, the settlement-total
hook, and the contracts file's errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.errors import RuleError
from finance.reconcile import checks, find
from finance.reconcile.checks import Books
from finance.reconcile.contracts import Contracts, load_contracts, province_name
from finance.reconcile.payouts import match
from finance.reconcile.text import bucket
from finance.resources import shipped
from finance.schema import STORED

from .conftest import ROOT

CONTRACTS = load_contracts(shipped("rules") / "contracts.toml")
ERRORS = ROOT / "tests" / "errors" / "contracts"
EXTRA = {
    "id": pl.Int64,
    "file_id": pl.Int64,
    "source_row": pl.Int64,
    "natural_key": pl.String,
    "file": pl.String,
}


def _frame(kind: str, rows: list[dict]) -> pl.DataFrame:
    schema = {**EXTRA, **STORED[kind]}
    full = [
        {"file_id": 1, "file": f"{kind}.csv", "source_row": i + 2, "natural_key": f"k{i}"} | r
        for i, r in enumerate(rows)
    ]
    return pl.DataFrame(full, schema=schema)


def _ledger(rows: list[dict]) -> pl.DataFrame:
    base = {"platform": "tmall", "shop": "店", "currency": "CNY"}
    return _frame(
        "ledger",
        [base | {"month": r["posted_at"].strftime("%Y-%m")} | r for r in rows],
    )


def _books(
    month: str,
    *,
    ledger: list[dict] = (),  # type: ignore[assignment]
    lines: list[dict] = (),  # type: ignore[assignment]
    bank: list[dict] = (),  # type: ignore[assignment]
    formats: dict[int, str] | None = None,
) -> Books:
    base = {"platform": "tmall", "shop": "店"}
    return Books(
        month=month,
        ledger=_ledger(list(ledger)),
        lines=_frame("order_lines", [base | {"quantity": 1} | r for r in lines]),
        orders=_frame("orders", []),
        returns=_frame("returns", []),
        bank=_frame("bank_lines", [{"platform": "bank", "currency": "CNY"} | r for r in bank]),
        formats=pl.DataFrame(
            list((formats or {1: "alipay-ledger"}).items()),
            schema={"file_id": pl.Int64, "format": pl.String},
            orient="row",
        ),
    )


# --- ageing at month ends


@pytest.mark.parametrize(
    ("month", "shipped", "age", "kind", "ageing"),
    [
        ("2026-02", "2026-02-28 23:59:00", 0, "timing", "0-15"),
        ("2026-02", "2026-02-13 08:00:00", 15, "timing", "0-15"),
        ("2026-02", "2026-02-12 08:00:00", 16, "missing_settlement", "16-30"),
        ("2026-02", "2026-01-29 08:00:00", 30, "missing_settlement", "16-30"),
        ("2026-02", "2026-01-28 08:00:00", 31, "missing_settlement", "31-60"),
        ("2026-12", "2026-11-01 00:00:00", 60, "missing_settlement", "31-60"),
        ("2026-12", "2026-10-31 23:00:00", 61, "missing_settlement", "60+"),
        ("2024-02", "2024-02-14 12:00:00", 15, "timing", "0-15"),  # leap year: the 29th
    ],
)
def test_ageing_at_month_end(month: str, shipped: str, age: int, kind: str, ageing: str) -> None:
    books = _books(
        month,
        lines=[
            {"order_id": "1", "line_amount": 5000, "shipped_at": datetime.fromisoformat(shipped)}
        ],
    )
    found = checks.receivables(books, CONTRACTS).with_columns(ageing=bucket(pl.col("age_days")))
    assert found.select("kind", "age_days", "ageing", "amount").row(0) == (kind, age, ageing, 5000)


@settings(max_examples=60, deadline=None)
@given(
    month=st.sampled_from(["2024-02", "2026-02", "2026-04", "2026-12"]),
    back=st.integers(min_value=0, max_value=200),
    clock=st.integers(min_value=0, max_value=86_399),
)
def test_age_is_days_from_shipping_day_to_month_end(month: str, back: int, clock: int) -> None:
    end = _books(month).end_date
    shipped = datetime.combine(end, datetime.min.time()) - timedelta(days=back, seconds=-clock)
    books = _books(month, lines=[{"order_id": "1", "line_amount": 1, "shipped_at": shipped}])
    [row] = (
        checks.receivables(books, CONTRACTS)
        .with_columns(b=bucket(pl.col("age_days")))
        .rows(named=True)
    )
    assert row["age_days"] == back
    assert row["kind"] == ("timing" if back <= 15 else "missing_settlement")
    low = {"0-15": 0, "16-30": 16, "31-60": 31, "60+": 61}[row["b"]]
    assert low <= back


def test_shipped_after_month_end_or_settled_is_no_receivable() -> None:
    books = _books(
        "2026-10",
        lines=[
            {"order_id": "late", "line_amount": 100, "shipped_at": datetime(2026, 11, 1, 0, 0)},
            {"order_id": "paid", "line_amount": 100, "shipped_at": datetime(2026, 10, 1)},
            {"order_id": "none", "line_amount": 100, "shipped_at": None},
        ],
        ledger=[
            {
                "posted_at": datetime(2026, 10, 9),
                "category": "sales",
                "amount": 100,
                "order_id": "paid",
            }
        ],
    )
    assert checks.receivables(books, CONTRACTS).height == 0


# --- payouts


def _withdrawal(day: int, amount: int, key: str) -> dict:
    return {
        "posted_at": datetime(2026, 10, day, 17, 0),
        "category": "transfer",
        "fee_name": "提现 / 提现到银行卡",
        "amount": -amount,
        "natural_key": key,
    }


def _receipt(day: int, amount: int, key: str, month: int = 10) -> dict:
    return {
        "booked_at": datetime(2026, month, day),
        "amount": amount,
        "counterparty": "支付宝（中国）网络技术有限公司",
        "natural_key": key,
    }


def test_a_payout_bundling_three_days_matches_them_all() -> None:
    books = _books(
        "2026-10",
        ledger=[
            _withdrawal(27, 10000, "w27"),
            _withdrawal(28, 25050, "w28"),
            _withdrawal(29, 7000, "w29"),
        ],
        bank=[_receipt(30, 42050, "r30")],
    )
    result = match(books, CONTRACTS)
    assert result.findings.height == 0
    assert sorted(result.matches["withdrawal_key"]) == ["w27", "w28", "w29"]
    assert set(result.matches["receipt_key"]) == {"r30"}


def test_a_receipt_that_is_no_sum_of_days_leaves_both_sides_unmatched() -> None:
    books = _books(
        "2026-10",
        ledger=[_withdrawal(27, 10000, "w27"), _withdrawal(28, 25050, "w28")],
        bank=[_receipt(30, 35000, "r30"), {**_receipt(30, 9900, "other"), "counterparty": "客户"}],
    )
    result = match(books, CONTRACTS)
    assert result.matches.height == 0
    assert sorted(result.findings["amount"].to_list()) == [10000, 25050, 35000]
    assert set(result.findings["kind"]) == {"payout_unmatched"}


def test_a_receipt_later_than_the_window_does_not_match() -> None:
    books = _books(
        "2026-10",
        ledger=[_withdrawal(20, 30000, "w20")],
        bank=[_receipt(24, 30000, "r24")],  # 4 days, the window is 3
    )
    assert match(books, CONTRACTS).findings.height == 2


@settings(max_examples=40, deadline=None)
@given(
    amounts=st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=6),
    bundle=st.booleans(),
)
def test_every_withdrawal_is_matched_or_listed(amounts: list[int], bundle: bool) -> None:
    withdrawals = [_withdrawal(10 + i, a, f"w{i}") for i, a in enumerate(amounts)]
    receipts = (
        [_receipt(10 + len(amounts), sum(amounts), "all")]
        if bundle
        else [_receipt(10 + i, a, f"r{i}") for i, a in enumerate(amounts)]
    )
    result = match(_books("2026-10", ledger=withdrawals, bank=receipts), CONTRACTS)
    unmatched_w = result.findings.filter(pl.col("ident").str.starts_with("payout|withdrawal"))
    assert result.matches.height + unmatched_w.height == len(amounts)
    assert result.matches["amount"].sum() + unmatched_w["amount"].sum() == sum(amounts)
    if not bundle or len(amounts) > 1:
        assert result.findings.height == 0


# --- parcels and fees against the contract


def _parcel(waybill: str, province: str, grams: int, cents: int) -> dict:
    return {
        "posted_at": datetime(2026, 10, 5),
        "category": "logistics",
        "fee_name": "courier-bill-zto",
        "amount": -cents,
        "waybill": waybill,
        "weight_g": grams,
        "region": province,
        "natural_key": f"courier-bill-zto:{waybill}#1",
    }


def test_a_courier_bill_with_one_parcel_overcharged_by_050() -> None:
    books = _books(
        "2026-10",
        ledger=[
            _parcel("A", "浙江省", 450, 320),  # first kg: 3.20
            _parcel("B", "广东", 1600, 670),  # 4.20 + 1 x 2.00 = 6.20, billed 6.70
            _parcel("C", "新疆维吾尔自治区", 2001, 2600),  # 10.00 + 2 x 8.00 = 26.00
            _parcel("D", "火星", 500, 9900),  # no zone: not checked
        ],
        lines=[{"order_id": "o-B", "waybill": "B", "line_amount": 1}],
        formats={1: "courier-bill-zto"},
    )
    found = checks.parcels(books, CONTRACTS)
    assert found.select("kind", "order_id", "amount").rows() == [("overcharge", "o-B", 50)]
    assert "6.20" in found["detail"][0] and "中通快递" in found["detail"][0]


def _fee(order: str, name: str, cents: int, key: str, category: str = "payment_fee") -> dict:
    return {
        "posted_at": datetime(2026, 10, 5),
        "category": category,
        "fee_name": name,
        "amount": -cents,
        "order_id": order,
        "natural_key": key,
    }


def test_fees_against_the_contract() -> None:
    books = _books(
        "2026-10",
        lines=[
            {"order_id": "1", "sku": "YQ-PIL-MEM-GR", "line_amount": 11900},
            {"order_id": "2", "sku": "YQ-CUP350-WH", "line_amount": 3900},
            {"order_id": "2", "sku": "YQ-BOX-FOLD-GR", "line_amount": 5900},
        ],
        ledger=[
            _fee("1", "服务费 / 基础软件服务费（天猫佣金）扣款", 595, "c1", "commission"),  # 5 %
            _fee("2", "服务费 / 基础软件服务费（天猫佣金）扣款", 300, "c2", "commission"),
            _fee("1", "服务费 / 花呗支付服务费", 95, "h1"),  # 0.8 % of 119.00 = 0.95
            _fee("2", "服务费 / 信用卡支付服务费", 40, "h2"),  # 0.6 % of 98.00 = 0.59
        ],
    )
    commission = checks.commission(books, CONTRACTS)
    # order 2: 3 % of 39.00 + 2 % of 59.00 = 1.17 + 1.18 = 2.35; charged 3.00
    assert commission.select("kind", "order_id", "amount").rows() == [("overcharge", "2", 65)]
    fees = checks.payment_fees(books, CONTRACTS)
    assert fees.select("kind", "order_id", "amount").rows() == [("amount_difference", "2", 19)]


def test_the_same_fee_twice_is_a_duplicate_not_also_an_overcharge() -> None:
    books = _books(
        "2026-10",
        lines=[{"order_id": "1", "sku": "YQ-PIL-MEM-GR", "line_amount": 11900}],
        ledger=[
            _fee("1", "服务费 / 花呗支付服务费", 95, "h1"),
            _fee("1", "服务费 / 花呗支付服务费", 95, "h2"),
        ],
    )
    assert checks.payment_fees(books, CONTRACTS).height == 0
    dup = checks.duplicates(books)
    assert dup.select("kind", "order_id", "amount").rows() == [("duplicate", "1", 95)]


def test_settlement_total_hook_flags_a_file_whose_rows_do_not_add_up() -> None:
    books = _books(
        "2026-10",
        ledger=[
            {"posted_at": datetime(2026, 10, 5), "category": "sales", "amount": 10000},
            {"posted_at": datetime(2026, 10, 5), "category": "commission", "amount": -1500},
        ],
    )
    summaries = pl.DataFrame(
        {
            "platform": ["amazon"],
            "shop": ["US"],
            "settlement_id": ["1234"],
            "total": [8400],
            "file_id": [1],
        }
    )
    found = checks.settlement_totals(summaries, books)
    assert found.select("kind", "amount").rows() == [("amount_difference", 100)]
    ok = summaries.with_columns(total=pl.lit(8500))
    assert checks.settlement_totals(ok, books).height == 0
    found, _ = find(books, CONTRACTS, summaries=summaries)
    assert found.filter(pl.col("ident").str.starts_with("settlement|"))["amount"].to_list() == [100]


def test_unknown_orders_and_goods_differences() -> None:
    books = _books(
        "2026-10",
        lines=[{"order_id": "1", "line_amount": 10000}],
        ledger=[
            {
                "posted_at": datetime(2026, 10, 5),
                "category": "sales",
                "amount": 10000,
                "order_id": "1",
            },
            {
                "posted_at": datetime(2026, 10, 20),
                "category": "refund",
                "amount": -2000,
                "order_id": "1",
            },
            {
                "posted_at": datetime(2026, 10, 6),
                "category": "sales",
                "amount": 4500,
                "order_id": "9",
            },
        ],
    )
    unknown = checks.unknown_orders(books)
    assert unknown.select("order_id", "amount").rows() == [("9", 4500)]
    # the ledger refunded 20.00 that the refund list does not have
    diff = checks.goods_differences(books, Contracts())
    assert diff.select("kind", "order_id", "amount").rows() == [("amount_difference", "1", 2000)]


# --- the contracts file


def test_province_names() -> None:
    assert [
        province_name(p) for p in ("浙江省", "上海市", "广西壮族自治区", "新疆维吾尔自治区")
    ] == [
        "浙江",
        "上海",
        "广西",
        "新疆",
    ]


def test_shipped_contracts_load() -> None:
    assert CONTRACTS.days_for("tmall") == 15
    assert CONTRACTS.rate_table().height > 0
    assert {c.courier for c in CONTRACTS.rate_cards} >= {"申通快递", "中通快递"}


ERROR_CASES = sorted(ERRORS.glob("*.toml"))


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.name for c in ERROR_CASES])
def test_contract_errors_are_golden(case: Path) -> None:
    with pytest.raises(RuleError) as info:
        load_contracts(case)
    actual = info.value.both().replace(case.as_posix(), case.name) + "\n"
    assert actual == case.with_name(case.name + ".expected.txt").read_text(encoding="utf-8")


def test_missing_contracts_file_checks_nothing(tmp_path: Path) -> None:
    empty = load_contracts(tmp_path / "contracts.toml")
    assert empty.commission == () and empty.rate_table().height == 0


# --- per-platform settings ([platform.<name>] in contracts.toml)


def _platform_books(platform: str, lines: list[dict], ledger: list[dict]) -> Books:
    books = _books(
        "2026-10",
        lines=[{"platform": platform} | r for r in lines],
        ledger=[{"platform": platform, "posted_at": datetime(2026, 10, 9)} | r for r in ledger],
    )
    return books


def test_douyin_goods_are_user_paid_plus_platform_subsidy_and_refunds_net() -> None:
    # 订单应付金额 59.00 = 用户实付 54.00 + 平台补贴 5.00; a 10.00 refund before settlement
    books = _platform_books(
        "douyin",
        [{"order_id": "1", "line_amount": 5900}],
        [
            {"category": "sales", "amount": 5400, "order_id": "1"},
            {"category": "platform_subsidy", "amount": 500, "order_id": "1"},
            {"category": "refund", "amount": -1000, "order_id": "1"},
            {"category": "unclassified", "amount": 100, "order_id": "1"},  # 平台活动补贴: extra
        ],
    )
    assert CONTRACTS.rules_for("douyin").goods == ("sales", "platform_subsidy")
    assert checks.goods_differences(books, CONTRACTS).height == 0
    # without the platform's settings (Tmall's basis) the subsidy and the refund look wrong
    diff = checks.goods_differences(books, Contracts())
    assert diff.select("kind", "amount").rows() == [("amount_difference", 1500)]
    # a real shortfall is still found: 用户实付 settled 1.00 short
    short = dataclass_replace_amount(books, 5300)
    found = checks.goods_differences(short, CONTRACTS)
    assert found.select("order_id", "amount").rows() == [("1", 100)]
    assert "refunds 10.00" in found["detail"][0]


def dataclass_replace_amount(books: Books, sales: int) -> Books:
    import dataclasses

    ledger = books.ledger.with_columns(
        amount=pl.when(pl.col("category") == "sales").then(sales).otherwise(pl.col("amount"))
    )
    return dataclasses.replace(books, ledger=ledger)


def test_shopify_charge_includes_shipping_below_the_free_threshold() -> None:
    books = _platform_books(
        "shopify",
        [
            {"order_id": "1001", "line_amount": 3600, "paid_at": datetime(2026, 10, 2)},
            {"order_id": "1002", "line_amount": 9000, "paid_at": datetime(2026, 10, 2)},
        ],
        [
            {"category": "sales", "amount": 4200, "order_id": "1001"},  # 36.00 + 6.00 shipping
            {"category": "sales", "amount": 9000, "order_id": "1002"},  # free from 50.00
        ],
    )
    assert checks.goods_differences(books, CONTRACTS).height == 0
    assert checks.goods_differences(books, Contracts()).select("order_id").rows() == [("1001",)]


def test_unpaid_orders_owe_nothing_and_platforms_without_order_export_are_not_looked_up() -> None:
    shipped = datetime(2026, 10, 20)
    books = _platform_books(
        "shopify",
        [
            # pending: created and fulfilled, never paid
            {"order_id": "1021", "line_amount": 6800, "created_at": shipped, "shipped_at": shipped},
            {"order_id": "1022", "line_amount": 7700, "paid_at": shipped, "shipped_at": shipped},
        ],
        [],
    )
    owed = checks.receivables(books, CONTRACTS)
    assert owed.select("kind", "order_id").rows() == [("missing_settlement", "1022")]
    amazon = _platform_books(
        "amazon", [], [{"category": "sales", "amount": 12999, "order_id": "114-1"}]
    )
    assert checks.unknown_orders(amazon, CONTRACTS).height == 0
    assert checks.unknown_orders(amazon).select("order_id").rows() == [("114-1",)]


def test_two_lines_of_one_order_at_one_price_are_not_a_duplicate() -> None:
    fee = {"category": "commission", "fee_name": "佣金", "amount": -1272, "order_id": "281"}
    books = _platform_books(
        "jd",
        [],
        [fee | {"listing_id": "100088000101"}, fee | {"listing_id": "100088000102"}],
    )
    assert checks.duplicates(books).height == 0
    twice = _platform_books("jd", [], [fee | {"listing_id": "1"}, fee | {"listing_id": "1"}])
    assert checks.duplicates(twice).select("amount").rows() == [(1272,)]


def test_a_shop_with_a_contract_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "contracts.toml"
    path.write_text(
        '[[commission]]\nplatform = "tmall"\nshop = "奥莱店"\nrate = "0.05"\n\n'
        '[[commission]]\nplatform = "tmall"\nrate = "0.03"\n',
        encoding="utf-8",
    )
    contracts = load_contracts(path)
    rows = []
    for shop in ("奥莱店", "旗舰店"):
        rows.append({"shop": shop, "order_id": shop, "line_amount": 10000})
    books = _books(
        "2026-10",
        lines=rows,
        ledger=[
            {
                "shop": shop,
                "posted_at": datetime(2026, 10, 9),
                "category": "commission",
                "amount": -500,
                "order_id": shop,
            }
            for shop in ("奥莱店", "旗舰店")
        ],
    )
    found = checks.commission(books, contracts)
    assert found.select("kind", "shop", "amount").rows() == [("overcharge", "旗舰店", 200)]


def test_a_payout_entry_for_one_shop_leaves_the_other_shops_withdrawals_alone(
    tmp_path: Path,
) -> None:
    from finance.reconcile.payouts import withdrawals

    path = tmp_path / "contracts.toml"
    path.write_text(
        '[[payout]]\nplatform = "tmall"\nshop = "旗舰店"\nwithdrawal = "提现"\nbank = "支付宝"\n',
        encoding="utf-8",
    )
    books = _books(
        "2026-10",
        ledger=[
            {
                "shop": shop,
                "posted_at": datetime(2026, 10, 30),
                "category": "transfer",
                "fee_name": "提现 / 提现到银行卡",
                "amount": -30000,
            }
            for shop in ("旗舰店", "奥莱店")
        ],
    )
    assert withdrawals(books, load_contracts(path))["shop"].to_list() == ["旗舰店"]
    assert match(books, load_contracts(path)).findings["shop"].to_list() == ["旗舰店"]
