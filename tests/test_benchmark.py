"""The benchmark still works: the CI tier (10,000 orders) end to end, into a temporary folder.

Nothing here is timed. It checks the run completes and writes its results page, that every
generated statement row was stored, and that the month's money is conserved: what the ledger
holds equals what the allocation places plus what stays outside margin.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl

from finance import pipeline
from finance.workspace import open_workspace

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_ci_tier_runs_and_conserves_money(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    cmd = [sys.executable, str(RUN), "--tier", "ci", "--data", str(tmp_path / "data")]
    cmd += ["--ws", str(tmp_path / "ws"), "--results", str(results)]
    if shutil.which("hledger") is None:
        cmd.append("--no-peer")
    subprocess.run(cmd, check=True, capture_output=True, text=True)

    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results — ci tier")
    assert "Re-run: `python benchmarks/run.py --tier ci`" in text
    assert "| end to end ≤ 60 s |" in text and "| small new file ≤ 2 s |" in text

    manifest = json.loads((tmp_path / "data" / "manifest.json").read_text(encoding="utf-8"))
    ws = open_workspace(tmp_path / "ws")
    store = pipeline.open_store(ws)
    try:
        stored = sum(
            store.count(kind) for kind in ("ledger", "order_lines", "orders", "unit_costs")
        )
        small_file = 200  # the small courier bill the run drops in after the month
        # a 万相台 report repeats each day's spend for 3 conversion windows: kept once by rule
        repeated = sum(
            rows * 2 // 3
            for name, rows in manifest["rows"].items()
            if name.startswith("tmall") and name.endswith("/ads")
        )
        assert stored == manifest["total_rows"] - repeated + small_file  # nothing lost or doubled
        assert store.files()["rows_skipped"].sum() == 0
        result = pipeline.month_result(ws, store, manifest["month"])
    finally:
        store.close()
    ledger_in = result.entries["amount"].sum()
    placed = result.parts.filter(pl.col("category") != "cogs")["amount"].sum()
    outside = result.excluded["amount"].sum() if result.excluded.height else 0
    assert ledger_in != 0
    assert placed + outside == ledger_in
    assert (ws.reports(manifest["month"]) / "pnl.xlsx").is_file()
    assert (ws.reports(manifest["month"]) / "report.html").is_file()
