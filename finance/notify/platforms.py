"""Each platform's message, signature and answer.

- 企业微信 (``wecom``) group robot: ``{"msgtype": "markdown", "markdown": {"content": ...}}``,
  at most 4096 bytes of content; no signature (the key is in the address). Answers
  ``{"errcode": 0, "errmsg": "ok"}``; 45009 is its rate limit, 93000 a bad key.
- 钉钉 (``dingtalk``) custom robot: ``{"msgtype": "markdown", "markdown": {"title", "text"}}``.
  With 加签 the address gets ``&timestamp=<ms>&sign=<s>``, where ``s`` is the URL-encoded
  base64 of HMAC-SHA256 keyed by the secret over ``"<ms>\\n<secret>"``. Answers
  ``{"errcode": 0, ...}``; 130101 is its rate limit, 310000 a bad signature or keyword.
- 飞书 (``feishu``) custom bot: ``{"msg_type": "interactive", "card": {...}}``. With 签名校验
  the body gets ``"timestamp": "<s>"`` and ``"sign"``: the base64 of HMAC-SHA256 keyed by
  ``"<s>\\n<secret>"`` over an empty message. Answers ``{"code": 0, ...}`` (older bots
  ``{"StatusCode": 0, ...}``); 9499 and 11232 are rate limits, 19021 a bad signature.

``payload`` lays a ``RobotDigest`` out (dropping alerts from the end until it fits the
platform's size limit, and saying how many it left out) and returns how many alerts it kept.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote_plus

from finance import i18n
from finance.notify.message import RobotDigest

LIMITS = {"wecom": 4096, "dingtalk": 18000, "feishu": 28000}
"""Bytes of message each platform takes (企业微信 4096 of markdown; 钉钉 and 飞书 more, kept
under their limits)."""

RATE_LIMITED = {"wecom": {45009}, "dingtalk": {130101}, "feishu": {9499, 11232}}
BAD_KEY = {"wecom": {93000}, "dingtalk": {300001, 310000}, "feishu": {19021, 19001, 19024}}

WECOM_COLOUR = {"high": "warning", "medium": "comment", "low": "comment"}
FEISHU_TEMPLATE = {"high": "red", "medium": "orange", "low": "yellow", None: "green"}


def _lines(d: RobotDigest, *, quote_figures: bool) -> list[str]:
    lead = "> " if quote_figures else "- "
    out = []
    for label, value, prior in d.figures:
        out.append(f"{lead}{label}：**{value}**" + (f"（{prior}）" if prior else ""))
    return out


def _alert_lines(d: RobotDigest, *, wecom: bool = False) -> list[str]:
    out = []
    for a in d.alerts:
        mark = (
            f'<font color="{WECOM_COLOUR.get(a.severity, "comment")}">{a.severity_name}</font>'
            if wecom
            else f"**{a.severity_name}**"
        )
        out.append(f"- {mark} {a.text}")
    return out


def _tail(d: RobotDigest) -> list[str]:
    out = [line for line in (d.more, d.persisting) if line]
    if d.link:
        out.append(f"[{i18n.text('robot_report', d.lang)}]({d.link})")
    else:
        out.append(i18n.text("robot_report_path", d.lang, path=d.report))
    return out


def wecom(d: RobotDigest) -> dict[str, Any]:
    text = "\n".join(
        [
            f"## {d.title}",
            *_lines(d, quote_figures=True),
            "",
            f"**{d.heading}**",
            *_alert_lines(d, wecom=True),
            "",
            *_tail(d),
        ]
    )
    return {"msgtype": "markdown", "markdown": {"content": text}}


def dingtalk(d: RobotDigest) -> dict[str, Any]:
    text = "\n".join(
        [
            f"#### {d.title}",
            "",
            *_lines(d, quote_figures=False),
            "",
            f"**{d.heading}**",
            "",
            *_alert_lines(d),
            "",
            *(f"{line}\n" for line in _tail(d)),
        ]
    )
    return {"msgtype": "markdown", "markdown": {"title": d.title, "text": text}}


def feishu(d: RobotDigest) -> dict[str, Any]:
    fields = [
        {
            "is_short": True,
            "text": {
                "tag": "lark_md",
                "content": f"**{label}**\n{value}" + (f"\n{prior}" if prior else ""),
            },
        }
        for label, value, prior in d.figures
    ]
    alerts = "\n".join([f"**{d.heading}**", *_alert_lines(d)])
    elements: list[dict[str, Any]] = [
        {"tag": "div", "fields": fields},
        {"tag": "hr"},
        {"tag": "div", "text": {"tag": "lark_md", "content": alerts}},
    ]
    notes = [line for line in (d.more, d.persisting) if line]
    if d.link:
        elements.append(
            {
                "tag": "action",
                "actions": [
                    {
                        "tag": "button",
                        "text": {"tag": "plain_text", "content": i18n.text("robot_report", d.lang)},
                        "url": d.link,
                        "type": "primary",
                    }
                ],
            }
        )
    else:
        notes.append(i18n.text("robot_report_path", d.lang, path=d.report))
    if notes:
        elements.append(
            {"tag": "note", "elements": [{"tag": "plain_text", "content": n} for n in notes]}
        )
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {
                "title": {"tag": "plain_text", "content": d.title},
                "template": FEISHU_TEMPLATE.get(d.worst, "blue"),
            },
            "elements": elements,
        },
    }


LAYOUTS = {"wecom": wecom, "dingtalk": dingtalk, "feishu": feishu}


def payload(platform: str, d: RobotDigest) -> tuple[dict[str, Any], int]:
    """The platform's message for ``d`` within its size limit, and how many alerts it holds."""
    kept = len(d.alerts)
    while True:
        shown = d if kept == len(d.alerts) else _cut(d, kept)
        body = LAYOUTS[platform](shown)
        if len(json.dumps(body, ensure_ascii=False).encode()) <= LIMITS[platform] or kept == 0:
            return body, kept
        kept -= 1


