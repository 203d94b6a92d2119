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
