"""``[[supersedes]]``: the statement rows an ad report describes again (counted once, issue 16).

Checked per file (a ledger rule with a ``[format] category``, a list of formats, a valid
pattern) and across the rules (each named format is another ledger rule of the same platform).
"""

from __future__ import annotations

from finance import i18n
from finance.errors import RuleError
from finance.rulebook.checker import Checker, line_of
from finance.rulebook.rule import Rule, Supersedes


def supersedes_table(check: Checker, data: dict, kind: str, category: str | None) -> dict:
    """``supersedes``: the entries of ``[[supersedes]]``, checked."""
    items = data.get("supersedes", [])
    entries = items if isinstance(items, list) else [items]
    out = []
    for i, item in enumerate(entries):
        if kind != "ledger" or category is None:
            raise check.fail(
                "supersedes",
                None,
                i18n.per_lang("rules_supersedes_ledger"),
                i18n.per_lang("rules_fix_remove"),
                i,
            )
        formats = item.get("formats")
        if (
            not isinstance(formats, list)
            or not formats
            or not all(isinstance(f, str) and f for f in formats)
        ):
            raise check.fail(
                "supersedes",
                "formats",
                i18n.per_lang("rules_supersedes_formats"),
                i18n.per_lang("rules_fix_write", example='formats = ["jd-settlement"]'),
                i,
            )
        pattern = item.get("fee_name")
        if not isinstance(pattern, str) or not pattern:
            raise check.fail(
                "supersedes",
                "fee_name",
                i18n.per_lang(
                    "rules_entry_lacks", section="[[supersedes]]", name=i + 1, key="fee_name"
                ),
                i18n.per_lang("rules_fix_write", example='fee_name = "京准通|广告费"'),
                i,
            )
        out.append(Supersedes(tuple(formats), check.regex("supersedes", "fee_name", pattern, i)))
    return {"supersedes": tuple(out)}


def check_supersedes(rules: list[Rule]) -> None:
    """Every format a ``[[supersedes]]`` names is another ledger rule of the report's platform."""
    ledgers = {r.name: r for r in rules if r.kind == "ledger"}
    for rule in rules:
        for i, entry in enumerate(rule.supersedes):
            for name in entry.formats:
                other = ledgers.get(name)
                if other is None or other.platform != rule.platform or other is rule:
                    text = rule.path.read_text(encoding="utf-8")
                    raise RuleError(
                        "rule_invalid",
                        rule_file=rule.path.as_posix(),
                        line=line_of(text, "supersedes", "formats", i),
                        detail=i18n.per_lang(
                            "rules_supersedes_unknown", name=name, platform=rule.platform
                        ),
                        fix=i18n.per_lang("rules_fix_supersedes_unknown"),
                    )
