"""Times in the workspace's time zone: a statement's clock turned into the seller's.

A Chinese seller's books run on Beijing time (``timezone`` in ``finance.toml``, default
``Asia/Shanghai``), while Amazon and Shopify write UTC or an offset (``2026-10-31T20:00:00Z``,
``2026-08-30 16:59:53 +0400``, ``… UTC``). Before a row is given its month, a time that carries
a zone is converted to the workspace's zone; a naive time is in the zone its rules file names
(``[parse] timezone``), else already in the workspace's. A date without a time of day stays the
date it is: there is no clock to convert. Every stored time is naive, in the workspace's zone.

The conversion moves a row between days and months, never money between rows.
"""

from __future__ import annotations

import re
from datetime import datetime

import polars as pl

from finance.errors import FinanceError

DEFAULT = "Asia/Shanghai"
"""The workspace's time zone when ``finance.toml`` names none."""

ZONE = r"\s*(?:UTC|GMT|Z|(?:UTC|GMT)?[+-]\d{2}:?\d{2})$"
"""A zone written after a time: ``Z``, ``UTC``, ``GMT``, ``+0400``, ``-04:00``, ``UTC+08:00``."""
OFFSET = r"([+-])(\d{2}):?(\d{2})$"
TIME_DIRECTIVES = re.compile(r"%[HIMSTRrXcpk]|%-[HIMS]")
"""strftime directives that read a time of day (a format without them reads a date)."""
ZONE_DIRECTIVES = re.compile(r"\s*%[:#]?z|\s*%Z")


def is_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone (``Asia/Shanghai``, ``UTC``, ``America/New_York``)."""
    try:
        pl.Series([datetime(2026, 1, 1)]).dt.replace_time_zone(name)
    except Exception:  # polars raises its own error types for an unknown zone
        return False
    return True


def check_zone(name: object, *, where: str) -> str:
    """``name`` if it is a time zone, else an error saying where it was written."""
    if not isinstance(name, str) or not is_zone(name):
        raise FinanceError("bad_timezone", value=name, where=where)
    return name


def local_format(fmt: str) -> str:
    """``fmt`` without its zone directive (``%z``, ``%:z``, ``%Z``): the zone is read apart."""
    return ZONE_DIRECTIVES.sub("", fmt)


def is_timed(fmt: str) -> bool:
    """Whether a strftime format reads a time of day."""
    return bool(TIME_DIRECTIVES.search(fmt))


def without_zone(text: pl.Expr) -> pl.Expr:
    """``text`` with a trailing zone removed."""
    return text.str.replace(ZONE, "")


def offset_minutes(text: pl.Expr) -> pl.Expr:
    """Minutes east of UTC of the zone written at the end of ``text``; null when none is."""
    zone = text.str.extract(r"(" + ZONE.removeprefix(r"\s*").removesuffix("$") + r")$", 1)
    zone = zone.str.strip_chars()
    parts = zone.str.extract_groups(OFFSET)
    minutes = parts.struct.field("2").cast(pl.Int64) * 60 + parts.struct.field("3").cast(pl.Int64)
    signed = pl.when(parts.struct.field("1") == "-").then(-minutes).otherwise(minutes)
    return pl.when(zone.is_null()).then(None).when(parts.struct.field("1").is_null()).then(0) \
        .otherwise(signed)  # fmt: skip


def localise(
    values: pl.Series,
    text: pl.Series,
    timed: pl.Series,
    *,
    zone: str,
    naive_zone: str | None = None,
) -> pl.Series:
    """``values`` (the wall clock each ``text`` wrote) in ``zone``.

    Where ``text`` names a zone, the wall clock is in that zone; elsewhere in ``naive_zone``
    (the rules file's ``[parse] timezone``), or already in ``zone`` when it names none. Where
    ``timed`` is false (a date with no time of day) the value is kept as it is.
    """
    frame = pl.DataFrame({"v": values, "t": text, "timed": timed}).with_columns(
        offset=offset_minutes(pl.col("t"))
    )
    v = pl.col("v")
    utc = v - pl.duration(minutes=pl.col("offset"))
    zoned = utc.dt.replace_time_zone("UTC").dt.convert_time_zone(zone).dt.replace_time_zone(None)
    out = pl.when(pl.col("timed") & pl.col("offset").is_not_null()).then(zoned)
    if naive_zone and naive_zone != zone:
        out = out.when(pl.col("timed") & pl.col("offset").is_null()).then(
            _from_zone(v, naive_zone, zone)
        )
    return frame.select(out.otherwise(v).alias(values.name)).to_series()


def _from_zone(wall: pl.Expr, source: str, target: str) -> pl.Expr:
    """A wall clock in ``source`` as the wall clock in ``target``. A time a clock change
    skips (02:30 when clocks jump to 03:00) is read in the offset before the jump; a time it
    repeats, as its first occurrence."""

    def convert(expr: pl.Expr) -> pl.Expr:
        return (
            expr.dt.replace_time_zone(source, ambiguous="earliest", non_existent="null")
            .dt.convert_time_zone(target)
            .dt.replace_time_zone(None)
        )

    hour = pl.duration(hours=1)
    return pl.coalesce(convert(wall), convert(wall - hour) + hour)
