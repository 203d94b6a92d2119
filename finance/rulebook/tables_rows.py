"""What each amount is: ``[[classify]]``, ``[[amounts]]``, ``[unpivot]``, ``[direction]`` and
``[format] category`` / ``sign``. ``row_tables`` returns the ``Rule`` fields of these tables."""

from __future__ import annotations

from finance import i18n
from finance.rulebook.checker import Checker, one_of, unknown, use
from finance.rulebook.rule import KEYS, SIGNS, Amount, Classify, Direction, Unpivot
from finance.schema import CATEGORIES

FEE_NAME = "fee_name"
"""``[[classify]] when`` may match the fee name built by ``[fee_name]`` (ledger rules)."""


def derived_columns(data: dict) -> tuple[str, ...]:
    """Columns a rule makes itself: ``[unpivot]`` name and value (usable like header columns)."""
    spec = data.get("unpivot")
    if not isinstance(spec, dict):
        return ()
    return tuple(str(spec.get(k, d)) for k, d in (("name", "费用项"), ("value", "金额")))


def row_tables(
    check: Checker,
    data: dict,
    kind: str,
    known: tuple[str, ...],
    header: tuple[str, ...],
    fields: dict,
) -> dict:
    """Category, sign, conditional mappings, amount columns, unpivot and direction."""
    classify = _classify(check, data.get("classify", []), kind, known)
    amounts = _amounts(check, data.get("amounts", []), known, kind)
    fmt = data.get("format", {})
    category = fmt.get("category")
    if category is not None and category not in CATEGORIES:
        raise check.fail("format", "category", unknown("category", category), one_of(CATEGORIES))
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
        raise check.fail("format", "sign", unknown("sign", sign), use("as_is", "expense"))
    return {
        "category": category,
        "sign": sign,
        "classify": classify,
        "amounts": amounts,
        "unpivot": _unpivot(check, data, header),
        "direction": _direction(check, data, kind, known, fields),
    }


def _classify(check: Checker, items: list, kind: str, known: tuple[str, ...]) -> tuple:
    """``[[classify]]``: the first entry whose ``when`` all match decides."""
    classify = []
    for i, item in enumerate(items):
        category = item.get("category")
        if category not in CATEGORIES:
            raise check.fail(
                "classify",
                "category",
                i18n.per_lang("rules_classify_category", category=category, n=i + 1),
                one_of(CATEGORIES),
                i,
            )
        when = item.get("when", {})
        for col, pattern in when.items():
            if col != FEE_NAME or kind != "ledger":
                check.column("classify", col, col, known, i)
            check.regex("classify", col, pattern, i)
        sign = item.get("sign")
        if sign is not None and sign not in SIGNS:
            raise check.fail("classify", "sign", unknown("sign", sign), one_of(SIGNS), i)
        pin = item.get("key")
        if pin is not None and pin not in KEYS:
            raise check.fail("classify", "key", unknown("key", pin), one_of(KEYS), i)
        classify.append(Classify(category, dict(when), sign, pin, item.get("fee_name")))
    return tuple(classify)


def _amounts(check: Checker, items: list, known: tuple[str, ...], kind: str) -> tuple[Amount, ...]:
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
                "amounts", "category", unknown("category", category), one_of(CATEGORIES), i
            )
        sign = item.get("sign", "as_is")
        if sign not in SIGNS:
            raise check.fail("amounts", "sign", unknown("sign", sign), one_of(SIGNS), i)
        out.append(
            Amount(
                check.column("amounts", "column", item["column"], known, i),
                category,
                sign,
                item.get("fee_name"),
            )
        )
    return tuple(out)


def _unpivot(check: Checker, data: dict, header: tuple[str, ...]) -> Unpivot | None:
    """``[unpivot]``: a wide statement, one row per listed amount column."""
    if "unpivot" not in data:
        return None
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
    name, value = derived_columns(data)
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
    return Unpivot(cols, name, value, total)


def _direction(
    check: Checker, data: dict, kind: str, known: tuple[str, ...], fields: dict
) -> Direction | None:
    """``[direction]``: an unsigned amount's sign from a column that says which way it went."""
    if "direction" not in data:
        return None
    spec = data["direction"]
    if kind != "ledger" or set(spec) != {"column", "income", "expense"}:
        raise check.fail(
            "direction",
            None,
            i18n.per_lang("rules_direction_keys"),
            i18n.per_lang(
                "rules_fix_write",
                example='column = "动账方向", income = "^入账$", expense = "^出账$"',
            ),
        )
    if "amount" not in fields:
        raise check.fail(
            "direction",
            None,
            i18n.per_lang("rules_direction_no_amount"),
            i18n.per_lang("rules_fix_map_amount"),
        )
    return Direction(
        check.column("direction", "column", spec["column"], known),
        check.regex("direction", "income", spec["income"]),
        check.regex("direction", "expense", spec["expense"]),
    )
