"""The tables and keys a rules file may have, and the check that it has no others."""

from __future__ import annotations

from finance import i18n
from finance.rulebook.checker import Checker, one_of

SECTIONS: dict[str, set[str]] = {
    "format": {"name", "kind", "platform", "description", "currency", "category", "sign"},
    "identify": {"columns", "optional", "filename"},
    "read": {"comment", "footer", "delimiter", "header_search_lines", "sheet", "fill_down"},
    "parse": {"date_formats", "decimal_mark", "null_values", "weight_unit", "timezone"},
    "columns": set(),  # canonical field names, checked against the kind
    "extract": set(),
    "flags": set(),
    "fee_name": {"columns", "remove"},
    "classify": {"category", "when", "sign", "key", "fee_name"},
    "key": {"columns", "scope", "duplicates", "on_conflict"},
    "shop": {"name", "account"},
    "amounts": {"column", "category", "sign", "fee_name"},
}
# --- wide statements, direction columns, summary rows (issue #3 part A; see docs/rules.md)
SECTIONS["read"] = SECTIONS["read"] | {"skip_rows_without"}
SECTIONS["identify"] = SECTIONS["identify"] | {"absent"}
SECTIONS["unpivot"] = {"columns", "name", "value", "total"}
SECTIONS["direction"] = {"column", "income", "expense"}
# --- money described by two files, counted once (issue 16; see docs/rules.md "[[supersedes]]")
SECTIONS["supersedes"] = {"formats", "fee_name"}

TOP_LEVEL = {"include"}
"""Keys outside any section: ``include = ["shared/part.toml", ...]``."""


def check_sections(check: Checker, data: dict) -> None:
    """Every table is a known section holding only its known keys."""
    for section, value in data.items():
        if section in TOP_LEVEL:
            continue
        if section not in SECTIONS:
            raise check.fail(
                section,
                None,
                i18n.per_lang("rules_unknown_section", section=section),
                one_of("[" + s + "]" for s in SECTIONS),
            )
        allowed = SECTIONS[section]
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, dict):
                raise check.fail(
                    section,
                    None,
                    i18n.per_lang("rules_not_table", section=section),
                    i18n.per_lang("rules_fix_see_docs"),
                )
            if allowed:
                for key in item:
                    if key not in allowed:
                        raise check.fail(
                            section,
                            key,
                            i18n.per_lang("rules_unknown_key", key=key, section=f"[{section}]"),
                            one_of(sorted(allowed)),
                        )
