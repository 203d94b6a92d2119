"""``include = [...]``: shared parts merged into a rules file (docs/rules.md, "Shared parts")."""

from __future__ import annotations

from pathlib import Path

from finance import i18n
from finance.rulebook.checker import Checker
from finance.rulebook.toml import read_toml

LIST_SECTIONS = ("classify", "amounts")
"""Tables written ``[[...]]``: an included file's entries are appended, not merged."""


def with_includes(path: Path, data: dict, check: Checker, seen: tuple[Path, ...]) -> dict:
    """``data`` with the files it includes merged in.

    The including file wins: its keys override an included table's keys, and its
    ``[[classify]]`` / ``[[amounts]]`` entries come before the included ones (first match wins).
    """
    names = data.get("include", [])
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise check.fail(
            "include",
            None,
            i18n.per_lang("rules_include_list"),
            i18n.per_lang("rules_fix_write", example='include = ["x.toml"]'),
        )
    merged = {k: v for k, v in data.items() if k != "include"}
    resolved: list[str] = []
    for name in names:
        part_path = (path.parent / name).resolve()
        if part_path in seen:
            raise check.fail(
                "include",
                None,
                i18n.per_lang("rules_include_circle", name=name),
                i18n.per_lang("rules_fix_circular"),
            )
        if not part_path.is_file():
            raise check.fail(
                "include",
                None,
                i18n.per_lang("rules_include_missing", name=name),
                i18n.per_lang("rules_fix_include_path"),
            )
        part_text, part = read_toml(part_path)
        part = with_includes(part_path, part, Checker(part_path, part_text), (*seen, part_path))
        resolved += [name, *part.pop("include", [])]
        for key, value in part.items():
            if key in LIST_SECTIONS:
                merged[key] = list(merged.get(key, [])) + list(value)
            elif isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**value, **merged[key]}
            else:
                merged.setdefault(key, value)
    if resolved:
        merged["include"] = resolved
    return merged
