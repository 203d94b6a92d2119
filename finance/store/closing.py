"""Closed months in the store: the close and reopen records, what a closed month held, and the
rule that keeps it so (``finance close``, ``finance reopen``; docs/books.md "Month-end close").

Four tables of their own, apart from the imported rows:

- ``month_close``: one row per closed month (when, by whom);
- ``month_close_event``: every close and reopen, with the reason given for a reopen (a log
  that is only ever added to);
- ``month_snapshot``: the month's figures as they were at the close (its allocated parts, P&L
  rows, excluded totals, entries, files and vouchers), as Parquet in chunks, so that its report,
  margins and vouchers no longer change whatever arrives or changes later (rules, unit costs,
  order exports, the chart of accounts);
- ``closed_entry``: a copy of the closed month's ledger rows.

The store's write path (``Store.insert_rows``) asks ``route`` about every ledger row it is
about to write: a row dated in a closed month that the month already held (the same platform,
shop and natural key: ``finance rebuild`` writing the ledger again) is written as it was at the
close; any other row dated in a closed month is a *late row* and is written into the first open
month after it, where reports list it as an adjustment with its original month (its
``posted_at`` still says when it happened). A closed month's rows therefore never change.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime

import polars as pl
from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    delete,
    insert,
    literal,
    select,
)
from sqlmodel import Field, SQLModel

from finance.schema import STORED
from finance.store.bulk import existing_keys
from finance.store.tables import LedgerEntry, _when


class MonthClose(SQLModel, table=True):
    """A closed month."""

    __tablename__ = "month_close"

    month: str = Field(primary_key=True)
    closed_at: datetime = _when(nullable=False)
    closed_by: str
    note: str | None = None  # the warnings the user closed over, one per line


class MonthCloseEvent(SQLModel, table=True):
    """A close or a reopen, kept for good (the audit trail)."""

    __tablename__ = "month_close_event"

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(index=True)
    action: str  # close | reopen
    at: datetime = _when(nullable=False)
    by: str
    reason: str | None = None


SNAPSHOT = Table(
    "month_snapshot",
    SQLModel.metadata,
    Column("month", String, primary_key=True),
    Column("name", String, primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("data", LargeBinary, nullable=False),
)
"""A closed month's frames as Parquet bytes, ``CHUNK`` bytes a row."""

CHUNK = 16 * 1024 * 1024

_LEDGER = LedgerEntry.__table__  # type: ignore[attr-defined]
_COPIED = [c.name for c in _LEDGER.c if c.name not in ("id", "file_id", "source_row")]
CLOSED_ENTRY = Table(
    "closed_entry",
    SQLModel.metadata,
    Column("closed_id", Integer, primary_key=True, autoincrement=True),
    Column("closed_month", String, nullable=False),
    *(Column(c.name, c.type, nullable=True) for c in _LEDGER.c if c.name in _COPIED),
    Index("ix_closed_entry_key", "platform", "shop", "natural_key"),
)
"""The closed months' ledger rows as they were at the close (without file id and row: a
rebuild gives them new ones)."""


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def closed_months(conn: Connection) -> list[str]:
    """The closed months, in order."""
    table = MonthClose.__table__  # type: ignore[attr-defined]
    return [m for (m,) in conn.execute(select(table.c.month).order_by(table.c.month))]


def closes(conn: Connection) -> pl.DataFrame:
    """One row per closed month: month, closed_at, closed_by, note."""
    table = MonthClose.__table__  # type: ignore[attr-defined]
    rows = conn.execute(select(table).order_by(table.c.month)).mappings().all()
    schema = {"month": pl.String, "closed_at": pl.Datetime("us"), "closed_by": pl.String}
    schema |= {"note": pl.String}
    return pl.DataFrame([dict(r) for r in rows], schema=schema)


def events(conn: Connection, month: str | None = None) -> pl.DataFrame:
    """The close and reopen log (oldest first), of one month or of all."""
    table = MonthCloseEvent.__table__  # type: ignore[attr-defined]
    query = select(table).order_by(table.c.id)
    if month is not None:
        query = query.where(table.c.month == month)
    rows = conn.execute(query).mappings().all()
    schema = {
        "id": pl.Int64,
        "month": pl.String,
        "action": pl.String,
        "at": pl.Datetime("us"),
        "by": pl.String,
        "reason": pl.String,
    }
    return pl.DataFrame([dict(r) for r in rows], schema=schema)


def next_open(month: str, closed: Iterable[str]) -> str:
    """The first month after ``month`` that is not closed."""
    shut = set(closed)
    year, mon = (int(p) for p in month.split("-"))
    while True:
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
        candidate = f"{year}-{mon:02d}"
        if candidate not in shut:
            return candidate


