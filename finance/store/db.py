"""Bulk reads and writes. SQLite by default, PostgreSQL by URL; one transaction per import.

Rows go in and come out through ``finance.store.bulk`` (the driver's ``executemany`` on SQLite,
``COPY`` on PostgreSQL; raw values parsed by polars per column), never one ORM object per row;
they come out as polars frames with the canonical types.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DatabaseError
from sqlmodel import SQLModel

from finance.schema import STORED
from finance.store import bulk, closing, columns
from finance.store.tables import TABLES, ImportedFile, StoreGeneration
from finance.store.upgrade import add_missing_columns


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL never corrupts (a power cut may lose the last commit, not half of one); a
    # larger page cache keeps the unique-key indexes in memory during a big import
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-262144")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _create_tables(engine: Engine) -> None:
    """Create the tables a new database lacks. Two processes opening a new database at once
    (two watchers started together, ``finance ingest`` beside ``finance watch``) must not race:
    PostgreSQL serialises them with a transaction-level advisory lock; SQLite, where a
    concurrent ``CREATE`` can still lose with "table already exists", tries again."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(72011)")  # any fixed number
            SQLModel.metadata.create_all(conn)
            add_missing_columns(conn)
            _first_generation(conn)
        return
    for attempt in range(5):
        try:
            SQLModel.metadata.create_all(engine)
            with engine.begin() as conn:
                add_missing_columns(conn)
                _first_generation(conn)
            return
        except DatabaseError:
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def _first_generation(conn: Connection) -> None:
    """The ``store_generation`` row, made once with a token of its own (see ``columns``)."""
    table = StoreGeneration.__table__  # type: ignore[attr-defined]
    if conn.execute(select(table.c.id)).first() is None:
        conn.execute(insert(table).values(id=1, generation=0, token=uuid.uuid4().hex))


