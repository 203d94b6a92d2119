"""``finance.toml`` ``[notify]``: the group robots the digest is posted to.

```toml
[notify]
wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=..."      # 企业微信群机器人
dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=..."       # 钉钉自定义机器人
feishu = "https://open.feishu.cn/open-apis/bot/v2/hook/..."             # 飞书自定义机器人
# link = "http://192.168.1.20:8000/"   # where the team opens the full report (finance serve)
# schedule = ["daily 09:00"]           # finance watch: as [mail] schedule
# retries = 3                          # a refused post is tried again this many times,
# backoff = 2.0                        # after 2, 4, 8 ... seconds
```

Each platform takes one address or a list of them (one per group). Signing secrets (钉钉 加签,
飞书 签名校验) are read only from the environment (``SECRET_ENV``): a secret written here is an
error that says where it belongs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from finance.errors import FinanceError
from finance.workspace import Workspace

PLATFORMS = ("wecom", "dingtalk", "feishu")
SECRET_ENV = {"dingtalk": "FINANCE_DINGTALK_SECRET", "feishu": "FINANCE_FEISHU_SECRET"}
KEYS = {*PLATFORMS, "link", "schedule", "retries", "backoff", "timeout"}


@dataclass(frozen=True)
class Robot:
    """One group robot: its platform and webhook address."""

    platform: str
    url: str

    @property
    def name(self) -> str:
        """How the post history knows it: the platform and a digest of the address (which holds
        the robot's key, and so is never stored)."""
        return f"{self.platform}:{hashlib.sha256(self.url.encode()).hexdigest()[:12]}"

    @property
    def label(self) -> str:
        """How messages name it: ``dingtalk (oapi.dingtalk.com)``."""
        return f"{self.platform} ({urlsplit(self.url).hostname or '?'})"


@dataclass(frozen=True)
class NotifySettings:
    robots: tuple[Robot, ...] = ()
    link: str | None = None
    schedule: tuple[str, ...] = ()
    retries: int = 3
    backoff: float = 2.0
    timeout: float = 10.0
    top: int = 10


def _bad(key: str, value: object, expected: str) -> FinanceError:
    return FinanceError("notify_bad_setting", key=key, value=value, expected=expected)


def notify_settings(ws: Workspace) -> NotifySettings:
    raw = dict(ws.settings.get("notify", {}))
    for key in raw:
        if "secret" in key.lower() or "sign" in key.lower():
            env = next((e for p, e in SECRET_ENV.items() if p in key.lower()), "FINANCE_*_SECRET")
            raise FinanceError("notify_secret_in_file", key=key, env=env)
        if key not in KEYS:
            raise _bad(key, raw[key], ", ".join(sorted(KEYS)))
    robots = []
    for platform in PLATFORMS:
        value = raw.get(platform, [])
        for url in [value] if isinstance(value, str) else list(value):
            if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
                raise _bad(platform, url, "the robot's webhook address, https://...")
            robots.append(Robot(platform, url))
    schedule = raw.get("schedule", [])
    try:
        retries, backoff = int(raw.get("retries", 3)), float(raw.get("backoff", 2.0))
        timeout = float(raw.get("timeout", 10.0))
    except (TypeError, ValueError) as error:
        raise _bad("retries/backoff/timeout", str(error), "numbers") from error
    if not 0 <= retries <= 10:
        raise _bad("retries", retries, "0 to 10")
    link = raw.get("link")
    if link is not None and urlsplit(str(link)).scheme not in ("http", "https"):
        raise _bad("link", link, "an address people can open, http://...")
    return NotifySettings(
        robots=tuple(robots),
        link=str(link) if link else None,
        schedule=tuple([schedule] if isinstance(schedule, str) else schedule),
        retries=retries,
        backoff=max(backoff, 0.0),
        timeout=timeout,
        top=int(ws.settings.get("alerts", {}).get("top", 10)),
    )