def route(conn: Connection, frame: pl.DataFrame) -> pl.DataFrame:
    """Ledger rows about to be written, with the closed months kept as they were: a row the
    closed month held is written as it was at the close, any other row dated in a closed month
    goes to the first open month after it (an adjustment; its ``posted_at`` keeps its date)."""
    if frame.is_empty() or "month" not in frame.columns:
        return frame
    shut = closed_months(conn)
    if not shut:
        return frame
    late = frame["month"].is_in(shut)
    if not late.any():
        return frame
    frame = frame.with_columns(__i=pl.int_range(pl.len()))
    hit = frame.filter(late)
    frozen = _frozen(conn, hit)
    if frozen.height:
        keep = [c for c in frame.columns if c not in frozen.columns or c in _KEY]
        restored = hit.select(keep).join(frozen, on=_KEY, how="inner", nulls_equal=True)
        frame = pl.concat(
            [frame.join(restored.select("__i"), on="__i", how="anti"), restored],
            how="diagonal_relaxed",
        ).sort("__i")
        frame = frame.drop("__held")
    moves = {m: next_open(m, shut) for m in shut}
    held = set(frozen["__held"].to_list()) if frozen.height else set()
    frame = frame.with_columns(
        month=pl.when(pl.col("month").is_in(shut) & ~pl.col("__i").is_in(list(held)))
        .then(pl.col("month").replace_strict(moves, default=pl.col("month")))
        .otherwise(pl.col("month"))
    )
    return frame.drop("__i")


_KEY = ["platform", "shop", "natural_key"]


def _frozen(conn: Connection, hit: pl.DataFrame) -> pl.DataFrame:
    """The ``closed_entry`` rows with the same key as a row of ``hit`` (its columns as they
    were, and ``__held``: the index of the row of ``hit`` they belong to)."""
    names = _COPIED
    found = existing_keys(conn, CLOSED_ENTRY, hit, names)
    if not found:
        return pl.DataFrame()
    schema = {n: STORED["ledger"].get(n, pl.String) for n in names}
    rows = pl.DataFrame(found, schema=dict.fromkeys(names, pl.Object), orient="row")
    frozen = _typed(rows, schema)
    index = hit.select(*_KEY, __held=pl.col("__i"))
    return frozen.join(index, on=_KEY, how="inner", nulls_equal=True).unique(_KEY, keep="first")


def _typed(rows: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    out = {}
    for name, dtype in schema.items():
        values = rows[name].to_list()
        if isinstance(dtype, pl.Datetime) and values and isinstance(values[0], str):
            out[name] = pl.Series(name, values, pl.String).str.to_datetime(time_unit="us")
        else:
            out[name] = pl.Series(name, values, dtype=dtype, strict=False)
    return pl.DataFrame(out)


# --- close and reopen


def close(
    conn: Connection,
    month: str,
    *,
    frames: dict[str, pl.DataFrame],
    by: str,
    note: str | None = None,
) -> None:
    """Record ``month`` as closed with its frames, and copy its ledger rows (in ``conn``'s
    transaction)."""
    at = _now()
    conn.execute(
        insert(MonthClose.__table__).values(  # type: ignore[attr-defined]
            month=month, closed_at=at, closed_by=by, note=note
        )
    )
    conn.execute(
        insert(MonthCloseEvent.__table__).values(  # type: ignore[attr-defined]
            month=month, action="close", at=at, by=by, reason=note
        )
    )
    for name, frame in frames.items():
        buffer = io.BytesIO()
        frame.write_parquet(buffer, compression="zstd", statistics=False)
        data = buffer.getvalue()
        for seq, start in enumerate(range(0, max(len(data), 1), CHUNK)):
            conn.execute(
                insert(SNAPSHOT).values(
                    month=month, name=name, seq=seq, data=data[start : start + CHUNK]
                )
            )
    rows = select(literal(month).label("closed_month"), *(_LEDGER.c[c] for c in _COPIED))
    conn.execute(
        insert(CLOSED_ENTRY).from_select(
            ["closed_month", *_COPIED], rows.where(_LEDGER.c.month == month)
        )
    )


def reopen(conn: Connection, month: str, *, by: str, reason: str) -> None:
    """Undo a close: the month's figures are computed again from then on (in ``conn``'s
    transaction); the reopen and its reason are logged."""
    conn.execute(delete(MonthClose.__table__).where(MonthClose.__table__.c.month == month))  # type: ignore[attr-defined]
    conn.execute(delete(SNAPSHOT).where(SNAPSHOT.c.month == month))
    conn.execute(delete(CLOSED_ENTRY).where(CLOSED_ENTRY.c.closed_month == month))
    conn.execute(
        insert(MonthCloseEvent.__table__).values(  # type: ignore[attr-defined]
            month=month, action="reopen", at=_now(), by=by, reason=reason
        )
    )


def snapshot(conn: Connection, month: str) -> dict[str, pl.DataFrame] | None:
    """The frames kept at the close of ``month``; None when the month is open."""
    table = MonthClose.__table__  # type: ignore[attr-defined]
    if conn.execute(select(table.c.month).where(table.c.month == month)).first() is None:
        return None
    rows = conn.execute(
        select(SNAPSHOT.c.name, SNAPSHOT.c.data)
        .where(SNAPSHOT.c.month == month)
        .order_by(SNAPSHOT.c.name, SNAPSHOT.c.seq)
    ).all()
    parts: dict[str, list[bytes]] = {}
    for name, data in rows:
        parts.setdefault(name, []).append(bytes(data))
    return {name: pl.read_parquet(io.BytesIO(b"".join(chunks))) for name, chunks in parts.items()}
