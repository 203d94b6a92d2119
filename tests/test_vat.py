"""VAT (``[tax]`` in finance.toml): output VAT inside sales − refund, input VAT inside costs,
true margin ex VAT; the export's three extra columns; the config checked with its line.

Truth months: the hand-computed month (``fixtures_e2e/handcheck``, README "The same month under
VAT") as a general taxpayer, with a SKU's own rate and a platform override, and as a
small-scale taxpayer; the demo's multi-platform month as a general taxpayer with Amazon (and
Shopify) zero-rated.
"""

from __future__ import annotations

import csv
import io
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from finance import pipeline
from finance.errors import FinanceError
from finance.export import EXPORT_COLUMNS, margins_csv
from finance.ingest import ingest
from finance.report import figures
from finance.settings import SettingsText
from finance.tax import TaxSettings, load_tax
from finance.uncosted import load_shop_cost_rates
from finance.vat import VAT_COLUMNS, VAT_LINES, add_vat, by_shop, ex_vat_lines, vat_inside
from finance.workspace import Workspace, open_workspace

from .conftest import HANDCHECK, ROOT, drop

INPUTS = ["ledger.csv", "orders.csv", "refunds.csv", "wanxiangtai.csv", "costs.csv"]
ERRORS = ROOT / "tests" / "errors" / "settings"
GENERAL = """
[tax]
regime = "general"
rate = "0.13"

[tax.input]
commission = "0.06"
advertising = "0.06"
"""


def _reference(gross: int, rate: int) -> int:
    """gross × rate ÷ (1 + rate) in Decimal, rounded half up (away from zero) to the cent."""
    exact = Decimal(gross) * Decimal(rate) / (Decimal(10_000) + Decimal(rate))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _with_settings(ws: Workspace, text: str) -> Workspace:
    toml = ws.root / "finance.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + text, encoding="utf-8")
    return open_workspace(ws.root)


def _month(ws: Workspace, store, costs: Path | None = None):  # type: ignore[no-untyped-def]
    files = [HANDCHECK / n for n in INPUTS if costs is None or n != "costs.csv"]
    drop(ws, *files, *([costs] if costs else []))
    assert {o.status for o in ingest(ws, store)} == {"imported"}
    return pipeline.month_result(ws, store, "2026-10")


def _rows(text: str) -> dict[str, dict[str, str]]:
    return {r["sku"]: r for r in csv.DictReader(io.StringIO(text))}


# --- the arithmetic


def test_an_exact_half_cent_rounds_away_from_zero() -> None:
    """3.13 at 0.16 %: 313 × 16 ÷ 10016 = 0.5 cent exactly -> 1 cent (and -1 for a refund)."""
    frame = pl.DataFrame({"gross": [313, -313, 0], "rate": [16, 16, 1300]})
    got = frame.select(vat=vat_inside(pl.col("gross"), pl.col("rate")))["vat"].to_list()
    assert got == [1, -1, 0]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-(10**13), 10**13), st.integers(0, 9_999)), min_size=1, max_size=40
    )
)
def test_net_plus_vat_is_the_gross_for_any_gross_and_rate(rows: list[tuple[int, int]]) -> None:
    """Over a whole column at once (the bulk path): the VAT is the exact Decimal figure rounded
    half up, and revenue ex VAT + VAT = gross, to the cent, on every row."""
    frame = pl.DataFrame(rows, schema={"gross": pl.Int64, "rate": pl.Int64}, orient="row")
    out = frame.with_columns(vat=vat_inside(pl.col("gross"), pl.col("rate"))).with_columns(
        net=pl.col("gross") - pl.col("vat")
    )
    for gross, rate, vat, net in out.iter_rows():
        assert vat == _reference(gross, rate)
        assert net + vat == gross
        assert abs(vat) <= abs(gross)


PNL_ROW = st.fixed_dictionaries(
    {
        "platform": st.sampled_from(["tmall", "jd", "amazon"]),
        "shop": st.sampled_from(["甲店", "乙店"]),
        "sku": st.one_of(st.none(), st.sampled_from(["A", "B", "C", "D"])),
        "sales": st.integers(0, 10**9),
        "refund": st.integers(0, 10**8),
        "platform_subsidy": st.integers(0, 10**6),
        **{
            c: st.integers(-(10**6), 10**8)
            for c in (
                "cogs",
                "commission",
                "payment_fee",
                "advertising",
                "affiliate",
                "promotion",
                "logistics",
                "return_cost",
                "other_fee",
            )
        },
        "unclassified": st.integers(-(10**6), 10**6),
    }
)


