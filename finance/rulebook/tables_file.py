"""How a file of the format is recognised and read: ``[format]``, ``[identify]``, ``[read]``,
``[parse]``. Each function returns the ``Rule`` fields of its tables."""

from __future__ import annotations

from finance import i18n
from finance.rulebook.checker import Checker, one_of, unknown, use
from finance.rulebook.rule import DEFAULT_DATE_FORMATS
from finance.schema import KINDS
from finance.zones import is_zone


def format_table(check: Checker, data: dict) -> dict:
    """``[format]`` name, kind, platform, description, currency (category and sign are read
    with the row tables)."""
    fmt = data.get("format", {})
    for key in ("name", "kind", "platform"):
        if key not in fmt:
            raise check.fail(
                "format",
                None,
                i18n.per_lang("rules_format_lacks", key=key),
                i18n.per_lang("rules_fix_add", example=f'{key} = "..."'),
            )
    kind = fmt["kind"]
    if kind not in KINDS:
        raise check.fail("format", "kind", unknown("kind", kind), one_of(KINDS))
    return {
        "name": fmt["name"],
        "kind": kind,
        "platform": fmt["platform"],
        "description": fmt.get("description", ""),
        "currency": fmt.get("currency", "CNY"),
    }


def identify_table(check: Checker, data: dict) -> dict:
    """``[identify]``: the header columns, required and optional; a file-name hint; columns
    the format never has."""
    ident = data.get("identify", {})
    columns = tuple(ident.get("columns", ()))
    if not columns:
        raise check.fail(
            "identify",
            None,
            i18n.per_lang("rules_columns_empty", section="identify"),
            i18n.per_lang("rules_fix_identify_columns"),
        )
    optional = tuple(ident.get("optional", ()))
    filename = ident.get("filename")
    if filename is not None:
        check.regex("identify", "filename", filename)
    absent = tuple(str(c) for c in ident.get("absent", ()))
    clash = set(absent) & set(columns + optional)
    if clash:
        raise check.fail(
            "identify",
            "absent",
            i18n.per_lang("rules_absent_clash", name=sorted(clash)[0]),
            i18n.per_lang("rules_fix_one_list"),
        )
    return {"columns": columns, "optional": optional, "filename": filename, "absent": absent}


def read_table(check: Checker, data: dict, known: tuple[str, ...], header: tuple[str, ...]) -> dict:
    """``[read]``: comment and footer lines, delimiter, where the header is, which sheet,
    columns filled down, summary rows skipped. ``header`` is the declared header columns,
    ``known`` those plus the columns the rule makes itself."""
    read = data.get("read", {})
    footer = read.get("footer")
    if footer is not None:
        check.regex("read", "footer", footer)
    return {
        "comment": read.get("comment"),
        "footer": footer,
        "delimiter": read.get("delimiter", ","),
        "header_search_lines": int(read.get("header_search_lines", 40)),
        "sheet": read.get("sheet"),
        "fill_down": tuple(
            check.column("read", "fill_down", c, known) for c in read.get("fill_down", ())
        ),
        "skip_rows_without": tuple(
            check.column("read", "skip_rows_without", c, header)
            for c in read.get("skip_rows_without", ())
        ),
    }


def parse_table(check: Checker, data: dict) -> dict:
    """``[parse]``: date formats, decimal mark, extra null values, the weight unit, the time
    zone of the file's times written without one."""
    parse = data.get("parse", {})
    decimal_mark = parse.get("decimal_mark", ".")
    if decimal_mark not in (".", ",", "auto"):
        raise check.fail(
            "parse",
            "decimal_mark",
            i18n.per_lang("rules_setting", key="decimal_mark", value=decimal_mark),
            use(".", ",", "auto"),
        )
    weight_unit = parse.get("weight_unit", "g")
    if weight_unit not in ("g", "kg"):
        raise check.fail(
            "parse",
            "weight_unit",
            i18n.per_lang("rules_setting", key="weight_unit", value=weight_unit),
            use("g", "kg"),
        )
    timezone = parse.get("timezone")
    if timezone is not None and not (isinstance(timezone, str) and is_zone(timezone)):
        raise check.fail(
            "parse",
            "timezone",
            i18n.per_lang("rules_setting", key="timezone", value=timezone),
            i18n.per_lang("rules_fix_timezone"),
        )
    return {
        "date_formats": tuple(parse.get("date_formats", DEFAULT_DATE_FORMATS)),
        "decimal_mark": decimal_mark,
        "null_values": tuple(parse.get("null_values", ())),
        "weight_unit": weight_unit,
        "timezone": timezone,
    }
