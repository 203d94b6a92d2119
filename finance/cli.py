"""The ``finance`` command: parse options, call one library function, print. Nothing more.

Every command takes ``--workspace`` (default: the current folder) and prints short messages in
the workspace's language; errors exit with status 1 and say what to change.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from finance import i18n, pipeline
from finance.errors import FinanceError
from finance.workspace import Workspace, open_workspace

app = typer.Typer(
    help="What each SKU really earns: import statements by rules, allocate every cost, report "
    "true margin.\n\nExample: finance demo",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(
    help="Check and explain the rules that recognise statements.", no_args_is_help=True
)
export_app = typer.Typer(help="Export figures for other tools.", no_args_is_help=True)
costs_app = typer.Typer(help="Unit costs (effective-dated) for COGS.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(export_app, name="export")
app.add_typer(costs_app, name="costs")

out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

WorkspaceOpt = Annotated[
    Path, typer.Option("--workspace", "-w", help="The workspace folder (default: current folder).")
]
MonthOpt = Annotated[str, typer.Option("--month", "-m", help="The month, YYYY-MM.")]
DETAIL_ROWS = 60
BasisOpt = Annotated[
    str,
    typer.Option(
        "--basis",
        help="posting: entries in the month they posted (agrees with the platform's statement); "
        "order: order-linked entries in the month the order was paid (cohort view).",
    ),
]


def _fail(error: Exception, lang: str | None = None) -> None:
    if isinstance(error, FinanceError):
        message = error.render(lang) if lang else error.both()
    else:
        message = str(error)
    err.print(Text(message, style="red"))
    raise typer.Exit(1)


def _check_lang(lang: str | None) -> str | None:
    """zh-CN (also zh, cn, zh_cn) or en, case-insensitive; anything else is an error."""
    if lang is None:
        return None
    key = lang.strip().lower().replace("_", "-")
    if key in ("zh", "zh-cn", "cn", "chinese", "中文"):
        return "zh-CN"
    if key in ("en", "en-us", "en-gb", "english"):
        return "en"
    raise FinanceError("bad_lang", value=lang)


def _check_basis(basis: str) -> None:
    if basis not in ("posting", "order"):
        raise FinanceError("bad_basis", value=basis)


def _open(path: Path) -> Workspace:
    try:
        return open_workspace(path)
    except FinanceError as error:
        _fail(error)
        raise  # unreachable


def _table(frame: pl.DataFrame, *, money: tuple[str, ...] = (), rows: int = 200) -> None:
    """Print a frame for people: money columns in yuan, empty cells blank, no type row."""
    from finance.money import cents_to_text

    shown = frame.with_columns(cents_to_text(pl.col(c)).alias(c) for c in money if c in frame)
    shown = shown.with_columns(
        pl.col(c).cast(pl.String).fill_null("") for c, t in shown.schema.items() if t != pl.String
    ).with_columns(pl.col(pl.String).fill_null(""))
    with pl.Config(
        tbl_rows=rows,
        tbl_cols=30,
        tbl_width_chars=200,
        fmt_str_lengths=60,
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
    ):
        out.print(str(shown))


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Folder to create (or complete).")],
    shop: Annotated[str, typer.Option(help="Your Tmall shop's name.")] = "我的天猫店",
) -> None:
    """Make a workspace: finance.toml, inbox/, archive/, rejected/, rules/, costs/, reports/.

    Example: finance init ./my-shop --shop 云栖家居旗舰店
    """
    from finance.workspace import init as make

    ws, created = make(path, shop=shop)
    key = "workspace_created" if created else "workspace_exists"
    out.print(i18n.text(key, ws.language, path=path.as_posix()))


@app.command()
def demo(
    target: Annotated[
        Path | None, typer.Option(help="Where to put the demo workspace (default: a temp folder).")
    ] = None,
) -> None:
    """Run the whole pipeline on the bundled sample statements and print where the reports are.

    Example: finance demo
    """
    try:
        with _progress() as progress:
            task = progress.add_task("ingest", total=None)
            ws, outcomes, paths = pipeline.demo(
                target, on_file=lambda p: progress.update(task, advance=1, description=p.name[:40])
            )
    except FinanceError as error:
        _fail(error)
        return
    for outcome in outcomes:
        out.print(outcome.message)
    out.print(i18n.text("demo_done", ws.language, path=ws.root.as_posix()))
    out.print(i18n.text("report_written", ws.language))
    for path in paths:
        out.print(f"  {path.as_posix()}")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not sys.stderr.isatty(),
    )


@app.command()
def ingest(workspace: WorkspaceOpt = Path(".")) -> None:
    """Import every file in inbox/ once: archive what is recognised, reject the rest with a reason.

    Exits with status 1 when a file was rejected (see rejected/FILE.error.txt).

    Example: finance ingest --workspace ./my-shop
    """
    from finance.ingest import inbox_files
    from finance.ingest import ingest as run

    ws = _open(workspace)
    files = inbox_files(ws)
    if not files:
        out.print(i18n.text("inbox_empty", ws.language))
        return
    try:
        store = pipeline.open_store(ws)
        with _progress() as progress:
            task = progress.add_task("ingest", total=len(files))
            outcomes = run(
                ws,
                store,
                on_file=lambda p: progress.update(task, advance=1, description=p.name[:40]),
            )
        store.close()
    except FinanceError as error:
        _fail(error, ws.language)
        return
    for outcome in outcomes:
        colour = {"imported": "green", "duplicate": "yellow", "busy": "yellow", "rejected": "red"}[
            outcome.status
        ]
        out.print(Text(outcome.message, style=colour))
    if any(o.status == "rejected" for o in outcomes):
        raise typer.Exit(1)  # so a script or scheduler notices; the message said what to do


@app.command()
def rebuild(workspace: WorkspaceOpt = Path(".")) -> None:
    """Re-import every archived file with the current rules (after you change a rule).

    All or nothing: if a file no longer imports, the ledger stays as it was and the error
    names the file.

    Example: finance rebuild --workspace ./my-shop
    """
    from finance.ingest import rebuild as run

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        outcomes = run(ws, store)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    out.print(i18n.text("rebuilt", ws.language, files=len(outcomes)))


@app.command()
def status(workspace: WorkspaceOpt = Path(".")) -> None:
    """What is imported: files, formats, shops, months, rows, and fee names no rule knows.

    Example: finance status --workspace ./my-shop
    """
    from finance import status as st

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        lang = ws.language
        out.print("已导入的文件 / Imported files" if lang == "zh-CN" else "Imported files")
        _table(st.imported_files(store))
        out.print("按月份和店铺 / By month and shop" if lang == "zh-CN" else "By month and shop")
        _table(st.coverage(store))
        orders = st.descriptive(store)
        if orders.height:
            out.print(
                "订单与退款导出（按付款/退款月份）/ Order exports and refund lists"
                if lang == "zh-CN"
                else "Order exports and refund lists (by month)"
            )
            _table(orders)
        missing = st.missing(ws, store, lang)
        if missing.height:
            out.print("缺少的内容 / What is missing" if lang == "zh-CN" else "What is missing")
            _table(missing)
        from finance.fx import missing_rates, stored_rates

        no_rate = missing_rates(store.frame("ledger"), stored_rates(store), ws.base_currency)
        if no_rate.height:
            out.print(
                f"缺少汇率（换算为 {ws.base_currency}），请导入汇率表"
                if lang == "zh-CN"
                else f"Missing exchange rates (to {ws.base_currency}): import an fx-rates file"
            )
            _table(no_rate)
        unknown = st.unclassified(store)
        if unknown.height:
            out.print(
                "未归类的费用名称（请在规则中加入 [[classify]]，然后运行 finance rebuild）"
                if lang == "zh-CN"
                else "Unclassified fee names (add a [[classify]] rule, then run finance rebuild)"
            )
            _table(unknown, money=("amount",))
    finally:
        store.close()


@app.command()
def report(
    month: MonthOpt,
    workspace: WorkspaceOpt = Path("."),
    lang: Annotated[str | None, typer.Option(help="zh-CN or en (default: finance.toml).")] = None,
    basis: BasisOpt = "posting",
) -> None:
    """Write reports/YYYY-MM/pnl.xlsx and report.html for a month.

    Example: finance report --month 2026-10
    """
    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        _check_basis(basis)
        paths = pipeline.write_reports(ws, store, month, lang=_check_lang(lang), period=basis)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    out.print(i18n.text("report_written", ws.language))
    for path in paths:
        out.print(f"  {path.as_posix()}")


@export_app.command("margins")
def export_margins(
    month: MonthOpt,
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option(help="Write here instead of standard output.")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    basis: BasisOpt = "posting",
) -> None:
    """One row per platform, shop and SKU (plus each shop's unallocated row), stable columns.

    Example: finance export margins --month 2026-10 --format csv --output margins.csv
    """
    from finance.export import render

    if fmt not in ("csv", "json"):
        _fail(ValueError(f"--format must be csv or json, not {fmt!r}"))
    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        _check_basis(basis)
        text = render(pipeline.month_result(ws, store, month, period=basis), fmt)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.command()
def explain(
    month: MonthOpt,
    sku: Annotated[str, typer.Option(help="The SKU code (商家编码); empty for unallocated.")],
    workspace: WorkspaceOpt = Path("."),
    basis: BasisOpt = "posting",
    output: Annotated[
        Path | None, typer.Option(help="Write every traced row to this CSV file.")
    ] = None,
) -> None:
    """Trace each figure of a SKU to the statement rows (file, row) behind it.

    Prints the total per category, then the rows (file, row, fee, amount, the SKU's part, key,
    basis and share); --output writes all of them to a CSV file.

    Example: finance explain --month 2026-10 --sku YQ-PIL-MEM-GR --output pillow.csv
    """
    from finance.explain import explain as trace
    from finance.explain import not_reversed, summary

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        _check_basis(basis)
        result = pipeline.month_result(ws, store, month, period=basis)
        detail = trace(result, sku)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    if detail.height == 0:
        _fail(FinanceError("unknown_sku", sku=sku, month=month), ws.language)
    _table(summary(detail), money=("amount",))
    unreversed = not_reversed(result, sku)
    if unreversed.height:
        from finance.money import format_cents

        out.print(
            i18n.text(
                "explain_not_reversed",
                ws.language,
                orders=unreversed["order_id"].n_unique(),
                amount=format_cents(int(unreversed["cogs_not_reversed"].sum()), grouped=True),
                unknown=unreversed["cogs_not_reversed"].null_count(),
            )
        )
    shown = detail.drop("platform", "weight", "weight_total").with_columns(
        pl.col("posted_at").dt.strftime("%Y-%m-%d %H:%M:%S")
    )
    brief = shown.select(
        "category",
        "file",
        "source_row",
        pl.col("posted_at").str.slice(0, 10),
        "fee_name",
        key_value=pl.coalesce("order_id", "listing_id"),
        entry_amount="entry_amount",
        part="part",
        basis="basis",
        share="share",
    )
    _table(brief, money=("entry_amount", "part"), rows=DETAIL_ROWS)
    if output is not None:
        from finance.money import cents_to_text
        from finance.report.csvfile import write_for_excel

        write_for_excel(
            shown.with_columns(cents_to_text(pl.col(c)).alias(c) for c in ("entry_amount", "part")),
            output,
        )
        out.print(
            i18n.text("explain_written", ws.language, rows=detail.height, path=output.as_posix())
        )
    elif detail.height > DETAIL_ROWS:
        out.print(i18n.text("explain_more", ws.language, rows=detail.height, shown=DETAIL_ROWS))


@costs_app.command("import")
def costs_import(
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX: 商家编码,成本价,生效日期[,币种,重量(g)].")
    ],
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Import a unit-cost table (kept in costs/). Same SKU and date again replaces the cost.

    Example: finance costs import 商品成本.csv
    """
    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        outcome = pipeline.import_costs(ws, store, file)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    out.print(outcome.message)
    if outcome.status == "rejected":
        raise typer.Exit(1)


@rules_app.command("explain")
def rules_explain(
    file: Annotated[Path, typer.Argument(help="A statement file.")],
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Which rule matches a file and why, and the first rows as they would be imported.

    Example: finance rules explain inbox/20885021234567890156_20261001_20261031_账务明细.csv
    """
    from finance.read import open_source
    from finance.rulebook import load_rules
    from finance.rulebook.fixtures import normalise_file
    from finance.rulebook.identify import closest, survey

    ws = _open(workspace)
    try:
        if not file.is_file():
            raise FinanceError("no_such_file", file=file.as_posix())
        rules = load_rules(ws.rules)
        matches, misses = survey(open_source(file), rules)
        for m in matches:
            out.print(
                i18n.text(
                    "rule_matches",
                    ws.language,
                    rule=m.rule.name,
                    rule_file=m.rule.path.name,
                    line=m.header.index + 1,
                )
            )
        best = closest(misses)
        if not matches and best:
            out.print(
                i18n.text(
                    "rule_closest",
                    ws.language,
                    rule=best.rule.name,
                    missing=", ".join(best.missing),
                ),
                markup=False,
            )
        for miss in sorted(misses, key=lambda m: (-m.found, m.rule.name)):
            if miss.found:  # why a rule that looked related did not match
                out.print(
                    i18n.text(
                        "rule_missed",
                        ws.language,
                        rule=miss.rule.name,
                        rule_file=miss.rule.path.name,
                        missing=", ".join(miss.missing),
                    ),
                    markup=False,
                )
        platform = matches[0].rule.platform if matches else "tmall"
        _rule, rows = normalise_file(file, rules, shop=ws.shop_for(platform) or "-")
    except FinanceError as error:
        _fail(error, ws.language)
        return
    _table(_preview(rows.head(10)))
    if "category" in rows.columns:
        unknown = rows.filter(pl.col("category") == "unclassified")["fee_name"].unique()
        if unknown.len():
            out.print(
                i18n.text("unclassified_names", ws.language, names=", ".join(unknown.to_list()))
            )


def _preview(rows: pl.DataFrame) -> pl.DataFrame:
    """The first rows as a person checks them: only the fields the file fills, no keys."""
    keep = [
        c
        for c in rows.columns
        if c not in ("natural_key", "platform") and rows[c].null_count() < rows.height
    ]
    return rows.select(keep)


@rules_app.command("test")
def rules_test(
    fixtures: Annotated[Path, typer.Option(help="Folder of golden fixtures.")] = Path(
        "tests/fixtures"
    ),
    workspace: WorkspaceOpt = Path("."),
    write: Annotated[bool, typer.Option(help="Write missing expected files.")] = False,
    force: Annotated[bool, typer.Option(help="Overwrite expected files.")] = False,
) -> None:
    """Run every rules file against its golden fixtures and print a diff on failure.

    Example: finance rules test --fixtures tests/fixtures
    """
    from finance.resources import shipped
    from finance.rulebook import load_rules
    from finance.rulebook.fixtures import cases, check

    rules_dir = workspace / "rules" if (workspace / "rules").is_dir() else shipped("rules")
    try:
        rules = load_rules(rules_dir)
    except FinanceError as error:
        _fail(error)
        return
    if not fixtures.is_dir():
        _fail(FinanceError("no_such_file", file=fixtures.as_posix()))
    failed = 0
    for case in cases(fixtures):
        result = check(case, rules, write=write, force=force)
        mark = "written" if result.written else ("ok" if result.ok else "FAIL")
        out.print(f"{mark:8} {case.as_posix()}")
        if not result.ok:
            failed += 1
            out.print(result.diff, markup=False)
    if failed:
        raise typer.Exit(1)


@rules_app.command("update")
def rules_update(
    take: Annotated[
        list[str] | None,
        typer.Option(help="Take the shipped version of this file (the old one is kept as .bak)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Only say what would change.")] = False,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Bring the workspace's rules up to this version of finance, keeping your own edits.

    Files you never edited are replaced; files you edited are kept and listed, so you can compare
    them with the shipped version or take it with --take (your file stays beside it as .bak).

    Example: finance rules update --dry-run
    """
    from finance.resources import shipped
    from finance.rulebook import load_rules, update

    ws = _open(workspace)
    source, wanted = shipped("rules"), tuple(take or ())
    unknown = update.unknown_takes(source, wanted)
    if unknown:
        _fail(FinanceError("rules_update_unknown", name=", ".join(unknown)), ws.language)
    changes = update.plan(ws.rules, source, take=wanted)
    if not dry_run:
        update.apply(ws.rules, source, changes)
    lang = ws.language
    for change in changes:
        if change.status == "current":
            continue
        out.print(
            i18n.text(
                f"rules_update_{change.status}",
                lang,
                file=change.path,
                shipped=(source / change.path).as_posix(),
            ),
            markup=False,
        )
    changed = [c for c in changes if c.status in ("added", "updated", "taken")]
    if dry_run:
        out.print(i18n.text("rules_update_dry_run", lang, count=len(changed)))
        return
    try:
        load_rules(ws.rules)
    except FinanceError as error:
        _fail(error, lang)
    out.print(i18n.text("rules_update_done", lang, count=len(changed)))


@app.command()
def reconcile(
    month: MonthOpt,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write every exception to this CSV.")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="zh-CN or en (default: finance.toml).")] = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Check the month: orders vs settlements, withdrawals vs bank, fees vs contracts.

    Prints totals by kind and the largest exceptions; statuses (new, open, resolved) are kept
    across runs. Expected rates and windows come from rules/contracts.toml.

    Example: finance reconcile --month 2026-10 --output reconcile-2026-10.csv
    """
    from finance import reconcile as recon
    from finance.reconcile.section import section, summary_lines

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        shown_lang = _check_lang(lang) or ws.language
        result = recon.reconcile(ws, store, month)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    from finance.reconcile.counted import summary_lines as counted_lines

    if result.exceptions.height == 0:
        out.print(i18n.text("recon_clean", shown_lang, month=month))
        for line in counted_lines(result.counted_once, shown_lang):
            out.print(line)
        return
    for line in summary_lines(result.exceptions, month, shown_lang):
        out.print(line)
    for line in counted_lines(result.counted_once, shown_lang):
        out.print(line)
    shown = section(result.exceptions, month, shown_lang)
    columns = ["kind", "status", "platform", "shop", "order_id", "amount", "ageing", "detail"]
    _table(
        shown.frame.select(columns)
        .head(10)
        .rename({c: shown.column_label(c, shown_lang) for c in columns}),
        money=(shown.column_label("amount", shown_lang),),
    )
    if output is not None:
        recon.write_csv(result, output)
        out.print(
            i18n.text(
                "recon_written", shown_lang, rows=result.exceptions.height, path=output.as_posix()
            )
        )


@app.command()
def alerts(
    month: MonthOpt,
    workspace: WorkspaceOpt = Path("."),
    lang: Annotated[str | None, typer.Option(help="zh-CN or en (default: finance.toml).")] = None,
) -> None:
    """Print the month's alerts, top first: severity, platform, shop, SKU, figure, threshold, why.

    Thresholds are in rules/alerts.toml. The alerts are stored (first and last seen).

    Example: finance alerts --month 2026-10
    """
    from finance import alerts as al
    from finance import history

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        language = _check_lang(lang) or ws.language
        found = al.month_alerts(ws, store, month, lang=language)
        history.record(store, month, found)
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    if found.height == 0:
        out.print(i18n.text("alerts_none", language, month=month))
        return
    counts = dict(found.group_by("severity").len().iter_rows())
    out.print(
        i18n.text(
            "alerts_summary",
            language,
            total=found.height,
            high=counts.get("high", 0),
            medium=counts.get("medium", 0),
            low=counts.get("low", 0),
        )
    )
    colour = {"high": "red", "medium": "yellow"}
    for severity, message in found.select("severity", "message").iter_rows():
        name = al.SEVERITY_NAMES.get(severity, {}).get(language, severity)
        out.print(Text(f"[{name}] {message}", style=colour.get(severity, "")))


@app.command()
def digest(
    month: MonthOpt,
    to: Annotated[
        list[str] | None, typer.Option("--to", help="Recipient (repeatable; default: [mail] to).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write reports/YYYY-MM/digest.eml; send nothing.")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
    lang: Annotated[str | None, typer.Option(help="zh-CN or en (default: finance.toml).")] = None,
) -> None:
    """Email the month's digest: new, persisting and cleared alerts, headline figures, pnl.xlsx.

    SMTP settings are in finance.toml [mail]; the password only in FINANCE_SMTP_PASSWORD. A send
    that fails exits with status 1 and records nothing as sent.

    Example: finance digest --month 2026-10 --to boss@example.com --dry-run
    """
    from finance import digest as dg

    ws = _open(workspace)
    store = pipeline.open_store(ws)
    try:
        outcome = dg.run(ws, store, month, to=to, dry_run=dry_run, lang=_check_lang(lang))
    except FinanceError as error:
        _fail(error, ws.language)
        return
    finally:
        store.close()
    if outcome.path is not None:
        out.print(i18n.text("digest_written", ws.language, path=outcome.path.as_posix()))
    else:
        out.print(
            i18n.text(
                "digest_sent", ws.language, to=", ".join(outcome.recipients), **outcome.counts
            )
        )


@app.command()
def watch(
    workspace: WorkspaceOpt = Path("."),
    settle: Annotated[
        float, typer.Option(help="Seconds a file must stop growing before it is read.")
    ] = 2.0,
    poll: Annotated[
        float, typer.Option(help="Look at inbox/ at least this often (seconds).")
    ] = 1.0,
) -> None:
    """Keep processing inbox/: import each file once it stops growing, refresh its month's
    reports, and send the digest on the [mail] schedule of finance.toml. Ctrl-C stops.

    Example: finance watch --workspace ./my-shop
    """
    from finance.watch import watch as run

    ws = _open(workspace)
    styles = {"error": "red", "warning": "yellow"}

    def log(level: str, message: str) -> None:
        from datetime import datetime

        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        out.print(Text(f"{stamp} {message}", style=styles.get(level, "")))

    try:
        run(ws, settle=settle, poll=poll, log=log, handle_signals=True)
    except FinanceError as error:
        _fail(error, ws.language)


def main() -> None:  # pragma: no cover
    app()
