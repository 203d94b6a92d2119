"""Columnar copies of whole-table reads (finance/store/columns.py): a copy is read only while it
is certainly the table's rows; every write of imported rows, a writer that bypasses the store,
a new database at the same path, rows written during the read and a damaged copy all send the
read back to SQLite."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text

from finance.store import Store, bulk

from .test_store_bulk import _file
from .test_store_bulk import _returns as _tricky


def _returns(file_id: int, n: int, start: int = 0) -> pl.DataFrame:
    return _tricky(file_id, n, start).with_columns(order_id=pl.col("order_id").fill_null("o"))


@pytest.fixture
def db(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{(tmp_path / 'ledger.sqlite').as_posix()}")
    with store.transaction() as conn:
        fid = _file(store, conn, "a")
        store.insert_rows(conn, "returns", _returns(fid, 9))
    return store


def _read(store: Store) -> pl.DataFrame:
    with store.snapshot():
        return store.frame("returns")


@pytest.fixture
def sqlite_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables read from SQLite (not from a copy), in order."""
    seen: list[str] = []
    real = bulk.read

    def counting(conn, table, schema, *where):  # type: ignore[no-untyped-def]
        seen.append(table.name)
        return real(conn, table, schema, *where)

    monkeypatch.setattr(bulk, "read", counting)
    return seen


def _copies(store: Store) -> list[str]:
    assert store.copies is not None
    return sorted(p.name for p in store.copies.glob("return_line-*.parquet"))


def test_a_second_read_comes_from_the_copy_value_for_value(db: Store, sqlite_reads) -> None:
    first = _read(db)
    assert sqlite_reads == ["return_line"] and len(_copies(db)) == 1
    second = _read(db)
    assert sqlite_reads == ["return_line"]  # no second SQLite read
    assert second.equals(first) and second.schema == first.schema


def test_an_import_makes_the_copy_old(db: Store, sqlite_reads) -> None:
    before = _read(db)
    with db.transaction() as conn:  # an overlapping export: same keys, other amounts
        db.delete_keys(conn, "returns", before["natural_key"].to_list()[-2:])
        again = _returns(int(before["file_id"][0]), 9).tail(2).with_columns(amount=pl.lit(1))
        db.insert_rows(conn, "returns", again)
    after = _read(db)
    assert sqlite_reads == ["return_line", "return_line"]
    assert after.height == 9 and after["amount"].tail(2).to_list() == [1, 1]
    assert len(_copies(db)) == 1  # the old copy is gone


def test_a_write_that_bypasses_the_store_is_seen(db: Store, sqlite_reads) -> None:
    _read(db)
    with db.engine.begin() as conn:  # e.g. an older version of finance: no generation raised
        conn.execute(text("DELETE FROM return_line WHERE source_row = 8"))
    assert _read(db).height == 8 and len(sqlite_reads) == 2


def test_a_new_database_at_the_same_path_never_meets_an_old_copy(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'ledger.sqlite').as_posix()}"
    old = Store(url)
    with old.transaction() as conn:
        old.insert_rows(conn, "returns", _returns(_file(old, conn, "a"), 9))
    assert _read(old)["amount"].sum() == _returns(1, 9)["amount"].sum()
    old.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"ledger.sqlite{suffix}").unlink(missing_ok=True)
    new = Store(url)  # the same rows' count, ids and generation, other amounts
    with new.transaction() as conn:
        rows = _returns(_file(new, conn, "a"), 9).with_columns(amount=pl.lit(7))
        new.insert_rows(conn, "returns", rows)
    assert _read(new)["amount"].to_list() == [7] * 9


def test_rows_written_during_the_read_are_not_kept_under_the_old_stamp(
    db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = bulk.read

    def racing(conn, table, schema, *where):  # type: ignore[no-untyped-def]
        frame = real(conn, table, schema, *where)
        with db.transaction() as other:  # another process imports meanwhile
            db.insert_rows(other, "returns", _returns(_file(db, other, "b"), 3, start=100))
        return frame

    monkeypatch.setattr(bulk, "read", racing)
    assert _read(db).height == 9
    assert _copies(db) == []
    monkeypatch.setattr(bulk, "read", real)
    assert _read(db).height == 12


def test_a_damaged_copy_is_read_from_the_database(db: Store, sqlite_reads) -> None:
    first = _read(db)
    (name,) = _copies(db)
    assert db.copies is not None
    (db.copies / name).write_bytes(b"not parquet")
    assert _read(db).equals(first) and len(sqlite_reads) == 2