def _pnl(rows: list[dict]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema_overrides={"sku": pl.String}).unique(
        ["platform", "shop", "sku"], keep="first"
    )
    costs = [
        "cogs",
        "commission",
        "payment_fee",
        "advertising",
        "affiliate",
        "promotion",
        "logistics",
        "return_cost",
        "other_fee",
    ]
    return frame.with_columns(
        true_margin=pl.col("sales")
        - pl.col("refund")
        + pl.col("platform_subsidy")
        - pl.sum_horizontal(*costs)
        + pl.col("unclassified")
    )


@settings(max_examples=80, deadline=None)
@given(
    st.lists(PNL_ROW, min_size=1, max_size=25),
    st.integers(0, 9_999),
    st.dictionaries(st.sampled_from(["commission", "advertising", "cogs"]), st.integers(0, 2000)),
)
def test_sku_rows_add_up_to_the_shop_totals(rows: list[dict], rate: int, inputs: dict) -> None:
    """Per shop, the ex-VAT P&L is the sum of its rows; each row's lines close: revenue ex VAT
    + output VAT = sales − refund, and the contribution margin = true margin − output + input."""
    pnl = add_vat(
        _pnl(rows),
        TaxSettings(regime="general", rate=rate, platforms={"amazon": 0}, input=inputs),
        pl.DataFrame(schema={"sku": pl.String, "effective_from": pl.Date, "vat_rate": pl.Int64}),
        "2026-10",
    )
    lines = ex_vat_lines(pnl)
    shops = by_shop(pnl)
    summed = lines.group_by("platform", "shop").agg(pl.col(c).sum() for c in VAT_LINES)
    assert shops.sort("platform", "shop").equals(summed.sort("platform", "shop"))
    check = pnl.join(lines, on=["platform", "shop", "sku"], nulls_equal=True, suffix="_x")
    assert (check["revenue_ex_vat"] + check["output_vat"] == check["sales"] - check["refund"]).all()
    assert (
        check["gross_profit"]
        + check["platform_subsidy"]
        - check["expenses_ex_vat"]
        + check["unclassified"]
        == check["true_margin"] - check["output_vat"] + check["input_vat"]
    ).all()
    assert (pnl.filter(pl.col("platform") == "amazon")["output_vat"] == 0).all()


# --- regime none: today's export, byte for byte


@pytest.mark.parametrize(
    "text",
    [
        "",
        '\n[tax]\nregime = "none"\n',
        '\n[tax]\nregime = "none"\nrate = "0.13"\n\n[tax.platforms]\namazon = "0"\n',
    ],
    ids=["no-tax-table", "regime-none", "regime-none-with-rates"],
)
def test_regime_none_is_exactly_todays_export(ws, store, text: str) -> None:  # type: ignore[no-untyped-def]
    result = _month(_with_settings(ws, text), store)
    expected = (HANDCHECK / "expected-margins.csv").read_text(encoding="utf-8")
    assert margins_csv(result) == expected
    assert not set(VAT_COLUMNS) & set(result.pnl.columns)


# --- truth months


