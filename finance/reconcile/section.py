"""The Reconciliation sheet of ``pnl.xlsx`` and section of ``report.html`` (a report ``Section``):
totals by kind (and receivables by age) above the exceptions, largest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from finance import i18n
from finance.money import format_cents
from finance.reconcile.text import BUCKETS, KIND_NAMES, STATUS_NAMES, bucket
from finance.section import Section

if TYPE_CHECKING:
    from finance.store import Store
    from finance.workspace import Workspace

COLUMNS = i18n.section("reconcile_columns")


def summary_lines(exceptions: pl.DataFrame, month: str, lang: str) -> list[str]:
    """Totals by kind (and receivables by age bucket), in ``lang``."""
    live = exceptions.filter(pl.col("status") != "resolved")
    counts = exceptions.group_by("status").len()
    by_status = dict(zip(counts["status"].to_list(), counts["len"].to_list(), strict=True))
    lines = [
        i18n.text(
            "recon_title",
            lang,
            month=month,
            count=live.height,
            amount=format_cents(int(live["amount"].sum())),
            new=by_status.get("new", 0),
            open=by_status.get("open", 0),
            resolved=by_status.get("resolved", 0),
        )
    ]
    totals = live.group_by("kind").agg(count=pl.len(), amount=pl.col("amount").sum())
    for kind, names in KIND_NAMES.items():
        row = totals.filter(pl.col("kind") == kind)
        if row.height:
            lines.append(
                i18n.text(
                    "recon_kind_line",
                    lang,
                    kind=names[lang],
                    count=int(row["count"][0]),
                    amount=format_cents(int(row["amount"][0])),
                )
            )
    ages = (
        live.filter(pl.col("kind").is_in(["timing", "missing_settlement"]))
        .with_columns(bucket=bucket(pl.col("age_days")))
        .group_by("bucket")
        .agg(amount=pl.col("amount").sum())
    )
    if ages.height:
        amounts = dict(zip(ages["bucket"].to_list(), ages["amount"].to_list(), strict=True))
        text = " · ".join(f"{b}: {format_cents(int(amounts.get(b, 0)))}" for b in BUCKETS)
        lines.append(i18n.text("recon_ageing", lang, buckets=text))
    return lines


def section(
    exceptions: pl.DataFrame, month: str, lang: str, counted_once: pl.DataFrame | None = None
) -> Section:
    """The section for ``exceptions`` (``reconcile(...).exceptions``); text cells in ``lang``.
    ``counted_once``: the month's ad reports against the statements' charges (one line each)."""
    from finance.reconcile.counted import summary_lines as counted_lines

    extra = (
        {} if counted_once is None else {lg: counted_lines(counted_once, lg) for lg in i18n.LANGS}
    )
    frame = exceptions.sort(["amount", "kind"], descending=[True, False]).with_columns(
        kind=pl.col("kind").replace_strict({k: v[lang] for k, v in KIND_NAMES.items()}),
        status=pl.col("status").replace_strict({k: v[lang] for k, v in STATUS_NAMES.items()}),
        ageing=bucket(pl.col("age_days")),
        detail=pl.col("detail_zh") if lang == "zh-CN" else pl.col("detail"),
    )
    return Section(
        key="reconciliation",
        title=i18n.per_lang("recon_section_title"),
        frame=frame.select(list(COLUMNS)),
        labels=COLUMNS,
        money=("amount",),
        summary={lg: summary_lines(exceptions, month, lg) + extra.get(lg, []) for lg in i18n.LANGS},
    )


def provide(ws: Workspace, store: Store, month: str) -> list[Section]:
    """The report provider: reconcile the month and show it (text in every language; the
    workspace's is the default)."""
    from dataclasses import replace

    from finance.reconcile import reconcile

    result = reconcile(ws, store, month)
    frames = {lg: section(result.exceptions, month, lg).frame for lg in i18n.LANGS}
    shown = section(result.exceptions, month, ws.language, result.counted_once)
    return [replace(shown, frames=frames)]
