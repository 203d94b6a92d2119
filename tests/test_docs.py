"""The docs are tested: every rules directive and canonical field is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from finance.rulebook.load import SECTIONS
from finance.schema import CATEGORIES, KINDS

DOC = (Path(__file__).parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("section", "key"), [(s, k) for s, keys in SECTIONS.items() for k in sorted(keys)]
)
def test_directive_documented(section: str, key: str) -> None:
    header = f"### `[{section}]`" if f"### `[{section}]`" in DOC else f"### `[[{section}]]`"
    part = DOC.split(header)[1].split("\n### ")[0]
    assert f"`{key}`" in part


@pytest.mark.parametrize("section", list(SECTIONS))
def test_section_documented(section: str) -> None:
    assert f"`[{section}]`" in DOC or f"`[[{section}]]`" in DOC


@pytest.mark.parametrize(("kind", "field"), [(k, f) for k, fs in KINDS.items() for f in fs])
def test_field_documented(kind: str, field: str) -> None:
    line = next(line for line in DOC.splitlines() if line.startswith(f"- **{kind}**"))
    block = DOC.split(line)[1].split("\n- **")[0]
    assert f"`{field}`" in line + block


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_category_documented(category: str) -> None:
    assert f"`{category}`" in DOC


ALLOCATION = DOC.split("## `rules/allocation.toml`")[1]


@pytest.mark.parametrize(
    "name",
    [
        "[basis]",
        "[fallback]",
        "[[fixed]]",
        "[[monthly]]",
        "`default`",
        "`per`",
        "`amount`",
        "`basis`",
        "`platform`, `shop`",
    ],
)
def test_allocation_directive_documented(name: str) -> None:
    assert name in ALLOCATION


def test_allocation_keys_and_bases_documented() -> None:
    from finance.rulebook.allocation import BASES, FIXED_KEYS, MONTHLY_KEYS

    for key in FIXED_KEYS | MONTHLY_KEYS:
        assert f"`{key}`" in ALLOCATION, key
    for basis in BASES:
        assert f"`{basis}`" in ALLOCATION, basis


# --- cross-border: the rules language is complete (issue #3 part B)
@pytest.mark.parametrize(
    "name", ["`include`", "`[[amounts]]`", "`[[shop_by_path]]`", "`fill_down`"]
)
def test_cross_border_directive_documented(name: str) -> None:
    assert name in DOC


def test_every_top_level_key_and_amounts_key_documented() -> None:
    from finance.rulebook.load import KEYS, SIGNS, TOP_LEVEL

    amounts = DOC.split("### `[[amounts]]`")[1].split("\n## ")[0]
    for key in SECTIONS["amounts"]:
        assert f"`{key}`" in amounts, key
    for key in TOP_LEVEL:
        assert f"`{key}`" in DOC, key
    classify = DOC.split("### `[[classify]]`")[1].split("\n### ")[0]
    for value in (*SIGNS, *KEYS):
        assert f'"{value}"' in classify, value


# --- the books (issue 17): accounts.toml and the workbook layouts, in both languages
BOOKS = {
    lang: (Path(__file__).parent.parent / "docs" / name).read_text(encoding="utf-8")
    for lang, name in (("en", "books.md"), ("zh-CN", "books.zh-CN.md"))
}


def _books_names() -> list[str]:
    from finance.books.accounts import ACCOUNT_KEYS, MATCH_KEYS, TOP_KEYS
    from finance.books.layouts import FIELDS, LAYOUT_KEYS

    names = [*TOP_KEYS, *ACCOUNT_KEYS, *FIELDS, *LAYOUT_KEYS]
    names += [k for keys in MATCH_KEYS.values() for k in keys]
    return sorted(set(names))


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("name", _books_names())
def test_books_keys_documented_in_both_languages(lang: str, name: str) -> None:
    assert (
        f"`{name}`" in BOOKS[lang]
        or f"`[{name}]`" in BOOKS[lang]
        or (f"`[[{name}]]`" in BOOKS[lang])
    )
