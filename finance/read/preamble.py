"""What the lines above a statement's header say: the account a file belongs to."""

from __future__ import annotations

import re

from finance.read.source import Header, Source
from finance.rulebook.load import Rule


def preamble_account(source: Source, header: Header, rule: Rule) -> str | None:
    """The account ``[shop] account`` finds in the lines above the header (first match), e.g.
    ``20885021234567890156`` from ``#账号：[20885021234567890156]``."""
    if not rule.shop_account:
        return None
    if source.is_sheet:
        above = [",".join(r) for r in source.sheets.get(header.sheet or "", [])[: header.index]]
    else:
        above = source.lines[: header.index]
    pattern = re.compile(rule.shop_account)
    for line in above:
        found = pattern.search(line)
        if found:
            return found.group(1).strip()
    return None
