"""Properties of the money checks (issue 15), on files generated for several formats.

For any file a rule accepts, the money imported equals the sum of the file's amount cells (as
the rule signs them), and equals the file's declared totals; a file whose stated total
disagrees with its rows by any amount is rejected. Amount cells are written the hostile ways
real downloads write them: currency signs, thousands separators, padding, trailing spaces,
signs on outflows or not, five-decimal fees.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.errors import ImportRejected
from finance.golden import read_file
from finance.resources import shipped
from finance.rulebook import load_rules

RULES = load_rules(shipped("rules"))
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CENTS = st.integers(min_value=1, max_value=5_000_000)
DELTA = st.integers(min_value=-10_000, max_value=10_000).filter(lambda d: d != 0)


def yuan(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def hostile(cents: int, style: int) -> str:
    """One amount as a download may write it (CSV-quoted where it holds a comma)."""
    text = yuan(cents)
    whole, frac = text.lstrip("-").split(".")
    sign = "-" if cents < 0 else ""
    return [
        text,
        f"¥{text}" if cents >= 0 else f"-¥{text[1:]}",
        f" {text} ",
        f'"{sign}{int(whole):,}.{frac}"',
        f"{text}\t",
        f"{sign}{int(whole)}.{frac.rstrip('0') or '0'}",
    ][style % 6]


def imported(path: Path) -> tuple[int, object]:
    statement = read_file(path, RULES)
    return int(statement.rows()["amount"].sum()), statement


# --- a courier bill: positive fees, a 合计 row ------------------------------------------------


def courier_bill(fees: list[int], styles: list[int], total: int | None) -> str:
    lines = ["申通快递杭州余杭网点 2026年10月 对账单", "业务时间,运单号,省,结算重量,运费"]
    for i, (fee, style) in enumerate(zip(fees, styles, strict=True)):
        lines.append(f"2026-10-{i % 28 + 1:02d},7731123{i:08d},浙江省,1.20,{hostile(fee, style)}")
    if total is not None:
        lines.append(f"合计,,,,{yuan(total)}")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(st.lists(st.tuples(CENTS, st.integers(0, 5)), min_size=1, max_size=12), st.booleans())
def test_courier_bill_imports_its_cells_and_its_total(tmp_path: Path, rows, with_total) -> None:
    fees, styles = [f for f, _ in rows], [s for _, s in rows]
    path = tmp_path / "申通_对账单.csv"
    path.write_text(courier_bill(fees, styles, sum(fees) if with_total else None), "utf-8")
    money, statement = imported(path)
    assert money == -sum(fees)
    assert statement.checked == (("合计",) if with_total else ())


@SETTINGS
@given(st.lists(CENTS, min_size=1, max_size=12), DELTA)
def test_courier_bill_whose_total_disagrees_is_rejected(tmp_path: Path, fees, delta) -> None:
    path = tmp_path / "申通_对账单.csv"
    path.write_text(courier_bill(fees, [0] * len(fees), sum(fees) + delta), "utf-8")
    with pytest.raises(ImportRejected) as info:
        read_file(path, RULES)
    assert info.value.key == "totals_mismatch"
    assert info.value.fields["difference"] == yuan(delta)


# --- an Alipay ledger: income and outflow columns, footer sums, running balance ----------------


def alipay_ledger(
    rows: list[tuple[int, int]], negative_outflow: bool, opening: int, *, off: int = 0
) -> bytes:
    """Rows (income, outflow) oldest first, written newest first as Alipay does; ``off`` is
    added to the footer's 收入合计."""
    header = "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注"  # noqa: E501
    balance, body = opening, []
    for i, (income, outflow) in enumerate(rows):
        balance += income - outflow
        out = -outflow if negative_outflow else outflow
        kind = "交易付款" if income else "服务费"
        body.append(
            f"2026100{i:06d}\t,B{i:06d}\t,\t,\t,2026-10-{i % 28 + 1:02d} 10:{i % 60:02d}:00,x\t,"
            f"{yuan(income)},{yuan(out)},{yuan(balance)},支付宝,{kind},"
        )
    spent = sum(o for _, o in rows)
    lines = [
        "#支付宝账务明细查询",
        "#账号：[20885021234567890156]",
        "#-----------------------------------------账务明细列表----------------------------------------",
        header,
        *reversed(body),
        "#----------------------------------------账务明细列表结束-------------------------------------",
        f"#支出合计：{sum(1 for _, o in rows if o)}笔，共{yuan(-spent if negative_outflow else spent)}元",  # noqa: E501
        f"#收入合计：{sum(1 for i, _ in rows if i)}笔，共{yuan(sum(i for i, _ in rows) + off)}元",
        "#导出时间：[2026年11月02日 09:13:27]",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


ALIPAY_ROW = st.one_of(st.tuples(CENTS, st.just(0)), st.tuples(st.just(0), CENTS))


@SETTINGS
@given(st.lists(ALIPAY_ROW, min_size=1, max_size=15), st.booleans(), CENTS)
def test_alipay_ledger_imports_its_cells_and_holds_its_totals(
    tmp_path: Path, rows, negative_outflow, opening
) -> None:
    path = tmp_path / "账务明细.csv"
    path.write_bytes(alipay_ledger(rows, negative_outflow, opening))
    money, statement = imported(path)
    assert money == sum(i - o for i, o in rows)
    assert statement.checked == ("支出合计", "收入合计", "账户余额")


@SETTINGS
@given(st.lists(ALIPAY_ROW, min_size=3, max_size=15), CENTS, st.data())
def test_alipay_ledger_missing_a_row_or_off_its_footer_is_rejected(
    tmp_path: Path, rows, opening, data
) -> None:
    path = tmp_path / "账务明细.csv"
    if data.draw(st.booleans()):
        path.write_bytes(alipay_ledger(rows, False, opening, off=data.draw(DELTA)))
        key = "totals_mismatch"
    else:  # a row left out between two others (the footer written for the rows that are
        # there); the first or last row of a period could be left out unseen, an inner one not
        gone = data.draw(st.integers(1, len(rows) - 2))
        text = alipay_ledger(rows, False, opening).decode("gbk").split("\r\n")
        body = [n for n, line in enumerate(text) if line.startswith("2026100")]
        row = body[len(body) - 1 - gone]  # newest first
        income, outflow = rows[gone]
        text = [line for n, line in enumerate(text) if n != row]
        text = [
            line.replace(
                f"共{yuan(sum(o for _, o in rows))}元",
                f"共{yuan(sum(o for _, o in rows) - outflow)}元",
            ).replace(
                f"共{yuan(sum(i for i, _ in rows))}元",
                f"共{yuan(sum(i for i, _ in rows) - income)}元",
            )
            for line in text
        ]
        path.write_bytes("\r\n".join(text).encode("gbk"))
        key = "balance_break"
    with pytest.raises(ImportRejected) as info:
        read_file(path, RULES)
    assert info.value.key == key


# --- a WeChat Pay trade bill: three amounts per row, five-decimal fees, a summary block --------

FEE = st.integers(min_value=0, max_value=9_999_999)  # in 10^-5 yuan


def tradebill(rows: list[tuple[int, int, int]], *, off: int = 0) -> str:
    header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"  # noqa: E501
    lines = [header]
    for i, (paid, refund, fee) in enumerate(rows):
        state = "REFUND" if refund else "SUCCESS"
        cells = [
            f"2026-10-{i % 28 + 1:02d} 10:00:00", "wx5f0a1b2c3d4e5f60", "1609876543", "0", "",
            f"42000021{i:020d}", f"YQ{i:010d}", "oAbC", "JSAPI", state, "OTHERS", "CNY",
            yuan(paid), "0.00", f"5030000{i:019d}" if refund else "0", "", yuan(refund), "0.00",
            "", "", "商品", "", f"{Decimal(fee) / 100000:.5f}", "0.60%", yuan(paid), yuan(refund),
            "",
        ]  # fmt: skip
        lines.append(",".join("`" + c for c in cells))
    paid = sum(p for p, _, _ in rows)
    refunds = sum(r for _, r, _ in rows)
    fees = sum(f for _, _, f in rows) + off
    lines.append(
        "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
    )
    lines.append(
        f"`{len(rows)},`{yuan(paid)},`{yuan(refunds)},`0.00,`{Decimal(fees) / 100000:.5f},"
        f"`{yuan(paid)},`{yuan(refunds)}"
    )
    return "\n".join(lines) + "\n"


WECHAT_ROW = st.one_of(
    st.tuples(CENTS, st.just(0), FEE), st.tuples(st.just(0), CENTS, FEE.map(lambda f: -f))
)


@SETTINGS
@given(st.lists(WECHAT_ROW, min_size=1, max_size=12))
def test_tradebill_imports_every_amount_and_its_five_decimal_totals(tmp_path: Path, rows) -> None:
    path = tmp_path / "tradebill.csv"
    path.write_text(tradebill(rows), "utf-8")
    money, statement = imported(path)
    fees = sum(
        int((Decimal(f) / 1000).quantize(Decimal(1), rounding="ROUND_HALF_UP")) for _, _, f in rows
    )
    assert money == sum(p for p, _, _ in rows) - sum(r for _, r, _ in rows) - fees
    assert statement.checked == ("应结订单总金额", "退款总金额", "手续费总金额")


@SETTINGS
@given(st.lists(WECHAT_ROW, min_size=1, max_size=12), DELTA)
def test_tradebill_whose_fee_total_is_off_by_a_hundred_thousandth_is_rejected(
    tmp_path: Path, rows, delta
) -> None:
    path = tmp_path / "tradebill.csv"
    path.write_text(tradebill(rows, off=delta), "utf-8")
    with pytest.raises(ImportRejected) as info:
        read_file(path, RULES)
    assert info.value.key == "totals_mismatch" and info.value.fields["name"] == "手续费总金额"


# --- an Amazon V1 settlement: amounts spread over columns, several per row, a summary total ----

V1_HEADER = "settlement-id	settlement-start-date	settlement-end-date	deposit-date	total-amount	currency	transaction-type	order-id	merchant-order-id	adjustment-id	shipment-id	marketplace-name	shipment-fee-type	shipment-fee-amount	order-fee-type	order-fee-amount	fulfillment-id	posted-date	order-item-code	merchant-order-item-id	merchant-adjustment-item-id	sku	quantity-purchased	price-type	price-amount	item-related-fee-type	item-related-fee-amount	misc-fee-amount	other-fee-amount	other-fee-reason-description	promotion-id	promotion-type	promotion-amount	direct-payment-type	direct-payment-amount	other-amount".split(  # noqa: E501
    "\t"
)
V1_AMOUNTS = {
    "price-amount": ("price-type", "Principal"),
    "item-related-fee-amount": ("item-related-fee-type", "Commission"),
    "shipment-fee-amount": ("shipment-fee-type", "FBAInboundTransportationFee"),
    "order-fee-amount": ("order-fee-type", "FBAPerOrderFulfillmentFee"),
    "promotion-amount": ("promotion-type", "Shipping"),
    "misc-fee-amount": (None, None),
    "other-fee-amount": ("other-fee-reason-description", "TaxAmount"),
    "direct-payment-amount": ("direct-payment-type", "Payable to Amazon"),
    "other-amount": (None, None),
}
SIGNED = st.integers(min_value=-2_000_000, max_value=2_000_000).filter(lambda c: c != 0)
V1_ROW = st.dictionaries(st.sampled_from(sorted(V1_AMOUNTS)), SIGNED, min_size=1, max_size=3)


def settlement_v1(rows: list[dict[str, int]], *, off: int = 0) -> str:
    total = sum(sum(r.values()) for r in rows) + off
    summary = {h: "" for h in V1_HEADER}
    summary.update({"settlement-id": "1", "deposit-date": "2025-11-15T22:07:18+00:00"})
    summary.update({"total-amount": yuan(total), "currency": "CAD"})
    lines = ["\t".join(V1_HEADER), "\t".join(summary[h] for h in V1_HEADER)]
    for i, amounts in enumerate(rows):
        row = {h: "" for h in V1_HEADER}
        row.update({"settlement-id": "1", "transaction-type": "Order", "order-id": f"702-{i:07d}"})
        row["posted-date"] = "2025-11-04T17:42:10+00:00"
        for column, cents in amounts.items():
            row[column] = yuan(cents) + " " * (i % 3)  # trailing spaces, as real files have
            kind, name = V1_AMOUNTS[column]
            if kind:
                row[kind] = name
        lines.append("\t".join(row[h] for h in V1_HEADER))
    return "\n".join(lines) + "\n"


@SETTINGS
@given(st.lists(V1_ROW, min_size=1, max_size=10))
def test_v1_settlement_imports_every_amount_cell_and_adds_up_to_its_total(tmp_path: Path, rows):
    path = tmp_path / "settlement.txt"
    path.write_text(settlement_v1(rows), "utf-8")
    statement = read_file(path, RULES)
    lines = statement.rows()
    summary = lines.filter(lines["fee_name"] == "settlement total (deposit)")
    body = lines.filter(lines["fee_name"] != "settlement total (deposit)")
    assert body.height == sum(len(r) for r in rows)  # one row per amount cell
    assert int(body["amount"].sum()) == sum(sum(r.values()) for r in rows)
    assert int(summary["amount"].sum()) == -sum(sum(r.values()) for r in rows)  # the payout
    assert statement.checked == ("total-amount",)


@SETTINGS
@given(st.lists(V1_ROW, min_size=1, max_size=10), DELTA)
def test_v1_settlement_whose_total_disagrees_is_rejected(tmp_path: Path, rows, delta) -> None:
    path = tmp_path / "settlement.txt"
    path.write_text(settlement_v1(rows, off=delta), "utf-8")
    with pytest.raises(ImportRejected) as info:
        read_file(path, RULES)
    assert info.value.key == "totals_mismatch"
    assert info.value.fields["difference"] == yuan(delta)
