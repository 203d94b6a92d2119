#!/usr/bin/env python3
"""Benchmark a big seller's month against the physical floor and a peer (hledger), in one run.

    python benchmarks/run.py --tier target

Generates the tier's statements (``benchmarks/generate.py``; kept in ``--data``, reused when
there), then runs each stage in its own child process, timing it and taking the child's peak
memory (RSS, from ``wait4``):

- floor: read every file's bytes, transcode to UTF-8, ``polars.read_csv`` with no casting;
- ingest: ``finance ingest`` of the whole inbox into a fresh SQLite workspace (store writes too);
- allocate: the month's allocation and margin (``pipeline.month_result``);
- reports: ``pnl.xlsx`` + ``report.html`` (these compute the allocation themselves);
- report again: the reports re-run on the ingested month;
- small file: one small new courier bill dropped into the ingested month;
- peer: hledger on one Alipay ledger (UTF-8 copy, equivalent CSV rules) against finance on the
  same ledger, rows per second each.

End to end is ingest + reports. Prints the ratios to the floor and writes ``RESULTS.md`` (or
``--results``) with the command at its top.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

TARGETS = {"end_to_end_s": 60.0, "floor_ratio": 3.0, "rss_gb": 4.0, "rerun_s": 10.0, "small_s": 2.0}
STRESS_RSS_GB = 8.0


# --------------------------------------------------------------------------- stages (children)
def stage_floor(data: Path, ws: Path) -> dict:
    import polars as pl

    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    rows = size = 0
    for name, layout in manifest["layout"].items():
        raw = (data / name).read_bytes()
        size += len(raw)
        text = raw.decode(layout["encoding"])
        lines = text.split("\r\n")
        body = "\r\n".join(lines[layout["skip"] : len(lines) - 1 - layout["foot"]])
        frame = pl.read_csv(body.encode("utf-8"), infer_schema=False, quote_char='"')
        rows += frame.height
    return {"rows": rows, "bytes": size}


def _workspace(data: Path, ws: Path):  # type: ignore[no-untyped-def]
    from finance.pipeline import add_shop_folders
    from finance.workspace import init

    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    workspace, _ = init(ws, shop=manifest["shops"][0]["shop"])
    folders = {s["folder"]: s["shop"] for s in manifest["shops"]}
    return add_shop_folders(workspace, folders), manifest


def stage_ingest(data: Path, ws: Path) -> dict:
    from finance import pipeline
    from finance.ingest import ingest

    if ws.exists():
        shutil.rmtree(ws)
    workspace, _ = _workspace(data, ws)
    shutil.copytree(data / "inbox", workspace.inbox, dirs_exist_ok=True)
    t = time.perf_counter()
    store = pipeline.open_store(workspace)
    outcomes = ingest(workspace, store)
    store.close()
    bad = [o.message for o in outcomes if o.status != "imported"]
    if bad:
        raise SystemExit("\n".join(bad))
    return {
        "seconds": time.perf_counter() - t,
        "rows": sum(o.added for o in outcomes),
        "files": len(outcomes),
    }


def stage_allocate(data: Path, ws: Path) -> dict:
    from finance import pipeline
    from finance.workspace import open_workspace

    workspace = open_workspace(ws)
    t = time.perf_counter()
    store = pipeline.open_store(workspace)
    result = pipeline.month_result(workspace, store, generate.MONTH)
    store.close()
    return {"seconds": time.perf_counter() - t, "parts": result.parts.height}


def stage_reports(data: Path, ws: Path) -> dict:
    from finance import pipeline
    from finance.workspace import open_workspace

    workspace = open_workspace(ws)
    t = time.perf_counter()
    store = pipeline.open_store(workspace)
    paths = pipeline.write_reports(workspace, store, generate.MONTH)
    store.close()
    return {"seconds": time.perf_counter() - t, "files": [p.name for p in paths]}


def stage_small(data: Path, ws: Path) -> dict:
    import polars as pl

    from finance import pipeline
    from finance.ingest import ingest
    from finance.workspace import open_workspace

    workspace = open_workspace(ws)
    folder = workspace.inbox / "tmall-a"
    frame = pl.DataFrame({"i": pl.int_range(200, eager=True)}).select(
        寄件日期=pl.lit("2026/10/31"),
        运单号=pl.format("7739{}", pl.col("i").cast(pl.String).str.zfill(11)),
        寄件客户=pl.lit("压测仓"),
        省=pl.lit("浙江省"),
        结算重量=pl.lit("1.50"),
        运费=pl.lit("4.20"),
    )
    generate.write_csv(folder / "中通_补充账单_202610.csv", frame, head=["中通快递 补充对账单"])
    t = time.perf_counter()
    store = pipeline.open_store(workspace)
    outcomes = ingest(workspace, store)
    store.close()
    return {"seconds": time.perf_counter() - t, "rows": sum(o.added for o in outcomes)}


def _alipay_ledger(data: Path) -> Path:
    return next((data / "inbox" / "tmall-a").glob("*账务明细.csv"))


HLEDGER_RULES = """\
# The Alipay ledger (账务明细) for hledger: the same fields finance reads.
skip 5
fields entry_id, biz_id, order_id, title, date, party, income, expense, balance, channel, kind, memo
date-format %Y-%m-%d %H:%M:%S
currency CNY
code %entry_id
description %kind %memo
account1 assets:alipay
if %income [1-9]
 amount %income
 account2 income:%kind
