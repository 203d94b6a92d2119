"""The emailed digest: the month's top alerts (new, persisting, cleared) and headline figures.

``compose`` builds a multipart message (plain text and HTML, ``pnl.xlsx`` attached or its path
when too large); ``send`` hands it to the SMTP server from ``finance.toml`` ``[mail]`` (STARTTLS
or SSL, the password only from ``FINANCE_SMTP_PASSWORD``); ``run`` does both and records the
digest only once the server accepted it. ``--dry-run`` writes ``reports/YYYY-MM/digest.eml``.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import polars as pl

from finance import history, i18n
from finance.alerts import SEVERITY_NAMES, month_alerts
from finance.errors import FinanceError
from finance.money import format_cents
from finance.report.html import environment
from finance.store import Store
from finance.workspace import Workspace

PASSWORD_ENV = "FINANCE_SMTP_PASSWORD"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class MailSettings:
    """``finance.toml`` ``[mail]``."""

    host: str | None = None
    port: int | None = None
    security: str = "starttls"
    user: str | None = None
    sender: str = "finance@localhost"
    to: tuple[str, ...] = ()
    schedule: tuple[str, ...] = ()
    attach_max_kb: int = 5120
    top: int = 10
    cafile: str | None = None
    timeout: float = 30.0

    @property
    def smtp_port(self) -> int:
        if self.port:
            return self.port
        return {"ssl": 465, "starttls": 587}.get(self.security, 25)


def mail_settings(ws: Workspace) -> MailSettings:
    raw = dict(ws.settings.get("mail", {}))
    to = raw.get("to", [])
    schedule = raw.get("schedule", [])
    security = str(raw.get("security", "starttls")).lower()
    if security not in SECURITY:
        raise FinanceError(
            "mail_bad_setting", key="security", value=security, expected=", ".join(SECURITY)
        )
    return MailSettings(
        host=raw.get("host") or raw.get("smtp_host"),
        port=raw.get("port") or raw.get("smtp_port"),
        security=security,
        user=raw.get("user"),
        sender=str(raw.get("sender", "finance@localhost")),
        to=tuple([to] if isinstance(to, str) else to),
        schedule=tuple([schedule] if isinstance(schedule, str) else schedule),
        attach_max_kb=int(raw.get("attach_max_kb", 5120)),
        top=int(ws.settings.get("alerts", {}).get("top", 10)),
        cafile=raw.get("cafile"),
        timeout=float(raw.get("timeout", 30)),
    )


# --- the message


@dataclass(frozen=True)
class Item:
    severity: str
    severity_name: str
    text: str


@dataclass(frozen=True)
class Group:
    heading: str
    items: list[Item]
    more: str = ""


@dataclass(frozen=True)
class DigestContext:
    """What ``templates/digest.html`` and ``digest.txt`` see (as ``digest``)."""

    lang: str
    subject: str
    title: str
    summary: str
    figures: list[tuple[str, str, str, str]]  # (label, value, css: "" or "neg", prior month)
    groups: list[Group]
    attachment_note: str
    footer: str


@dataclass
class Digest:
    month: str
    message: EmailMessage
    plan: history.Plan
    recipients: list[str] = field(default_factory=list)


def _items(frame: pl.DataFrame, lang: str, text_col: str = "message") -> list[Item]:
    return [
        Item(sev, SEVERITY_NAMES.get(sev, {}).get(lang, sev), str(text))
        for sev, text in frame.select("severity", text_col).iter_rows()
    ]


def _cleared_text(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    from finance.alerts import platform_label, rule_name, sentence

    return frame.with_columns(
        text=sentence(
            "digest_cleared_item",
            lang,
            rule=rule_name(lang),
            platform=platform_label(lang),
            shop=pl.col("shop"),
            sku=pl.col("sku").fill_null("-"),
            figure=pl.col("figure"),
        )
    )


def headline(ws: Workspace, store: Store, month: str, lang: str) -> list[tuple[str, str, str, str]]:
    """The month's headline figures (all shops) beside the prior month's when the store holds
    it, or nothing when nothing is imported."""
    from finance.month import month_result, report_history
    from finance.report import figures

    try:
        prior, _trend = report_history(ws, store, month)
        figs = figures(month_result(ws, store, month), prior=prior)
    except FinanceError as error:
        if error.key == "no_data_for_month":
            return []
        raise

    def money(cents: int | None) -> str:
        return "" if cents is None else format_cents(cents, grouped=True)

    def ratio(value: Decimal | None) -> str:
        return "-" if value is None else f"{value * 100:.2f}%"

    def before(text: str) -> str:
        return i18n.text("digest_prior", lang, value=text) if figs.prior_lines else ""

    net = figs.total("sales") - figs.total("refund")
    prior_net = (
        None
        if figs.prior_lines is None
        else (figs.prior_total("sales") or 0) - (figs.prior_total("refund") or 0)
    )
    margin, pct = figs.total("true_margin"), figs.ratios[-1]
    prior_pct = figs.prior_ratios[-1] if figs.prior_ratios else None
    return [
        (i18n.text("digest_fig_net", lang), money(net), "", before(money(prior_net))),
        (
            i18n.text("digest_fig_margin", lang),
            money(margin),
            "neg" if margin < 0 else "",
            before(money(figs.prior_total("true_margin"))),
        ),
        (
            i18n.text("digest_fig_margin_pct", lang),
            ratio(pct),
            "neg" if pct is not None and pct < 0 else "",
            before(ratio(prior_pct)),
        ),
        (
            i18n.text("digest_fig_unallocated", lang),
            money(figs.unallocated_total[-1]),
            "",
            "",
        ),
    ]


def _workbook(ws: Workspace, store: Store, month: str, lang: str) -> Path | None:
    """``reports/YYYY-MM/pnl.xlsx``, written first when it is not there yet."""
    from finance.pipeline import write_reports

    path = ws.reports(month) / "pnl.xlsx"
    if not path.is_file():
        try:
            write_reports(ws, store, month, lang=lang)
        except FinanceError as error:
            if error.key != "no_data_for_month":
                raise
    return path if path.is_file() else None


def compose(
    ws: Workspace,
    store: Store,
    month: str,
    *,
    to: list[str] | None = None,
    lang: str | None = None,
    settings: MailSettings | None = None,
) -> Digest:
    """The month's digest message, its alerts sorted against the digests already sent."""
    from finance.month import check_month

    check_month(month)
    lang = lang or ws.language
    settings = settings or mail_settings(ws)
    alerts = month_alerts(ws, store, month, lang=lang)
    history.record(store, month, alerts)
    plan = history.plan(store, month, alerts)
    counts = plan.counts
    subject = i18n.text("digest_subject", lang, month=month, **counts)
    top = max(settings.top, 1)
    groups = []
    for state, frame in (("new", plan.new), ("persisting", plan.persisting)):
        if frame.height:
            more = frame.height - top
            groups.append(
                Group(
                    heading=i18n.text(f"digest_{state}", lang, n=frame.height),
                    items=_items(frame.head(top), lang),
                    more=i18n.text("digest_more", lang, n=more) if more > 0 else "",
                )
            )
    if plan.cleared.height:
        cleared = _cleared_text(plan.cleared, lang)
        groups.append(
            Group(
                heading=i18n.text("digest_cleared", lang, n=cleared.height),
                items=_items(cleared.head(top), lang, "text"),
                more=i18n.text("digest_more", lang, n=cleared.height - top)
                if cleared.height > top
                else "",
            )
        )
    workbook = _workbook(ws, store, month, lang)
    attach = workbook is not None and workbook.stat().st_size <= settings.attach_max_kb * 1024
    if workbook is None:
        note = i18n.text("digest_no_workbook", lang, month=month)
    elif attach:
        note = i18n.text("digest_attached", lang, file=f"pnl-{month}.xlsx")
    else:
        note = i18n.text("digest_too_large", lang, path=workbook.resolve().as_posix())
    total = alerts.height
    context = DigestContext(
        lang=lang,
        subject=subject,
        title=i18n.text("digest_title", lang, month=month),
        summary=i18n.text("digest_summary", lang, total=total, **counts)
        if total or counts["cleared"]
        else i18n.text("alerts_none", lang, month=month),
        figures=headline(ws, store, month, lang),
        groups=groups,
        attachment_note=note,
        footer=i18n.text("digest_footer", lang, workspace=ws.root.resolve().as_posix()),
    )
    templates = ws.root / "templates"
    env = environment(templates if templates.is_dir() else None)
    html = env.get_template("digest.html").render(digest=context)
    env.autoescape = False
    text = env.get_template("digest.txt").render(digest=context)

    recipients = list(to) if to else list(settings.to)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = ", ".join(recipients) or "undisclosed-recipients:;"
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    if attach and workbook is not None:
        maintype, subtype = XLSX.split("/")
        message.add_attachment(
            workbook.read_bytes(), maintype=maintype, subtype=subtype, filename=f"pnl-{month}.xlsx"
        )
    return Digest(month=month, message=message, plan=plan, recipients=recipients)


