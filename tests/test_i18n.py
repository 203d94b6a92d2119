"""Every message exists in zh-CN and English, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from finance.i18n import LANGS, MESSAGES


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_same_placeholders(key: str) -> None:
    entry = MESSAGES[key]
    assert set(entry) == set(LANGS)
    assert _fields(entry["zh-CN"]) == _fields(entry["en"])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in entry["zh-CN"])


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
