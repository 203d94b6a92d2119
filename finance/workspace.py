"""A working folder a person can understand by looking at it (DESIGN.md, "The workspace")."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from finance.errors import FinanceError
from finance.resources import shipped

FOLDERS = ("inbox", "archive", "rejected", "rules", "costs", "reports")

DEFAULT_TOML = """\
# finance workspace settings. Passwords never go here: mail reads FINANCE_SMTP_PASSWORD.

# Where the ledger lives. A relative SQLite path is relative to this folder. For a shared
# ledger use PostgreSQL, e.g. "postgresql+psycopg://finance@dbhost/finance".
# The environment variable FINANCE_DATABASE_URL, when set, wins over this line.
database = "sqlite:///finance.sqlite"

base_currency = "CNY"
language = "zh-CN"            # zh-CN or en: reports, messages
timezone = "Asia/Shanghai"    # the books' clock: UTC or offset times (Amazon, Shopify) are
                              # converted to it before a row is given its month

[shops]
# The shop a statement belongs to when the file itself does not say: platform = "shop name".
tmall = "{shop}"

[alerts]
# The thresholds are in rules/alerts.toml, one table per alert rule (see docs/alerts.md).
top = 10                      # the digest lists this many alerts per group, then "N more"

# VAT (see README, "VAT"): the default regime "none" shows the figures as the platforms settle
# them. A general taxpayer (一般纳税人) or small-scale one (小规模纳税人) sees them ex VAT too.
# [tax]
# regime = "general"          # general | small_scale | none
# rate = "0.13"               # a decimal string; small-scale: "0.03" or "0.01"
# [tax.platforms]
# amazon = "0"                # cross-border sales are zero-rated
# [tax.input]
# commission = "0.06"         # deductible input VAT inside a cost (special invoice)
# advertising = "0.06"

# A shop whose sales reach no SKU (no order lines) may state its cost of goods as a share of
# those net sales: an estimate, shown as one. Without it, its margin is flagged incomplete.
# [costs.shops]
# "微信小店" = "0.45"

[mail]
# The digest (finance digest, finance watch). The password is never written here: set the
# environment variable FINANCE_SMTP_PASSWORD.
# host = "smtp.example.com"
# port = 587
# security = "starttls"       # starttls (port 587), ssl (port 465) or none
# user = "finance@example.com"
# sender = "finance@example.com"
# to = ["boss@example.com"]
# schedule = ["daily 09:00", "after_ingest"]  # when finance watch sends the digest
# attach_max_kb = 5120        # a larger pnl.xlsx is not attached; the digest gives its path

# Group robots the digest is posted to (finance digest, finance watch): webhook addresses.
# Signing secrets never go here: set FINANCE_DINGTALK_SECRET / FINANCE_FEISHU_SECRET.
# [notify]
# wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=..."
# dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=..."
# feishu = "https://open.feishu.cn/open-apis/bot/v2/hook/..."
# link = "http://192.168.1.20:8000/"   # where the team opens the dashboard (finance serve)
# schedule = ["daily 09:00"]           # finance watch, as [mail] schedule

# finance serve: the local dashboard. It listens on 127.0.0.1 unless FINANCE_SERVE_TOKEN is set.
# [serve]
# max_upload_mb = 50
"""


@dataclass
class Workspace:
    root: Path
    settings: dict = field(default_factory=dict)

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def rejected(self) -> Path:
        return self.root / "rejected"

    @property
    def rules(self) -> Path:
        return self.root / "rules"

    @property
    def costs(self) -> Path:
        return self.root / "costs"

    def reports(self, month: str) -> Path:
        return self.root / "reports" / month

    @property
    def language(self) -> str:
        lang = str(self.settings.get("language", "zh-CN"))
        return "en" if lang.lower().startswith("en") else "zh-CN"

    @property
    def base_currency(self) -> str:
        return str(self.settings.get("base_currency", "CNY"))

    @property
    def timezone(self) -> str:
        """The books' time zone (IANA name; default Beijing time): every time is stored in it."""
        from finance.zones import DEFAULT, check_zone

        return check_zone(self.settings.get("timezone", DEFAULT), where="finance.toml timezone")

    def shop_for(self, platform: str) -> str | None:
        shop = self.settings.get("shops", {}).get(platform)
        return str(shop) if shop else None

    def shop_for_account(self, account: str | None) -> str | None:
        """The shop ``finance.toml [accounts]`` names for an account found in a file's preamble
        (e.g. the Alipay account of a 账务明细)."""
        if not account:
            return None
        shop = self.settings.get("accounts", {}).get(account)
        return str(shop) if shop else None

    def shop_for_path(self, relative: str, platform: str) -> str | None:
        """The shop ``finance.toml [[shop_by_path]]`` gives a file at ``relative`` (its path
        under inbox/ or archive/<format>/, with ``/``): the first entry whose ``pattern`` (a
        regex) is found in the path and whose ``platform``, if set, is the file's."""
        for entry in self.settings.get("shop_by_path", []):
            if entry.get("platform") not in (None, platform):
                continue
            if re.search(str(entry.get("pattern", "(?!)")), relative):
                return str(entry["shop"])
        return None

    @property
    def database_url(self) -> str:
        url = os.environ.get("FINANCE_DATABASE_URL") or str(
            self.settings.get("database", "sqlite:///finance.sqlite")
        )
        match = re.match(r"^sqlite:///(?!/)(.+)$", url)
        if match and not Path(match.group(1)).is_absolute():
            url = f"sqlite:///{(self.root / match.group(1)).resolve().as_posix()}"
        return url


def init(
    root: Path, *, shop: str = "我的天猫店", shops: dict[str, str] | None = None
) -> tuple[Workspace, bool]:
    """Make the workspace layout (idempotent). Returns the workspace and whether it was new.

    ``shop`` names the Tmall shop; ``shops`` (platform → shop name) adds or replaces entries of
    the new ``finance.toml``'s ``[shops]`` table.
    """
    root = Path(root)
    created = not (root / "finance.toml").exists()
    for name in FOLDERS:
        (root / name).mkdir(parents=True, exist_ok=True)
    if created:
        text = DEFAULT_TOML.format(shop=shop)
        extra = {k: v for k, v in (shops or {}).items() if k != "tmall"}
        if extra:
            lines = "".join(f'{k} = "{v}"\n' for k, v in extra.items())
            text = text.replace("\n[alerts]", f"{lines}\n[alerts]", 1)
        (root / "finance.toml").write_text(text, encoding="utf-8")
    from finance.rulebook import update

    # Shipped rules the workspace lacks are copied, and each copy noted (rules/.shipped.json)
    # so that `finance rules update` can later tell the user's edits from our old versions.
    rules = root / "rules"
    changes = [c for c in update.plan(rules, shipped("rules")) if c.status in ("added", "current")]
    update.apply(rules, shipped("rules"), changes)
    return open_workspace(root), created


def open_workspace(root: Path) -> Workspace:
    root = Path(root)
    toml = root / "finance.toml"
    if not toml.is_file():
        raise FinanceError("no_workspace", path=root.as_posix())
    with toml.open("rb") as handle:
        settings = tomllib.load(handle)
    return Workspace(root=root, settings=settings)
