"""Errors about a rules file, at the line they concern, in every language.

Shared by every loader of a rules file (formats, ``allocation.toml``): ``Checker.fail`` builds
the ``rule_invalid`` error; ``unknown``, ``one_of`` and ``use`` build its detail and fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from finance import i18n
from finance.errors import RuleError


def line_of(text: str, section: str, key: str | None = None, occurrence: int = 0) -> int:
    """The 1-based line of ``[section]`` (its ``occurrence``-th ``[[section]]``), or of ``key``
    inside it, in ``text``; 1 if unknown."""
    lines = text.splitlines()
    start = 0
    header = re.compile(r"^\s*\[\[?\s*" + re.escape(section) + r"\s*\]\]?\s*$")
    seen = 0
    for i, line in enumerate(lines):
        if header.match(line):
            start = i
            if seen == occurrence:
                break
            seen += 1
    else:
        if key is None:
            return 1
    if key is None:
        return start + 1
    key_re = re.compile(r"^\s*\"?" + re.escape(key) + r"\"?\s*=")
    for i in range(start, len(lines)):
        if key_re.match(lines[i]) or (key in lines[i] and i > start):
            return i + 1
    return start + 1


class Checker:
    """Checks values of one rules file; its errors name the file and the line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def fail(
        self,
        section: str,
        key: str | None,
        detail: str | dict[str, str],
        fix: str | dict[str, str],
        occurrence: int = 0,
    ) -> RuleError:
        """The error at ``section``/``key``; ``detail`` and ``fix`` are ``i18n.per_lang(...)``."""
        return RuleError(
            "rule_invalid",
            rule_file=self.path.as_posix(),
            line=line_of(self.text, section, key, occurrence),
            detail=detail,
            fix=fix,
        )

    def regex(self, section: str, key: str, pattern: str, occurrence: int = 0) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise self.fail(
                section,
                key,
                i18n.per_lang("rules_bad_regex", pattern=pattern, error=exc),
                i18n.per_lang("rules_fix_regex"),
                occurrence,
            ) from exc
        return pattern

    def column(
        self, section: str, key: str, name: str, known: tuple[str, ...], occurrence: int = 0
    ) -> str:
        if name not in known:
            raise self.fail(
                section,
                key,
                i18n.per_lang("rules_unknown_column", column=name),
                i18n.per_lang("rules_fix_declare_column"),
                occurrence,
            )
        return name

    def field(self, section: str, name: str, kind: str, kind_fields: dict) -> None:
        """``name`` is a canonical field of ``kind``."""
        if name not in kind_fields:
            raise self.fail(
                section,
                name,
                i18n.per_lang("rules_not_a_field", name=name, kind=kind),
                one_of(kind_fields),
            )


def unknown(what: str, value: object) -> dict[str, str]:
    """``unknown sign 'x'``: a value that is not one of the allowed ones, in every language."""
    return i18n.per_lang("rules_unknown_value", what=what, value=value)


def one_of(choices: Iterable[str]) -> dict[str, str]:
    """``use one of: a, b, c`` in every language."""
    return i18n.per_lang("rules_fix_one_of", choices=", ".join(choices))


def use(*choices: str) -> dict[str, str]:
    """``use "a" or "b"`` (or ``"a", "b" or "c"``) in every language."""
    key = "rules_fix_use_2" if len(choices) == 2 else "rules_fix_use_3"
    return i18n.per_lang(key, **dict(zip("abc", choices, strict=False)))
