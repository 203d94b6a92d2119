"""inbox/ to the store: recognise, normalise, write atomically, then archive or reject.

A file is imported in one transaction: its ``imported_file`` row and all its rows, or nothing.
Re-importing is harmless: an identical file (same SHA-256) adds nothing, and rows whose natural
key is already stored for the shop are skipped and counted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import Connection

from finance import i18n
from finance.errors import FinanceError, ImportRejected
from finance.normalise import Context, normalise
from finance.read import open_source, read_table
from finance.read.identify import identify
from finance.read.preamble import preamble_account
from finance.rulebook import Rule, load_rules
from finance.store import Store
from finance.workspace import Workspace

DATE_FIELD = {
    "ledger": "posted_at",
    "order_lines": "paid_at",
    "orders": "paid_at",
    "returns": "completed_at",
    "unit_costs": "effective_from",
    "campaign_skus": None,
    "bank_lines": "booked_at",
    "fx_rates": "date",
}


@dataclass(frozen=True)
class Outcome:
    file: str
    status: str  # imported | duplicate | rejected | busy (another process has the file)
    message: str  # in the workspace language
    rule: str | None = None
    added: int = 0
    skipped: int = 0
    moved_to: Path | None = None
    file_id: int | None = None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _unique_destination(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / name
    stem, suffix, n = dest.stem, dest.suffix, 1
    while dest.exists():
        dest = folder / f"{stem}.{n}{suffix}"
        n += 1
    return dest


@dataclass(frozen=True)
class Written:
    rule: Rule
    shops: list[str]
    file_id: int
    new: pl.DataFrame
    existing: pl.DataFrame
    skipped: int


def write_file(
    conn: Connection,
    path: Path,
    digest: str,
    *,
    ws: Workspace,
    store: Store,
    rules: list[Rule],
    archived_as: str | None = None,
) -> Written:
    """Recognise, normalise and write one file inside the caller's transaction."""
    source = open_source(path)
    match = identify(source, rules)
    rule = match.rule
    raw = read_table(source, rule, match.header)
    ctx = Context(
        file=path.name,
        default_shop=ws.shop_for_account(preamble_account(source, match.header, rule))
        or ws.shop_for_path(_relative(path, ws), rule.platform)
        or ws.shop_for(rule.platform),
        base_currency=ws.base_currency,
        timezone=ws.timezone,
    )
    rows = normalise(raw, rule, ctx)
    shops = rows["shop"].unique().drop_nulls().to_list() if "shop" in rows.columns else []
    date_field = DATE_FIELD[rule.kind]
    date_col = rows[date_field].drop_nulls() if date_field else pl.Series([], dtype=pl.Date)
    file_id = store.add_file(
        conn,
        name=path.name,
        sha256=digest,
        format=rule.name,
        kind=rule.kind,
        platform=rule.platform,
        shop=", ".join(sorted(shops)) or None,
        encoding=source.encoding,
        rows_read=rows.height,
        first_date=_as_date(date_col.min()),
        last_date=_as_date(date_col.max()),
        archived_as=archived_as,
    )
    existing = store.existing_keys(conn, rule.kind, rows)
    on = [c for c in ("shop", "natural_key") if c in existing.columns]
    if rule.on_conflict == "replace":
        store.delete_keys(conn, rule.kind, existing["natural_key"].to_list())
        new, skipped = rows, 0
    else:
        new = rows.join(existing, on=on, how="anti", nulls_equal=True)
        skipped = rows.height - new.height
    store.insert_rows(conn, rule.kind, new.with_columns(file_id=pl.lit(file_id, pl.Int64)))
    store.update_file(conn, file_id, rows_added=new.height, rows_skipped=skipped)
    return Written(rule, shops, file_id, new, existing, skipped)


def import_file(path: Path, *, ws: Workspace, store: Store, rules: list[Rule]) -> Outcome:
    """Import one file (it stays where it is). Raises ``ImportRejected`` when it cannot."""
    lang = ws.language
    digest = sha256(path)
    known = store.find_file(digest)
    if known is not None:
        message = i18n.text(
            "already_imported",
            lang,
            file=path.name,
            original=known["name"],
            when=str(known["imported_at"])[:16],
        )
        return Outcome(path.name, "duplicate", message, rule=known["format"])
    with store.transaction() as conn:
        written = write_file(conn, path, digest, ws=ws, store=store, rules=rules)
    rule, shops, file_id = written.rule, written.shops, written.file_id
    skipped, existing, new = written.skipped, written.existing, written.new
    replaced = existing.height if rule.on_conflict == "replace" else 0
    dup_note = (
        i18n.text("dup_note", lang, duplicates=skipped or replaced) if (skipped or replaced) else ""
    )
    message = i18n.text(
        "imported",
        lang,
        file=path.name,
        rule=rule.name,
        shop=", ".join(shops) or "-",
        added=new.height - replaced,
        dup_note=dup_note,
    )
    return Outcome(
        path.name,
        "imported",
        message,
        rule=rule.name,
        added=new.height - replaced,
        skipped=skipped + replaced,
        file_id=file_id,
    )


