"""Load a rules file and refuse anything it does not understand.

A rules file is TOML (see ``docs/rules.md``). Every section, key, canonical field, column and
category is checked when the file loads; an error names the file, the line and the fix, so a
rule never silently matches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from finance import i18n
from finance.errors import RuleError
from finance.rulebook.toml import read_toml
from finance.schema import CATEGORIES, KINDS, REQUIRED

SECTIONS: dict[str, set[str]] = {
    "format": {"name", "kind", "platform", "description", "currency", "category", "sign"},
    "identify": {"columns", "optional", "filename"},
    "read": {"comment", "footer", "delimiter", "header_search_lines", "sheet", "fill_down"},
    "parse": {"date_formats", "decimal_mark", "null_values", "weight_unit"},
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
SIGNS = ("as_is", "negate", "income", "expense")
"""How a conditional mapping or an amount column sets the sign (see docs/rules.md)."""
KEYS = ("sku", "order", "waybill", "listing", "campaign", "shop")
"""The allocation key a conditional mapping may pin a row to (most specific first)."""

DEFAULT_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日",
    "%Y%m%d",
)


@dataclass(frozen=True)
class Extract:
    """Take a canonical field from a column, optionally the first group of a pattern."""

    column: str
    pattern: str | None = None


@dataclass(frozen=True)
class Flag:
    """A true/false field: the column's text matches the pattern."""

    column: str
    pattern: str


@dataclass(frozen=True)
class Classify:
    """Rows whose columns all match ``when`` (regex search) get ``category``; optionally the
    amount's ``sign`` and the allocation ``key`` are set too."""

    category: str
    when: dict[str, str]
    sign: str | None = None
    key: str | None = None
    fee_name: str | None = None


@dataclass(frozen=True)
class Amount:
    """A wide row: this column gives a canonical row of its own (``[[amounts]]``)."""

    column: str
    category: str | None = None
    sign: str = "as_is"
    fee_name: str | None = None


@dataclass(frozen=True)
class Unpivot:
    """A wide statement: each of ``columns`` becomes a row; ``name``/``value`` hold its name and
    cell; ``total`` (optional) is a column the unpivoted amounts of a row must add up to."""

    columns: tuple[str, ...]
    name: str
    value: str
    total: str | None = None


@dataclass(frozen=True)
class Direction:
    """The sign of an unsigned amount comes from ``column``: ``income`` or ``expense`` pattern."""

    column: str
    income: str
    expense: str


@dataclass(frozen=True)
class Supersedes:
    """``[[supersedes]]``: rows of the statements ``formats`` whose fee name matches
    ``fee_name`` describe the same money as this report's rows (docs/formats.md, "Money never
    counted twice"); where this report is imported for a month and shop, they are a payment."""

    formats: tuple[str, ...]
    fee_name: str


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    platform: str
    path: Path
    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()
    description: str = ""
    currency: str = "CNY"
    category: str | None = None
    sign: str = "as_is"
    filename: str | None = None
    comment: str | None = None
    footer: str | None = None
    delimiter: str = ","
    header_search_lines: int = 40
    sheet: str | None = None
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    decimal_mark: str = "."
    null_values: tuple[str, ...] = ()
    weight_unit: str = "g"
    fields: dict[str, tuple[Extract, ...]] = field(default_factory=dict)
    flags: dict[str, Flag] = field(default_factory=dict)
    fee_name_columns: tuple[str, ...] = ()
    fee_name_remove: str | None = None
    classify: tuple[Classify, ...] = ()
    key_columns: tuple[str, ...] = ()
    key_scope: str = ""
    duplicates: str = "error"
    on_conflict: str = "skip"
    shop: str | None = None
    amounts: tuple[Amount, ...] = ()
    shop_account: str | None = None
    fill_down: tuple[str, ...] = ()
    includes: tuple[Path, ...] = ()
    # --- wide statements, direction columns, summary rows (issue #3 part A)
    skip_rows_without: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    unpivot: Unpivot | None = None
    direction: Direction | None = None
    # --- counted once (issue 16)
    supersedes: tuple[Supersedes, ...] = ()

    @property
    def known_columns(self) -> tuple[str, ...]:
        return self.columns + self.optional


