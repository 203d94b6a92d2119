"""Each alert rule fires exactly when its threshold is crossed (hand-made frames, no store)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance.alerts import (
    ALERT_SCHEMA,
    EXCEPTION_SCHEMA,
    PNL_SCHEMA,
    RULES,
    STATEMENT_SCHEMA,
    AlertInputs,
    evaluate,
    load_alert_rules,
)
from finance.errors import RuleError
from finance.schema import PNL_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "rules" / "alerts.toml"
GOLDEN = Path(__file__).parent / "alerts"


def sku_row(sku: str = "A", **values: object) -> dict:
    row: dict = {"platform": "tmall", "shop": "测试店", "sku": sku, "margin_pct": None}
    row |= dict.fromkeys([*PNL_COLUMNS, "true_margin", "units_sold", "units_returned"], 0)
    row |= {"returns_inferred": False, "cost_missing": False}
    return row | values


def pnl(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=PNL_SCHEMA)


def rules(text: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "alerts.toml"
    path.write_text(text, encoding="utf-8")
    return load_alert_rules(path)


def fired(inputs: AlertInputs, text: str, tmp_path: Path, lang: str = "en") -> pl.DataFrame:
    return evaluate(inputs, rules(text, tmp_path), lang=lang)


# --- margin floor: 5 % of net sales 10000.00 is 500.00


@pytest.mark.parametrize(
    ("margin", "expected"),
    [(50_000, []), (49_999, ["margin_floor"]), (0, ["margin_floor"]), (-1, ["margin_floor"])],
)
def test_margin_floor_at_the_threshold(tmp_path: Path, margin: int, expected: list) -> None:
    inputs = AlertInputs("2026-10", pnl(sku_row(sales=1_000_000, true_margin=margin)))
    found = fired(inputs, "[margin_floor]\nmin_margin_pct = 5\n", tmp_path)
    assert found["rule"].to_list() == expected


def test_negative_margin_is_high_and_says_the_loss(tmp_path: Path) -> None:
    inputs = AlertInputs("2026-10", pnl(sku_row(sales=1000, refund=200, true_margin=-1234)))
    found = fired(inputs, "[margin_floor]\nmin_margin_pct = 5\n", tmp_path)
    assert found.select("severity", "figure", "threshold", "amount").row(0) == (
        "high",
        "-12.34",
        "0.00",
        1234,
    )
    assert found["message"][0] == (
        "SKU A (Tmall/测试店) lost money this month: true margin -12.34 CNY."
    )


def test_money_in_alerts_names_the_base_currency_not_yuan(tmp_path: Path) -> None:
    inputs = AlertInputs(
        "2026-10", pnl(sku_row(sales=1000, refund=200, true_margin=-1234)), currency="CAD"
    )
    rules = tmp_path / "alerts.toml"
    rules.write_text("[margin_floor]\nmin_margin_pct = 5\n", encoding="utf-8")
    zh = evaluate(inputs, load_alert_rules(rules), lang="zh-CN")["message"][0]
    assert zh == "商品 A（天猫/测试店）本月亏损：真实利润 -12.34 CAD。"
    assert "元" not in zh
    en = evaluate(inputs, load_alert_rules(rules), lang="en")["message"][0]
    assert en.endswith("true margin -12.34 CAD.")


@given(
    margin=st.integers(-(10**9), 10**9),
    net=st.integers(1, 10**9),
    pct=st.decimals(min_value=0, max_value=100, places=4),
)
def test_margin_floor_is_exact(margin: int, net: int, pct) -> None:  # type: ignore[no-untyped-def]
    from finance.alerts import AlertRule, AlertRules

    floor = int(pct.scaleb(4))
    rule = AlertRules({"margin_floor": AlertRule("margin_floor", values={"min_margin_pct": floor})})
    inputs = AlertInputs("2026-10", pnl(sku_row(sales=net, true_margin=margin)))
    found = evaluate(inputs, rule, lang="en")
    expected = margin < 0 or Fraction(margin, net) < Fraction(floor, 10**6)
    assert found.height == int(expected)


# --- margin drop: 10 points against the prior month


@pytest.mark.parametrize(("now", "expected"), [(2000, []), (1999, ["margin_drop"]), (3500, [])])
def test_margin_drop_more_than_points(tmp_path: Path, now: int, expected: list) -> None:
    prior = pnl(sku_row(sales=10_000, true_margin=3000))  # 30.00 %
    inputs = AlertInputs(
        "2026-10", pnl(sku_row(sales=10_000, true_margin=now)), prior=prior, prior_month="2026-09"
    )
    found = fired(inputs, "[margin_drop]\npoints = 10\n", tmp_path)
    assert found["rule"].to_list() == expected
    if expected:
        assert found["figure"][0] == "-10.01"
        assert "from 30.00% in 2026-09 to 19.99%" in found["message"][0]


def test_margin_drop_needs_both_months(tmp_path: Path) -> None:
    inputs = AlertInputs(
        "2026-10",
        pnl(sku_row("NEW", sales=10_000, true_margin=0)),
        prior=pnl(sku_row("OLD", sales=10_000, true_margin=5000)),
        prior_month="2026-09",
    )
    assert fired(inputs, "[margin_drop]\npoints = 10\n", tmp_path).height == 0


# --- advertising: 30 % of net sales, and break-even


@pytest.mark.parametrize(
    ("ads", "margin", "expected"),
    [
        (3000, 1000, []),  # exactly 30 %
        (3001, 1000, ["ad_share"]),
        (3001, -1, ["ad_break_even", "ad_share"]),  # ads 30.01 > margin before ads 30.00
        (2000, -1, ["ad_break_even"]),
        (2000, 0, []),  # ads equal the margin before ads: break-even, not beyond
    ],
)
def test_ad_share_and_break_even(tmp_path: Path, ads: int, margin: int, expected: list) -> None:
    inputs = AlertInputs("2026-10", pnl(sku_row(sales=10_000, advertising=ads, true_margin=margin)))
    text = "[ad_share]\nmax_pct = 30\nbreak_even = true\n"
    assert sorted(fired(inputs, text, tmp_path)["rule"].to_list()) == expected


def test_break_even_can_be_off(tmp_path: Path) -> None:
    inputs = AlertInputs("2026-10", pnl(sku_row(sales=10_000, advertising=2000, true_margin=-1)))
    text = "[ad_share]\nmax_pct = 30\nbreak_even = false\n"
    assert fired(inputs, text, tmp_path).height == 0


# --- return rate: 20 % of units, at least 5 sold


@pytest.mark.parametrize(
    ("sold", "returned", "expected"),
    [(10, 2, []), (10, 3, ["return_rate"]), (4, 4, []), (5, 2, ["return_rate"])],
)
def test_return_rate(tmp_path: Path, sold: int, returned: int, expected: list) -> None:
    inputs = AlertInputs(
        "2026-10", pnl(sku_row(sales=100, units_sold=sold, units_returned=returned))
    )
    text = "[return_rate]\nmax_pct = 20\nmin_units = 5\n"
    assert fired(inputs, text, tmp_path)["rule"].to_list() == expected


# --- missing unit cost, unclassified fees


def test_missing_cost_names_the_sku_not_the_unallocated_row(tmp_path: Path) -> None:
    inputs = AlertInputs(
        "2026-10",
        pnl(
            sku_row("A", sales=100, units_sold=3, cost_missing=True),
            sku_row("B", sales=100, units_sold=3),
            sku_row(None, other_fee=100),
        ),
    )
    found = fired(inputs, "[missing_cost]\n", tmp_path, lang="zh-CN")
    assert found["sku"].to_list() == ["A"]
    assert found["message"][0].startswith("商品 A（天猫/测试店）本月售出 3 件，但没有成本价")


@pytest.mark.parametrize(
    ("amounts", "floor", "expected"),
    [([], "0.00", 0), ([-500], "0.00", 1), ([-500, 200], "7.00", 1), ([-500, 199], "7.00", 0)],
)
def test_unclassified(tmp_path: Path, amounts: list, floor: str, expected: int) -> None:
    frame = pl.DataFrame(
        [{"platform": "tmall", "shop": "测试店", "rows": 1, "amount": a} for a in amounts],
        schema={"platform": pl.String, "shop": pl.String, "rows": pl.Int64, "amount": pl.Int64},
    )
    inputs = AlertInputs("2026-10", pnl(), unclassified=frame)
    found = fired(inputs, f'[unclassified]\nmin_amount = "{floor}"\n', tmp_path)
    assert found.height == expected


# --- reconciliation exceptions (the reconcile branch's frame, made by hand)


def exceptions(*rows: tuple) -> pl.DataFrame:
    names = list(EXCEPTION_SCHEMA)
    return pl.DataFrame([dict(zip(names, r, strict=True)) for r in rows], schema=EXCEPTION_SCHEMA)


def test_overcharge_from_reconciliation(tmp_path: Path) -> None:
    frame = exceptions(
        ("overcharge", "tmall", "测试店", "O1", "A", 150, None, "new", "commission 5% > 3%"),
        ("overcharge", "tmall", "测试店", "O2", "A", 50, None, "open", ""),
        ("overcharge", "tmall", "测试店", "O3", "B", 999, None, "resolved", ""),
        ("amount_difference", "tmall", "测试店", "O4", "B", 999, None, "new", ""),
    )
    inputs = AlertInputs("2026-10", pnl(), exceptions=frame)
    found = fired(inputs, '[overcharge]\nmin_amount = "1.99"\n', tmp_path)
    assert found.select("sku", "figure", "amount").rows() == [("A", "2.00", 200)]
    assert "2 fees above the contract, 2.00 CNY overcharged" in found["message"][0]
    assert fired(inputs, '[overcharge]\nmin_amount = "2.00"\n', tmp_path).height == 0


def test_unsettled_past_the_window(tmp_path: Path) -> None:
    frame = exceptions(
        ("missing_settlement", "tmall", "测试店", "O1", None, 1000, 16, "open", ""),
        ("timing", "tmall", "测试店", "O2", None, 500, 15, "new", ""),
        ("timing", "tmall", "测试店", "O3", None, 700, 40, "resolved", ""),
    )
    inputs = AlertInputs("2026-10", pnl(), exceptions=frame)
    found = fired(inputs, "[unsettled]\nmax_age_days = 15\n", tmp_path)
    assert found.select("figure", "threshold", "amount").rows() == [("10.00", "15", 1000)]
    assert "1 orders unsettled for more than 15 days (oldest 16 days)" in found["message"][0]


def test_no_reconciliation_means_no_reconciliation_alerts(tmp_path: Path) -> None:
    inputs = AlertInputs("2026-10", pnl(), exceptions=pl.DataFrame(schema=EXCEPTION_SCHEMA))
    text = '[overcharge]\nmin_amount = "0"\n[unsettled]\nmax_age_days = 0\n'
    assert fired(inputs, text, tmp_path).height == 0


# --- a statement the prior month had


def test_missing_statement(tmp_path: Path) -> None:
    seen = pl.DataFrame(
        [
            ("2026-09", "tmall", "测试店", "alipay-ledger"),
            ("2026-09", "tmall", "测试店", "wanxiangtai-report"),
            ("2026-10", "tmall", "测试店", "alipay-ledger"),
            ("2026-10", "jd", "京东店", "jd-ledger"),
        ],
        schema=STATEMENT_SCHEMA,
        orient="row",
    )
    inputs = AlertInputs("2026-10", pnl(), statements=seen, prior_month="2026-09")
    found = fired(inputs, "[missing_statement]\n", tmp_path)
    assert found.select("platform", "figure", "threshold").rows() == [
        ("tmall", "wanxiangtai-report", "2026-09")
    ]


# --- all rules at once: the shipped thresholds, golden in both languages


def everything() -> AlertInputs:
    return AlertInputs(
        "2026-10",
        pnl(
            sku_row("LOSS", sales=100_000, advertising=40_000, true_margin=-5_000),
            sku_row("THIN", sales=100_000, true_margin=2_000, units_sold=10, units_returned=5),
            sku_row("FELL", sales=100_000, true_margin=20_000),
            sku_row("NOCOST", sales=30_000, true_margin=30_000, units_sold=2, cost_missing=True),
            sku_row("OK", sales=100_000, true_margin=40_000),
        ),
        prior=pnl(sku_row("FELL", sales=100_000, true_margin=35_000)),
        prior_month="2026-09",
        unclassified=pl.DataFrame(
            {"platform": ["tmall"], "shop": ["测试店"], "rows": [2], "amount": [-1234]}
        ),
        exceptions=exceptions(
            ("overcharge", "tmall", "测试店", "O1", "OK", 300, None, "new", ""),
            ("timing", "tmall", "测试店", "O9", None, 8800, 30, "open", ""),
        ),
        statements=pl.DataFrame(
            [("2026-09", "tmall", "测试店", "wanxiangtai-report")],
            schema=STATEMENT_SCHEMA,
            orient="row",
        ),
    )


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_rule_golden(lang: str) -> None:
    found = evaluate(everything(), load_alert_rules(SHIPPED), lang=lang)
    assert found.schema == pl.Schema(ALERT_SCHEMA)
    golden = GOLDEN / f"everything.{lang}.csv"
    text = found.write_csv()
    if not golden.exists():  # written once for review; a golden file is never overwritten
        golden.write_text(text, encoding="utf-8")
        pytest.fail(f"wrote {golden}: review it and run again")
    assert text == golden.read_text(encoding="utf-8")
    assert set(found["rule"]) == {
        "margin_floor", "margin_drop", "ad_share", "ad_break_even", "return_rate",
        "missing_cost", "unclassified", "overcharge", "unsettled", "missing_statement",
    }  # fmt: skip


# --- the rules file


@pytest.mark.parametrize("case", sorted(p.name for p in (GOLDEN / "errors").glob("*.toml")))
def test_rules_file_errors_golden(case: str) -> None:
    path = GOLDEN / "errors" / case
    with pytest.raises(RuleError) as info:
        load_alert_rules(path)
    rendered = "\n".join(info.value.render(lang) for lang in ("zh-CN", "en")) + "\n"
    rendered = rendered.replace(path.as_posix(), f"tests/alerts/errors/{case}")
    expected = path.with_name(case + ".expected.txt")
    assert rendered == expected.read_text(encoding="utf-8")


def test_legacy_finance_toml_floor_overrides(tmp_path: Path) -> None:
    loaded = load_alert_rules(SHIPPED, overrides={"min_margin_pct": "0.12"})
    assert loaded.rules["margin_floor"].values["min_margin_pct"] == 120_000
    assert load_alert_rules(SHIPPED).rules["margin_floor"].values["min_margin_pct"] == 50_000


def test_disabled_rule_is_silent(tmp_path: Path) -> None:
    inputs = AlertInputs("2026-10", pnl(sku_row(sales=100, true_margin=-1)))
    assert fired(
        inputs, "[margin_floor]\nenabled = false\nmin_margin_pct = 5\n", tmp_path
    ).is_empty()


# --- the docs


DOC = (ROOT / "docs" / "alerts.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name", sorted({*RULES, *(k for keys in RULES.values() for k in keys), "ad_break_even"})
)
def test_every_rule_and_threshold_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC


def test_shipped_file_sets_every_rule() -> None:
    assert set(load_alert_rules(SHIPPED).rules) == set(RULES)


def test_every_rule_has_a_name_in_both_languages() -> None:
    from finance.alerts import RULE_NAMES

    assert set(RULE_NAMES) == {*RULES, "ad_break_even"}
    assert all(set(names) == {"zh-CN", "en"} for names in RULE_NAMES.values())
