"""Group-chat alerts against a loopback HTTP server that plays the three platforms' robots: it
checks each payload's shape and each signature (re-computed here from the platforms' documented
algorithms, not with the code under test), and can refuse with each platform's error codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from finance import notify
from finance.cli import app
from finance.errors import FinanceError
from finance.ingest import ingest
from finance.notify import record
from finance.notify.message import inert
from finance.workspace import Workspace, open_workspace

from .conftest import HANDCHECK, drop

MONTH = "2026-10"
DING_SECRET = "SEC0123456789abcdef-ding"
FEISHU_SECRET = "feishu-secret-0123456789"
ERROR = {
    "wecom": {"rate": {"errcode": 45009, "errmsg": "api freq out of limit"}},
    "dingtalk": {"rate": {"errcode": 130101, "errmsg": "send too fast"}},
    "feishu": {"rate": {"code": 11232, "msg": "frequency limited"}},
}


@dataclass
class Robots:
    """The platforms' robots on 127.0.0.1: what each received, and answers to give first."""

    base: str
    received: list[tuple[str, dict, dict]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    refuse: dict[str, list[dict]] = field(default_factory=dict)  # platform -> answers first

    def url(self, platform: str, key: str = "GOOD") -> str:
        return {
            "wecom": f"{self.base}/cgi-bin/webhook/send?key={key}",
            "dingtalk": f"{self.base}/robot/send?access_token={key}",
            "feishu": f"{self.base}/open-apis/bot/v2/hook/{key}",
        }[platform]

    def of(self, platform: str) -> list[dict]:
        return [body for p, _q, body in self.received if p == platform]


def _check_wecom(query: dict, body: dict) -> dict | str:
    if query.get("key") != ["GOOD"]:
        return {"errcode": 93000, "errmsg": "invalid webhook url"}
    if body.get("msgtype") != "markdown" or not isinstance(body["markdown"].get("content"), str):
        return "wecom: not a markdown message"
    if len(body["markdown"]["content"].encode()) > 4096:
        return "wecom: content over 4096 bytes"
    return {"errcode": 0, "errmsg": "ok"}


def _check_dingtalk(query: dict, body: dict) -> dict | str:
    if query.get("access_token") != ["GOOD"]:
        return {"errcode": 300001, "errmsg": "token is not exist"}
    if "timestamp" in query or "sign" in query:
        ts = query["timestamp"][0]
        if abs(int(ts) - time.time() * 1000) > 3600_000:
            return {"errcode": 310000, "errmsg": "timestamp expired"}
        expected = base64.b64encode(
            hmac.new(DING_SECRET.encode(), f"{ts}\n{DING_SECRET}".encode(), hashlib.sha256).digest()
        ).decode()
        if query["sign"][0] != expected:  # parse_qs has undone the URL encoding
            return {"errcode": 310000, "errmsg": "sign not match"}
    markdown = body.get("markdown", {})
    if body.get("msgtype") != "markdown" or not markdown.get("title") or not markdown.get("text"):
        return "dingtalk: not a markdown message with title and text"
    return {"errcode": 0, "errmsg": "ok"}


def _check_feishu(query: dict, body: dict) -> dict | str:
    if "sign" in body:
        ts = body["timestamp"]
        key = f"{ts}\n{FEISHU_SECRET}".encode()
        expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        if body["sign"] != expected or abs(int(ts) - time.time()) > 3600:
            return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}
    card = body.get("card", {})
    if body.get("msg_type") != "interactive" or "header" not in card or "elements" not in card:
        return "feishu: not an interactive card"
    if not card["header"]["title"]["content"]:
        return "feishu: card without a title"
    for element in card["elements"]:
        if element["tag"] not in ("div", "hr", "note", "action"):
            return f"feishu: unknown element {element['tag']}"
    return {"code": 0, "msg": "success", "data": {}}


CHECKS = {"wecom": _check_wecom, "dingtalk": _check_dingtalk, "feishu": _check_feishu}


