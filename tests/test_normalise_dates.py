"""Dates are read format by format, each format only on what the ones before left unread: the
result is the same as trying every format on every value and taking the first that reads."""

from __future__ import annotations

from datetime import datetime

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from finance.normalise import _datetime_candidates, parse_datetimes
from finance.rulebook.load import DEFAULT_DATE_FORMATS

WRITTEN = [
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y年%m月%d日", "%Y%m%d",
    "%Y-%m-%dT%H:%M:%S+08:00", "%m/%d/%Y", "%d.%m.%Y",
]  # fmt: skip
moment = st.datetimes(datetime(1990, 1, 1), datetime(2060, 1, 1))
value = st.one_of(
    st.none(),
    st.builds(lambda d, f: d.strftime(f), moment, st.sampled_from(WRITTEN)),
    st.sampled_from(["45000", "45000.5", "", "bad", "2026-13-01", "2026-10-01 25:00:00"]),
    st.text(max_size=8),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(value, max_size=30), st.sampled_from([DEFAULT_DATE_FORMATS, ("%m/%d/%Y",)]))
def test_reading_format_by_format_is_reading_every_format_at_once(
    texts: list[str | None], formats: tuple[str, ...]
) -> None:
    column = pl.Series("t", texts, dtype=pl.String)
    at_once = column.to_frame().select(pl.coalesce(_datetime_candidates(pl.col("t"), formats)))
    assert parse_datetimes(column, formats).to_list() == at_once.to_series().to_list()
