"""Columnar copies of the imported-rows tables, so that a report re-run need not read SQLite.

Reading the month's ledger out of SQLite costs seconds (SQLite writes every value as text);
reading the same rows from a Parquet file costs a tenth of a second. A whole-table read (a
report's ``Store.snapshot``) keeps the frame it read in ``<database>.columns/`` and takes it from
there next time, but only while the copy is certainly the table's rows:

- the copy's name carries the table's *stamp*: the database's token (made with the database, so
  a new database never meets an old copy), its generation (raised in the same transaction as
  every write of imported rows, see ``Store.transaction``), the table's row count and last id (so
  that even a writer that did not raise the generation is seen), and the frame's schema;
- a copy is written only when the stamp is the same before and after the read, so rows written
  while the read ran are never written down under the old stamp;
- a copy that cannot be read or written is ignored: the rows then come from the database.

Only SQLite files get copies; PostgreSQL is read as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Table, func, select

from finance.store.tables import StoreGeneration

VERSION = 1
"""Raised when what a copy holds changes meaning (old copies are then never read)."""


def stamp(conn: Connection, table: Table) -> tuple[str, int, int, int]:
    """(token, generation, rows, last id): what the table's copy must have been taken at."""
    gen = StoreGeneration.__table__  # type: ignore[attr-defined]
    token, generation = conn.execute(select(gen.c.token, gen.c.generation)).one()
    rows, last = conn.execute(select(func.count(), func.max(table.c.id))).one()
    return token, int(generation), int(rows), int(last or 0)


def _name(table: Table, mark: tuple, schema: dict[str, pl.DataType]) -> str:
    text = repr((VERSION, mark, [(n, str(t)) for n, t in schema.items()]))
    return f"{table.name}-{hashlib.sha256(text.encode()).hexdigest()[:24]}.parquet"


def read(
    folder: Path,
    conn: Connection,
    table: Table,
    schema: dict[str, pl.DataType],
    load: Callable[[], pl.DataFrame],
) -> pl.DataFrame:
    """The whole table: from its copy in ``folder`` when the copy is current, else ``load()``
    (kept as the new copy when nothing was written meanwhile)."""
    mark = stamp(conn, table)
    path = folder / _name(table, mark, schema)
    if path.is_file():
        try:
            frame = pl.read_parquet(path)
        except (OSError, pl.exceptions.PolarsError):
            frame = None
        if frame is not None and frame.schema == pl.Schema(schema):
            return frame
    frame = load()
    if stamp(conn, table) == mark:
        _keep(folder, path, frame, table.name)
    return frame


def _keep(folder: Path, path: Path, frame: pl.DataFrame, table: str) -> None:
    """Write ``frame`` as ``path`` (whole or not at all) and drop the table's older copies."""
    partial = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        frame.write_parquet(partial, compression="zstd", statistics=False)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return
    for old in folder.glob(f"{table}-*.parquet"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