@pytest.fixture
def robots() -> Iterator[Robots]:
    state: dict[str, Robots] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            robots = state["robots"]
            parts = urlsplit(self.path)
            platform = (
                "wecom"
                if parts.path.startswith("/cgi-bin/webhook")
                else "dingtalk"
                if parts.path.startswith("/robot/send")
                else "feishu"
            )
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            query = parse_qs(parts.query)
            try:
                body = json.loads(raw)
            except ValueError:
                robots.problems.append(f"{platform}: not JSON")
                body = {}
            if not self.headers["Content-Type"].startswith("application/json"):
                robots.problems.append(f"{platform}: not sent as JSON")
            robots.received.append((platform, query, body))
            queued = robots.refuse.get(platform) or []
            verdict = queued.pop(0) if queued else CHECKS[platform](query, body)
            if isinstance(verdict, str):
                robots.problems.append(verdict)
                verdict = {"errcode": 40001, "errmsg": verdict}
            data = json.dumps(verdict).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["robots"] = Robots(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["robots"]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def month(ws: Workspace, store, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    """The hand-checked month (9 alerts: no unit costs, an uncosted shop, overcharges, fees)."""
    drop(ws, *(HANDCHECK / n for n in ("ledger.csv", "orders.csv", "refunds.csv")))
    drop(ws, HANDCHECK / "wanxiangtai.csv")
    assert all(o.status == "imported" for o in ingest(ws, store))
    monkeypatch.setenv("FINANCE_DINGTALK_SECRET", DING_SECRET)
    monkeypatch.setenv("FINANCE_FEISHU_SECRET", FEISHU_SECRET)
    return MONTH


def configure(ws: Workspace, text: str) -> Workspace:
    toml = ws.root / "finance.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")
    return open_workspace(ws.root)


def all_three(ws: Workspace, robots: Robots, extra: str = "") -> Workspace:
    backoff = "" if "backoff" in extra else "backoff = 0.01\n"
    return configure(
        ws,
        f'[notify]\nwecom = "{robots.url("wecom")}"\ndingtalk = "{robots.url("dingtalk")}"\n'
        f'feishu = "{robots.url("feishu")}"\n{backoff}{extra}',
    )


def test_each_robot_gets_its_platforms_message_signed(ws, store, month, robots) -> None:  # type: ignore[no-untyped-def]
    ws = all_three(ws, robots)
    done = notify.send_digest(ws, store, month, lang="zh-CN")
    assert robots.problems == []
    assert [r.status for r in done.robots] == ["posted"] * 3, [r.message for r in done.robots]
    assert done.mail is None and not done.failed  # no [mail]: the robots alone, no error
    (wecom,) = robots.of("wecom")
    content = wecom["markdown"]["content"]
    assert content.startswith(f"## finance · {MONTH} 利润摘要")
    assert "真实利润" in content and "新预警（9 条）" in content
    assert "SKU SKU-A" in content and '<font color="warning">高</font>' in content
    assert "完整报表：" in content and "report.html" in content
    (ding,) = robots.of("dingtalk")
    assert ding["markdown"]["title"] == f"finance · {MONTH} 利润摘要"
    assert "**高**" in ding["markdown"]["text"]
    (card,) = robots.of("feishu")
    assert card["card"]["header"]["template"] == "red"
    fields = card["card"]["elements"][0]["fields"]
    assert [f["text"]["content"].split("\n")[0] for f in fields][:2] == [
        "**净销售额**",
        "**真实利润**",
    ]
    posts = record.posts(store)
    assert posts.height == 3 and set(posts["new"]) == {9}
    assert all("GOOD" not in name for name in posts["robot"])  # the key is never stored


def test_the_same_alert_is_never_posted_twice(ws, store, month, robots) -> None:  # type: ignore[no-untyped-def]
    toml = ws.root / "finance.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("top = 10", "top = 3"), "utf-8")
    ws = all_three(ws, robots)
    seen: set[str] = set()
    for _round in range(3):  # 8 alerts, 3 a post: 3 + 3 + 2
        before = len(robots.received)
        done = notify.post_digest(ws, store, month, lang="en")
        assert {r.status for r in done} == {"posted"}
        texts = [b["markdown"]["content"] for b in robots.of("wecom")[-1:]]
        assert len(robots.received) == before + 3
        keys = record.posted_keys(store, done[0].robot.name, month)
        assert not (seen & (keys - seen)) and len(keys - seen) == done[0].alerts
        seen |= keys
    assert len(seen) == 9
    assert "alerts posted before are still open" in texts[0]
    # nothing new: no robot is bothered again
    before = len(robots.received)
    again = notify.post_digest(ws, store, month, lang="en")
    assert {r.status for r in again} == {"nothing_new"}
    assert len(robots.received) == before
    assert robots.problems == []


def test_a_rate_limited_robot_is_retried_with_back_off(ws, store, month, robots) -> None:  # type: ignore[no-untyped-def]
    ws = all_three(ws, robots, "retries = 3\nbackoff = 1.5")
    for platform in ("wecom", "dingtalk", "feishu"):
        robots.refuse[platform] = [ERROR[platform]["rate"], ERROR[platform]["rate"]]
    waits: list[float] = []
    done = notify.post_digest(ws, store, month, lang="en", sleep=waits.append)
    assert [r.status for r in done] == ["posted"] * 3
    assert [r.attempts for r in done] == [3, 3, 3]
    assert waits == [1.5, 3.0] * 3  # 1.5 s, then twice that, for each robot
    assert robots.problems == []  # every retry freshly signed and well formed


def test_a_refusing_robot_is_reported_and_nothing_recorded(  # type: ignore[no-untyped-def]
    ws, store, month, robots, monkeypatch
) -> None:
    ws = configure(
        ws,
        f'[notify]\ndingtalk = "{robots.url("dingtalk")}"\nretries = 2\nbackoff = 0\n'
        f'wecom = "{robots.url("wecom", key="WRONG")}"',
    )
    monkeypatch.setenv("FINANCE_DINGTALK_SECRET", "not-the-robots-secret")
    result = CliRunner().invoke(app, ["digest", "-m", MONTH, "-w", str(ws.root)])
    assert result.exit_code == 1
    assert "310000 sign not match" in result.output and "FINANCE_DINGTALK_SECRET" in result.output
    assert "93000 invalid webhook url" in result.output
    assert "3 次" in result.output  # the first try and 2 more
    assert len(robots.of("dingtalk")) == 3 and len(robots.of("wecom")) == 3
    assert record.posts(store).height == 0  # the next digest carries the same alerts


def test_unsigned_when_no_secret_is_set(ws, store, month, robots, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("FINANCE_DINGTALK_SECRET")
    monkeypatch.delenv("FINANCE_FEISHU_SECRET")
    ws = all_three(ws, robots)
    assert {r.status for r in notify.post_digest(ws, store, month)} == {"posted"}
    (_p, query, _b) = next(r for r in robots.received if r[0] == "dingtalk")
    assert "sign" not in query and "sign" not in robots.of("feishu")[0]


def test_secrets_only_from_the_environment(ws, store, month, robots) -> None:  # type: ignore[no-untyped-def]
    ws = configure(
        ws, f'[notify]\ndingtalk = "{robots.url("dingtalk")}"\ndingtalk_secret = "SECabc"'
    )
    with pytest.raises(FinanceError) as info:
        notify.post_digest(ws, store, month)
    assert info.value.key == "notify_secret_in_file"
    assert "FINANCE_DINGTALK_SECRET" in info.value.render("en")
    result = CliRunner().invoke(app, ["digest", "-m", MONTH, "-w", str(ws.root)])
    assert result.exit_code == 1 and "FINANCE_DINGTALK_SECRET" in result.output
    assert robots.received == []


def test_bad_settings_are_clear_errors(ws) -> None:  # type: ignore[no-untyped-def]
    for text, key in (
        ('[notify]\nwecom = "ftp://x"', "wecom"),
        ('[notify]\nslack = "https://x"', "slack"),
        ("[notify]\nretries = 99", "retries"),
    ):
        bad = configure(ws, text)
        with pytest.raises(FinanceError) as info:
            notify.notify_settings(bad)
        assert info.value.key == "notify_bad_setting" and key in info.value.render("en")
        (ws.root / "finance.toml").write_text(
            (ws.root / "finance.toml").read_text(encoding="utf-8").replace(text, ""),
            encoding="utf-8",
        )


def test_statement_text_cannot_become_markup(ws, store, month, robots) -> None:  # type: ignore[no-untyped-def]
    assert inert('[点我](http://evil.example) <at user_id="all"> **x** @all\n# h') == (
        '［点我］(http://evil.example) ＜at user_id="all"＞ ＊＊x＊＊ ＠all ＃ h'
    )
    ws = all_three(ws, robots)
    notify.post_digest(ws, store, month, lang="en")
    for body in robots.of("wecom") + robots.of("dingtalk"):
        text = json.dumps(body, ensure_ascii=False)
        assert "<at" not in text and "](http://evil" not in text


def test_a_long_digest_fits_the_platforms_limit(ws, store, month, robots) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from finance.notify import platforms
    from finance.notify.message import Alert, compose
    from finance.notify.settings import notify_settings

    ws = all_three(ws, robots)
    settings = notify_settings(ws)
    said = compose(ws, store, month, settings.robots[0], settings, lang="zh-CN")
    assert said is not None
    many = [Alert("high", "高", "很长的预警说明" * 20 + str(i)) for i in range(60)]
    big = replace(said, alerts=many, new_total=60)
    body, kept = platforms.payload("wecom", big)
    assert len(body["markdown"]["content"].encode()) <= 4096
    assert 0 < kept < 60
    assert f"另有 {60 - kept} 条新预警" in body["markdown"]["content"]
    assert platforms.payload("feishu", big)[1] == 60  # a card takes far more


def test_dry_run_writes_each_message_and_posts_nothing(ws, store, month, robots) -> None:  # type: ignore[no-untyped-def]
    ws = all_three(ws, robots, 'link = "http://192.0.2.10:8000/"')
    result = CliRunner().invoke(app, ["digest", "-m", MONTH, "--dry-run", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    written = sorted(ws.reports(MONTH).glob("robot-*.json"))
    assert [p.name.split("-")[1] for p in written] == ["dingtalk", "feishu", "wecom"]
    card = json.loads(next(p for p in written if "feishu" in p.name).read_text(encoding="utf-8"))
    (action,) = [e for e in card["card"]["elements"] if e["tag"] == "action"]
    button = action["actions"][0]
    assert button["url"] == f"http://192.0.2.10:8000/#/overview/{MONTH}"
    assert robots.received == [] and record.posts(store).height == 0
    assert (ws.reports(MONTH) / "digest.eml").is_file()


def test_watch_posts_on_its_schedule(ws, store, month, robots) -> None:  # type: ignore[no-untyped-def]
    from finance.watch import Watcher

    ws = all_three(ws, robots, 'schedule = ["daily 09:00"]')
    watcher = Watcher(ws, store, now=lambda: datetime(2026, 11, 2, 9, 30))
    watcher.cycle()
    assert watcher.stats.digests == [MONTH]
    assert len(robots.received) == 3 and robots.problems == []
    watcher.cycle()  # the slot is done: nothing posted twice
    assert len(robots.received) == 3


def test_a_failed_email_does_not_stop_the_robots(ws, store, month, robots) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ws = all_three(ws, robots)
    text = (ws.root / "finance.toml").read_text(encoding="utf-8")
    text = text.replace(
        '# host = "smtp.example.com"\n# port = 587', f'host = "127.0.0.1"\nport = {port}'
    )
    (ws.root / "finance.toml").write_text(text, encoding="utf-8")
    ws = open_workspace(ws.root)
    done = notify.send_digest(ws, store, month, to=["boss@example.com"])
    assert done.mail_error is not None and done.failed
    assert [r.status for r in done.robots] == ["posted"] * 3


def test_the_notify_tables_are_empty_in_a_new_ledger(store) -> None:  # type: ignore[no-untyped-def]
    assert record.posts(store).height == 0
