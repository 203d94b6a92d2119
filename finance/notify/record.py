"""What each group robot was sent: one row per accepted post, one per alert it carried.

Like the email digest's history (``finance.history``): only a post the robot accepted is
recorded, so a failed post leaves everything to be sent next time, and an alert recorded for a
robot is never posted to that robot again (for its month or a later one).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl
from sqlalchemy import insert, select

from finance.store import Store
from finance.store.tables import RobotAlert, RobotPost

ALERT_COLUMNS = ("key", "rule", "severity", "platform", "shop", "sku", "figure")


def posted_keys(store: Store, robot: str, month: str) -> set[str]:
    """The alerts posted to ``robot`` for ``month`` or an earlier one."""
    posts, alerts = RobotPost.__table__, RobotAlert.__table__  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(alerts.c.key)
            .join(posts, posts.c.id == alerts.c.post_id)
            .where((posts.c.robot == robot) & (posts.c.month <= month))
        ).all()
    return {r[0] for r in rows}


def posted_for(store: Store, robot: str, month: str) -> bool:
    """Whether ``robot`` was sent ``month``'s digest before."""
    posts = RobotPost.__table__  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        found = conn.execute(
            select(posts.c.id).where((posts.c.robot == robot) & (posts.c.month == month)).limit(1)
        ).first()
    return found is not None


def mark_posted(
    store: Store,
    robot: str,
    month: str,
    alerts: pl.DataFrame,
    *,
    persisting: int,
    now: datetime | None = None,
) -> int:
    """Record a post the robot accepted, with the alerts it carried. Returns its id."""
    with store.transaction(imported_rows=False) as conn:
        result = conn.execute(
            insert(RobotPost.__table__).values(  # type: ignore[attr-defined]
                robot=robot,
                month=month,
                posted_at=now or datetime.now().replace(microsecond=0),
                new=alerts.height,
                persisting=persisting,
            )
        )
        post_id = int(result.inserted_primary_key[0])
        rows = [
            {"post_id": post_id, **{c: row[c] for c in ALERT_COLUMNS}}
            for row in alerts.select(ALERT_COLUMNS).to_dicts()
        ]
        if rows:
            conn.execute(insert(RobotAlert.__table__), rows)  # type: ignore[attr-defined]
    return post_id


def posts(store: Store) -> pl.DataFrame:
    """Every post, oldest first: robot, month, posted_at, new, persisting."""
    table = RobotPost.__table__  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.id)).mappings().all()
    schema = {
        "id": pl.Int64,
        "robot": pl.String,
        "month": pl.String,
        "posted_at": pl.Datetime("us"),
        "new": pl.Int64,
        "persisting": pl.Int64,
    }
    return pl.DataFrame([{c: r[c] for c in schema} for r in rows], schema=schema)
