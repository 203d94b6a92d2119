"""Rules files: the shipped ones load; broken ones fail with a golden message (file, line, fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from finance.errors import RuleError
from finance.resources import shipped
from finance.rulebook import load_rule, load_rules

ERRORS = Path(__file__).parent / "errors" / "rules"
CASES = sorted(ERRORS.glob("*.toml"))


def test_shipped_rules_load() -> None:
    names = {r.name for r in load_rules(shipped("rules"))}
    assert (
        names
        == {
            "alipay-ledger",
            "taobao-orders",
            "taobao-order-report",
            "taobao-order-details",
            "taobao-refunds",
            "wanxiangtai-report",
            # --- return sources of every platform (issue 16)
            "amazon-fba-customer-returns",
            "shopify-sales-returns",
            "jd-after-sales",
            "pdd-after-sales",
            "douyin-after-sales",
            "sku-costs",
            "campaign-skus",
            "courier-bill-sto",
            "courier-bill-zto",
            "courier-bill-depot",
            "bank-statement-cmb",
            "bank-statement-generic",
            # --- JD, Pinduoduo, Douyin (issue #3 part A)
            "jd-settlement",
            "jd-orders",
            "jd-ads",
            "pdd-ledger",
            "pdd-orders",
            "pdd-ads",
            "douyin-orders",
            "douyin-settlement",
            "douyin-funds",
            "qianchuan",
            # --- courier bills belong to the seller (issue #15)
            "shipping-list",
        }
        | CROSS_BORDER
    )


CROSS_BORDER = {
    "wechatpay-tradebill",
    "amazon-settlement-v1",
    "amazon-settlement-v2",
    "amazon-sp-advertised-product",
    "shopify-payment-transactions",
    "shopify-orders",
    "fx-rates",
}


def test_every_shipped_rule_opens_with_a_sample_header() -> None:
    for path in sorted((shipped("rules") / "formats").glob("*.toml")):
        head = path.read_text(encoding="utf-8").splitlines()[:12]
        assert head[0].startswith("# "), path.name
        assert sum(1 for line in head if "," in line and line.startswith("#")) >= 1, path.name


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_rule_message(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)
    with pytest.raises(RuleError) as info:
        load_rule(Path(case.name))
    expected = case.with_name(case.name + ".expected.txt")
    actual = info.value.render("en") + "\n" + info.value.render("zh-CN") + "\n"
    if not expected.exists():  # first run writes the golden file for review
        expected.write_text(actual, encoding="utf-8")
        pytest.fail(f"wrote {expected.name}; review it and run again")
    assert actual == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "message", "chinese"),
    [
        (
            '[basis]\nlogistics = "volume"\n',
            "Rules file allocation.toml line 2: unknown basis 'volume'. Fix: use one of: revenue, "
            "quantity, weight, order_count",
            "规则文件 allocation.toml 第 2 行：没有“volume”这种 basis。修改方法：改用以下之一："
            "revenue, quantity, weight, order_count",
        ),
        (
            '[basis]\nshipping = "weight"\n',
            "Rules file allocation.toml line 2: unknown category 'shipping'. Fix: use one of: "
            "sales, discount, refund, platform_subsidy, commission, payment_fee, advertising, "
            "affiliate, promotion, logistics, return_cost, cogs, other_fee, unclassified",
            "规则文件 allocation.toml 第 2 行：没有“shipping”这种 category。"
            "修改方法：改用以下之一："
            "sales, discount, refund, platform_subsidy, commission, payment_fee, advertising, "
            "affiliate, promotion, logistics, return_cost, cogs, other_fee, unclassified",
        ),
        (
            '[[fixed]]\nname = "包装"\ncategory = "logistics"\nper = "box"\namount = "1.2"\n',
            'Rules file allocation.toml line 4: per = \'box\'. Fix: use "parcel" or "unit"',
            '规则文件 allocation.toml 第 4 行：per = “box” 无效。修改方法：改用 "parcel" 或 "unit"',
        ),
        (
            '[[fixed]]\nname = "包装"\ncategory = "logistics"\nper = "parcel"\namount = "1.234"\n',
            "Rules file allocation.toml line 5: amount '1.234' must be positive with at most two "
            'decimals. Fix: e.g. amount = "1.20"',
            "规则文件 allocation.toml 第 5 行：amount“1.234”必须是非负数，且最多两位小数。"
            '修改方法：例如 amount = "1.20"',
        ),
        (
            '[[monthly]]\nname = "租金"\ncategory = "sales"\namount = "10"\nplatform = "tmall"\n'
            'shop = "店"\n',
            "Rules file allocation.toml line 3: category 'sales' of '租金' is not a cost. Fix: use "
            "one of: cogs, commission, payment_fee, advertising, affiliate, promotion, logistics, "
            "return_cost, other_fee",
            "规则文件 allocation.toml 第 3 行：“租金”的分类“sales”不是成本类。"
            "修改方法：改用以下之一："
            "cogs, commission, payment_fee, advertising, affiliate, promotion, logistics, "
            "return_cost, other_fee",
        ),
    ],
)
def test_broken_allocation_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str, chinese: str
) -> None:
    from finance.rulebook.allocation import load_allocation

    monkeypatch.chdir(tmp_path)
    Path("allocation.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_allocation(Path("allocation.toml"))
    assert info.value.render("en") == message
    assert info.value.render("zh-CN") == chinese


def test_shipped_allocation_rules_load() -> None:
    from finance.rulebook.allocation import load_allocation

    rules = load_allocation(shipped("rules") / "allocation.toml")
    assert rules.chain("logistics") == ["weight", "quantity", "revenue"]
    assert rules.chain("commission") == ["revenue"]


def test_error_in_a_later_classify_entry_names_its_own_line(tmp_path: Path) -> None:
    shipped_text = (shipped("rules") / "formats" / "alipay-ledger.toml").read_text("utf-8")
    broken = shipped_text + '\n[[classify]]\ncategory = "other_fees"\nwhen = { "备注" = "年费" }\n'
    path = tmp_path / "alipay-ledger.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rule(path)
    line = len(shipped_text.splitlines()) + 3  # the blank line, [[classify]], then category
    assert f"line {line}: unknown category 'other_fees' in [[classify]] #12" in str(info.value)


def test_a_toml_syntax_error_names_its_line_in_every_rules_file(tmp_path: Path) -> None:
    """Formats, allocation.toml and contracts.toml read TOML the same way (rulebook.toml)."""
    from finance.reconcile.contracts import load_contracts
    from finance.rulebook.allocation import load_allocation

    text = '# a comment\n[basis]\nlogistics = "weight"\n\n[fixed\n'
    for name, load in (
        ("allocation.toml", load_allocation),
        ("contracts.toml", load_contracts),
        ("format.toml", load_rule),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(RuleError) as info:
            load(path)
        assert info.value.key == "rule_toml" and info.value.fields["line"] == 5, name
        assert "line 5 is not valid TOML" in info.value.render("en")