def _as_date(value: object) -> object:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def reject(path: Path, ws: Workspace, error: FinanceError) -> Path:
    """Move ``path`` to rejected/ with ``<name>.error.txt`` explaining why, in both languages."""
    dest = _unique_destination(ws.rejected, path.name)
    shutil.move(str(path), dest)
    note = "\n".join(
        [
            i18n.text("error_file_header", "zh-CN"),
            error.render("zh-CN"),
            "",
            i18n.text("error_file_header", "en"),
            error.render("en"),
            "",
            i18n.both("error_file_footer"),
        ]
    )
    dest.with_name(dest.name + ".error.txt").write_text(note + "\n", encoding="utf-8")
    return dest


def _relative(path: Path, ws: Workspace) -> str:
    """``path`` under inbox/ (or under archive/<format>/) as ``a/b.csv``, for [[shop_by_path]]."""
    for base in (ws.inbox, *(ws.archive.glob("*") if ws.archive.is_dir() else ())):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def archive(path: Path, ws: Workspace, outcome: Outcome) -> Path:
    """Move an imported file to archive/<format>/, keeping its subfolder under inbox/ (the
    folder may name its shop, see [[shop_by_path]])."""
    sub = Path(_relative(path, ws)).parent
    folder = ws.archive / (outcome.rule or "unknown") / sub
    dest = _unique_destination(folder, path.name)
    shutil.move(str(path), dest)
    return dest


def ingest_path(path: Path, *, ws: Workspace, store: Store, rules: list[Rule]) -> Outcome:
    """Import one file and move it: to archive/ when done, to rejected/ when not."""
    try:
        outcome = import_file(path, ws=ws, store=store, rules=rules)
    except ImportRejected as error:
        dest = reject(path, ws, error)
        reason = error.render(ws.language)
        message = i18n.text("rejected", ws.language, file=dest.name, reason=reason)
        return Outcome(path.name, "rejected", message, moved_to=dest)
    dest = archive(path, ws, outcome)
    if outcome.file_id is not None:
        with store.transaction() as conn:
            store.update_file(
                conn, outcome.file_id, archived_as=dest.relative_to(ws.root).as_posix()
            )
    return Outcome(**{**outcome.__dict__, "moved_to": dest})


def inbox_files(ws: Workspace) -> list[Path]:
    return sorted(
        p
        for p in ws.inbox.rglob("*")
        if p.is_file() and not p.name.startswith((".", "~$")) and not p.name.endswith(".error.txt")
    )


CLAIM_STALE = timedelta(hours=1)
"""A file claim older than this belongs to a process that died; another may take it over."""


def holder_name() -> str:
    """This process's name on a claim: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def process_file(
    path: Path, *, ws: Workspace, store: Store, rules: list, holder: str
) -> Outcome | None:
    """Claim, import and move one file; None when another process has it (or has moved it).

    The claim (``file:<sha256>`` in the store's claim table, whose primary key makes a second
    claim fail on SQLite and PostgreSQL alike) keeps two ``finance`` processes on one workspace
    (``ingest`` and ``watch``, or two of either) from importing the same file twice."""
    from finance import history

    try:
        digest = sha256(path)
    except FileNotFoundError:
        return None
    name = f"file:{digest}"
    if not history.claim(store, name, holder, stale_after=CLAIM_STALE):
        return None
    try:
        if not path.is_file():
            return None
        return ingest_path(path, ws=ws, store=store, rules=rules)
    finally:
        history.release(store, name, holder)


def ingest(
    ws: Workspace, store: Store, *, on_file: Callable[[Path], None] | None = None
) -> list[Outcome]:
    """Process every file in inbox/ once. Files are taken in name order; a file another
    ``finance`` process is importing right now is left to it (status ``busy``)."""
    rules = load_rules(ws.rules)
    holder = holder_name()
    outcomes = []
    for path in inbox_files(ws):
        if on_file:
            on_file(path)
        outcome = process_file(path, ws=ws, store=store, rules=rules, holder=holder)
        if outcome is None:
            message = i18n.text("file_busy", ws.language, file=path.name)
            outcome = Outcome(path.name, "busy", message)
        outcomes.append(outcome)
    return outcomes


def rebuild(ws: Workspace, store: Store) -> list[Outcome]:
    """Re-import every archived file with the current rules, in one transaction.

    For after a rules change: categories, fee names and keys are worked out again from the files
    as they were downloaded. All or nothing: a file that no longer imports leaves the ledger as
    it was, and the error names it.
    """
    rules = load_rules(ws.rules)
    files = store.files().filter(pl.col("archived_as").is_not_null()).sort("id")
    missing = [n for n in files["archived_as"] if not (ws.root / n).is_file()]
    if missing:
        raise FinanceError("archive_missing", files=", ".join(missing))
    outcomes = []
    with store.transaction() as conn:
        store.clear(conn)
        for name in files["archived_as"]:
            path = ws.root / name
            try:
                written = write_file(
                    conn, path, sha256(path), ws=ws, store=store, rules=rules, archived_as=name
                )
            except ImportRejected as error:
                raise FinanceError("rebuild_failed", file=name, reason=error.per_lang()) from error
            outcomes.append(
                Outcome(
                    path.name,
                    "imported",
                    i18n.text(
                        "imported",
                        ws.language,
                        file=name,
                        rule=written.rule.name,
                        shop=", ".join(written.shops) or "-",
                        added=written.new.height,
                        dup_note="",
                    ),
                    rule=written.rule.name,
                    added=written.new.height,
                    file_id=written.file_id,
                )
            )
    return outcomes
