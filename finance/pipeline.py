"""The library behind the CLI: each command is one call here, testable without a terminal."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from finance.errors import FinanceError
from finance.ingest import Outcome, ingest, ingest_path
from finance.margin import MonthResult, compute, month_books
from finance.resources import sample_statements
from finance.rulebook import load_rules
from finance.rulebook.allocation import load_allocation
from finance.store import Store
from finance.workspace import Workspace, init

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DEMO_SHOP = "云栖家居旗舰店"
DEMO_SHOPS: dict[str, str] = {"tmall": DEMO_SHOP}
"""The demo workspace's [shops]: the shop a sample belongs to when the file does not say."""
# --- JD, Pinduoduo, Douyin samples (sample_statements/<platform>/, issue #3 part A)
DEMO_SHOPS["jd"] = "云栖家居京东旗舰店"
DEMO_SHOPS["pdd"] = "云栖家居拼多多店"
DEMO_SHOPS["douyin"] = "云栖家居抖音小店"
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
    rules = load_allocation(ws.rules / "allocation.toml")
    books = month_books(
        store, check_month(month), base_currency=ws.base_currency, rules=rules, period=period
    )
    return compute(books)


def write_reports(
    ws: Workspace, store: Store, month: str, *, lang: str | None = None, period: str = "posting"
) -> list[Path]:
    """``reports/YYYY-MM/pnl.xlsx`` and ``report.html`` for the month."""
    from finance.report import write_html, write_workbook

    result = month_result(ws, store, month, period=period)
    folder = ws.reports(month)
    folder.mkdir(parents=True, exist_ok=True)
    lang = lang or ws.language
    templates = ws.root / "templates"
    return [
        write_workbook(result, folder / "pnl.xlsx", lang=lang),
        write_html(
            result,
            folder / "report.html",
            lang=lang,
            templates=templates if templates.is_dir() else None,
        ),
    ]


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
