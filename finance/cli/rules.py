"""``finance rules``: explain, test and update the rules that recognise statements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from finance import i18n
from finance.cli.apps import rules_app
from finance.cli.common import WorkspaceOpt, _fail, _open, _table, out
from finance.errors import FinanceError


@rules_app.command("explain")
def rules_explain(
    file: Annotated[Path, typer.Argument(help="A statement file.")],
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Which rule matches a file and why, and the first rows as they would be imported.

    Example: finance rules explain inbox/20885021234567890156_20261001_20261031_账务明细.csv
    """
    from finance.golden import normalise_file
    from finance.read import open_source
    from finance.read.closeness import CLOSE, RELATED, ranked
    from finance.read.identify import survey
    from finance.rulebook import load_rules

    ws = _open(workspace)
    try:
        if not file.is_file():
            raise FinanceError("no_such_file", file=file.as_posix())
        rules = load_rules(ws.rules)
        source = open_source(file)
        matches, misses = survey(source, rules)
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
        # rules ranked by the columns that tell formats apart (read/closeness.py)
        near = [n for n in ranked(source, rules, [m.rule for m in misses]) if n.found]
        if not matches:
            out.print(
                i18n.text(
                    "rule_closest",
                    ws.language,
                    rule=near[0].rule.name,
                    missing=", ".join(near[0].missing),
                )
                if near and near[0].closeness >= CLOSE
                else i18n.text("rule_nothing_close", ws.language),
                markup=False,
            )
        for miss in near:
            if miss.closeness >= RELATED:  # why a rule that looked related did not match
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
        _rule, rows = normalise_file(
            file, rules, shop=ws.shop_for(platform) or "-", timezone=ws.timezone
        )
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
    from finance.golden import cases, check
    from finance.resources import shipped
    from finance.rulebook import load_rules

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
