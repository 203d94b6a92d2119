"""Time zones: a time that carries a zone (Amazon's UTC, Shopify's offsets) is converted to the
workspace's zone (``timezone`` in finance.toml, default Asia/Shanghai) before a row is given its
month; a naive time is in its rules file's ``[parse] timezone``; a date stays. Conversion never
moves money between rows, only rows between months (finance/zones.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.errors import FinanceError, RuleError
from finance.ingest import ingest
from finance.normalise import Context, normalise
from finance.read import open_source, read_table
from finance.read.identify import identify
from finance.resources import shipped
from finance.rulebook import load_rule, load_rules
from finance.workspace import open_workspace

from .conftest import drop

RULES = load_rules(shipped("rules") / "formats")
V1_HEADER = (
    "settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\t"
    "currency\ttransaction-type\torder-id\tmerchant-order-id\tadjustment-id\tshipment-id\t"
    "marketplace-name\tshipment-fee-type\tshipment-fee-amount\torder-fee-type\torder-fee-amount\t"
    "fulfillment-id\tposted-date\torder-item-code\tmerchant-order-item-id\t"
    "merchant-adjustment-item-id\tsku\tquantity-purchased\tprice-type\tprice-amount\t"
    "item-related-fee-type\titem-related-fee-amount\tmisc-fee-amount\tother-fee-amount\t"
    "other-fee-reason-description\tdirect-payment-type\tdirect-payment-amount\tother-amount"
).split("\t")
SHOPIFY_HEADER = (
    "Transaction Date,Type,Order,Card Brand,Card Source,Payout Status,Payout Date,Payout ID,"
    "Available On,Amount,Fee,Net,Checkout,Payment Method Name,Presentment Amount,"
    "Presentment Currency,Currency,Business Entity Name,Business Entity ID"
)


def _rows(path: Path, *, zone: str = "Asia/Shanghai") -> pl.DataFrame:
    source = open_source(path)
    match = identify(source, RULES)
    raw = read_table(source, match.rule, match.header)
    return normalise(raw, match.rule, Context(file=path.name, default_shop="店", timezone=zone))


def _v1(tmp_path: Path) -> Path:
    def row(**cells: str) -> str:
        return "\t".join(cells.get(h.replace("-", "_"), "") for h in V1_HEADER)

    lines = [
        "\t".join(V1_HEADER),
        row(
            settlement_id="1",
            settlement_start_date="2026-10-01T00:00:00+00:00",
            settlement_end_date="2026-10-31T16:00:00+00:00",
            deposit_date="2026-11-02T00:00:00+00:00",
            total_amount="60.00",
            currency="CAD",
        ),
    ]
    for posted, order, amount in (
        ("2026-10-31T15:59:59+00:00", "702-1", "35.00"),  # 23:59:59 in Shanghai: October
        ("2026-10-31T16:00:00+00:00", "702-2", "25.00"),  # 00:00 on 1 November in Shanghai
    ):
        lines.append(
            row(
                settlement_id="1",
                transaction_type="Order",
                order_id=order,
                marketplace_name="Amazon.ca",
                fulfillment_id="AFN",
                posted_date=posted,
                sku="SKU-1",
                quantity_purchased="1",
                price_type="Principal",
                price_amount=amount,
            )
        )
    path = tmp_path / "v1.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _shopify(tmp_path: Path, stamps: list[str], amounts: list[str] | None = None) -> Path:
    amounts = amounts or ["10.00"] * len(stamps)
    lines = [SHOPIFY_HEADER] + [
        f"{stamp},charge,#{1000 + i},visa,online,paid,2026-11-03,1,2026-11-02,{amount},0.30,"
        f"{amount},#4{i},card,{amount},USD,USD,Store LLC,X"
        for i, (stamp, amount) in enumerate(zip(stamps, amounts, strict=True))
    ]
    path = tmp_path / "payment_transactions_export_1.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_amazon_v1_rows_at_the_month_boundary_take_their_beijing_month(tmp_path: Path) -> None:
    rows = _rows(_v1(tmp_path)).filter(pl.col("category") == "sales").sort("order_id")
    assert rows.select("order_id", "posted_at", "month").rows() == [
        ("702-1", datetime(2026, 10, 31, 23, 59, 59), "2026-10"),
        ("702-2", datetime(2026, 11, 1, 0, 0, 0), "2026-11"),
    ]


def test_amazon_v2_utc_naive_and_date_only_times(tmp_path: Path) -> None:
    """The V2 rule says its naive times are UTC (``[parse] timezone``); a posted-date without a
    time stays its date (tests/fixtures/amazon-settlement-v2/naive-utc-times.txt)."""
    from .conftest import FIXTURES

    rows = _rows(FIXTURES / "amazon-settlement-v2" / "naive-utc-times.txt")
    assert rows.select("source_row", "posted_at", "month").rows() == [
        (2, datetime(2026, 11, 2, 8), "2026-11"),  # deposit 00:00 UTC
        (3, datetime(2026, 10, 31, 23, 59, 59), "2026-10"),
        (4, datetime(2026, 10, 31, 23, 59, 59), "2026-10"),
        (5, datetime(2026, 11, 1), "2026-11"),  # 16:00 UTC on 31 October
        (6, datetime(2026, 11, 1), "2026-11"),
        (7, datetime(2026, 10, 31), "2026-10"),  # 10/31/26, no time: stays
    ]
    marked = tmp_path / "v2-marked.txt"
    text = (FIXTURES / "amazon-settlement-v2" / "naive-utc-times.txt").read_text(encoding="utf-8")
    marked.write_text(text.replace("2026-10-31 16:00:00", "2026-10-31 16:00:00 UTC"), "utf-8")
    assert _rows(marked)["month"].to_list() == rows["month"].to_list()  # same instant


def test_shopify_offsets_at_the_month_boundary(tmp_path: Path) -> None:
    path = _shopify(tmp_path, ["2026-10-31 11:59:59 -0400", "2026-10-31 12:00:00 -0400"])
    sales = _rows(path).filter(pl.col("category") == "sales")
    assert sales.select("posted_at", "month").rows() == [
        (datetime(2026, 10, 31, 23, 59, 59), "2026-10"),
        (datetime(2026, 11, 1, 0, 0, 0), "2026-11"),
    ]
    in_utc = _rows(path, zone="UTC").filter(pl.col("category") == "sales")
    assert in_utc["month"].to_list() == ["2026-10", "2026-10"]
    assert in_utc["posted_at"].to_list() == [
        datetime(2026, 10, 31, 15, 59, 59),
        datetime(2026, 10, 31, 16),
    ]


def test_shopify_order_times_are_converted_too(tmp_path: Path) -> None:
    path = tmp_path / "orders_export_1.csv"
    path.write_text(
        "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,"
        "Shipping,Taxes,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,"
        "Lineitem price,Lineitem sku\n"
        "#1001,a@example.com,paid,2026-10-31 20:00:00 -0400,fulfilled,2026-11-01 09:00:00 -0400,"
        "USD,29.00,0.00,0.00,29.00,0.00,2026-10-31 19:59:00 -0400,1,Pillow,29.00,YQ-1\n",
        encoding="utf-8",
    )
    line = _rows(path).row(0, named=True)
    assert line["paid_at"] == datetime(2026, 11, 1, 8)
    assert line["created_at"] == datetime(2026, 11, 1, 7, 59)
    assert line["shipped_at"] == datetime(2026, 11, 1, 21)


def test_the_workspace_zone_decides_the_month_of_an_ingested_row(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from finance.pipeline import open_store

    toml = ws.root / "finance.toml"
    text = toml.read_text(encoding="utf-8").replace("[shops]\n", '[shops]\nshopify = "Store"\n', 1)
    toml.write_text(text, encoding="utf-8")
    assert 'timezone = "Asia/Shanghai"' in text  # the default, written by init
    drop(ws, _shopify(tmp_path, ["2026-10-31 20:00:00 -0400", "2026-10-15 09:00:00 -0400"]))
    ws = open_workspace(ws.root)
    store = open_store(ws)
    try:
        assert {o.status for o in ingest(ws, store)} == {"imported"}
        assert store.months() == ["2026-10", "2026-11"]
    finally:
        store.close()


def test_an_unknown_zone_in_finance_toml_is_a_clear_error(ws) -> None:  # type: ignore[no-untyped-def]
    toml = ws.root / "finance.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'timezone = "Asia/Shanghai"', 'timezone = "Beijing"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(FinanceError) as info:
        _ = open_workspace(ws.root).timezone
    assert info.value.render("en") == (
        "finance.toml timezone: 'Beijing' is not a time zone. Write an IANA name such as "
        '"Asia/Shanghai" (Beijing time, the default), "UTC" or "America/New_York".'
    )
    assert "不是时区" in info.value.render("zh-CN")


def test_an_unknown_zone_in_a_rules_file_names_the_file_and_line(tmp_path: Path) -> None:
    text = (shipped("rules") / "formats" / "amazon-settlement-v2.toml").read_text("utf-8")
    path = tmp_path / "amazon-settlement-v2.toml"
    (tmp_path / "shared").mkdir()
    for part in (shipped("rules") / "formats" / "shared").iterdir():
        (tmp_path / "shared" / part.name).write_text(part.read_text("utf-8"), "utf-8")
    path.write_text(text.replace('timezone = "UTC"', 'timezone = "PST"'), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rule(path)
    line = next(i for i, t in enumerate(path.read_text("utf-8").splitlines(), 1) if "PST" in t)
    message = info.value.render("en")
    assert (
        f"amazon-settlement-v2.toml line {line}: timezone 'PST'. Fix: write a time zone" in message
    )
    assert "IANA" in message and "时区" in info.value.render("zh-CN")


ZONES = ["Asia/Shanghai", "UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata"]
moments = st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
offsets = st.integers(-12 * 4, 14 * 4).map(lambda q: q * 15)  # quarter hours, as zones are


def _written(moment: datetime, offset: int) -> str:
    sign = "-" if offset < 0 else "+"
    return (
        moment.strftime("%Y-%m-%d %H:%M:%S ")
        + f"{sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"
    )


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(moments, offsets, st.integers(-99_999, 99_999)), min_size=1, max_size=12),
    st.sampled_from(ZONES),
)
def test_conversion_moves_rows_between_months_never_money_between_rows(
    tmp_path_factory: pytest.TempPathFactory, items: list, zone: str
) -> None:
    tmp = tmp_path_factory.mktemp("tz")
    stamps = [_written(m, o) for m, o, _ in items]
    amounts = [f"{a / 100:.2f}" if a else "1.00" for _, _, a in items]
    path = _shopify(tmp, stamps, amounts)
    here = _rows(path, zone=zone).filter(pl.col("category") == "sales").sort("source_row")
    there = _rows(path, zone="UTC").filter(pl.col("category") == "sales").sort("source_row")
    # the same rows with the same money, whatever the zone
    assert here.select("source_row", "amount", "natural_key").equals(
        there.select("source_row", "amount", "natural_key")
    )
    assert here["amount"].sum() == there["amount"].sum()
    # each row's time is the instant it wrote, on the workspace's clock, and its month that
    for i, (moment, offset, _) in enumerate(items):
        instant = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
        local = instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        assert here["posted_at"][i] == local
        assert here["month"][i] == local.strftime("%Y-%m")
        assert there["posted_at"][i] == instant.astimezone(UTC).replace(tzinfo=None)
