"""Which rows are the same row, and whose they are: ``[key]`` and ``[shop]``."""

from __future__ import annotations

import re

from finance import i18n
from finance.rulebook.checker import Checker, unknown, use


def key_table(check: Checker, data: dict, name: str, known: tuple[str, ...]) -> dict:
    """``[key]``: the natural key's columns and scope, and what repeats and re-imports do."""
    key = data.get("key", {})
    key_columns = tuple(check.column("key", "columns", c, known) for c in key.get("columns", ()))
    duplicates = key.get("duplicates", "error")
    if duplicates not in ("error", "keep_first", "number"):
        raise check.fail(
            "key",
            "duplicates",
            unknown("duplicates", duplicates),
            use("error", "keep_first", "number"),
        )
    on_conflict = key.get("on_conflict", "skip")
    if on_conflict not in ("skip", "replace"):
        raise check.fail(
            "key", "on_conflict", unknown("on_conflict", on_conflict), use("skip", "replace")
        )
    if not key_columns:
        raise check.fail(
            "key",
            None,
            i18n.per_lang("rules_columns_empty", section="key"),
            i18n.per_lang("rules_fix_key_columns"),
        )
    return {
        "key_columns": key_columns,
        "key_scope": key.get("scope", name),
        "duplicates": duplicates,
        "on_conflict": on_conflict,
    }


def shop_table(check: Checker, data: dict) -> dict:
    """``[shop]``: the shop of every file, or the account its preamble names."""
    shop = data.get("shop", {})
    return {"shop": shop.get("name"), "shop_account": _account_pattern(check, shop.get("account"))}


def _account_pattern(check: Checker, pattern: str | None) -> str | None:
    """``[shop] account``: a regex with one group, found in the lines above the header."""
    if pattern is None:
        return None
    check.regex("shop", "account", pattern)
    if re.compile(pattern).groups < 1:
        raise check.fail(
            "shop",
            "account",
            i18n.per_lang("rules_no_group", pattern=pattern),
            i18n.per_lang("rules_fix_account_group"),
        )
    return pattern
