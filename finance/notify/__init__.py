"""The digest where the team talks: email (``finance.digest``) and the group robots of
企业微信, 钉钉 and 飞书 configured in ``finance.toml`` ``[notify]``.

``send_digest`` is what ``finance digest`` and ``finance watch`` call: it sends the email when
``[mail]`` is set (or ``--to`` is given) and posts to every robot; ``post_digest`` does the
robots alone. Each robot is sent the month, the headline figures, the alerts it has not been sent
before (``record``: never the same alert twice) and where the full report is, as its platform's
markdown or card (``platforms``), signed with the secret from the environment when there is one
(``FINANCE_DINGTALK_SECRET``, ``FINANCE_FEISHU_SECRET``), tried again with back-off when
refused (``post``). A post the robot did not accept records nothing, so the next digest carries
the same alerts.

The package, one module per concern: ``settings`` (``[notify]``), ``message`` (what is said),
``platforms`` (each platform's layout, signature and answer), ``post`` (HTTP and retries),
``record`` (what each robot was sent).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from finance import digest as mail
from finance import history, i18n
from finance.errors import FinanceError
from finance.notify import platforms, record
from finance.notify.message import RobotDigest, compose
from finance.notify.post import Poster, deliver, http_post
from finance.notify.settings import SECRET_ENV, NotifySettings, Robot, notify_settings
from finance.store import Store
from finance.workspace import Workspace

CLAIM_STALE = timedelta(minutes=10)
"""A robot's claim older than this belongs to a process that died while posting."""

__all__ = [
    "SECRET_ENV",
    "Delivered",
    "NotifySettings",
    "Robot",
    "RobotDigest",
    "RobotOutcome",
    "notify_settings",
    "post_digest",
    "send_digest",
]


@dataclass(frozen=True)
class RobotOutcome:
    """What became of one robot's post: ``posted``, ``nothing_new``, ``written`` (a dry run),
    ``busy`` (another process is posting it) or ``failed``; ``message`` says so in words."""

    robot: Robot
    status: str
    message: str
    alerts: int = 0
    attempts: int = 0
    path: Path | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def _hint(platform: str, kind: str, lang: str) -> str:
    if kind == "rate":
        return i18n.text("notify_hint_rate", lang)
    if kind == "key":
        env = SECRET_ENV.get(platform, "-")
        return i18n.text("notify_hint_key", lang, env=env)
    return ""


def post_one(
    ws: Workspace,
    store: Store,
    month: str,
    robot: Robot,
    settings: NotifySettings,
    *,
    lang: str,
    dry_run: bool = False,
    now: datetime | None = None,
    post: Poster = http_post,
    sleep: Callable[[float], None] = time.sleep,
) -> RobotOutcome:
    """Compose, post and record one robot's digest for ``month``."""
    said = compose(ws, store, month, robot, settings, lang=lang)
    if said is None:
        text = i18n.text("notify_nothing_new", lang, robot=robot.label, month=month)
        return RobotOutcome(robot, "nothing_new", text)
    body, kept = platforms.payload(robot.platform, said)
    if dry_run:
        path = ws.reports(month) / f"robot-{robot.name.replace(':', '-')}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        text = i18n.text("notify_written", lang, robot=robot.label, path=path.as_posix())
        return RobotOutcome(robot, "written", text, kept, 0, path)
    secret = os.environ.get(SECRET_ENV.get(robot.platform, ""), "") or None
    delivery = deliver(
        robot.platform,
        robot.url,
        body,
        secret=secret,
        retries=settings.retries,
        backoff=settings.backoff,
        timeout=settings.timeout,
        post=post,
        sleep=sleep,
    )
    if not delivery.ok:
        last = delivery.last
        reason = f"{last.code} {last.message}".strip()
        hint = _hint(robot.platform, last.kind, lang)
        text = i18n.text(
            "notify_failed",
            lang,
            robot=robot.label,
            month=month,
            attempts=delivery.attempts,
            reason=f"{reason} ({hint})" if hint else reason,
        )
        return RobotOutcome(robot, "failed", text, 0, delivery.attempts)
    record.mark_posted(
        store, robot.name, month, said.posted.head(kept), persisting=said.persisting_count, now=now
    )
    text = i18n.text("notify_posted", lang, robot=robot.label, month=month, new=kept)
    return RobotOutcome(robot, "posted", text, kept, delivery.attempts)


def post_digest(
    ws: Workspace,
    store: Store,
    month: str,
    *,
    lang: str | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
    post: Poster = http_post,
    sleep: Callable[[float], None] = time.sleep,
) -> list[RobotOutcome]:
    """Post the month's digest to every robot in ``[notify]`` (one at a time per robot and
    month: a second process finds the robot claimed and leaves it)."""
    from finance.month import check_month

    check_month(month)
    settings = notify_settings(ws)
    lang = lang or ws.language
    holder = f"notify:{os.getpid()}:{time.monotonic_ns()}"
    out = []
    for robot in settings.robots:
        claim = f"robot:{robot.name}:{month}"
        if not dry_run and not history.claim(store, claim, holder, stale_after=CLAIM_STALE):
            text = i18n.text("notify_busy", lang, robot=robot.label, month=month)
            out.append(RobotOutcome(robot, "busy", text))
            continue
        try:
            out.append(
                post_one(
                    ws,
                    store,
                    month,
                    robot,
                    settings,
                    lang=lang,
                    dry_run=dry_run,
                    now=now,
                    post=post,
                    sleep=sleep,
                )
            )
        finally:
            if not dry_run:
                history.release(store, claim, holder)
    return out


@dataclass
class Delivered:
    """Everything ``send_digest`` did: the email (or why it failed) and each robot's post."""

    mail: mail.Outcome | None = None
    mail_error: FinanceError | None = None
    robots: list[RobotOutcome] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.mail_error is not None or any(r.failed for r in self.robots)

    def problems(self, lang: str) -> list[str]:
        """What failed, in words of ``lang``."""
        out = [self.mail_error.render(lang)] if self.mail_error is not None else []
        return out + [r.message for r in self.robots if r.failed]

    @property
    def anything(self) -> bool:
        """Whether any channel delivered (or, in a dry run, wrote) the digest."""
        return self.mail is not None or any(
            r.status in ("posted", "written", "nothing_new") for r in self.robots
        )


def send_digest(
    ws: Workspace,
    store: Store,
    month: str,
    *,
    to: list[str] | None = None,
    dry_run: bool = False,
    lang: str | None = None,
    now: datetime | None = None,
    post: Poster = http_post,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivered:
    """The month's digest on every channel set up: email when ``[mail]`` has a host (or ``to``
    is given; a dry run always writes the ``.eml``), and every ``[notify]`` robot. A channel
    that fails does not stop the others; nothing set up at all is an error."""
    robots = notify_settings(ws).robots
    wants_mail = dry_run or bool(to) or bool(mail.mail_settings(ws).host) or not robots
    done = Delivered()
    if wants_mail:
        try:
            done.mail = mail.run(ws, store, month, to=to, dry_run=dry_run, lang=lang, now=now)
        except FinanceError as error:
            if not robots:
                raise
            done.mail_error = error
    if robots:
        done.robots = post_digest(
            ws, store, month, lang=lang, dry_run=dry_run, now=now, post=post, sleep=sleep
        )
    return done
