"""What a group robot says about a month, whatever its platform: the month, the headline figures
(the email digest's, ``finance.digest.headline``), the alerts this robot has not been sent yet
(top first, at most ``[alerts] top``), how many it was sent before that are still open, and where
the full report is (``[notify] link``, the dashboard, or the report's path on this machine).

Statement text (shop names, SKUs, fee names inside alert sentences) is made inert for the
platforms' markdown (``inert``): no link, tag, mention or emphasis can come from a statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from finance import i18n
from finance.alerts import SEVERITY_NAMES, month_alerts
from finance.digest import headline
from finance.errors import FinanceError
from finance.notify.record import posted_for, posted_keys
from finance.notify.settings import NotifySettings, Robot
from finance.store import Store
from finance.workspace import Workspace

INERT = str.maketrans(
    {
        "<": "＜",
        ">": "＞",
        "[": "［",
        "]": "］",
        "*": "＊",
        "`": "｀",
        "#": "＃",
        "@": "＠",
        "|": "｜",
        "\\": "＼",
        "~": "～",
    }
)


def inert(text: object) -> str:
    """Statement text as plain words in any of the robots' markdowns (one line, no markup)."""
    return re.sub(r"\s+", " ", str(text)).strip().translate(INERT)


@dataclass(frozen=True)
class Alert:
    severity: str  # high | medium | low
    severity_name: str
    text: str  # made inert


@dataclass(frozen=True)
class RobotDigest:
    """One post, before the platform's layout."""

    month: str
    lang: str
    title: str
    figures: list[tuple[str, str, str]]  # label, value, against the prior month
    alerts: list[Alert]
    heading: str  # "New alerts (3)"
    more: str  # "… and 4 more" or ""
    persisting: str  # "2 alerts posted before are still open." or ""
    report: str  # where the full report is (an address or a path)
    link: str | None  # the address, when there is one
    posted: pl.DataFrame = field(repr=False, default_factory=pl.DataFrame)  # what to record
    new_total: int = 0  # alerts this robot was never sent (listed or not)
    persisting_count: int = 0

    @property
    def worst(self) -> str | None:
        order = {"high": 0, "medium": 1, "low": 2}
        return min((a.severity for a in self.alerts), key=lambda s: order.get(s, 3), default=None)


def _report(ws: Workspace, store: Store, month: str, settings: NotifySettings) -> str:
    """The dashboard's page for the month, or the report file (written first when missing)."""
    if settings.link:
        return f"{settings.link.rstrip('/')}/#/overview/{month}"
    path = ws.reports(month) / "report.html"
    if not path.is_file():
        from finance.pipeline import write_reports

        try:
            write_reports(ws, store, month)
        except FinanceError as error:
            if error.key != "no_data_for_month":
                raise
    return path.resolve().as_posix()


def compose(
    ws: Workspace,
    store: Store,
    month: str,
    robot: Robot,
    settings: NotifySettings,
    *,
    lang: str,
) -> RobotDigest | None:
    """The month's post for ``robot``; None when there is nothing new to say (the month was
    posted before and every alert in it was too)."""
    alerts = month_alerts(ws, store, month, lang=lang)
    sent = posted_keys(store, robot.name, month)
    fresh = alerts.filter(~pl.col("key").is_in(list(sent)))
    still = alerts.height - fresh.height
    if fresh.height == 0 and posted_for(store, robot.name, month):
        return None
    top = max(settings.top, 1)
    shown = fresh.head(top)
    names = {k: v.get(lang, k) for k, v in SEVERITY_NAMES.items()}
    report = _report(ws, store, month, settings)
    return RobotDigest(
        month=month,
        lang=lang,
        title=i18n.text("robot_title", lang, month=month),
        figures=[
            (label, value, prior) for label, value, _css, prior in headline(ws, store, month, lang)
        ],
        alerts=[
            Alert(severity, names.get(severity, severity), inert(message))
            for severity, message in shown.select("severity", "message").iter_rows()
        ],
        heading=i18n.text("robot_new", lang, n=fresh.height)
        if fresh.height
        else i18n.text("robot_none", lang),
        more=i18n.text("robot_more", lang, n=fresh.height - top) if fresh.height > top else "",
        persisting=i18n.text("robot_persisting", lang, n=still) if still else "",
        report=report,
        link=report if settings.link else None,
        posted=shown,
        new_total=fresh.height,
        persisting_count=still,
    )