if %expense [1-9]
 amount %expense
 account2 expenses:%kind
if ^#
 skip
"""


def stage_peer_hledger(data: Path, ws: Path) -> dict:
    src = _alipay_ledger(data)
    utf8 = ws / "alipay-utf8.csv"
    ws.mkdir(parents=True, exist_ok=True)
    rules = ws / "alipay.rules"
    rules.write_text(HLEDGER_RULES, encoding="utf-8")
    t = time.perf_counter()
    utf8.write_bytes(src.read_bytes().decode("gb18030").encode("utf-8"))
    out = subprocess.run(
        ["hledger", "-f", f"csv:{utf8}", "--rules-file", str(rules), "stats"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    seconds = time.perf_counter() - t
    txns = next(
        int(line.split(":")[1].split()[0])
        for line in out.splitlines()
        if line.split(":")[0].strip() == "Transactions"
    )
    return {"seconds": seconds, "rows": txns}


def stage_peer_finance(data: Path, ws: Path) -> dict:
    from finance import pipeline
    from finance.ingest import ingest_path
    from finance.rulebook import load_rules

    if ws.exists():
        shutil.rmtree(ws)
    workspace, _ = _workspace(data, ws)
    dest = workspace.inbox / "tmall-a" / _alipay_ledger(data).name
    dest.parent.mkdir(parents=True)
    shutil.copyfile(_alipay_ledger(data), dest)
    t = time.perf_counter()
    store = pipeline.open_store(workspace)
    outcome = ingest_path(dest, ws=workspace, store=store, rules=load_rules(workspace.rules))
    store.close()
    return {"seconds": time.perf_counter() - t, "rows": outcome.added}


STAGES = {
    "floor": stage_floor,
    "ingest": stage_ingest,
    "allocate": stage_allocate,
    "reports": stage_reports,
    "report again": stage_reports,
    "small file": stage_small,
    "hledger (Alipay ledger)": stage_peer_hledger,
    "finance (Alipay ledger)": stage_peer_finance,
}


FINANCE_STAGES = ("ingest", "allocate", "reports", "report again", "small file")


# --------------------------------------------------------------------------- parent
def run_stage(name: str, data: Path, ws: Path) -> dict:
    """Run one stage in a child process; its result plus wall time and peak RSS (MB)."""
    out = ws.parent / f".stage-{os.getpid()}.json"
    cmd = [sys.executable, __file__, "--child", name, "--data", str(data), "--ws", str(ws)]
    cmd += ["--out", str(out)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"stage {name!r} failed")
    result = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    # hledger runs as a grandchild: wait4 of the child does not see it, RUSAGE_CHILDREN does
    result.setdefault("seconds", wall)
    result["process_s"] = wall
    result["rss_mb"] = usage.ru_maxrss / 1024
    return result


def machine() -> str:
    import polars as pl

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        mem = 0
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, polars {pl.__version__}, "
        "SQLite"
    )


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def report(tier: str, manifest: dict, results: dict[str, dict], command: str) -> str:
    floor = results["floor"]["seconds"]
    e2e = results["ingest"]["seconds"] + results["reports"]["seconds"]
    # finance's own stages (the floor and hledger are yardsticks, not finance)
    peak = max(r["rss_mb"] for k, r in results.items() if k in FINANCE_STAGES)
    lines = [
        f"# Benchmark results — {tier} tier",
        "",
        f"Re-run: `{command}`",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; load average before the "
        f"run: {results['_load']['before']}, after: {load()}",
        f"- machine: {machine()}",
        f"- data: {manifest['orders']:,} orders, {manifest['skus']:,} SKUs, "
        f"{len(manifest['shops'])} shops on "
        f"{len({s['platform'] for s in manifest['shops']})} platforms, "
        f"{manifest['total_rows']:,} statement rows in {len(manifest['rows'])} files, "
        f"{manifest['bytes'] / 1e6:.0f} MB",
        "",
        "| stage | seconds | × floor | peak RSS (MB) | notes |",
        "|---|---:|---:|---:|---|",
    ]
    for name, r in results.items():
        if name.startswith("_"):
            continue
        note = ", ".join(
            f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}"
            for k, v in r.items()
            if k in ("rows", "files", "parts", "bytes")
        )
        lines.append(
            f"| {name} | {r['seconds']:.2f} | {r['seconds'] / floor:.1f} | "
            f"{r['rss_mb']:,.0f} | {note} |"
        )
    lines.append(
        f"| **end to end** (ingest + reports) | **{e2e:.2f}** | **{e2e / floor:.1f}** | "
        f"{peak:,.0f} | |"
    )
    hl, fi = results.get("hledger (Alipay ledger)"), results.get("finance (Alipay ledger)")
    rerun, small = results["report again"]["seconds"], results["small file"]["seconds"]
    checks = [
        ("end to end ≤ 60 s", e2e <= TARGETS["end_to_end_s"], f"{e2e:.1f} s"),
        ("end to end ≤ 3× floor", e2e / floor <= TARGETS["floor_ratio"], f"{e2e / floor:.1f}×"),
        (
            f"peak RSS ≤ {STRESS_RSS_GB if tier == 'stress' else TARGETS['rss_gb']:.0f} GB",
            peak / 1024 <= (STRESS_RSS_GB if tier == "stress" else TARGETS["rss_gb"]),
            f"{peak / 1024:.2f} GB",
        ),
        ("report re-run ≤ 10 s", rerun <= TARGETS["rerun_s"], f"{rerun:.1f} s"),
        ("small new file ≤ 2 s", small <= TARGETS["small_s"], f"{small:.2f} s"),
    ]
    lines += ["", "| target | met | measured |", "|---|---|---|"]
    lines += [f"| {what} | {'yes' if ok else '**no**'} | {fig} |" for what, ok, fig in checks]
    if hl and fi:
        lines += [
            "",
            "Peer, same run, the same Alipay ledger "
            f"({fi['rows']:,} rows; hledger gets a UTF-8 copy, its transcoding is timed):",
            "",
            "| tool | seconds | rows/s |",
            "|---|---:|---:|",
            f"| hledger {_hledger_version()} (`stats`) | {hl['seconds']:.2f} | "
            f"{hl['rows'] / hl['seconds']:,.0f} |",
            f"| finance (ingest into SQLite) | {fi['seconds']:.2f} | "
            f"{fi['rows'] / fi['seconds']:,.0f} |",
        ]
    return "\n".join(lines) + "\n"


def _hledger_version() -> str:
    try:
        out = subprocess.run(["hledger", "--version"], capture_output=True, text=True).stdout
        return out.split()[1].rstrip(",")
    except (OSError, IndexError):
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", choices=sorted(generate.TIERS), default="ci")
    parser.add_argument("--data", type=Path, help="generated statements (default: .data/<tier>)")
    parser.add_argument("--ws", type=Path, help="workspace (default: .work/<tier>)")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-peer", action="store_true", help="skip hledger")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = args.data or HERE / ".data" / args.tier
    ws = args.ws or HERE / ".work" / args.tier
    if args.child:
        result = STAGES[args.child](data, ws)
        args.out.write_text(json.dumps(result), encoding="utf-8")
        return
    command = "python benchmarks/run.py --tier " + args.tier
    results: dict[str, dict] = {"_load": {"before": load()}}
    t = time.perf_counter()
    manifest = generate.generate(data, args.tier)
    print(f"data: {manifest['total_rows']:,} rows ({time.perf_counter() - t:.1f} s)", flush=True)
    ws.parent.mkdir(parents=True, exist_ok=True)
    for name in STAGES:
        if args.no_peer and "Alipay" in name:
            continue
        target = ws.parent / f"{ws.name}-peer" if "Alipay" in name else ws
        results[name] = run_stage(name, data, target)
        print(
            f"{name}: {results[name]['seconds']:.2f} s, {results[name]['rss_mb']:,.0f} MB",
            flush=True,
        )
    text = report(args.tier, manifest, results, command)
    findings = HERE / "FINDINGS.md"  # the profiling record: causes found, before and after
    if findings.is_file():
        text += "\n" + findings.read_text(encoding="utf-8")
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
