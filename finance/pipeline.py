"""The library behind the CLI: each command is one call here, testable without a terminal."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

import polars as pl

from finance.counted_once import Pair, load_pairs
from finance.errors import FinanceError
from finance.ingest import Outcome, ingest, ingest_path
from finance.margin import MonthResult, compute, month_books
from finance.resources import sample_statements
from finance.rulebook import load_rules
from finance.rulebook.allocation import load_allocation
from finance.store import Store
from finance.workspace import Workspace, init, open_workspace

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
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


def check_month(month: str) -> str:
    if not MONTH_RE.match(month):
        raise FinanceError("bad_month", value=month)
    return month


def open_store(ws: Workspace) -> Store:
    return Store(ws.database_url)


def month_result(
    ws: Workspace, store: Store, month: str, *, period: str = "posting"
) -> MonthResult:
    """Allocate a month: ``period`` "posting" (default) or "order" (the order payment month)."""

    def compute_month() -> MonthResult:
        rules = load_allocation(ws.rules / "allocation.toml")
        books = month_books(
            store,
            check_month(month),
            base_currency=ws.base_currency,
            rules=rules,
            period=period,
            pairs=counted_once_pairs(ws),
        )
        return compute(books)

    return once(("month", store.url, str(ws.root), month, period), compute_month)


def counted_once_pairs(ws: Workspace) -> tuple[Pair, ...]:
    """The workspace's report/statement pairs (``[[supersedes]]``), read once per pass."""
    return once(("pairs", str(ws.rules)), lambda: load_pairs(ws.rules))


_RESULTS: ContextVar[dict | None] = ContextVar("finance_month_results", default=None)

T = TypeVar("T")


def once(key: tuple, make: Callable[[], T]) -> T:
    """``make()``, computed once per ``key`` inside ``one_pass`` (every time outside it)."""
    memo = _RESULTS.get()
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


@contextmanager
def one_pass(store: Store) -> Iterator[None]:
    """Within: a month's result (and its reconciliation) is computed once and each table read
    once, however many report sections ask (one report run; nothing outlives the block, so
    nothing can go stale)."""
    token = _RESULTS.set({} if _RESULTS.get() is None else _RESULTS.get())
    try:
        with store.snapshot():
            yield
    finally:
        _RESULTS.reset(token)


def write_reports(
    ws: Workspace, store: Store, month: str, *, lang: str | None = None, period: str = "posting"
) -> list[Path]:
    """``reports/YYYY-MM/pnl.xlsx`` and ``report.html`` for the month (and any table too long
    for Excel beside them): against the prior month and over the trend when the store holds
    them, with every section other features contribute (``report.sections.collect``)."""

    with one_pass(store):
        return _write_reports(ws, store, month, lang=lang, period=period)


def _write_reports(
    ws: Workspace, store: Store, month: str, *, lang: str | None, period: str
) -> list[Path]:
    from finance.report import TREND_SCHEMA, figures, month_totals, write_html, write_workbook
    from finance.report.sections import collect

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


TREND_MONTHS = 12
"""How many months the margin trend covers (this month and the ones before it)."""


def prior_month(month: str) -> str:
    year, mon = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def report_history(
    ws: Workspace, store: Store, month: str, *, period: str = "posting"
) -> tuple[MonthResult | None, pl.DataFrame]:
    """The prior month's result (when the store holds it) and the trend rows of the months
    before ``month`` (at most ``TREND_MONTHS - 1``), oldest first."""
    from finance.report import TREND_SCHEMA, month_totals

    before = prior_month(month)
    prior, rows = None, []
    for m in [m for m in store.months() if m < month][-(TREND_MONTHS - 1) :]:
        result = month_result(ws, store, m, period=period)
        rows.append(month_totals(result))
        if m == before:
            prior = result
    return prior, pl.DataFrame(rows, schema=TREND_SCHEMA)


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
