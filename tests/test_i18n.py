"""Every text exists in zh-CN and English, with the same placeholders (the catalogs in
finance/locales/)."""

from __future__ import annotations

import string

import pytest

from finance.i18n import LANGS, catalog


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


ENTRIES = sorted((name, key) for name, texts in catalog("en").items() for key in texts) + sorted(
    (name, key) for name, texts in catalog("zh-CN").items() for key in texts
)


def test_catalogs_have_the_same_sections_and_keys() -> None:
    zh, en = catalog("zh-CN"), catalog("en")
    assert set(zh) == set(en)
    for name in en:
        assert set(zh[name]) ^ set(en[name]) == set(), f"[{name}] differs between languages"


@pytest.mark.parametrize(("name", "key"), sorted(set(ENTRIES)))
def test_both_languages_same_placeholders(name: str, key: str) -> None:
    texts = {lang: catalog(lang).get(name, {}).get(key) for lang in LANGS}
    assert all(texts.values()), f"[{name}] {key} lacks a language: {texts}"
    assert _fields(texts["zh-CN"]) == _fields(texts["en"])


@pytest.mark.parametrize("key", sorted(catalog("en")["messages"]))
def test_messages_are_written_in_chinese(key: str) -> None:
    assert any("\u4e00" <= ch <= "\u9fff" for ch in catalog("zh-CN")["messages"][key])


def test_every_allocation_reason_is_translated() -> None:
    from finance.allocate import REASONS
    from finance.i18n import reason_text

    for reason in REASONS:
        sentence = reason.replace("{}", "123")
        zh = reason_text(sentence, "zh-CN")
        assert zh != sentence and any("\u4e00" <= ch <= "\u9fff" for ch in zh), sentence
        assert reason_text(sentence, "en").startswith(sentence)


def test_basis_labels_in_chinese() -> None:
    from finance.i18n import basis_text

    assert basis_text("revenue", "zh-CN") == "销售额"
    assert basis_text("quantity (no weight for every SKU)", "zh-CN") == (
        "件数（并非每个 SKU 都有重量，改用此比例）"
    )
    assert basis_text("quantity (no weight for every SKU)", "en") == (
        "quantity (no weight for every SKU)"
    )
    assert basis_text("equal (every weight is zero)", "zh-CN").startswith("平均分摊")
