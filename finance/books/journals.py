"""The month as a plain-text journal: beancount (passes ``bean-check``) and hledger (passes
``hledger check``, with balance assertions on the clearing accounts).

Accounts are ``<Type>:<code>`` with the code's dots as dashes (``Assets:1012-01``), ASCII as
both tools want; the Chinese names go into each account's ``open`` metadata (beancount) or its
``account`` directive's comment (hledger). One transaction per voucher, in date order; each
posting keeps the line's summary, and a foreign-currency line its amount and rate. Amounts are
in the base currency, exact to the fen.

hledger's journal opens with the clearing accounts' balances at the start of the month (what
the earlier months' rows left in them) and asserts each clearing account's balance after each
of its postings, so a clearing account that should be empty after a payout is seen to be.
"""

from __future__ import annotations

import polars as pl

from finance.books.vouchers import Books
from finance.money import format_cents


def account_name(account_type: str, code: str) -> str:
    return f"{account_type}:{code.replace('.', '-')}"


def _quote(text: str) -> str:
    return '"' + (text or "").replace("\\", "\\\\").replace('"', '\\"') + '"'


def _accounts(lines: pl.DataFrame) -> pl.DataFrame:
    return (
        lines.select(
            name=pl.format(
                "{}:{}",
                "account_type",
                pl.col("account_code").str.replace_all(".", "-", literal=True),
            ),
            title=pl.col("account_name"),
        )
        .unique("name", keep="first", maintain_order=True)
        .sort("name")
    )


def _head(group: pl.DataFrame) -> str:
    """A voucher's description: what its lines' summaries share (platform, shop, month)."""
    texts = [t.split(" ") for t in group["summary"].unique(maintain_order=True).to_list()]
    shared: list[str] = []
    for words in zip(*texts, strict=False):
        if len(set(words)) > 1:
            break
        shared.append(words[0])
    if len(texts) == 1 and len(shared) > 1:
        shared = shared[:-1]
    return " ".join(shared)


def _ordered(lines: pl.DataFrame) -> pl.DataFrame:
    return lines.sort("date", "word", "number", "line")


def _fc_note(line: dict) -> str | None:
    if line["amount_fc"] is None:
        return None
    rate = line["fx_rate"]
    rate_text = f"{rate / 10**8:.8f}".rstrip("0").rstrip(".") if rate is not None else ""
    amount = format_cents(line["amount_fc"])
    return f"{amount} {line['currency']}" + (f" @ {rate_text}" if rate_text else "")


def beancount(books: Books, *, title: str = "") -> str:
    """The month's vouchers as a beancount file."""
    lines = _ordered(books.lines)
    start = f"{books.month}-01"
    out = [
        f"; finance export books --month {books.month} --format beancount",
        f'option "title" {_quote(title or books.month)}',
        f'option "operating_currency" "{books.base}"',
        "",
    ]
    for account in _accounts(lines).iter_rows(named=True):
        out.append(f"{start} open {account['name']} {books.base}")
        out.append(f"  name: {_quote(account['title'])}")
    out.append("")
    for (voucher,), group in lines.group_by(["voucher"], maintain_order=True):
        first = group.row(0, named=True)
        head = _head(group)
        out.append(f"{first['date']} * {_quote(f'{voucher} {head}')}")
        out.append(f"  voucher: {_quote(str(voucher))}")
        for line in group.iter_rows(named=True):
            amount = line["debit"] - line["credit"]
            name = account_name(line["account_type"], line["account_code"])
            out.append(f"  {name}  {format_cents(amount)} {books.base}")
            out.append(f"    summary: {_quote(line['summary'])}")
            note = _fc_note(line)
            if note:
                out.append(f"    amount_fc: {_quote(note)}")
            if line["source_file"]:
                out.append(f"    source: {_quote(line['source_file'] + ':' + line['source_rows'])}")
        out.append("")
    return "\n".join(out)


def hledger(books: Books, *, opening: dict[str, int] | None = None) -> str:
    """The month's vouchers as an hledger journal, with balance assertions on the clearing
    accounts (``opening``: their balances at the start of the month, by account name)."""
    lines = _ordered(books.lines)
    clearing = {account_name(a.type, a.code) for a in clearing_accounts(books)}
    balance = dict(opening or {})
    out = [f"; finance export books --month {books.month} --format hledger", ""]
    for account in _accounts(lines).iter_rows(named=True):
        out.append(f"account {account['name']}  ; {account['title']}")
    opened = {k: v for k, v in sorted(balance.items()) if v}
    if opened:
        out.append("account Equity:Opening")
    out.append("")
    if opened:
        out.append(f"{books.month}-01 opening balances of the clearing accounts")
        for name, cents in opened.items():
            amount = f"{format_cents(cents)} {books.base}"
            out.append(f"    {name}  {amount} = {amount}")
        out.append(f"    Equity:Opening  {format_cents(-sum(opened.values()))} {books.base}")
        out.append("")
    for (voucher,), group in lines.group_by(["voucher"], maintain_order=True):
        first = group.row(0, named=True)
        head = _head(group)
        out.append(f"{first['date']} ({voucher}) {head}")
        for line in group.iter_rows(named=True):
            amount = line["debit"] - line["credit"]
            name = account_name(line["account_type"], line["account_code"])
            text = f"    {name}  {format_cents(amount)} {books.base}"
            if name in clearing:
                balance[name] = balance.get(name, 0) + amount
                text += f" = {format_cents(balance[name])} {books.base}"
            note = _fc_note(line)
            text += f"  ; {line['summary']}" + (f" ({note})" if note else "")
            out.append(text)
        out.append("")
    return "\n".join(out)


def clearing_accounts(books: Books) -> list:
    """The accounts ``[[clearing]]`` names (where statements' money sits)."""
    roles = sorted({m.account for m in books.chart.clearing})
    return [books.chart.accounts[r] for r in roles if r in books.chart.accounts]
