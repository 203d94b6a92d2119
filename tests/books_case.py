"""Load a hand-written month (tests/fixtures_books/<case>/) into a store, as imported rows."""

from __future__ import annotations

import uuid
from pathlib import Path

import polars as pl

from finance.money import to_cents
from finance.schema import COST_SCALE, RATE_SCALE
from finance.store import Store

CASES = Path(__file__).resolve().parent / "fixtures_books"


def load_case(
    store: Store, name: str = "case", *, ledger: str = "ledger.csv", extras: bool = True
) -> None:
    """Every file of ``ledger`` as one imported file of its format, with the case's rates and
    unit costs (``extras``)."""
    folder = CASES / name
    rows = pl.read_csv(folder / ledger, infer_schema=False)
    with store.transaction() as conn:
        for (file, fmt, platform), part in rows.group_by(
            ["file", "format", "platform"], maintain_order=True
        ):
            fid = store.add_file(
                conn,
                name=file,
                sha256=uuid.uuid4().hex,
                format=fmt,
                kind="ledger",
                platform=platform,
                encoding="utf-8",
            )
            frame = part.with_row_index("source_row", offset=2).select(
                file_id=pl.lit(fid, pl.Int64),
                source_row=pl.col("source_row").cast(pl.Int64),
                natural_key=pl.format("{}:{}", "file", "source_row"),
                platform="platform",
                shop="shop",
                entry_id=pl.lit(None, pl.String),
                posted_at=pl.col("posted_at").str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us"),
                month=pl.col("posted_at").str.slice(0, 7),
                category="category",
                fee_name="fee_name",
                amount=to_cents(pl.col("amount")),
                currency="currency",
                order_id="order_id",
                sku="sku",
                quantity=pl.col("quantity").cast(pl.Int64),
                memo="memo",
            )
            store.insert_rows(conn, "ledger", frame)
        for kind, path in (("fx_rates", "fx.csv"), ("unit_costs", "costs.csv")):
            if not extras or not (folder / path).is_file():
                continue
            table = pl.read_csv(folder / path, infer_schema=False)
            fid = store.add_file(
                conn,
                name=path,
                sha256=uuid.uuid4().hex,
                format=kind.replace("_", "-"),
                kind=kind,
                platform="own",
                encoding="utf-8",
            )
            base = table.with_row_index("source_row", offset=2).with_columns(
                file_id=pl.lit(fid, pl.Int64),
                source_row=pl.col("source_row").cast(pl.Int64),
                natural_key=pl.format("{}:{}", pl.lit(path), "source_row"),
            )
            if kind == "fx_rates":
                frame = base.with_columns(
                    date=pl.col("date").str.to_date(),
                    rate=to_cents(pl.col("rate"), scale=RATE_SCALE),
                )
            else:
                frame = base.with_columns(
                    unit_cost=to_cents(pl.col("unit_cost"), scale=COST_SCALE),
                    effective_from=pl.col("effective_from").str.to_date(),
                    currency=pl.lit("CNY"),
                    weight_g=pl.lit(None, pl.Int64),
                )
            store.insert_rows(conn, kind, frame)
