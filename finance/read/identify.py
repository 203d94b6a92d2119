"""Which rule does a file belong to? Decided by its content, with the filename as a tie-breaker."""

from __future__ import annotations

import re
from dataclasses import dataclass

from finance.errors import ImportRejected
from finance.i18n import per_lang
from finance.read.closeness import Nearness, any_known_column, nearest
from finance.read.source import Header, Source, find_header
from finance.rulebook.load import Rule


@dataclass(frozen=True)
class Match:
    rule: Rule
    header: Header


@dataclass(frozen=True)
class Miss:
    rule: Rule
    missing: tuple[str, ...]

    @property
    def found(self) -> int:
        return len(self.rule.columns) - len(self.missing)


def identify(source: Source, rules: list[Rule]) -> Match:
    """The one rule whose header columns the file has; otherwise a rejection that explains."""
    matches, misses = survey(source, rules)
    if len(matches) > 1:
        hinted = [
            m for m in matches if m.rule.filename and re.search(m.rule.filename, source.path.name)
        ]
        if len(hinted) == 1:
            return hinted[0]
        # A rule that asks for more columns is the more specific description of the file.
        widest = max(len(m.rule.columns) for m in matches)
        narrowed = [m for m in matches if len(m.rule.columns) == widest]
        if len(narrowed) == 1:
            return narrowed[0]
        names = ", ".join(f"{m.rule.name} ({m.rule.path.name})" for m in matches)
        raise ImportRejected("two_rules_match", file=source.path.name, rules=names)
    if matches:
        return matches[0]
    raise ImportRejected(
        "no_rule_matched", file=source.path.name, closest=closest_text(source, rules, misses)
    )


def survey(source: Source, rules: list[Rule]) -> tuple[list[Match], list[Miss]]:
    """Every rule that matches, and for the others how close they came."""
    matches: list[Match] = []
    misses: list[Miss] = []
    for rule in rules:
        header, missing = find_header(source, rule)
        if header is not None:
            matches.append(Match(rule, header))
        else:
            misses.append(Miss(rule, missing))
    return matches, misses


def closest(source: Source, rules: list[Rule], misses: list[Miss]) -> Nearness | None:
    """The rule the file comes close to, by the columns that tell formats apart
    (``closeness``); None when none is close."""
    return nearest(source, rules, [m.rule for m in misses])


def closest_text(source: Source, rules: list[Rule], misses: list[Miss]) -> dict[str, str]:
    """What the nearest rule lacked, or that none is near, in every language."""
    best = closest(source, rules, misses)
    if best is None:
        if any_known_column(source, rules):
            return per_lang("nothing_close")
        return per_lang("no_header_found", lines=40)
    return per_lang(
        "closest_rule",
        rule=best.rule.name,
        rule_file=best.rule.path.name,
        missing=", ".join(best.missing),
    )
