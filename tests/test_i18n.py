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


def _commands() -> list[tuple[str, object]]:
    import typer.main

    from finance.cli import app

    out = []

    def walk(command: object, path: str) -> None:
        out.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, name if path == "finance" else f"{path}.{name}")

    walk(typer.main.get_command(app), "finance")
    return out


def test_every_command_and_option_has_help_in_both_languages() -> None:
    for lang in LANGS:
        texts = catalog(lang)["help"]
        for path, command in _commands():
            assert texts.get(path), f"[help] {path!r} lacks {lang}"
            for param in command.params:  # type: ignore[attr-defined]
                if getattr(param, "help", None):
                    key = f"{path}.opt.{param.name}"
                    assert texts.get(key) or texts.get(f"opt.{param.name}"), (
                        f"[help] {key!r} (or 'opt.{param.name}') lacks {lang}"
                    )


@pytest.mark.parametrize(
    ("lang", "words"), [("zh-CN", "导入一次"), ("en", "Import every file in inbox/ once")]
)
def test_help_follows_the_language(lang: str, words: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from finance.cli import app

    monkeypatch.setenv("FINANCE_LANG", lang)
    result = CliRunner().invoke(app, ["ingest", "--help"])
    assert result.exit_code == 0 and words in result.output
