"""Where each canonical field comes from: ``[columns]``, ``[extract]``, ``[flags]``,
``[fee_name]``. ``field_tables`` returns the ``Rule`` fields of these tables."""

from __future__ import annotations

import re

from finance import i18n
from finance.rulebook.checker import Checker
from finance.rulebook.rule import Extract, Flag
from finance.schema import KINDS, REQUIRED


def field_tables(check: Checker, data: dict, kind: str, known: tuple[str, ...]) -> dict:
    """Fields, flags and the fee name; a kind's required fields must all be mapped."""
    kind_fields = KINDS[kind]
    fields = _columns(check, data, kind, kind_fields, known)
    fields.update(_extracts(check, data, kind, kind_fields, known, fields))
    flags = _flags(check, data, kind, kind_fields, known)
    for required in REQUIRED[kind]:
        if required not in fields:
            raise check.fail(
                "columns",
                None,
                i18n.per_lang("rules_must_map", kind=kind, field=required),
                i18n.per_lang("rules_fix_add_field", field=required),
            )
    if (
        kind in ("ledger", "bank_lines")
        and "amount" not in fields
        and not {"income", "expense"} <= set(fields)
        and not data.get("amounts")
    ):
        raise check.fail(
            "columns",
            None,
            i18n.per_lang("rules_needs_amount", kind=kind),
            i18n.per_lang("rules_fix_needs_amount"),
        )
    fee = data.get("fee_name", {})
    fee_columns = tuple(
        check.column("fee_name", "columns", c, known) for c in fee.get("columns", ())
    )
    fee_remove = fee.get("remove")
    if fee_remove is not None:
        check.regex("fee_name", "remove", fee_remove)
    return {
        "fields": fields,
        "flags": flags,
        "fee_name_columns": fee_columns,
        "fee_name_remove": fee_remove,
    }


def _columns(
    check: Checker, data: dict, kind: str, kind_fields: dict, known: tuple[str, ...]
) -> dict[str, tuple[Extract, ...]]:
    """``[columns]``: ``field = "column"``."""
    fields: dict[str, tuple[Extract, ...]] = {}
    for name, source in data.get("columns", {}).items():
        check.field("columns", name, kind, kind_fields)
        if not isinstance(source, str):
            raise check.fail(
                "columns",
                name,
                i18n.per_lang("rules_one_column", name=name),
                i18n.per_lang("rules_fix_write", example=f'{name} = "列名"'),
            )
        fields[name] = (Extract(check.column("columns", name, source, known)),)
    return fields


def _extracts(
    check: Checker,
    data: dict,
    kind: str,
    kind_fields: dict,
    known: tuple[str, ...],
    mapped: dict[str, tuple[Extract, ...]],
) -> dict[str, tuple[Extract, ...]]:
    """``[extract]``: ``field = [{ column, pattern }, …]``, the first that gives a value wins."""
    fields: dict[str, tuple[Extract, ...]] = {}
    for name, spec in data.get("extract", {}).items():
        check.field("extract", name, kind, kind_fields)
        if name in mapped:
            raise check.fail(
                "extract",
                name,
                i18n.per_lang("rules_columns_and_extract", name=name),
                i18n.per_lang("rules_fix_keep_one"),
            )
        specs = spec if isinstance(spec, list) else [spec]
        extracts = []
        for one in specs:
            if not isinstance(one, dict) or "column" not in one:
                raise check.fail(
                    "extract",
                    name,
                    i18n.per_lang("rules_needs_column_pattern", name=name),
                    i18n.per_lang(
                        "rules_fix_example",
                        example='order_id = [{ column = "备注", pattern = "\\\\[(\\\\d+)\\\\]" }]',
                    ),
                )
            pattern = one.get("pattern")
            if pattern is not None:
                check.regex("extract", name, pattern)
                if re.compile(pattern).groups < 1:
                    raise check.fail(
                        "extract",
                        name,
                        i18n.per_lang("rules_no_group", pattern=pattern),
                        i18n.per_lang("rules_fix_capture_group"),
                    )
            extracts.append(Extract(check.column("extract", name, one["column"], known), pattern))
        fields[name] = tuple(extracts)
    return fields


def _flags(
    check: Checker, data: dict, kind: str, kind_fields: dict, known: tuple[str, ...]
) -> dict[str, Flag]:
    """``[flags]``: ``field = { column, pattern }``, true where the pattern matches."""
    flags: dict[str, Flag] = {}
    for name, spec in data.get("flags", {}).items():
        check.field("flags", name, kind, kind_fields)
        if kind_fields[name].type != "bool":
            raise check.fail(
                "flags",
                name,
                i18n.per_lang("rules_not_bool", name=name),
                i18n.per_lang("rules_fix_map_in_columns"),
            )
        if not isinstance(spec, dict) or set(spec) != {"column", "pattern"}:
            raise check.fail(
                "flags",
                name,
                i18n.per_lang("rules_needs_column_pattern", name=name),
                i18n.per_lang(
                    "rules_fix_example",
                    example='goods_returned = { column = "是否需要退货", pattern = "^是$" }',
                ),
            )
        flags[name] = Flag(
            check.column("flags", name, spec["column"], known),
            check.regex("flags", name, spec["pattern"]),
        )
    return flags