def _line_of(text: str, section: str, key: str | None = None, occurrence: int = 0) -> int:
    """The 1-based line of ``[section]`` (its ``occurrence``-th ``[[section]]``), or of ``key``
    inside it, in ``text``; 1 if unknown."""
    lines = text.splitlines()
    start = 0
    header = re.compile(r"^\s*\[\[?\s*" + re.escape(section) + r"\s*\]\]?\s*$")
    seen = 0
    for i, line in enumerate(lines):
        if header.match(line):
            start = i
            if seen == occurrence:
                break
            seen += 1
    else:
        if key is None:
            return 1
    if key is None:
        return start + 1
    key_re = re.compile(r"^\s*\"?" + re.escape(key) + r"\"?\s*=")
    for i in range(start, len(lines)):
        if key_re.match(lines[i]) or (key in lines[i] and i > start):
            return i + 1
    return start + 1


class _Checker:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def fail(
        self,
        section: str,
        key: str | None,
        detail: str | dict[str, str],
        fix: str | dict[str, str],
        occurrence: int = 0,
    ) -> RuleError:
        """The error at ``section``/``key``; ``detail`` and ``fix`` are ``i18n.per_lang(...)``."""
        return RuleError(
            "rule_invalid",
            rule_file=self.path.as_posix(),
            line=_line_of(self.text, section, key, occurrence),
            detail=detail,
            fix=fix,
        )

    def regex(self, section: str, key: str, pattern: str, occurrence: int = 0) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise self.fail(
                section,
                key,
                i18n.per_lang("rules_bad_regex", pattern=pattern, error=exc),
                i18n.per_lang("rules_fix_regex"),
                occurrence,
            ) from exc
        return pattern

    def column(
        self, section: str, key: str, name: str, known: tuple[str, ...], occurrence: int = 0
    ) -> str:
        if name not in known:
            raise self.fail(
                section,
                key,
                i18n.per_lang("rules_unknown_column", column=name),
                i18n.per_lang("rules_fix_declare_column"),
                occurrence,
            )
        return name


def _unknown(what: str, value: object) -> dict[str, str]:
    """``unknown sign 'x'``: a value that is not one of the allowed ones, in every language."""
    return i18n.per_lang("rules_unknown_value", what=what, value=value)


def _one_of(choices: Iterable[str]) -> dict[str, str]:
    """``use one of: a, b, c`` in every language."""
    return i18n.per_lang("rules_fix_one_of", choices=", ".join(choices))


def _use(*choices: str) -> dict[str, str]:
    """``use "a" or "b"`` (or ``"a", "b" or "c"``) in every language."""
    key = "rules_fix_use_2" if len(choices) == 2 else "rules_fix_use_3"
    return i18n.per_lang(key, **dict(zip("abc", choices, strict=False)))


