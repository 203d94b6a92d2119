"""``rules/accounts.toml``: the chart of accounts of the books, checked when it is loaded.

An account is named by its *role* (``sales``, ``commission``, ``alipay``, ``bank`` …). The roles
and their codes come from the preset of ``standard`` (``rules/books/small.toml`` for
小企业会计准则, ``rules/books/enterprise.toml`` for 企业会计准则); ``[accounts]`` in
accounts.toml changes or adds roles. ``[[clearing]]`` says which account a statement's money
sits in (by platform, shop and rules file), ``[[transfer]]`` which account is on the other side
of a transfer row (by fee name). The workspace's ``rules/accounts.toml`` is used when it exists
(a workspace made before the books takes the shipped one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from finance import i18n
from finance.errors import FinanceError
from finance.resources import shipped
from finance.rulebook.checker import Checker, one_of, unknown
from finance.rulebook.toml import read_toml

STANDARDS = ("small", "enterprise")
GRANULARITIES = ("month", "settlement")
TYPES = ("Assets", "Liabilities", "Equity", "Income", "Expenses")
AUX = ("customer", "project")
TOP_KEYS = (
    "standard",
    "granularity",
    "word",
    "cost_word",
    "preparer",
    "aux",
    "settlement",
    "accounts",
    "clearing",
    "transfer",
)
ACCOUNT_KEYS = ("code", "name", "type", "currency", "aux")
MATCH_KEYS = {
    "clearing": ("platform", "shop", "format", "account"),
    "transfer": ("platform", "shop", "format", "fee_name", "account"),
}
SETTLEMENT_FIELDS = ("memo", "entry_id", "order_id", "campaign")


@dataclass(frozen=True)
class Account:
    """One account of the chart."""

    role: str
    code: str
    name: str
    type: str
    currency: str | None = None
    aux: tuple[str, ...] = ()

    @property
    def pnl(self) -> bool:
        """Whether the account is in the profit and loss (income or expenses)."""
        return self.type in ("Income", "Expenses")


@dataclass(frozen=True)
class Match:
    """A ``[[clearing]]`` or ``[[transfer]]`` entry: the account of the rows it matches."""

    account: str
    platform: str | None = None
    shop: str | None = None
    format: str | None = None  # a regular expression over the rules file's name
    fee_name: str | None = None  # a regular expression over the fee name (transfers)
    line: int = 1

    def matches(self, platform: str, shop: str | None, fmt: str | None, fee: str | None) -> bool:
        return (
            self.platform in (None, platform)
            and self.shop in (None, shop)
            and (self.format is None or re.search(self.format, fmt or "") is not None)
            and (self.fee_name is None or re.search(self.fee_name, fee or "") is not None)
        )


@dataclass(frozen=True)
class Chart:
    """accounts.toml with its preset: every account by role, and how rows find theirs."""

    path: Path
    text: str
    standard: str = "small"
    granularity: str = "month"
    word: str = "记"
    cost_word: str = "记"
    preparer: str = ""
    aux: tuple[str, ...] = ()
    settlement: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    clearing: tuple[Match, ...] = ()
    transfer: tuple[Match, ...] = ()

    def account(self, role: str) -> Account:
        """The account of ``role``; an error naming the role and the line to add when the chart
        has none."""
        if role in self.accounts:
            return self.accounts[role]
        raise FinanceError(
            "books_no_account",
            role=role,
            file=self.path.as_posix(),
            line=f'{role} = {{ code = "…", name = "…", type = "…" }}',
        )

    def home(self, platform: str, shop: str | None, fmt: str | None) -> Account:
        """Where a statement row's money sits (``[[clearing]]``)."""
        for entry in self.clearing:
            if entry.matches(platform, shop, fmt, None):
                return self.account(entry.account)
        raise FinanceError(
            "books_no_clearing",
            platform=platform,
            shop=shop or "-",
            format=fmt or "-",
            file=self.path.as_posix(),
            line=f'[[clearing]] platform = "{platform}" account = "…"',
        )

    def counter(self, platform: str, shop: str | None, fmt: str | None, fee: str | None) -> Account:
        """The account on the other side of a transfer row (``[[transfer]]``)."""
        for entry in self.transfer:
            if entry.matches(platform, shop, fmt, fee):
                return self.account(entry.account)
        raise FinanceError(
            "books_no_transfer",
            platform=platform,
            shop=shop or "-",
            fee=fee or "-",
            file=self.path.as_posix(),
            line=f'[[transfer]] platform = "{platform}" account = "bank"',
        )


def chart_path(rules: Path) -> Path:
    """The workspace's ``accounts.toml`` when it has one, else the shipped one."""
    own = rules / "accounts.toml"
    return own if own.is_file() else shipped("rules") / "accounts.toml"


