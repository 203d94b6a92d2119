"""Every text a finance user reads, in zh-CN and English.

The texts live in message catalogs, one TOML file per language under ``finance/locales/``
(``zh-CN.toml``, ``en.toml``), each with the same sections (``[messages]``, ``[categories]``,
``[columns]``, ``[labels]``, ``[platforms]`` …) and the same keys. A translator edits one file;
a test fails when a key or a ``{placeholder}`` is missing in a language.

``text(key, lang, **fields)`` formats one message; ``section(name)`` gives a whole section as
``{key: {lang: text}}`` for the modules that show labels.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from string import Formatter

import polars as pl

LANGS = ("zh-CN", "en")


@cache
def catalog(lang: str) -> dict[str, dict[str, str]]:
    """The catalog of ``lang``: ``{section: {key: text}}``."""
    return tomllib.loads(files("finance").joinpath("locales", f"{lang}.toml").read_text("utf-8"))


@cache
def section(name: str) -> dict[str, dict[str, str]]:
    """Section ``name`` of every catalog: ``{key: {lang: text}}`` (keys of the English one)."""
    return {
        key: {lang: catalog(lang)[name].get(key, text) for lang in LANGS}
        for key, text in catalog("en")[name].items()
    }


MESSAGES: dict[str, dict[str, str]] = section("messages")
"""The ``[messages]`` section: errors, outcomes and notes, by key."""


def text(key: str, lang: str = "en", /, **fields: object) -> str:
    """Format message ``key`` in ``lang`` (``zh-CN`` or ``en``)."""
    entry = MESSAGES[key]
    template = entry.get(lang) or entry["en"]
    resolved = {k: (v.get(lang, v["en"]) if isinstance(v, dict) else v) for k, v in fields.items()}
    return template.format(**resolved)


def column_text(key: str, lang: str, /, *, missing: str = "", **fields: pl.Expr) -> pl.Expr:
    """Message ``key`` in ``lang`` for every row of a frame: each ``{name}`` takes the row's value
    of ``fields[name]`` (as text; ``missing`` where it is null)."""
    template = MESSAGES[key].get(lang) or MESSAGES[key]["en"]
    pieces: list[pl.Expr] = []
    for literal, name, _spec, _conv in Formatter().parse(template):
        if literal:
            pieces.append(pl.lit(literal))
        if name:
            pieces.append(fields[name].cast(pl.String).fill_null(missing))
    return pl.concat_str(pieces) if pieces else pl.lit("")


def per_lang(key: str, /, **fields: object) -> dict[str, str]:
    """A message in every language, to pass as a field of another message."""
    return {lang: text(key, lang, **fields) for lang in LANGS}


def both(key: str, /, **fields: object) -> str:
    """The message in Chinese, then English, on two lines (for files a user opens)."""
    return "\n".join(text(key, lang, **fields) for lang in LANGS)


# Why a part stayed unallocated: allocate.py writes the English sentence (stable, tested, used in
# exports); reports show it in the reader's language.
REASONS: list[tuple[str, dict[str, str]]] = [
    (
        r"^order (.+) is in no order export$",
        {
            "zh-CN": "订单 {0} 不在任何订单导出中（请补导出更早时间段的订单）",
            "en": "order {0} is in no order export (export an earlier order window)",
        },
    ),
    (
        r"^listing (.+) is in no order export$",
        {"zh-CN": "商品 {0} 不在任何订单导出中", "en": "listing {0} is in no order export"},
    ),
    (
        r"^waybill (.+) is in no order export$",
        {"zh-CN": "运单 {0} 不在任何订单导出中", "en": "waybill {0} is in no order export"},
    ),
    (
        r"^waybill (.+?) is in the order exports of several shops: (.+)$",
        {
            "zh-CN": "运单 {0} 同时出现在多个店铺的订单导出中：{1}（不按猜测拆分，请核对）",
            "en": "waybill {0} is in the order exports of several shops: {1} (not split by "
            "guess: check which shop shipped it)",
        },
    ),
    (
        r"^campaign (.+) has no SKUs in campaign-skus$",
        {
            "zh-CN": "推广计划 {0} 在计划-商品对照表（campaign-skus）中没有 SKU",
            "en": "campaign {0} has no SKUs in campaign-skus",
        },
    ),
    (
        r"^the shop has no SKU sales this month$",
        {
            "zh-CN": "本店本月没有 SKU 销售额，无法按销售额分摊",
            "en": "the shop has no SKU sales this month",
        },
    ),
    (
        r"^the order line has no SKU code \(商家编码\)$",
        {"zh-CN": "订单行没有商家编码", "en": "the order line has no SKU code (商家编码)"},
    ),
]


def reason_text(reason: str, lang: str) -> str:
    """An unallocated part's reason in ``lang``; unknown reasons are returned as they are."""
    import re

    for pattern, texts in REASONS:
        match = re.match(pattern, reason)
        if match:
            return texts.get(lang, texts["en"]).format(*match.groups())
    return reason


BASIS_NAMES = {
    "revenue": {"zh-CN": "销售额", "en": "revenue"},
    "quantity": {"zh-CN": "件数", "en": "quantity"},
    "weight": {"zh-CN": "重量", "en": "weight"},
    "order_count": {"zh-CN": "订单数", "en": "order count"},
    "refund list amount": {"zh-CN": "退款单金额", "en": "refund list amount"},
    "direct": {"zh-CN": "直接计入", "en": "direct"},
}


def basis_text(basis: str | None, lang: str) -> str:
    """A split basis as allocate.py records it (``weight``, ``quantity (no weight for every
    SKU)``, ``equal (every weight is zero)``) in ``lang``."""
    import re

    if not basis:
        return ""
    names = {k: v.get(lang, v["en"]) for k, v in BASIS_NAMES.items()}
    match = re.match(r"^(\w[\w ]*?) \(no (\w+) for every SKU\)$", basis)
    if match:
        used, wanted = (names.get(g, g) for g in match.groups())
        if lang == "zh-CN":
            return f"{used}（并非每个 SKU 都有{wanted}，改用此比例）"
        return f"{used} (no {wanted} for every SKU)"
    if basis.startswith("equal"):
        return "平均分摊（各项比例均为零）" if lang == "zh-CN" else basis
    return names.get(basis, basis)