class Store:
    """One ledger database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        _create_tables(self.engine)
        self._reads: dict[str, pl.DataFrame] | None = None
        database = self.engine.url.database
        self.copies: Path | None = (
            Path(database + ".columns")
            if self.engine.dialect.name == "sqlite" and database and database != ":memory:"
            else None
        )
        """Where whole-table reads keep their columnar copies (``finance.store.columns``)."""

    @contextmanager
    def snapshot(self) -> Iterator[Store]:
        """Within: each distinct ``frame()`` read is made once and shared (a report run reads
        the same tables from several sections). Nothing is kept after the block, and any write
        through this store inside it forgets what was read."""
        outer = self._reads
        self._reads = {} if outer is None else outer
        try:
            yield self
        finally:
            self._reads = outer

    @property
    def in_snapshot(self) -> bool:
        """Inside ``snapshot()``: a whole-table read is shared, so filtering it is cheap."""
        return self._reads is not None

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self, *, imported_rows: bool = True) -> Iterator[Connection]:
        """All or nothing: an exception inside rolls every write back.

        ``imported_rows=False`` promises the block writes none of the tables ``frame()`` reads
        (alerts, digests, claims, reconciliation findings), so a snapshot's reads stay valid.
        """
        if imported_rows and self._reads is not None:
            self._reads.clear()
        with self.engine.begin() as conn:
            if imported_rows:  # in the same transaction as the rows: copies taken before are old
                generation = StoreGeneration.__table__  # type: ignore[attr-defined]
                conn.execute(update(generation).values(generation=generation.c.generation + 1))
            yield conn
        if imported_rows and self._reads is not None:
            self._reads.clear()

    # --- imported files
    def find_file(self, sha256: str) -> dict | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    select(ImportedFile.__table__).where(ImportedFile.__table__.c.sha256 == sha256)
                )
                .mappings()
                .first()
            )
        return dict(row) if row else None

    @staticmethod
    def add_file(conn: Connection, **values: object) -> int:
        values.setdefault("imported_at", datetime.now().replace(microsecond=0))
        result = conn.execute(insert(ImportedFile.__table__).values(**values))
        return int(result.inserted_primary_key[0])

    @staticmethod
    def update_file(conn: Connection, file_id: int, **values: object) -> None:
        table = ImportedFile.__table__
        conn.execute(table.update().where(table.c.id == file_id).values(**values))

    @staticmethod
    def clear(conn: Connection) -> None:
        """Delete every imported row and file (inside the caller's transaction)."""
        for table in TABLES.values():
            conn.execute(delete(table.__table__))
        conn.execute(delete(ImportedFile.__table__))

    # --- rows
    @staticmethod
    def existing_keys(conn: Connection, kind: str, frame: pl.DataFrame) -> pl.DataFrame:
        """The (shop, natural_key) pairs of ``frame`` already stored."""
        table = TABLES[kind].__table__
        names = ["shop", "natural_key"] if "shop" in table.c else ["natural_key"]
        found = bulk.existing_keys(conn, table, frame, names)
        return pl.DataFrame(found, schema=dict.fromkeys(names, pl.String), orient="row")

    @staticmethod
    def delete_keys(conn: Connection, kind: str, keys: list[str]) -> int:
        table = TABLES[kind].__table__
        removed = 0
        for start in range(0, len(keys), 900):
            result = conn.execute(
                delete(table).where(table.c.natural_key.in_(keys[start : start + 900]))
            )
            removed += result.rowcount or 0
        return removed

    @staticmethod
    def insert_rows(conn: Connection, kind: str, frame: pl.DataFrame) -> int:
        """Bulk insert ``frame`` (canonical columns plus file_id) into the kind's table. Ledger
        rows dated in a closed month are routed first (``closing.route``): a closed month's
        rows never change."""
        if kind == "ledger":
            frame = closing.route(conn, frame)
        return bulk.insert(conn, TABLES[kind].__table__, frame)

    # --- reading back
    def frame(self, kind: str, *where: object) -> pl.DataFrame:
        """Rows of a kind's table as a typed polars frame (``where``: SQLAlchemy conditions)."""
        table = TABLES[kind].__table__
        schema = {
            "id": pl.Int64,
            "file_id": pl.Int64,
            "source_row": pl.Int64,
            "natural_key": pl.String,
            **STORED[kind],
        }
        if self._reads is not None:
            # in a snapshot: read the whole table once; each condition becomes a polars filter
            filters = [bulk.as_polars(w) for w in where]
            if all(f is not None for f in filters):
                if kind not in self._reads:
                    with self.engine.connect() as conn:
                        self._reads[kind] = (
                            columns.read(
                                self.copies,
                                conn,
                                table,
                                schema,
                                lambda: bulk.read(conn, table, schema),
                            )
                            if self.copies is not None
                            else bulk.read(conn, table, schema)
                        )
                frame = self._reads[kind]
                if (
                    not filters
                    or frame.select(pl.all_horizontal(filters).all(ignore_nulls=False)).item()
                ):
                    return frame  # every row matches: the frame itself, not a copy
                return frame.filter(*filters)
        with self.engine.connect() as conn:
            frame = bulk.read(conn, table, schema, *where)
        return frame

    def files(self) -> pl.DataFrame:
        table = ImportedFile.__table__
        with self.engine.connect() as conn:
            rows = conn.execute(select(table).order_by(table.c.id)).mappings().all()
        schema = {c.name: _polars_type(c) for c in table.c}
        return pl.DataFrame([dict(r) for r in rows], schema=schema)

    def months(self) -> list[str]:
        """The months the ledger has entries for, in order (within a snapshot, from its read)."""
        if self._reads is not None and "ledger" in self._reads:
            return sorted(self._reads["ledger"]["month"].drop_nulls().unique().to_list())
        table = TABLES["ledger"].__table__
        with self.engine.connect() as conn:
            return [
                m for (m,) in conn.execute(select(table.c.month).distinct().order_by(table.c.month))
            ]

    def count(self, kind: str) -> int:
        table = TABLES[kind].__table__
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _polars_type(column) -> pl.DataType:  # type: ignore[no-untyped-def]
    python_type = column.type.python_type
    return {
        int: pl.Int64,
        str: pl.String,
        datetime: pl.Datetime("us"),
    }.get(python_type, pl.Date if python_type.__name__ == "date" else pl.String)