def _cut(d: RobotDigest, kept: int) -> RobotDigest:
    left = d.new_total - kept
    more = i18n.text("robot_more", d.lang, n=left) if left else ""
    return replace(d, alerts=d.alerts[:kept], more=more)


# --- signatures


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: base64(HMAC-SHA256(key=secret, msg="<ms>\\n<secret>")), URL-encoded."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """飞书 签名校验: base64(HMAC-SHA256(key="<s>\\n<secret>", msg=b""))."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def signed(
    platform: str, url: str, body: dict[str, Any], secret: str | None, now: float
) -> tuple[str, dict[str, Any]]:
    """The address and body to send, signed when the platform has a secret."""
    if not secret:
        return url, body
    if platform == "dingtalk":
        ms = int(now * 1000)
        joiner = "&" if "?" in url else "?"
        return f"{url}{joiner}timestamp={ms}&sign={dingtalk_sign(secret, ms)}", body
    if platform == "feishu":
        seconds = int(now)
        return url, {"timestamp": str(seconds), "sign": feishu_sign(secret, seconds), **body}
    return url, body


# --- answers


@dataclass(frozen=True)
class Answer:
    ok: bool
    code: str  # the platform's error code, or the HTTP status
    message: str
    kind: str = ""  # rate | key | "" (anything else)


def answer(platform: str, status: int, raw: bytes) -> Answer:
    """What the robot said: accepted, or its error code and message."""
    try:
        body = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    code = body.get("errcode", body.get("code", body.get("StatusCode")))
    text = str(body.get("errmsg", body.get("msg", body.get("StatusMessage", ""))))
    if status == 200 and code in (0, "0"):
        return Answer(True, "0", text)
    if code is None:
        code = status
        text = text or raw.decode("utf-8", "replace")[:200]
    number = int(code) if str(code).lstrip("-").isdigit() else None
    kind = (
        "rate"
        if number in RATE_LIMITED[platform] or status == 429
        else "key"
        if number in BAD_KEY[platform] or status in (401, 403, 404)
        else ""
    )
    return Answer(False, str(code), text, kind)