def test_handcheck_month_as_a_general_taxpayer(ws, store) -> None:  # type: ignore[no-untyped-def]
    result = _month(_with_settings(ws, GENERAL), store)
    text = margins_csv(result)
    assert text == (HANDCHECK / "expected-margins-vat.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert header == [*EXPORT_COLUMNS, *VAT_COLUMNS]  # the stable columns keep their order


def test_handcheck_month_with_a_sku_rate_and_a_platform_rate(ws, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """SKU-B at its own 9 % (税率 in the cost table): 4.13 of output VAT; a platform's rate wins
    over the SKU's."""
    costs = tmp_path / "costs.csv"
    text = (HANDCHECK / "costs.csv").read_bytes().decode("gbk")
    lines = text.splitlines()
    taxed = [lines[0] + ",税率", *(f"{line}," for line in lines[1:-1]), lines[-1] + ",9%"]
    costs.write_bytes(("\r\n".join(taxed) + "\r\n").encode("gbk"))
    ws = _with_settings(ws, GENERAL)
    rows = _rows(margins_csv(_month(ws, store, costs)))
    assert (rows["SKU-A"]["output_vat"], rows["SKU-B"]["output_vat"]) == ("11.50", "4.13")
    assert rows["SKU-B"]["true_margin_ex_vat"] == "22.27"
    zero = _with_settings(ws, '\n[tax.platforms]\ntmall = "0"\n')
    rows = _rows(margins_csv(pipeline.month_result(zero, store, "2026-10")))
    assert {r["output_vat"] for r in rows.values()} == {"0.00"}
    assert rows["SKU-B"]["true_margin_ex_vat"] == "26.40"  # 25.86 + 0.54 of input VAT


def test_handcheck_month_as_a_small_scale_taxpayer(ws, store) -> None:  # type: ignore[no-untyped-def]
    ws = _with_settings(ws, '\n[tax]\nregime = "small_scale"\nrate = "0.03"\n')
    rows = _rows(margins_csv(_month(ws, store)))
    got = {
        sku: (r["output_vat"], r["input_vat"], r["true_margin_ex_vat"]) for sku, r in rows.items()
    }
    assert got == {
        "SKU-A": ("2.91", "0.00", "13.73"),
        "SKU-B": ("1.46", "0.00", "24.40"),
        "SKU-C": ("0.87", "0.00", "11.13"),
        "": ("0.58", "0.00", "13.42"),
    }


@pytest.fixture(scope="module")
def demo_vat(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    mp = pytest.MonkeyPatch()
    mp.delenv("FINANCE_DATABASE_URL", raising=False)
    ws, _outcomes, _paths = pipeline.demo(tmp_path_factory.mktemp("demo") / "ws")
    ws = _with_settings(ws, GENERAL + '\n[tax.platforms]\namazon = "0"\nshopify = "0"\n')
    store = pipeline.open_store(ws)
    try:
        yield ws, pipeline.month_result(ws, store, "2026-10")
    finally:
        store.close()
        mp.undo()


def test_demo_month_as_a_general_taxpayer_with_amazon_zero_rated(demo_vat) -> None:  # type: ignore[no-untyped-def]
    """By hand: JD YQ-BLK-FLN-BE 3657.00 − 81.92 = 3575.08 × 13/113 = 411.292 -> 411.29;
    Pinduoduo YQ-BOX-FOLD-GR 754.00 − 112.70 = 641.30 -> 73.779 -> 73.78; the WeChat shop's
    unallocated 4123.00 − 538.00 = 3585.00 -> 412.434 -> 412.43; Amazon and Shopify: 0.00."""
    _ws, result = demo_vat
    pnl = result.pnl

    def vat(platform: str, sku: str | None) -> int:
        row = pnl.filter(pl.col("platform") == platform, pl.col("sku").eq_missing(sku))
        return int(row["output_vat"].sum())

    assert vat("jd", "YQ-BLK-FLN-BE") == 41129
    assert vat("pdd", "YQ-BOX-FOLD-GR") == 7378
    assert vat("wechat", None) == 41243
    zero = pnl.filter(pl.col("platform").is_in(["amazon", "shopify"]))
    assert zero.height and (zero["output_vat"] == 0).all()
    assert (zero["input_vat"] > 0).any()  # fees there still carry [tax.input] as configured
    # every row: the Decimal figure, and the export's columns add up
    for row in pnl.iter_rows(named=True):
        assert row["output_vat"] == _reference(row["sales"] - row["refund"], row["vat_rate"])
        assert row["true_margin_ex_vat"] == (
            row["true_margin"] - row["output_vat"] + row["input_vat"]
        )


def test_the_reports_show_the_same_ex_vat_totals_as_the_export(demo_vat, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The shop totals the reports show are the sums of the export's rows; the workbook has the
    ex-VAT sheet with the basis, and the page its section, in both languages."""
    from openpyxl import load_workbook

    from finance.report import write_html, write_workbook

    _ws, result = demo_vat
    figs = figures(result, drill=0)
    assert figs.vat is not None
    export = pl.read_csv(io.StringIO(margins_csv(result)), infer_schema=False)
    for (platform, shop), i in ((s, k) for k, s in enumerate(figs.shops)):
        rows = export.filter(pl.col("platform") == platform, pl.col("shop") == shop)
        cents = sum(int(Decimal(v) * 100) for v in rows["output_vat"])
        assert figs.vat.lines["output_vat"][i] == cents
        margin = sum(int(Decimal(v) * 100) for v in rows["true_margin_ex_vat"])
        assert figs.vat.lines["contribution_ex_vat"][i] == margin
    assert figs.vat.lines["output_vat"][-1] == sum(figs.vat.lines["output_vat"][:-1])
    for lang, sheet, words in (
        (
            "zh-CN",
            "不含税损益",
            ["主营业务收入（不含税）", "毛利", "贡献毛利（不含税）", "一般纳税人"],
        ),
        ("en", "P&L ex VAT", ["Gross profit (毛利)", "Contribution margin ex VAT (贡献毛利)"]),
    ):
        book = load_workbook(write_workbook(figs, tmp_path / lang / "pnl.xlsx", lang=lang))
        assert book.sheetnames[1] == sheet
        cells = {c.value for row in book[sheet].iter_rows() for c in row if c.value}
        assert all(w in cells or any(w in str(c) for c in cells) for w in words)
        page = write_html(figs, tmp_path / lang / "report.html", lang=lang).read_text("utf-8")
        assert 'id="section-vat"' in page and all(w in page for w in words)


def test_the_export_without_vat_columns_when_there_is_no_regime(demo_vat) -> None:  # type: ignore[no-untyped-def]
    _ws, result = demo_vat
    header = margins_csv(result).splitlines()[0].split(",")
    assert header[: len(EXPORT_COLUMNS)] == EXPORT_COLUMNS
    assert header[-3:] == list(VAT_COLUMNS)


# --- the settings, checked


@pytest.mark.parametrize("case", sorted(p.name for p in ERRORS.glob("*.toml")))
def test_settings_errors_golden(case: str) -> None:
    """A bad [tax] or [costs.shops] names finance.toml, the line to change, what is wrong and
    the fix, in Chinese then English."""
    text = (ERRORS / case).read_text(encoding="utf-8")
    found = SettingsText(text, tomllib.loads(text))
    with pytest.raises(FinanceError) as caught:
        load_tax(found)
        load_shop_cost_rates(found)
    expected = (ERRORS / f"{case}.expected.txt").read_text(encoding="utf-8")
    assert caught.value.both() + "\n" == expected


def test_good_settings_are_read_exactly() -> None:
    text = GENERAL + (
        '\n[tax.platforms]\n"亚马逊" = "0"\n\n[tax.shops]\n"甲店" = "0.09"\n'
        '\n[tax.input.amazon]\ncommission = "0"\n'
        '\n[costs.shops]\n"云栖家居微信小店" = "0.45"\n"样品店" = "1"\n'
    )
    found = SettingsText(text, tomllib.loads(text))
    tax = load_tax(found)
    assert (tax.regime, tax.rate, tax.platforms, tax.shops) == (
        "general",
        1300,
        {"amazon": 0},
        {"甲店": 900},
    )
    assert tax.input_rate("commission", "amazon") == 0
    assert tax.input_rate("commission", "jd") == 600
    assert tax.input_rate("logistics", "jd") == 0
    assert load_shop_cost_rates(found) == {"云栖家居微信小店": 4500, "样品店": 10_000}
    assert load_tax(SettingsText("", {})) == TaxSettings()


def test_a_bad_setting_is_a_clean_cli_error(ws, store) -> None:  # type: ignore[no-untyped-def]
    from finance.cli import app

    drop(ws, *(HANDCHECK / n for n in INPUTS))
    ingest(ws, store)
    _with_settings(ws, '\n[tax]\nregime = "general"\nrate = "13"\n')
    out = CliRunner().invoke(app, ["export", "margins", "--month", "2026-10", "-w", str(ws.root)])
    assert out.exit_code == 1
    assert "Traceback" not in out.output
    assert "finance.toml" in out.output and '"0.13"' in out.output


def test_an_older_ledger_gains_the_vat_rate_column(db_url: str) -> None:
    """A database made before unit_cost.vat_rate existed: opening it adds the column, and the
    cost table reads (old rows without a rate)."""
    from sqlalchemy import create_engine

    from finance.store import Store

    Store(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE unit_cost DROP COLUMN vat_rate")
    engine.dispose()
    store = Store(db_url)
    try:
        frame = store.frame("unit_costs")
        assert "vat_rate" in frame.columns and frame.height == 0
    finally:
        store.close()


def test_the_accounting_basis_says_which_vat_basis(demo_vat, ws, store) -> None:  # type: ignore[no-untyped-def]
    """The report's Accounting basis section names the regime and rates, or says there is none."""
    from finance.report.basis import lines

    _ws, result = demo_vat
    zh = " ".join(lines(result, "zh-CN", "CNY"))
    assert "增值税口径：一般纳税人" in zh and "亚马逊 0%" in zh and "平台佣金/技术服务费 6%" in zh
    assert "general taxpayer (一般纳税人), output VAT at 13%" in " ".join(
        lines(result, "en", "CNY")
    )
    plain = _month(ws, store)
    assert "VAT included" in " ".join(lines(plain, "en", "CNY"))
