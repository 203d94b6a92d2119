"""Rules-file errors read in Chinese too: every detail and fix has a zh-CN text.

A finance user who mistypes a rules file (rules/formats/*.toml, allocation.toml, alerts.toml)
sees ``rule_invalid``: a frame with a ``detail`` and a ``fix``. Both come from the ``rules_*``
message keys in finance/i18n.py; these tests check the Chinese is there, and that no call site
passes an English-only string again.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from finance import i18n

RULES_KEYS = sorted(k for k in i18n.MESSAGES if k.startswith(("rules_", "contracts_")))
SOURCES = Path(i18n.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")
"""Three English words in a row: a sentence left untranslated (TOML names come one or two)."""


def _dummy_fields(template: str) -> dict[str, str]:
    return {f: "X" for _, f, _, _ in string.Formatter().parse(template) if f}


def test_there_are_rules_error_keys() -> None:
    assert len(RULES_KEYS) >= 40


@pytest.mark.parametrize("key", RULES_KEYS)
def test_rules_error_key_reads_in_chinese(key: str) -> None:
    fields = _dummy_fields(i18n.MESSAGES[key]["en"])
    zh = i18n.text(key, "zh-CN", **fields)
    en = i18n.text(key, "en", **fields)
    assert CJK.search(zh), f"{key}: no Chinese in {zh!r}"
    assert zh != en
    assert not ENGLISH_RUN.search(zh), f"{key}: English left in {zh!r}"


def test_rule_invalid_renders_all_chinese() -> None:
    """The frame with a per-language detail and fix, as load.py raises it."""
    from finance.errors import RuleError

    error = RuleError(
        "rule_invalid",
        rule_file="x.toml",
        line=3,
        detail=i18n.per_lang("rules_unknown_column", column="金額"),
        fix=i18n.per_lang("rules_fix_declare_column"),
    )
    assert error.render("zh-CN") == (
        "规则文件 x.toml 第 3 行：列“金額”不在本规则声明的表头列中。修改方法：把它加到 "
        "[identify] columns（必有的列）或 [identify] optional（可选的列）中，或改正列名的拼写"
    )
    assert error.render("en") == (
        "Rules file x.toml line 3: column '金額' is not among the header columns this rule "
        "declares. Fix: add it to [identify] columns (required) or [identify] optional, or "
        "correct its spelling"
    )


# Where rules-file errors are raised (every module that raises ``rule_invalid`` or calls a
# helper that does, wherever the package puts it), and the helpers that build one.
HELPERS = ("fail", "_invalid")
CALL_SITES = sorted(
    path.relative_to(SOURCES).as_posix()
    for path in SOURCES.rglob("*.py")
    if re.search(r"rule_invalid|\b(fail|_invalid)\(", path.read_text(encoding="utf-8"))
)
PER_LANG = {"per_lang", "unknown", "one_of", "use", "_unknown", "_one_of", "_use"}
RAW_PARSER_MESSAGE = "str"
"""``detail=str(error)``: tomllib's own message about a TOML syntax error, quoted as it is."""


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        func = node.func
        return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return type(node).__name__


def _detail_and_fix(call: ast.Call, positional: tuple[int, int]) -> list[ast.expr]:
    args = [call.args[i] for i in positional if i < len(call.args)]
    return args + [k.value for k in call.keywords if k.arg in ("detail", "fix")]


def test_rules_errors_are_raised_somewhere() -> None:
    assert len(CALL_SITES) >= 4, CALL_SITES


@pytest.mark.parametrize("source", CALL_SITES)
def test_every_rules_error_call_site_passes_both_languages(source: str) -> None:
    tree = ast.parse((SOURCES / source).read_text(encoding="utf-8"))
    checked = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        is_rule_error = (
            name in ("RuleError", "FinanceError")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "rule_invalid"
        )
        if name in HELPERS:
            values = _detail_and_fix(node, (2, 3) if name == "fail" else (4, 5))
        elif is_rule_error:
            values = _detail_and_fix(node, ())
        else:
            continue
        if not values:  # the definition's own forwarding call, e.g. fail(..., detail, fix)
            continue
        for value in values:
            if isinstance(value, ast.Name):  # forwarded parameter inside the helper itself
                continue
            assert _name(value) in PER_LANG | {RAW_PARSER_MESSAGE}, (
                f"{source} line {value.lineno}: pass i18n.per_lang(...) as detail and fix, "
                f"not {ast.unparse(value)[:60]}"
            )
            checked += 1
    CHECKED[source] = checked


CHECKED: dict[str, int] = {}


def test_the_call_sites_were_read() -> None:
    """Run after the per-file checks (same worker with -n: the counts are per process)."""
    for source in CALL_SITES:
        if source not in CHECKED:
            test_every_rules_error_call_site_passes_both_languages(source)
    assert sum(CHECKED.values()) >= 10, CHECKED