# --- sending


def send(message: EmailMessage, settings: MailSettings, recipients: list[str]) -> None:
    """Hand the message to the SMTP server; any failure is a FinanceError saying what failed."""
    if not settings.host:
        raise FinanceError("mail_not_configured")
    if not recipients:
        raise FinanceError("mail_no_recipients")
    password = os.environ.get(PASSWORD_ENV)
    if settings.user and not password:
        raise FinanceError("mail_no_password", user=settings.user, env=PASSWORD_ENV)
    context = ssl.create_default_context(cafile=settings.cafile)
    host, port = settings.host, settings.smtp_port
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=settings.timeout, context=context
            )
        else:
            client = smtplib.SMTP(host, port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user:
                client.login(settings.user, password or "")
            client.send_message(message, to_addrs=recipients)
    except UnicodeEncodeError as error:  # smtplib sends user and password as ASCII only
        raise FinanceError(
            "mail_login_refused",
            host=host,
            port=port,
            user=settings.user,
            reason="the user name and password must be ASCII for SMTP AUTH",
        ) from error
    except smtplib.SMTPAuthenticationError as error:
        raise FinanceError(
            "mail_login_refused", host=host, port=port, user=settings.user, reason=_why(error)
        ) from error
    except (smtplib.SMTPException, ssl.SSLError, OSError) as error:
        raise FinanceError("mail_failed", host=host, port=port, reason=_why(error)) from error


def _why(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        detail = error.smtp_error
        text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


@dataclass(frozen=True)
class Outcome:
    month: str
    sent: bool
    path: Path | None  # the .eml written by a dry run
    recipients: list[str]
    counts: dict[str, int]


def run(
    ws: Workspace,
    store: Store,
    month: str,
    *,
    to: list[str] | None = None,
    dry_run: bool = False,
    lang: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Compose the digest and send it (recorded as sent only when the server accepted it), or
    with ``dry_run`` write it to ``reports/YYYY-MM/digest.eml`` and record nothing."""
    settings = mail_settings(ws)
    digest = compose(ws, store, month, to=to, lang=lang, settings=settings)
    if dry_run:
        path = ws.reports(month) / "digest.eml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(digest.message.as_bytes())
        return Outcome(month, False, path, digest.recipients, digest.plan.counts)
    send(digest.message, settings, digest.recipients)
    history.mark_sent(
        store,
        month,
        digest.plan,
        recipients=digest.recipients,
        subject=str(digest.message["Subject"]),
        now=now,
    )
    return Outcome(month, True, None, digest.recipients, digest.plan.counts)