def load_rule(path: Path) -> Rule:
    """Load and validate one rules file."""
    text, data = read_toml(path)
    check = _Checker(path, text)
    data = _with_includes(path, data, check, (path.resolve(),))

    for section, value in data.items():
        if section in TOP_LEVEL:
            continue
        if section not in SECTIONS:
            raise check.fail(
                section,
                None,
                i18n.per_lang("rules_unknown_section", section=section),
                _one_of("[" + s + "]" for s in SECTIONS),
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
                            _one_of(sorted(allowed)),
                        )

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
        raise check.fail("format", "kind", _unknown("kind", kind), _one_of(KINDS))
    kind_fields = KINDS[kind]

    ident = data.get("identify", {})
    columns = tuple(ident.get("columns", ()))
    if not columns:
        raise check.fail(
            "identify",
            None,
            i18n.per_lang("rules_columns_empty", section="identify"),
            i18n.per_lang("rules_fix_identify_columns"),
        )
    known = columns + tuple(ident.get("optional", ())) + _derived_columns(data)

    fields: dict[str, tuple[Extract, ...]] = {}
    for name, source in data.get("columns", {}).items():
        _check_field(check, "columns", name, kind, kind_fields)
        if not isinstance(source, str):
            raise check.fail(
                "columns",
                name,
                i18n.per_lang("rules_one_column", name=name),
                i18n.per_lang("rules_fix_write", example=f'{name} = "列名"'),
            )
        fields[name] = (Extract(check.column("columns", name, source, known)),)
    for name, spec in data.get("extract", {}).items():
        _check_field(check, "extract", name, kind, kind_fields)
        if name in fields:
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

    flags: dict[str, Flag] = {}
    for name, spec in data.get("flags", {}).items():
        _check_field(check, "flags", name, kind, kind_fields)
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

    classify = []
    for i, item in enumerate(data.get("classify", [])):
        category = item.get("category")
        if category not in CATEGORIES:
            raise check.fail(
                "classify",
                "category",
                i18n.per_lang("rules_classify_category", category=category, n=i + 1),
                _one_of(CATEGORIES),
                i,
            )
        when = item.get("when", {})
        for col, pattern in when.items():
            if col != FEE_NAME or kind != "ledger":
                check.column("classify", col, col, known, i)
            check.regex("classify", col, pattern, i)
        sign = item.get("sign")
        if sign is not None and sign not in SIGNS:
            raise check.fail("classify", "sign", _unknown("sign", sign), _one_of(SIGNS), i)
        pin = item.get("key")
        if pin is not None and pin not in KEYS:
            raise check.fail("classify", "key", _unknown("key", pin), _one_of(KEYS), i)
        classify.append(Classify(category, dict(when), sign, pin, item.get("fee_name")))
    amounts = _amounts(check, data.get("amounts", []), known, kind)
    category = fmt.get("category")
    if category is not None and category not in CATEGORIES:
        raise check.fail(
            "format",
            "category",
            _unknown("category", category),
            _one_of(CATEGORIES),
        )
    if (
        kind == "ledger"
        and category is None
        and not classify
        and not (amounts and all(a.category for a in amounts))
    ):
        raise check.fail(
            "classify",
            None,
            i18n.per_lang("rules_ledger_category"),
            i18n.per_lang("rules_fix_classify"),
        )

    sign = fmt.get("sign", "as_is")
    if sign not in ("as_is", "expense"):
        raise check.fail("format", "sign", _unknown("sign", sign), _use("as_is", "expense"))

    fee = data.get("fee_name", {})
    fee_columns = tuple(
        check.column("fee_name", "columns", c, known) for c in fee.get("columns", ())
    )
    fee_remove = fee.get("remove")
    if fee_remove is not None:
        check.regex("fee_name", "remove", fee_remove)

    key = data.get("key", {})
    key_columns = tuple(check.column("key", "columns", c, known) for c in key.get("columns", ()))
    duplicates = key.get("duplicates", "error")
    if duplicates not in ("error", "keep_first", "number"):
        raise check.fail(
            "key",
            "duplicates",
            _unknown("duplicates", duplicates),
            _use("error", "keep_first", "number"),
        )
    on_conflict = key.get("on_conflict", "skip")
    if on_conflict not in ("skip", "replace"):
        raise check.fail(
            "key", "on_conflict", _unknown("on_conflict", on_conflict), _use("skip", "replace")
        )
    if not key_columns:
        raise check.fail(
            "key",
            None,
            i18n.per_lang("rules_columns_empty", section="key"),
            i18n.per_lang("rules_fix_key_columns"),
        )

    read = data.get("read", {})
    for name, pattern in (("footer", read.get("footer")), ("filename", ident.get("filename"))):
        if pattern is not None:
            check.regex("read" if name == "footer" else "identify", name, pattern)
    parse = data.get("parse", {})
    decimal_mark = parse.get("decimal_mark", ".")
    if decimal_mark not in (".", ",", "auto"):
        raise check.fail(
            "parse",
            "decimal_mark",
            i18n.per_lang("rules_setting", key="decimal_mark", value=decimal_mark),
            _use(".", ",", "auto"),
        )

    weight_unit = parse.get("weight_unit", "g")
    if weight_unit not in ("g", "kg"):
        raise check.fail(
            "parse",
            "weight_unit",
            i18n.per_lang("rules_setting", key="weight_unit", value=weight_unit),
            _use("g", "kg"),
        )

    rule = Rule(
        name=fmt["name"],
        kind=kind,
        platform=fmt["platform"],
        path=path,
        columns=columns,
        optional=tuple(ident.get("optional", ())),
        description=fmt.get("description", ""),
        currency=fmt.get("currency", "CNY"),
        category=category,
        sign=sign,
        filename=ident.get("filename"),
        comment=read.get("comment"),
        footer=read.get("footer"),
        delimiter=read.get("delimiter", ","),
        header_search_lines=int(read.get("header_search_lines", 40)),
        sheet=read.get("sheet"),
        date_formats=tuple(parse.get("date_formats", DEFAULT_DATE_FORMATS)),
        decimal_mark=decimal_mark,
        null_values=tuple(parse.get("null_values", ())),
        weight_unit=weight_unit,
        fields=fields,
        flags=flags,
        fee_name_columns=fee_columns,
        fee_name_remove=fee_remove,
        classify=tuple(classify),
        key_columns=key_columns,
        key_scope=key.get("scope", fmt["name"]),
        duplicates=duplicates,
        on_conflict=on_conflict,
        shop=data.get("shop", {}).get("name"),
        amounts=amounts,
        shop_account=_account_pattern(check, data.get("shop", {}).get("account")),
        fill_down=tuple(
            check.column("read", "fill_down", c, known) for c in read.get("fill_down", ())
        ),
        includes=tuple(Path(p) for p in data.get("include", ())),
    )
    return _with_shape(rule, data, check, known)