def load_chart(rules: Path) -> Chart:
    """accounts.toml of the rules folder ``rules`` with its preset, checked."""
    path = chart_path(rules)
    text, data = read_toml(path)
    check = Checker(path, text)
    for key in data:
        if key not in TOP_KEYS:
            raise check.fail(key, None, unknown("key", key), one_of(TOP_KEYS))
    standard = _choice(check, data, "standard", STANDARDS, "small")
    granularity = _choice(check, data, "granularity", GRANULARITIES, "month")
    preset_path = _preset(rules, standard)
    preset_text, preset = read_toml(preset_path)
    accounts = _accounts(Checker(preset_path, preset_text), preset.get("accounts", {}))
    accounts |= _accounts(check, data.get("accounts", {}), base=accounts)
    aux_table = data.get("aux", {})
    for key in aux_table:
        if key not in AUX:
            raise check.fail("aux", key, unknown("key", key), one_of(AUX))
    settlement = {str(k): str(v) for k, v in data.get("settlement", {}).items()}
    for platform, name in settlement.items():
        if name not in SETTLEMENT_FIELDS:
            raise check.fail(
                "settlement", platform, unknown("field", name), one_of(SETTLEMENT_FIELDS)
            )
    chart = Chart(
        path=path,
        text=text,
        standard=standard,
        granularity=granularity,
        word=str(data.get("word", "记")),
        cost_word=str(data.get("cost_word", data.get("word", "记"))),
        preparer=str(data.get("preparer", "")),
        aux=tuple(a for a in AUX if aux_table.get(a)),
        settlement=settlement,
        accounts=accounts,
        clearing=_matches(check, data, "clearing", accounts),
        transfer=_matches(check, data, "transfer", accounts),
    )
    return chart


def _preset(rules: Path, standard: str) -> Path:
    own = rules / "books" / f"{standard}.toml"
    return own if own.is_file() else shipped("rules") / "books" / f"{standard}.toml"


def _choice(check: Checker, data: dict, key: str, choices: tuple[str, ...], default: str) -> str:
    value = data.get(key, default)
    if value not in choices:
        raise check.fail(key, None, unknown(key, value), one_of(choices))
    return str(value)


def _accounts(check: Checker, table: dict, base: dict[str, Account] | None = None) -> dict:
    out: dict[str, Account] = {}
    for role, spec in table.items():
        if not isinstance(spec, dict):
            raise check.fail(
                "accounts",
                role,
                i18n.per_lang("books_account_not_table", role=role),
                i18n.per_lang("books_fix_account", role=role),
            )
        for key in spec:
            if key not in ACCOUNT_KEYS:
                raise check.fail("accounts", role, unknown("key", key), one_of(ACCOUNT_KEYS))
        old = (base or {}).get(role)
        code = str(spec.get("code", old.code if old else "")).strip()
        name = str(spec.get("name", old.name if old else "")).strip()
        if not code or not name:
            raise check.fail(
                "accounts",
                role,
                i18n.per_lang("books_account_incomplete", role=role),
                i18n.per_lang("books_fix_account", role=role),
            )
        if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._-]*", code):
            raise check.fail(
                "accounts",
                role,
                i18n.per_lang("books_bad_code", role=role, code=code),
                i18n.per_lang("books_fix_code"),
            )
        kind = str(spec.get("type", old.type if old else _type_of(code)))
        if kind not in TYPES:
            raise check.fail("accounts", role, unknown("type", kind), one_of(TYPES))
        aux = tuple(spec.get("aux", old.aux if old else ()))
        for name_ in aux:
            if name_ not in AUX:
                raise check.fail("accounts", role, unknown("aux", name_), one_of(AUX))
        currency = spec.get("currency", old.currency if old else None)
        out[str(role)] = Account(
            role=str(role),
            code=code,
            name=name,
            type=kind,
            currency=str(currency) if currency else None,
            aux=aux,
        )
    return out


def _type_of(code: str) -> str:
    """A guess from the code's first digits (both standards): 1 assets, 2 liabilities, the P&L
    class (5 or 6) income below x4xx, expenses from it; anything else equity."""
    head = code[:2]
    if head[:1] == "1":
        return "Assets"
    if head[:1] == "2":
        return "Liabilities"
    if head[:1] in ("5", "6") and len(head) == 2 and head[1].isdigit():
        return "Income" if int(head[1]) < 4 else "Expenses"
    return "Equity"


def _matches(check: Checker, data: dict, section: str, accounts: dict) -> tuple[Match, ...]:
    out = []
    for i, entry in enumerate(data.get(section, [])):
        for key in entry:
            if key not in MATCH_KEYS[section]:
                raise check.fail(section, key, unknown("key", key), one_of(MATCH_KEYS[section]), i)
        role = entry.get("account")
        if role not in accounts:
            raise check.fail(
                section,
                "account",
                i18n.per_lang("books_unknown_role", role=role),
                i18n.per_lang("books_fix_role", roles=", ".join(sorted(accounts))),
                i,
            )
        for key in ("format", "fee_name"):
            if key in entry:
                check.regex(section, key, str(entry[key]), i)
        out.append(
            Match(
                account=str(role),
                platform=entry.get("platform"),
                shop=entry.get("shop"),
                format=entry.get("format"),
                fee_name=entry.get("fee_name"),
                line=check_line(check, section, i),
            )
        )
    return tuple(out)


def check_line(check: Checker, section: str, occurrence: int) -> int:
    from finance.rulebook.checker import line_of

    return line_of(check.text, section, None, occurrence)
