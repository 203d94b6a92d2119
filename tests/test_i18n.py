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
    import re
    from pathlib import Path

    from finance.i18n import reason_text

    source = (Path(__file__).parent.parent / "finance" / "allocate.py").read_text("utf-8")
    reasons = re.findall(r'pl\.(?:format|lit)\("([^"{]*(?:\{\}[^"]*)?)"', source)
    sentences = [r.replace("{}", "123") for r in reasons if " " in r and "(" not in r[:1]]
    assert sentences, "no reasons found in allocate.py"
    for sentence in sentences:
        zh = reason_text(sentence, "zh-CN")
        assert zh != sentence and any("\u4e00" <= ch <= "\u9fff" for ch in zh), sentence
