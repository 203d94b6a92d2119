"""Fee names by their meaning (issue 16, item 5): each platform's fee names land in the category
their rule's comment explains. One small statement per platform, read by the shipped rules.
"""

from __future__ import annotations

import polars as pl
import pytest

from finance.golden import normalise_file
from finance.rulebook import load_rules

from .conftest import ROOT

RULES = load_rules(ROOT / "rules")
FEES = ROOT / "tests" / "fixtures_e2e" / "fee-names"
"""One small statement per platform (see README.md there), read by the shipped rules."""


def _categories(name: str) -> dict[str, str]:
    _, rows = normalise_file(FEES / name, RULES)
    return dict(rows.select("fee_name", "category").iter_rows())


@pytest.mark.parametrize(
    ("fee", "category"),
    [
        ("货款", "sales"),
        ("佣金", "commission"),
        ("交易服务费", "commission"),
        ("京东支付手续费", "payment_fee"),
        ("京券", "discount"),
        ("东券", "discount"),
        ("京豆", "promotion"),
        ("平台使用费", "other_fee"),
        ("仓储服务费", "other_fee"),
        ("京准通", "advertising"),
    ],
)
def test_jd_fee_names(fee: str, category: str) -> None:
    assert _categories("结算单明细.csv")[fee] == category


@pytest.mark.parametrize(
    ("fee", "category"),
    [
        ("在线支付", "sales"),  # income: a buyer's payment
        ("在线支付 / 千牛服务订购", "unclassified"),  # an outflow is not a sale
        ("服务费 / 品牌新享-首单拉新服务费扣款", "affiliate"),
        ("服务费 / 天猫积分扣款", "promotion"),
        ("转账 / 保证金充值", "deposit"),  # before the generic 充值 rule
        ("转账 / 直通车充值", "transfer"),
    ],
)
def test_tmall_fee_names(fee: str, category: str) -> None:
    assert _categories("账务明细.csv")[fee] == category


@pytest.mark.parametrize(
    ("fee", "category"),
    [
        ("交易收入 / 交易收入-订单收入", "sales"),
        ("扣款 / 扣款-违约金", "other_fee"),  # a fine
        ("扣款 / 扣款-售后赔付", "return_cost"),  # compensation to the buyer
        ("小额打款 / 小额打款-商家打款", "return_cost"),
        ("扣款 / 扣款-推广费充值", "transfer"),  # an ad top-up
    ],
)
def test_pinduoduo_fee_names(fee: str, category: str) -> None:
    assert _categories("拼多多账务明细.csv")[fee] == category


@pytest.mark.parametrize(
    ("fee", "category"),
    [
        ("售后退款 / 退款", "refund"),  # a refund after the order settled
        ("运费险扣款 / 运费险", "return_cost"),
        ("违规扣款 / 罚款", "other_fee"),
        ("小店随心推 / 消耗", "advertising"),
    ],
)
def test_douyin_fee_names(fee: str, category: str) -> None:
    assert _categories("动账明细.csv")[fee] == category


@pytest.mark.parametrize(
    ("fee", "category"),
    [
        ("Order / ItemPrice / Principal", "sales"),
        ("Order / Promotion / Principal", "discount"),
        ("Order / Promotion / Shipping", "discount"),
        ("Order / ItemFees / SalesTaxCollectionFee", "other_fee"),
        ("Order / ItemPrice / Tax", "tax"),
        ("ServiceFee / other-transaction / Storage Fee", "other_fee"),
        ("ServiceFee / other-transaction / CouponRedemptionFee", "promotion"),
    ],
)
def test_amazon_fee_names(fee: str, category: str) -> None:
    assert _categories("settlement-v2.txt")[fee] == category


def test_storage_is_one_category_everywhere() -> None:
    jd = _categories("结算单明细.csv")["仓储服务费"]
    amazon = _categories("settlement-v2.txt")["ServiceFee / other-transaction / Storage Fee"]
    assert jd == amazon == "other_fee"


def test_seller_funded_discounts_reduce_sales_not_costs() -> None:
    """A discount is contra-revenue: the P&L's sales are net of it, and no cost column holds it."""
    from finance.margin import pnl

    parts = pl.LazyFrame(
        {
            "platform": ["jd"] * 3,
            "shop": ["店"] * 3,
            "sku": ["A"] * 3,
            "category": ["sales", "discount", "promotion"],
            "amount": [10000, -500, -100],
        }
    )
    units = pl.LazyFrame(
        schema={
            "platform": pl.String,
            "shop": pl.String,
            "sku": pl.String,
            "units_sold": pl.Int64,
            "units_returned": pl.Int64,
            "returns_inferred": pl.Boolean,
            "cost_missing": pl.Boolean,
        }
    )
    row = pnl(parts, units).collect().row(0, named=True)
    assert (row["sales"], row["discount"], row["promotion"]) == (9500, 500, 100)
    assert row["true_margin"] == 9400 and row["margin_pct"] == "0.9895"
