"""Load a rules file and refuse anything it does not understand.

A rules file is TOML (see ``docs/rules.md``). Every section, key, canonical field, column and
category is checked when the file loads; an error names the file, the line and the fix, so a
rule never silently matches nothing. Each group of tables is read by a module of its own
(``tables_file``, ``tables_fields``, ``tables_rows``, ``tables_key``); this module assembles the
``Rule`` from them.
"""

from __future__ import annotations

from pathlib import Path

from finance import i18n
from finance.errors import RuleError
from finance.rulebook.checker import Checker, line_of
from finance.rulebook.includes import with_includes
from finance.rulebook.rule import (
    DEFAULT_DATE_FORMATS,
    KEYS,
    SIGNS,
    Amount,
    Classify,
    Direction,
    Extract,
    Flag,
    Rule,
    Unpivot,
)
from finance.rulebook.sections import SECTIONS, TOP_LEVEL, check_sections
from finance.rulebook.tables_fields import field_tables
from finance.rulebook.tables_file import format_table, identify_table, parse_table, read_table
from finance.rulebook.tables_key import key_table, shop_table
from finance.rulebook.tables_rows import derived_columns, row_tables
from finance.rulebook.tables_supersedes import check_supersedes, supersedes_table
from finance.rulebook.toml import read_toml

__all__ = [
    "DEFAULT_DATE_FORMATS",
    "KEYS",
    "SECTIONS",
    "SIGNS",
    "TOP_LEVEL",
    "Amount",
    "Classify",
    "Direction",
    "Extract",
    "Flag",
    "Rule",
    "Unpivot",
    "load_rule",
    "load_rules",
]

_line_of = line_of  # alerts.py still imports it from here


def load_rule(path: Path) -> Rule:
    """Load and validate one rules file."""
    text, data = read_toml(path)
    check = Checker(path, text)
    data = with_includes(path, data, check, (path.resolve(),))
    check_sections(check, data)
    fmt = format_table(check, data)
    ident = identify_table(check, data)
    header = ident["columns"] + ident["optional"]
    known = header + derived_columns(data)
    fields = field_tables(check, data, fmt["kind"], known)
    return Rule(
        path=path,
        **fmt,
        **ident,
        **fields,
        **row_tables(check, data, fmt["kind"], known, header, fields["fields"]),
        **key_table(check, data, fmt["name"], known),
        **shop_table(check, data),
        **read_table(check, data, known, header),
        **parse_table(check, data),
        **supersedes_table(check, data, fmt["kind"], data.get("format", {}).get("category")),
        includes=tuple(Path(p) for p in data.get("include", ())),
    )


def load_rules(folder: Path) -> list[Rule]:
    """Every ``*.toml`` under ``folder/formats`` (or ``folder`` itself), sorted by file name."""
    base = folder / "formats" if (folder / "formats").is_dir() else folder
    rules = [load_rule(p) for p in sorted(base.glob("*.toml"))]
    seen: dict[str, Path] = {}
    for rule in rules:
        if rule.name in seen:
            raise RuleError(
                "rule_invalid",
                rule_file=rule.path.as_posix(),
                line=line_of(rule.path.read_text(encoding="utf-8"), "format", "name"),
                detail=i18n.per_lang(
                    "rules_duplicate_name", name=rule.name, other=seen[rule.name].name
                ),
                fix=i18n.per_lang("rules_fix_unique_name"),
            )
        seen[rule.name] = rule.path
    check_supersedes(rules)
    return rules
