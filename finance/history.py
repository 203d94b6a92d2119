"""What lasts of alerts: each month's alerts with when they were first seen, the digests sent,
and claims that keep two processes from doing the same work twice.

A digest sorts the month's alerts against the digests sent before it (for this month or an
earlier one): *new* alerts were never sent, *persisting* ones were, *cleared* ones were in the
last digest and are gone. Only a digest the mail server accepted is recorded, so an alert is
never sent as new twice, and a failed send leaves everything as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from finance.schema import ALERT_SCHEMA
from finance.store import Store
from finance.store.tables import AlertRecord, Claim, DigestAlert, DigestSent

SENT_SCHEMA: dict[str, pl.DataType] = {
    "digest_id": pl.Int64,
    "key": pl.String,
    "state": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "platform": pl.String,
    "shop": pl.String,
    "sku": pl.String,
    "figure": pl.String,
}


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def record(store: Store, month: str, alerts: pl.DataFrame, *, now: datetime | None = None) -> None:
    """Store the month's alerts as evaluated now (first_seen kept for alerts seen before)."""
    now = now or _now()
    for attempt in range(5):
        try:
            return _record(store, month, alerts, now)
        except IntegrityError:  # another process recorded the month at the same moment
            if attempt == 4:
                raise


def _record(store: Store, month: str, alerts: pl.DataFrame, now: datetime) -> None:
    table = AlertRecord.__table__
    with store.transaction(imported_rows=False) as conn:
        seen = dict(
            conn.execute(
                select(table.c.key, table.c.first_seen).where(table.c.month == month)
            ).all()
        )
        conn.execute(delete(table).where(table.c.month == month))
        rows = [
            {
                **{c: row[c] for c in ALERT_SCHEMA},
                "month": month,
                "first_seen": seen.get(row["key"], now),
                "last_seen": now,
            }
            for row in alerts.to_dicts()
        ]
        if rows:
            conn.execute(insert(table), rows)


def recorded(store: Store, month: str) -> pl.DataFrame:
    """The month's stored alerts with first_seen and last_seen."""
    table = AlertRecord.__table__
    with store.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.month == month)).mappings().all()
    schema = {
        **ALERT_SCHEMA,
        "first_seen": pl.Datetime("us"),
        "last_seen": pl.Datetime("us"),
    }
    return pl.DataFrame([{c: r[c] for c in schema} for r in rows], schema=schema)


def sent_before(store: Store, month: str) -> tuple[pl.DataFrame, int | None]:
    """Every alert sent in a digest for ``month`` or earlier, and the id of the last such digest."""
    digests, alerts = DigestSent.__table__, DigestAlert.__table__
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(*(alerts.c[c] for c in SENT_SCHEMA))
            .join(digests, digests.c.id == alerts.c.digest_id)
            .where(digests.c.month <= month)
        ).all()
        last = conn.execute(
            select(digests.c.id)
            .where(digests.c.month <= month)
            .order_by(digests.c.id.desc())
            .limit(1)
        ).scalar()
    return pl.DataFrame(rows, schema=SENT_SCHEMA, orient="row"), last


@dataclass(frozen=True)
class Plan:
    """A digest's alerts: new and persisting (ALERT_SCHEMA, top first) and cleared (SENT_SCHEMA)."""

    new: pl.DataFrame
    persisting: pl.DataFrame
    cleared: pl.DataFrame

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": self.new.height,
            "persisting": self.persisting.height,
            "cleared": self.cleared.height,
        }


def plan(store: Store, month: str, alerts: pl.DataFrame) -> Plan:
    """Sort the month's alerts into new / persisting / cleared since the last digest."""
    sent, last = sent_before(store, month)
    ever = sent.select("key").unique()
    in_last = sent.filter(pl.col("digest_id") == last) if last is not None else sent.clear()
    return Plan(
        new=alerts.join(ever, on="key", how="anti", maintain_order="left"),
        persisting=alerts.join(ever, on="key", how="semi", maintain_order="left"),
        cleared=in_last.join(alerts.select("key"), on="key", how="anti").sort(
            "rule", "platform", "shop", "sku", nulls_last=True
        ),
    )


def mark_sent(
    store: Store,
    month: str,
    digest: Plan,
    *,
    recipients: list[str],
    subject: str,
    now: datetime | None = None,
) -> int:
    """Record a digest the server accepted, with the alerts it carried. Returns its id."""
    with store.transaction(imported_rows=False) as conn:
        result = conn.execute(
            insert(DigestSent.__table__).values(
                month=month,
                sent_at=now or _now(),
                recipients=", ".join(recipients),
                subject=subject,
                **digest.counts,
            )
        )
        digest_id = int(result.inserted_primary_key[0])
        rows = pl.concat(
            [
                digest.new.with_columns(state=pl.lit("new")),
                digest.persisting.with_columns(state=pl.lit("persisting")),
            ]
        ).select(pl.lit(digest_id, pl.Int64).alias("digest_id"), *list(SENT_SCHEMA)[1:])
        if rows.height:
            conn.execute(insert(DigestAlert.__table__), rows.to_dicts())
    return digest_id


def digests(store: Store) -> pl.DataFrame:
    """Every digest sent, oldest first."""
    table = DigestSent.__table__
    with store.engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.id)).mappings().all()
    schema = {
        "id": pl.Int64,
        "month": pl.String,
        "sent_at": pl.Datetime("us"),
        "recipients": pl.String,
        "subject": pl.String,
        "new": pl.Int64,
        "persisting": pl.Int64,
        "cleared": pl.Int64,
    }
    return pl.DataFrame([{c: r[c] for c in schema} for r in rows], schema=schema)


# --- claims


def claim(store: Store, name: str, holder: str, *, stale_after: timedelta | None = None) -> bool:
    """Take the lease ``name`` for ``holder``; False when another holder has it.

    A lease older than ``stale_after`` (its holder died) is taken over. ``name`` is e.g.
    ``file:<sha256>`` or ``digest:2026-10:2026-11-25``.
    """
    table = Claim.__table__
    now = _now()
    if stale_after is not None:
        with store.transaction(imported_rows=False) as conn:
            conn.execute(
                delete(table).where(
                    (table.c.name == name) & (table.c.claimed_at < now - stale_after)
                )
            )
    try:
        with store.transaction(imported_rows=False) as conn:
            conn.execute(insert(table).values(name=name, holder=holder, claimed_at=now))
    except IntegrityError:
        return False
    return True


def release(store: Store, name: str, holder: str) -> None:
    """Give the lease back (only the holder can)."""
    table = Claim.__table__
    with store.transaction(imported_rows=False) as conn:
        conn.execute(delete(table).where((table.c.name == name) & (table.c.holder == holder)))


def held(store: Store, name: str) -> bool:
    table = Claim.__table__
    with store.engine.connect() as conn:
        return conn.execute(select(table.c.name).where(table.c.name == name)).first() is not None
