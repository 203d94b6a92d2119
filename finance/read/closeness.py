"""How close a file that no rule matches comes to each rule: by the columns that tell formats
apart, not by the ones every format shares.

A column's weight is its inverse document frequency over the rulebook (``log((N + 1) / n)``,
``n`` the number of rules that name the column among their header columns): ``金额`` or ``备注``,
named by many rules, weigh little; ``账务流水号`` or ``settlement-id``, named by one or two, weigh
much. A rule's closeness to a header line is the weighted share of the rule's required
columns (``[identify] columns``) the line has, between 0 and 1; the line of the file that comes
closest counts. A rule is *close* from ``CLOSE`` on: most of what makes it that format is
there, and the rest is likely a renamed column. Below that no rule is named, rather than one
that only shares common columns with the file.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from finance.read.source import Source, clean_name
from finance.rulebook.load import Rule

CLOSE = 0.5
"""The least closeness at which a rule is named as the nearest to a file."""
RELATED = 0.25
"""The least closeness at which ``rules explain`` lists a rule as related to a file."""


@dataclass(frozen=True)
class Nearness:
    """How close a file came to one rule, on its closest line."""

    rule: Rule
    closeness: float  # weighted share of the rule's required columns present, 0..1
    found: int  # required columns present (unweighted)
    missing: tuple[str, ...]  # required columns absent from that line


def column_weights(rules: Iterable[Rule]) -> dict[str, float]:
    """Each header column named by a rule, weighted by how rare it is across ``rules``."""
    rules = list(rules)
    counts: Counter[str] = Counter()
    for rule in rules:
        counts.update(set(rule.known_columns))
    total = len(rules)
    return {name: math.log((total + 1) / n) for name, n in counts.items()}


def header_lines(source: Source, rule: Rule) -> list[tuple[str, ...]]:
    """The lines (or sheet rows) within the rule's header search, as cleaned cell names, split
    as the rule splits them."""
    if source.is_sheet:
        sheets = source.sheets
        if rule.sheet is not None:
            sheets = {k: v for k, v in sheets.items() if k == rule.sheet}
        rows = [
            row for frame in sheets.values() for row in frame.head(rule.header_search_lines).rows()
        ]
        return [tuple(clean_name(c or "") for c in row) for row in rows]
    lines = source.lines[: rule.header_search_lines]
    return [
        tuple(
            clean_name(c) for c in next(csv.reader(io.StringIO(line), delimiter=rule.delimiter), [])
        )
        for line in lines
    ]


def nearness(source: Source, rule: Rule, weights: dict[str, float]) -> Nearness:
    """The closeness of ``source``'s closest line to ``rule``."""
    required = tuple(dict.fromkeys(rule.columns))
    whole = sum(weights.get(c, 0.0) for c in required) or 1.0
    best = Nearness(rule, 0.0, 0, required)
    for names in header_lines(source, rule):
        have = set(names)
        if set(rule.absent) & have:
            continue  # a column this format never has: another format's header
        present = [c for c in required if c in have]
        score = sum(weights.get(c, 0.0) for c in present) / whole
        if (score, len(present)) > (best.closeness, best.found):
            missing = tuple(c for c in required if c not in have)
            best = Nearness(rule, score, len(present), missing)
    return best


def ranked(source: Source, rules: list[Rule], candidates: list[Rule]) -> list[Nearness]:
    """``candidates`` by how close ``source`` comes to each, closest first (weights from the
    whole rulebook ``rules``)."""
    weights = column_weights(rules)
    near = [nearness(source, rule, weights) for rule in candidates]
    return sorted(near, key=lambda n: (-n.closeness, -n.found, n.rule.name))


def nearest(source: Source, rules: list[Rule], candidates: list[Rule]) -> Nearness | None:
    """The closest of ``candidates``, when it is close (``CLOSE``); otherwise None."""
    near = ranked(source, rules, candidates)
    return near[0] if near and near[0].closeness >= CLOSE else None


def any_known_column(source: Source, rules: list[Rule]) -> bool:
    """Whether any line within reach has a column some rule names (a header of some kind)."""
    weights = column_weights(rules)
    return any(
        name in weights for rule in rules for names in header_lines(source, rule) for name in names
    )
