"""Every text a finance user reads, in zh-CN and English.

The texts live in message catalogs, one TOML file per language under ``finance/locales/``
(``zh-CN.toml``, ``en.toml``), each with the same sections (``[messages]``, ``[categories]``,
``[columns]``, ``[labels]``, ``[platforms]`` …) and the same keys. A translator edits one file;
a test fails when a key or a ``{placeholder}`` is missing in a language.

``text(key, lang, **fields)`` formats one message; ``section(name)`` gives a whole section as
``{key: {lang: text}}`` for the modules that show labels.
"""

from __future__ import annotations

import re
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


def reason_text(reason: str, lang: str) -> str:
    """An unallocated part's reason in ``lang`` (the ``[reasons]`` section: the key is the English
    sentence with ``{}`` where the order, waybill … goes); unknown reasons are returned as they
    are."""
    for template, texts in section("reasons").items():
        pattern = "^" + re.escape(template).replace(r"\{\}", "(.+)") + "$"
        match = re.match(pattern, reason)
        if match:
            return texts[lang if lang in texts else "en"].format(*match.groups())
    return reason


def basis_text(basis: str | None, lang: str) -> str:
    """A split basis as allocate.py records it (``weight``, ``quantity (no weight for every
    SKU)``, ``equal (every weight is zero)``) in ``lang`` (the ``[bases]`` section)."""
    if not basis:
        return ""
    lang = lang if lang in LANGS else "en"
    names = {k: v[lang] for k, v in section("bases").items()}
    match = re.match(r"^(\w[\w ]*?) \(no (\w+) for every SKU\)$", basis)
    if match:
        used, wanted = (names.get(g, g) for g in match.groups())
        return names["fallback"].format(used=used, wanted=wanted)
    match = re.match(r"^equal \(every (\w+) is zero\)$", basis)
    if match:
        return names["equal"].format(wanted=names.get(match.group(1), match.group(1)))
    return names.get(basis, basis)
