"""Voucher-import workbooks (金蝶 KIS, K/3 WISE, 用友 U8), each laid out by a data file.

A layout (``rules/books/<name>.toml``; the workspace's copy when it has one) lists the
workbook's columns in order: a header and either the ``value`` of a voucher line (``FIELDS``)
or a fixed ``text``. ``[currencies]`` names each currency as the software does, ``[aux]``
how a 辅助核算 item is written. A user whose software version wants other columns edits the
file, not the code.

The workbook is the same bytes every time for the same month: no timestamp goes into it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import polars as pl
from openpyxl import Workbook

from finance import i18n
from finance.resources import shipped
from finance.rulebook.checker import Checker, one_of, unknown
from finance.rulebook.toml import read_toml

FIELDS = (
    "date",
    "year",
    "month_no",
    "period",
    "word",
    "number",
    "line",
    "line0",
    "summary",
    "account_code",
    "account_name",
    "debit",
    "credit",
    "amount",
    "amount_fc",
    "amount_fc_only",
    "rate",
    "currency",
    "currency_code",
    "currency_name",
    "aux",
    "customer",
    "project",
    "preparer",
    "attachments",
    "source",
    "platform",
    "shop",
    "category",
)
"""What a layout column may show (docs/books.md): ``amount`` is the line's amount in the base
currency; ``amount_fc`` its amount in its own currency (the base amount on a base-currency
line, as K/3's 原币金额), ``amount_fc_only`` that only on foreign-currency lines; ``rate`` is 1 on
base-currency lines; ``line0`` counts lines from 0."""
MONEY = ("debit", "credit", "amount", "amount_fc", "amount_fc_only")
LAYOUT_KEYS = ("name", "sheet", "date_format", "blank_zero", "account_code_separator")
FIXED_TIME = "2000-01-01T00:00:00Z"


@dataclass(frozen=True)
class Column:
    header: str
    value: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Layout:
    name: str
    columns: tuple[Column, ...]
    sheet: str = "Sheet1"
    date_format: str = "yyyy-mm-dd"
    blank_zero: bool = True
    code_separator: str | None = None
    currencies: dict[str, dict[str, str]] = field(default_factory=dict)
    aux: dict[str, str] = field(default_factory=dict)
    path: Path | None = None


def layout_path(rules: Path, name: str) -> Path:
    own = rules / "books" / f"{name}.toml"
    return own if own.is_file() else shipped("rules") / "books" / f"{name}.toml"


def load_layout(rules: Path, name: str) -> Layout:
    """The layout ``name`` (kis, k3, u8) of the rules folder, checked."""
    path = layout_path(rules, name)
    text, data = read_toml(path)
    check = Checker(path, text)
    for key in data:
        if key not in ("layout", "currencies", "aux", "column"):
            raise check.fail(key, None, unknown("key", key), one_of(("layout", "column")))
    head = data.get("layout", {})
    for key in head:
        if key not in LAYOUT_KEYS:
            raise check.fail("layout", key, unknown("key", key), one_of(LAYOUT_KEYS))
    columns = []
    for i, entry in enumerate(data.get("column", [])):
        value = entry.get("value")
        if value is not None and value not in FIELDS:
            raise check.fail(
                "column",
                "value",
                i18n.per_lang(
                    "books_layout_column", column=entry.get("header", i + 1), value=value
                ),
                i18n.per_lang("books_fix_layout_field", choices=", ".join(FIELDS)),
                i,
            )
        columns.append(Column(str(entry.get("header", "")), value, entry.get("text")))
    return Layout(
        name=str(head.get("name", name)),
        columns=tuple(columns),
        sheet=str(head.get("sheet", "Sheet1")),
        date_format=str(head.get("date_format", "yyyy-mm-dd")),
        blank_zero=bool(head.get("blank_zero", True)),
        code_separator=head.get("account_code_separator"),
        currencies={k: dict(v) for k, v in data.get("currencies", {}).items()},
        aux={k: str(v) for k, v in data.get("aux", {}).items()},
        path=path,
    )


def _money(cents: int | None, blank_zero: bool) -> Decimal | None:
    if cents is None or (blank_zero and cents == 0):
        return None
    return Decimal(cents).scaleb(-2)


def _rate(rate: int | None) -> Decimal:
    if rate is None:
        return Decimal(1)
    return (Decimal(rate).scaleb(-8)).normalize()


def _aux(layout: Layout, aux: str, platforms: dict[str, str]) -> str:
    items = []
    for part in (aux or "").split(";"):
        if "=" not in part:
            continue
        kind, code = part.split("=", 1)
        name = platforms.get(code, code) if kind == "project" else code
        template = layout.aux.get(kind, "{code}")
        items.append(template.format(code=code, name=name))
    return layout.aux.get("separator", ";").join(items)


def cells(lines: pl.DataFrame, layout: Layout, *, base: str, preparer: str) -> list[list]:
    """The workbook's rows (header first) for voucher lines (``vouchers.LINE_SCHEMA``)."""
    platforms = {k: v["zh-CN"] for k, v in i18n.section("platforms").items()}
    rows: list[list] = [[c.header for c in layout.columns]]
    for line in lines.iter_rows(named=True):
        currency = line["currency"] or base
        names = layout.currencies.get(currency, {})
        fc = line["amount_fc"]
        amount = line["debit"] or line["credit"]
        code = line["account_code"]
        if layout.code_separator is not None:
            code = code.replace(".", layout.code_separator)
        aux = dict(p.split("=", 1) for p in (line["aux"] or "").split(";") if "=" in p)
        values = {
            "date": line["date"],
            "year": line["date"].year,
            "month_no": line["date"].month,
            "period": line["period"],
            "word": line["word"],
            "number": line["number"],
            "line": line["line"],
            "line0": line["line"] - 1,
            "summary": line["summary"],
            "account_code": code,
            "account_name": line["account_name"],
            "debit": _money(line["debit"], layout.blank_zero),
            "credit": _money(line["credit"], layout.blank_zero),
            "amount": _money(amount, False),
            "amount_fc": _money(fc if fc is not None else amount, False),
            "amount_fc_only": _money(fc, False),
            "rate": None if fc is not None and line["fx_rate"] is None else _rate(line["fx_rate"]),
            "currency": currency,
            "currency_code": names.get("code", currency),
            "currency_name": names.get("name", currency),
            "aux": _aux(layout, line["aux"], platforms),
            "customer": aux.get("customer"),
            "project": aux.get("project"),
            "preparer": preparer or None,
            "attachments": 0,
            "source": ";".join(
                f"{f}:{r}"
                for f, r in zip(
                    (line["source_file"] or "").split(";"),
                    (line["source_rows"] or "").split(";"),
                    strict=False,
                )
                if f
            )
            or None,
            "platform": line["platform"],
            "shop": line["shop"],
            "category": line["category"],
        }
        rows.append([values[c.value] if c.value else (c.text or None) for c in layout.columns])
    return rows


def workbook_bytes(rows: list[list], layout: Layout) -> bytes:
    """An .xlsx of ``rows``: money with two decimals, dates as dates; the same bytes each time."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = layout.sheet
    money_cols = {i for i, c in enumerate(layout.columns) if c.value in MONEY}
    date_cols = {i for i, c in enumerate(layout.columns) if c.value == "date"}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if r > 1 and c - 1 in money_cols:
                cell.number_format = "0.00"
            elif r > 1 and c - 1 in date_cols:
                cell.number_format = layout.date_format
    buffer = io.BytesIO()
    wb.save(buffer)
    return stable_zip(buffer.getvalue())


def stable_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and a fixed creation time in docProps/core.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + FIXED_TIME.encode() + rb"\g<3>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()
