"""The digest against a real SMTP server on loopback (aiosmtpd, STARTTLS or SSL, with AUTH):
what the server received, a failed send recording nothing, and alert history."""

from __future__ import annotations

import email
import socket
import ssl
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from finance import digest, history
from finance.alerts import ALERT_SCHEMA
from finance.cli import app
from finance.errors import FinanceError
from finance.ingest import ingest
from finance.pipeline import import_costs

from .conftest import HANDCHECK, drop

aiosmtpd = pytest.importorskip("aiosmtpd")
trustme = pytest.importorskip("trustme")

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore:Requiring AUTH while not requiring TLS:UserWarning"  # SSL mode: the socket is TLS
)

MONTH = "2026-10"
USER, PASSWORD = "finance@shop.example", "s3cret-pa55"


@dataclass
class Recorder:
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)  # a refusal answers 535


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    mode: str
    port: int
    cafile: Path
    recorder: Recorder

    def mail(self, **extra: object) -> dict:
        return {
            "host": "127.0.0.1",
            "port": self.port,
            "security": self.mode,
            "user": USER,
            "sender": "finance@shop.example",
            "to": ["boss@shop.example"],
            "cafile": self.cafile.as_posix(),
            "timeout": 10,
        } | extra


@pytest.fixture(params=["starttls", "ssl"])
def smtp(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real SMTP server on 127.0.0.1 that wants TLS and a login, with a throwaway CA."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    recorder = Recorder()
    port = _free_port()
    common = {"authenticator": _authenticate, "auth_required": True}
    if request.param == "starttls":
        controller = Controller(
            recorder,
            hostname="127.0.0.1",
            port=port,
            tls_context=server_ctx,
            require_starttls=True,
            **common,
        )
    else:
        controller = Controller(
            recorder,
            hostname="127.0.0.1",
            port=port,
            ssl_context=server_ctx,
            auth_require_tls=False,  # the whole connection is TLS already
            **common,
        )
    controller.start()
    try:
        yield Server(request.param, port, cafile, recorder)
    finally:
        controller.stop()


@pytest.fixture
def month(ws, store, monkeypatch):  # type: ignore[no-untyped-def]
    """The hand-checked month imported (no unit costs yet: its SKUs raise alerts)."""
    drop(ws, *(HANDCHECK / n for n in ("ledger.csv", "orders.csv", "refunds.csv")))
    drop(ws, HANDCHECK / "wanxiangtai.csv")
    assert all(o.status == "imported" for o in ingest(ws, store))
    monkeypatch.setenv(digest.PASSWORD_ENV, PASSWORD)
    return MONTH


def test_the_server_receives_text_html_and_the_workbook(ws, store, month, smtp) -> None:  # type: ignore[no-untyped-def]
    ws.settings["mail"] = smtp.mail()
    outcome = digest.run(ws, store, month)
    assert outcome.sent and outcome.recipients == ["boss@shop.example"]
    [(sender, rcpts, message)] = smtp.recorder.received
    assert sender == "finance@shop.example" and rcpts == ["boss@shop.example"]
    assert message["To"] == "boss@shop.example" and message["Message-ID"]
    assert message["Subject"].startswith(f"[finance] {MONTH} 预警：新增 ")
    assert message.get_content_type() == "multipart/mixed"
    body = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert body is not None and html is not None
    text = body.get_content()
    assert "SKU-A" in text and "真实利润" in text and "没有成本价" in text
    assert "<li" in html.get_content() and "SKU-A" in html.get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"pnl-{MONTH}.xlsx"
    assert attachment.get_content_type() == digest.XLSX
    assert attachment.get_content() == (ws.reports(MONTH) / "pnl.xlsx").read_bytes()
    sent = history.digests(store)
    assert sent["month"].to_list() == [MONTH]
    assert sent["new"][0] == outcome.counts["new"] > 0


def test_login_refused_records_nothing(ws, store, month, smtp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(digest.PASSWORD_ENV, "wrong")
    ws.settings["mail"] = smtp.mail()
    with pytest.raises(FinanceError) as info:
        digest.run(ws, store, month)
    assert info.value.key == "mail_login_refused", info.value.render("en")
    assert "535" in info.value.render("en") and USER in info.value.render("zh-CN")
    assert smtp.recorder.received == []
    assert history.digests(store).height == 0
    # Nothing was recorded as sent: the next digest still calls every alert new.
    monkeypatch.setenv(digest.PASSWORD_ENV, PASSWORD)
    again = digest.run(ws, store, month)
    assert again.counts["persisting"] == 0 and again.counts["new"] > 0


@pytest.mark.parametrize("smtp", ["starttls"], indirect=True)
def test_server_down_is_a_clear_failure(ws, store, month, smtp) -> None:  # type: ignore[no-untyped-def]
    ws.settings["mail"] = smtp.mail(port=_free_port())
    with pytest.raises(FinanceError) as info:
        digest.run(ws, store, month)
    assert info.value.key == "mail_failed"
    assert "ConnectionRefusedError" in info.value.render("en")
    assert history.digests(store).height == 0


@pytest.mark.parametrize("smtp", ["starttls"], indirect=True)
def test_password_only_from_the_environment(ws, store, month, smtp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(digest.PASSWORD_ENV)
    ws.settings["mail"] = smtp.mail(password=PASSWORD)  # ignored: never read from the file
    with pytest.raises(FinanceError) as info:
        digest.run(ws, store, month)
    assert info.value.key == "mail_no_password"
    assert smtp.recorder.received == []


@pytest.mark.parametrize("smtp", ["starttls"], indirect=True)
def test_new_persisting_cleared(ws, store, month, smtp) -> None:  # type: ignore[no-untyped-def]
    ws.settings["mail"] = smtp.mail()
    first = digest.run(ws, store, month)
    second = digest.run(ws, store, month)
    assert second.counts == {"new": 0, "persisting": first.counts["new"], "cleared": 0}
    # Unit costs arrive: the "sold without a unit cost" alerts clear, and are said to.
    import_costs(ws, store, HANDCHECK / "costs.csv")
    third = digest.run(ws, store, month)
    assert third.counts["cleared"] >= 1
    text = smtp.recorder.received[-1][2].get_body(("plain",)).get_content()
    assert "已解除" in text and "缺少成本价：天猫/测试店 SKU-A" in text
    sent, _last = history.sent_before(store, MONTH)
    new_keys = sent.filter(pl.col("state") == "new").group_by("key").len()
    assert new_keys["len"].max() == 1  # the same alert is never sent as new twice


def test_dry_run_writes_eml_and_records_nothing(ws, store, month) -> None:  # type: ignore[no-untyped-def]
    ws.settings["mail"] = {"to": ["boss@shop.example"], "attach_max_kb": 0}
    outcome = digest.run(ws, store, month, dry_run=True, lang="en")
    assert not outcome.sent and outcome.path == ws.reports(MONTH) / "digest.eml"
    message = email.message_from_bytes(outcome.path.read_bytes(), policy=policy.default)
    assert message["Subject"].startswith(f"[finance] {MONTH} alerts: ")
    assert list(message.iter_attachments()) == []  # too large for attach_max_kb = 0
    text = message.get_body(("plain",)).get_content()
    assert "too large to attach" in text and "pnl.xlsx" in text
    assert "Net sales" in text and "True margin" in text
    assert history.digests(store).height == 0


def test_headline_figures_beside_the_prior_month(ws, store, month, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from finance import pipeline
    from finance.money import format_cents
    from finance.report import figures

    result = pipeline.month_result(ws, store, MONTH)
    figs = figures(result)
    net = figs.total("sales") - figs.total("refund")
    # Without a prior month in the store: the figures alone, thousands grouped.
    [first, *_] = digest.headline(ws, store, MONTH, "en")
    assert first == ("Net sales", format_cents(net, grouped=True), "", "")
    assert "," in first[1] or abs(net) < 100_000
    # With one (here: a stand-in equal to this month), each figure says what it was.
    from finance import month as month_module

    monkeypatch.setattr(month_module, "report_history", lambda *a, **k: (result, None))
    rows = digest.headline(ws, store, MONTH, "zh-CN")
    assert rows[0][3] == f"上月 {format_cents(net, grouped=True)}"
    assert rows[2][3] == f"上月 {rows[2][1]}"  # margin %: the same month, the same ratio
    assert rows[3][3] == ""  # unallocated: no comparison


def test_no_mail_server_is_a_clear_error(ws, store, month) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FinanceError) as info:
        digest.run(ws, store, month)
    assert info.value.key == "mail_not_configured"


# --- history, without a server


def alerts(*keys: str, severity: str = "high") -> pl.DataFrame:
    rows = []
    for key in keys:
        rule, platform, shop, sku = key.split("|")
        rows.append(
            {
                "severity": severity,
                "rule": rule,
                "platform": platform,
                "shop": shop,
                "sku": sku or None,
                "figure": "1.00",
                "threshold": "0.00",
                "amount": 100,
                "message": f"<b>{key}</b>",
                "key": key,
            }
        )
    return pl.DataFrame(rows, schema=ALERT_SCHEMA)


def _send(store, month: str, frame: pl.DataFrame) -> history.Plan:  # type: ignore[no-untyped-def]
    plan = history.plan(store, month, frame)
    history.mark_sent(store, month, plan, recipients=["x@y"], subject="s")
    return plan


def _keys(frame: pl.DataFrame) -> list[str]:
    return sorted(frame["key"].to_list())


def test_history_across_two_months(store) -> None:  # type: ignore[no-untyped-def]
    a, b, c = "margin_floor|tmall|店|A", "margin_floor|tmall|店|B", "missing_cost|tmall|店|C"
    sept = _send(store, "2026-09", alerts(a, b))
    assert _keys(sept.new) == [a, b]
    # October: A persists from September, B cleared, C is new.
    octo = _send(store, "2026-10", alerts(a, c))
    assert (_keys(octo.new), _keys(octo.persisting), _keys(octo.cleared)) == ([c], [a], [b])
    # B comes back in November: it was sent before, so it is not new again.
    nov = history.plan(store, "2026-11", alerts(a, b))
    assert (_keys(nov.new), _keys(nov.persisting), _keys(nov.cleared)) == ([], [a, b], [c])
    # A September digest again looks only at digests for September or earlier.
    again = history.plan(store, "2026-09", alerts(a))
    assert (_keys(again.new), _keys(again.persisting), _keys(again.cleared)) == ([], [a], [b])


def test_recorded_alerts_keep_first_seen(store) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    a, b = "margin_floor|tmall|店|A", "margin_floor|tmall|店|B"
    history.record(store, MONTH, alerts(a), now=datetime(2026, 11, 1, 9))
    history.record(store, MONTH, alerts(a, b), now=datetime(2026, 11, 2, 9))
    seen = history.recorded(store, MONTH).sort("key")
    assert seen.select("key", "first_seen", "last_seen").rows() == [
        (a, datetime(2026, 11, 1, 9), datetime(2026, 11, 2, 9)),
        (b, datetime(2026, 11, 2, 9), datetime(2026, 11, 2, 9)),
    ]


def test_statement_text_is_escaped_in_the_html(ws, store, month) -> None:  # type: ignore[no-untyped-def]
    context = digest.DigestContext(
        lang="en",
        subject="s",
        title="t",
        summary="<img src=x onerror=alert(1)>",
        figures=[],
        groups=[digest.Group("g", [digest.Item("high", "high", "<script>x</script>")])],
        attachment_note="",
        footer="",
    )
    from finance.report.html import environment

    html = environment().get_template("digest.html").render(digest=context)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html


# --- the command


def test_cli_digest_dry_run_and_failed_send(ws, store, month) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    toml = ws.root / "finance.toml"
    text = toml.read_text(encoding="utf-8").replace(
        '# host = "smtp.example.com"\n# port = 587', f'host = "127.0.0.1"\nport = {_free_port()}'
    )
    toml.write_text(text, encoding="utf-8")
    dry = runner.invoke(
        app, ["digest", "-m", MONTH, "--to", "a@b.example", "--dry-run", "-w", str(ws.root)]
    )
    assert dry.exit_code == 0, dry.output
    assert "digest.eml" in dry.output
    failed = runner.invoke(app, ["digest", "-m", MONTH, "--to", "a@b.example", "-w", str(ws.root)])
    assert failed.exit_code == 1
    assert "无法通过 127.0.0.1" in failed.output and "未记为已发送" in failed.output
    assert history.digests(store).height == 0
