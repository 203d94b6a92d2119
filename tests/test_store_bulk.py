"""The bulk path of the store (finance/store/bulk.py): what goes in comes out, value for value,
on SQLite and PostgreSQL; a snapshot's shared reads never outlive a write of imported rows."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
from sqlalchemy import column

from finance.store import Store

TRICKY = ["NULL", "", None, 'it\'s, "quoted"\nand two lines', "普通文本", "=1+1", "\\N"]


def _file(store: Store, conn, name: str) -> int:  # type: ignore[no-untyped-def]
    return store.add_file(
        conn, name=name, sha256=name, format="f", kind="returns", platform="tmall",
        encoding="utf-8",
    )  # fmt: skip


def _returns(file_id: int, n: int, start: int = 0) -> pl.DataFrame:
    memo = [TRICKY[i % len(TRICKY)] for i in range(start, start + n)]
    return pl.DataFrame(
        {
            "file_id": [file_id] * n,
            "source_row": list(range(start, start + n)),
            "natural_key": [f"k{i}" for i in range(start, start + n)],
            "platform": ["tmall"] * n,
            "shop": ["店"] * n,
            "order_id": memo,
            "refund_id": [None if i % 3 else f"R{i}" for i in range(start, start + n)],
            "amount": [(-1) ** i * i * 101 for i in range(start, start + n)],
            "quantity": [None if i % 4 == 0 else i for i in range(start, start + n)],
            "goods_returned": [i % 2 == 0 for i in range(start, start + n)],
            "unsellable": [False] * n,
            "completed_at": [
                None
                if i % 5 == 0
                else datetime(2026, 10, 1 + i % 28, i % 24, 7, 9, 120000 * (i % 2))
                for i in range(start, start + n)
            ],
        },
        schema_overrides={"quantity": pl.Int64, "refund_id": pl.String},
    )


def test_rows_come_back_value_for_value(store: Store) -> None:
    with store.transaction() as conn:
        fid = _file(store, conn, "a")
        frame = _returns(fid, 50).with_columns(order_id=pl.col("order_id").fill_null("x"))
        store.insert_rows(conn, "returns", frame)
    back = store.frame("returns").sort("source_row")
    cols = [c for c in frame.columns if c in back.columns]
    assert back.select(cols).equals(frame.select(cols)), back.select(cols).head()
    assert back["order_id"].to_list()[:7] == [t if t is not None else "x" for t in TRICKY]


def test_existing_keys_finds_only_the_same_shop(store: Store) -> None:
    with store.transaction() as conn:
        fid = _file(store, conn, "a")
        store.insert_rows(conn, "returns", _returns(fid, 10).with_columns(order_id=pl.lit("o")))
    probe = _returns(0, 15, start=5).with_columns(order_id=pl.lit("o"))
    other = probe.with_columns(shop=pl.lit("别的店"))
    with store.transaction() as conn:
        found = store.existing_keys(conn, "returns", pl.concat([probe, other]))
    assert set(found.rows()) == {("店", f"k{i}") for i in range(5, 10)}


def test_a_snapshot_forgets_its_reads_when_rows_are_written(store: Store) -> None:
    with store.transaction() as conn:
        fid = _file(store, conn, "a")
        store.insert_rows(conn, "returns", _returns(fid, 4).with_columns(order_id=pl.lit("o")))
    with store.snapshot():
        assert store.frame("returns").height == 4
        assert store.frame("returns", column("source_row") >= 2).height == 2
        with store.transaction(imported_rows=False):
            pass  # an alert or a finding written: the reads stay
        assert store.frame("returns").height == 4
        with store.transaction() as conn:
            fid = _file(store, conn, "b")
            more = _returns(fid, 3, start=4).with_columns(order_id=pl.lit("o"))
            store.insert_rows(conn, "returns", more)
        assert store.frame("returns").height == 7
        assert store.frame("returns", column("source_row") >= 2).height == 5
    assert store.frame("returns", column("completed_at") <= datetime(2026, 10, 3)).height == (
        store.frame("returns").filter(pl.col("completed_at") <= datetime(2026, 10, 3)).height
    )
    assert store.frame("returns").schema["completed_at"] == pl.Datetime("us")
    assert date(2026, 10, 1) <= store.frame("returns")["completed_at"].min().date()


def test_a_snapshot_filter_reads_as_the_database_would(store: Store) -> None:
    """Inside a snapshot a condition is a polars filter over the shared read: a row whose
    value is NULL never matches (as in SQL), even when every other row does."""
    with store.transaction() as conn:
        fid = _file(store, conn, "a")
        store.insert_rows(conn, "returns", _returns(fid, 12).with_columns(order_id=pl.lit("o")))
    late = datetime(2027, 1, 1)
    outside = {
        "all": store.frame("returns", column("source_row") >= 0).height,
        "dated": store.frame("returns", column("completed_at") <= late).height,
    }
    with store.snapshot():
        inside = {
            "all": store.frame("returns", column("source_row") >= 0).height,
            "dated": store.frame("returns", column("completed_at") <= late).height,
        }
    assert inside == outside == {"all": 12, "dated": 12 - 3}  # rows 0, 5, 10 have no date
