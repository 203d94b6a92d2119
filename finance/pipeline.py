"""The library behind the CLI: each command is one call here, testable without a terminal."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from finance.errors import FinanceError
from finance.ingest import Outcome, ingest, ingest_path
from finance.month import (  # noqa: F401 (month_result, check_month: the library's entry points)
    MONTH_RE,
    TREND_SCHEMA,
    check_month,
    month_result,
    month_totals,
    once,
    one_pass,
    prior_month,
    report_history,
)
from finance.resources import sample_statements
from finance.rulebook import load_rules
from finance.section import Section
from finance.store import Store
from finance.workspace import Workspace, init, open_workspace

DEMO_SHOP = "云栖家居旗舰店"
DEMO_SHOPS: dict[str, str] = {
    "tmall": DEMO_SHOP,
    "amazon": "YunqiHome Amazon US",
    "shopify": "YunqiHome Shopify",
    "wechat": "云栖家居微信小店",
    "jd": "云栖家居京东旗舰店",
    "pdd": "云栖家居拼多多店",
    "douyin": "云栖家居抖音小店",
}
"""The demo workspace's [shops]: the shop a sample belongs to when the file does not say."""
DEMO_SHOP_FOLDERS: dict[str, str] = {"tmall-outlet": "云栖家居奥莱店"}
"""The demo's [[shop_by_path]]: samples in these subfolders belong to these shops."""
SAMPLE_SUFFIXES = {".csv", ".xlsx", ".xls", ".txt"}


Provider = Callable[[Workspace, Store, str], list[Section]]
"""A feature's hook: (workspace, store, month) -> its sections for that month."""


def providers() -> list[Provider]:
    """The features that add sections, in the order their sheets appear.

    Each feature adds one line here (an explicit list, not import-time registration).
    """
    from finance.alerts import section as alerts_section
    from finance.reconcile.section import provide as reconciliation
    from finance.report import adjustments, basis, cross_border

    return [
        alerts_section,
        reconciliation,
        basis.provide,  # what the figures rest on; refunds whose COGS was not reversed
        cross_border.unclassified,  # fee names no rule maps, with totals
        cross_border.currencies,  # amounts posted in other currencies, converted
        adjustments.section,  # rows dated in a closed month, booked in this one
    ]


def collect(ws: Workspace, store: Store, month: str) -> list[Section]:
    """Every contributed section for the month, in provider order."""
    out: list[Section] = []
    for provider in providers():
        out.extend(provider(ws, store, month))
    return out


def open_store(ws: Workspace) -> Store:
    return Store(ws.database_url)


def write_reports(
    ws: Workspace, store: Store, month: str, *, lang: str | None = None, period: str = "posting"
) -> list[Path]:
    """``reports/YYYY-MM/pnl.xlsx`` and ``report.html`` for the month (and any table too long
    for Excel beside them): against the prior month and over the trend when the store holds
    them, with every section other features contribute (``collect``)."""

    with one_pass(store):
        return _write_reports(ws, store, month, lang=lang, period=period)


def _write_reports(
    ws: Workspace, store: Store, month: str, *, lang: str | None, period: str
) -> list[Path]:
    from finance.report import figures, write_html, write_workbook

    result = month_result(ws, store, month, period=period)
    prior, trend = report_history(ws, store, month, period=period)
    trend = pl.concat([trend, pl.DataFrame([month_totals(result)], schema=TREND_SCHEMA)])
    figs = figures(result, prior=prior, trend=trend)
    sections = collect(ws, store, month)
    folder = ws.reports(month)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("pnl-*.csv"):  # detail spilled by an earlier run
        old.unlink()
    lang = lang or ws.language
    templates = ws.root / "templates"
    # The two files are written side by side: the workbook's rows are rendered by polars and
    # deflated by zlib, both outside Python's lock, while the page's template runs in Python.
    with ThreadPoolExecutor(max_workers=1) as pool:
        workbook = pool.submit(
            write_workbook, figs, folder / "pnl.xlsx", lang=lang, sections=sections
        )
        page = write_html(
            figs,
            folder / "report.html",
            lang=lang,
            templates=templates if templates.is_dir() else None,
            sections=sections,
        )
        paths = [workbook.result(), page]
    return [*paths, *sorted(folder.glob("pnl-*.csv"))]


def import_costs(ws: Workspace, store: Store, file: Path) -> Outcome:
    """Copy a unit-cost table into costs/ and import it with the sku-costs rules."""
    if not file.is_file():
        raise FinanceError("no_such_file", file=file.as_posix())
    rules = [r for r in load_rules(ws.rules) if r.kind == "unit_costs"]
    ws.costs.mkdir(exist_ok=True)
    staged = Path(tempfile.mkdtemp()) / file.name
    shutil.copyfile(file, staged)
    outcome = ingest_path(staged, ws=ws, store=store, rules=rules)
    if outcome.moved_to is not None and outcome.status == "imported":
        dest = ws.costs / file.name
        if not dest.exists():
            shutil.move(str(outcome.moved_to), dest)
    return outcome


def demo(
    target: Path | None = None, *, on_file: Callable[[Path], None] | None = None
) -> tuple[Workspace, list[Outcome], list[Path]]:
    """The whole pipeline on ``sample_statements/`` in a fresh workspace (temporary by default)."""
    samples = sample_statements()
    if samples is None:
        raise FileNotFoundError("sample_statements/ is not available in this installation")
    root = Path(target) if target else Path(tempfile.mkdtemp(prefix="finance-demo-"))
    ws, _ = init(root, shop=DEMO_SHOP, shops=DEMO_SHOPS)
    ws = add_shop_folders(ws, DEMO_SHOP_FOLDERS)
    for src in sorted(samples.rglob("*")):
        if src.is_file() and src.suffix.lower() in SAMPLE_SUFFIXES:
            dest = ws.inbox / src.relative_to(samples)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
    store = open_store(ws)
    try:
        outcomes = ingest(ws, store, on_file=on_file)
        paths: list[Path] = []
        for month in store.months():
            paths += write_reports(ws, store, month)
    finally:
        store.close()
    return ws, outcomes, paths


def add_shop_folders(ws: Workspace, folders: dict[str, str]) -> Workspace:
    """Append ``[[shop_by_path]]`` entries (folder under inbox/ -> shop) to finance.toml."""
    if not folders:
        return ws
    toml = ws.root / "finance.toml"
    entries = "".join(
        f"\n[[shop_by_path]]\npattern = '(^|/){re.escape(folder)}/'\nshop = \"{shop}\"\n"
        for folder, shop in folders.items()
    )
    toml.write_text(toml.read_text(encoding="utf-8") + entries, encoding="utf-8")
    return open_workspace(ws.root)