FEE_NAME = "fee_name"
"""``[[classify]] when`` may match the fee name built by ``[fee_name]`` (ledger rules)."""
LIST_SECTIONS = ("classify", "amounts")


def _with_includes(path: Path, data: dict, check: _Checker, seen: tuple[Path, ...]) -> dict:
    """``data`` with the files it includes merged in (see docs/rules.md, "Shared parts").

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
        part = _with_includes(part_path, part, _Checker(part_path, part_text), (*seen, part_path))
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


def _account_pattern(check: _Checker, pattern: str | None) -> str | None:
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


def _amounts(check: _Checker, items: list, known: tuple[str, ...], kind: str) -> tuple[Amount, ...]:
    """``[[amounts]]``: each listed column of a wide row becomes a canonical row of its own."""
    out = []
    for i, item in enumerate(items):
        if kind != "ledger":
            raise check.fail(
                "amounts",
                None,
                i18n.per_lang("rules_amounts_ledger_only"),
                i18n.per_lang("rules_fix_remove"),
                i,
            )
        if "column" not in item:
            raise check.fail(
                "amounts",
                None,
                i18n.per_lang("rules_amounts_no_column"),
                i18n.per_lang("rules_fix_add", example='column = "<列名>"'),
                i,
            )
        category = item.get("category")
        if category is not None and category not in CATEGORIES:
            raise check.fail(
                "amounts",
                "category",
                _unknown("category", category),
                _one_of(CATEGORIES),
                i,
            )
        sign = item.get("sign", "as_is")
        if sign not in SIGNS:
            raise check.fail("amounts", "sign", _unknown("sign", sign), _one_of(SIGNS), i)
        out.append(
            Amount(
                check.column("amounts", "column", item["column"], known, i),
                category,
                sign,
                item.get("fee_name"),
            )
        )
    return tuple(out)


def _check_field(check: _Checker, section: str, name: str, kind: str, kind_fields: dict) -> None:
    if name not in kind_fields:
        raise check.fail(
            section,
            name,
            i18n.per_lang("rules_not_a_field", name=name, kind=kind),
            _one_of(kind_fields),
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
                line=_line_of(rule.path.read_text(encoding="utf-8"), "format", "name"),
                detail=i18n.per_lang(
                    "rules_duplicate_name", name=rule.name, other=seen[rule.name].name
                ),
                fix=i18n.per_lang("rules_fix_unique_name"),
            )
        seen[rule.name] = rule.path
    check_supersedes(rules)
    return rules


# --- wide statements, direction columns, summary rows (issue #3 part A)


def _derived_columns(data: dict) -> tuple[str, ...]:
    """Columns a rule makes itself: ``[unpivot]`` name and value (usable like header columns)."""
    spec = data.get("unpivot")
    if not isinstance(spec, dict):
        return ()
    return tuple(str(spec.get(k, d)) for k, d in (("name", "费用项"), ("value", "金额")))


def _with_shape(rule: Rule, data: dict, check: _Checker, known: tuple[str, ...]) -> Rule:
    """Check and add ``[read] skip_rows_without``, ``[unpivot]`` and ``[direction]``."""
    from dataclasses import replace

    header = rule.known_columns
    skip = tuple(
        check.column("read", "skip_rows_without", c, header)
        for c in data.get("read", {}).get("skip_rows_without", ())
    )
    unpivot = None
    if "unpivot" in data:
        spec = data["unpivot"]
        if data.get("amounts"):
            raise check.fail(
                "unpivot",
                None,
                i18n.per_lang("rules_amounts_and_unpivot"),
                i18n.per_lang("rules_fix_amounts_or_unpivot"),
            )
        cols = tuple(check.column("unpivot", "columns", c, header) for c in spec.get("columns", ()))
        if not cols:
            raise check.fail(
                "unpivot",
                None,
                i18n.per_lang("rules_columns_empty", section="unpivot"),
                i18n.per_lang("rules_fix_unpivot_columns"),
            )
        name, value = _derived_columns(data)
        for derived in (name, value):
            if derived in header:
                raise check.fail(
                    "unpivot",
                    "name" if derived == name else "value",
                    i18n.per_lang("rules_already_header", name=derived),
                    i18n.per_lang("rules_fix_unused_name"),
                )
        total = spec.get("total")
        if total is not None:
            check.column("unpivot", "total", total, header)
        unpivot = Unpivot(cols, name, value, total)
    direction = None
    if "direction" in data:
        spec = data["direction"]
        if rule.kind != "ledger" or set(spec) != {"column", "income", "expense"}:
            raise check.fail(
                "direction",
                None,
                i18n.per_lang("rules_direction_keys"),
                i18n.per_lang(
                    "rules_fix_write",
                    example='column = "动账方向", income = "^入账$", expense = "^出账$"',
                ),
            )
        if "amount" not in rule.fields:
            raise check.fail(
                "direction",
                None,
                i18n.per_lang("rules_direction_no_amount"),
                i18n.per_lang("rules_fix_map_amount"),
            )
        direction = Direction(
            check.column("direction", "column", spec["column"], known),
            check.regex("direction", "income", spec["income"]),
            check.regex("direction", "expense", spec["expense"]),
        )
    absent = tuple(str(c) for c in data.get("identify", {}).get("absent", ()))
    clash = set(absent) & set(header)
    if clash:
        raise check.fail(
            "identify",
            "absent",
            i18n.per_lang("rules_absent_clash", name=sorted(clash)[0]),
            i18n.per_lang("rules_fix_one_list"),
        )
    return replace(
        rule,
        skip_rows_without=skip,
        absent=absent,
        unpivot=unpivot,
        direction=direction,
        supersedes=_supersedes(check, data.get("supersedes", []), rule),
    )


def _supersedes(check: _Checker, items: object, rule: Rule) -> tuple[Supersedes, ...]:
    """``[[supersedes]]`` of an ad report: the statement rows it describes again."""
    entries = items if isinstance(items, list) else [items]
    out = []
    for i, item in enumerate(entries):
        if rule.kind != "ledger" or rule.category is None:
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
    return tuple(out)


def check_supersedes(rules: list[Rule]) -> None:
    """Every format a ``[[supersedes]]`` names is a ledger rule of the report's platform."""
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
                        line=_line_of(text, "supersedes", "formats", i),
                        detail=i18n.per_lang(
                            "rules_supersedes_unknown", name=name, platform=rule.platform
                        ),
                        fix=i18n.per_lang("rules_fix_supersedes_unknown"),
                    )
