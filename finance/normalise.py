"""A table of text cells plus its rule -> canonical rows of the rule's kind.

Each step is a function from frame to frame; ``normalise`` chains them with ``.pipe``. Bad cells
are found column-wise; the first one raises an error naming the file, row, column, value and
rule (nothing is half-imported: the caller has not written anything yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import polars as pl

from finance import zones
from finance.accounted import cells as money_cells
from finance.accounted.amount_lines import AMOUNT_COLUMN, AMOUNT_TEXT, amount_lines
from finance.accounted.conservation import check_conserved
from finance.accounted.notes import strip_amount_notes
from finance.accounted.skip import Skipped, skip_rows, written
from finance.errors import ImportRejected
from finance.money import NULL_TOKENS, cents_to_text, is_bad_amount, to_cents
from finance.rulebook.load import KEYS, Rule
from finance.schema import COST_SCALE, KINDS, RATE_SCALE, REQUIRED, STORED, VAT_RATE_PLACES

EXCEL_EPOCH = pl.datetime(1899, 12, 30)
SHOPLESS = ("unit_costs", "campaign_skus", "bank_lines", "fx_rates")
"""Kinds that describe the seller, not one shop."""


@dataclass(frozen=True)
class Context:
    """What the file itself may not say."""

    file: str
    default_shop: str | None = None
    base_currency: str = "CNY"
    timezone: str = zones.DEFAULT  # the workspace's: every time is stored in it


def normalise(raw: pl.DataFrame, rule: Rule, ctx: Context) -> pl.DataFrame:
    """Canonical rows (``STORED[rule.kind]`` plus source_row and natural_key) from ``raw``."""
    return normalise_lines(raw, rule, ctx).rows


@dataclass(frozen=True)
class Lines:
    """What ``normalise_lines`` gives: the canonical ``rows``; for money rows, ``cells`` (per
    row: ``source_row``, ``__money6`` and the ``__cell:`` columns, see ``accounted.cells``);
    the rows of the table that gave no row and why (``skipped``); the rule as applied (its
    decimal mark decided)."""

    rows: pl.DataFrame
    cells: pl.DataFrame
    skipped: Skipped
    rule: Rule


def normalise_lines(raw: pl.DataFrame, rule: Rule, ctx: Context) -> Lines:
    """``normalise``, keeping what the money checks need (see ``Lines``)."""
    if raw.height == 0:
        raise ImportRejected("empty_file", file=ctx.file)
    if rule.decimal_mark == "auto":
        rule = replace(rule, decimal_mark=decimal_mark_of(raw, rule))
    raw, skipped = skip_rows(raw, rule)
    raw = strip_amount_notes(raw, rule)
    table = raw
    raw = _shape(raw, rule, ctx)
    skipped = skipped.add(
        table.join(raw.select("__row").unique(), on="__row", how="anti"),
        _summary_reason(rule),
        written(rule, table.columns),
    )
    frame = raw.lazy().pipe(_nulls, rule).collect()
    if rule.amounts:
        frame = amount_lines(frame, rule, ctx.file)
    frame = money_cells.with_cells(frame.lazy().pipe(_fields_as_text, rule).collect(), rule)
    frame = _signed_by_direction(_typed(frame, rule, ctx), rule, ctx)
    frame = frame.lazy().pipe(_KIND_STEPS[rule.kind], rule, ctx).pipe(_shop, rule, ctx).collect()
    if rule.kind not in SHOPLESS and frame["shop"].null_count():
        raise ImportRejected("no_shop_told", file=ctx.file, platform=rule.platform)
    _check_ids(frame, rule, ctx)
    money = rule.kind in ("ledger", "bank_lines")
    if money:
        check_conserved(table.join(skipped.rows, on="__row", how="anti"), frame, rule, ctx.file)
    before = frame.select("source_row").unique()
    frame = _natural_key(frame, rule, ctx)
    repeats = before.join(frame.select("source_row"), on="source_row", how="anti")
    skipped = skipped.add(
        table.join(repeats.rename({"source_row": "__row"}), on="__row", how="semi"),
        _repeat_reason(rule),
        written(rule, table.columns),
    )
    columns = {"source_row": pl.Int64, "natural_key": pl.String, **STORED[rule.kind]}
    cells = (
        frame.select("source_row", money_cells.MONEY, *money_cells.cell_columns(frame))
        if money
        else pl.DataFrame(schema={"source_row": pl.Int64, money_cells.MONEY: pl.Int64})
    )
    rows = frame.select(pl.col(name).cast(dtype) for name, dtype in columns.items())
    return Lines(rows, cells, skipped, rule)


def _summary_reason(rule: Rule) -> str:
    """Why ``[read] skip_rows_without`` dropped a row (a summary row: none of these filled)."""
    return "skip_rows_without: " + ", ".join(rule.skip_rows_without)


def _repeat_reason(rule: Rule) -> str:
    """Why ``[key] duplicates = "keep_first"`` dropped a row (a repeat of an earlier row)."""
    return "duplicates = keep_first: " + ", ".join(rule.key_columns)


COMMA_DECIMAL = r"^[+-]?[$€£¥￥]?\s*\d{1,3}(\.\d{3})*,\d{1,2}\s*$"
DOT_DECIMAL = r"\.\d{1,2}\s*$"


def decimal_mark_of(raw: pl.DataFrame, rule: Rule) -> str:
    """``decimal_mark = "auto"``: ``","`` when the file's amount cells are written ``95,00``
    (some match, none ends in ``.dd``), else ``"."``. Decided once per file, never per cell."""
    columns = (
        {
            ex.column
            for name, exs in rule.fields.items()
            if KINDS[rule.kind][name].type in ("amount", "cost", "rate")
            for ex in exs
        }
        | {a.column for a in rule.amounts}
        | set(rule.money_columns)
    )
    cells = pl.concat(
        [raw.select(pl.col(c).alias("cell")) for c in sorted(columns) if c in raw.columns]
        or [pl.DataFrame({"cell": []}, schema={"cell": pl.String})]
    )["cell"].drop_nulls()
    comma = cells.str.contains(COMMA_DECIMAL).any()
    dot = cells.str.contains(DOT_DECIMAL).any()
    return "," if comma and not dot else "."


def _nulls(frame: pl.LazyFrame, rule: Rule) -> pl.LazyFrame:
    """Null-like cells become null; optional columns the file lacks become empty columns."""
    tokens = list(NULL_TOKENS) + list(rule.null_values)
    have = set(frame.collect_schema().names())
    frame = frame.with_columns(
        pl.lit(None, pl.String).alias(c) for c in rule.known_columns if c not in have
    )
    cols = [c for c in frame.collect_schema().names() if c != "__row"]
    return frame.with_columns(
        pl.when(pl.col(c).is_in(tokens)).then(None).otherwise(pl.col(c)).alias(c) for c in cols
    ).with_columns(pl.col(c).forward_fill() for c in rule.fill_down)


def _source_expr(rule: Rule, name: str) -> pl.Expr:
    parts = []
    for ex in rule.fields[name]:
        col = pl.col(ex.column)
        parts.append(col if ex.pattern is None else col.str.extract(ex.pattern, 1))
    return (pl.coalesce(parts) if len(parts) > 1 else parts[0]).str.strip_chars()


def _fields_as_text(frame: pl.LazyFrame, rule: Rule) -> pl.LazyFrame:
    """One ``__t_<field>`` text column per mapped field; ``__f_<flag>`` per flag."""
    exprs = [_source_expr(rule, name).alias(f"__t_{name}") for name in rule.fields]
    if rule.amounts:
        exprs.append(pl.col(AMOUNT_TEXT).str.strip_chars().alias("__t_amount"))
    exprs += [
        pl.col(flag.column).fill_null("").str.contains(flag.pattern).alias(name)
        for name, flag in rule.flags.items()
    ]
    return frame.with_columns(exprs)


def _datetime_candidates(text: pl.Expr, formats: tuple[str, ...]) -> list[pl.Expr]:
    """Ways to read ``text`` as a datetime, in order: each format, then an Excel serial. Each
    reads the wall clock as written: a zone after the time (``+0400``, ``UTC``) is read apart
    (``zones.localise``), so a format's own ``%z`` is dropped and the zone stripped first."""
    bare = zones.without_zone(text)
    local = bare.str.replace(r"^(\d{4}-\d{2}-\d{2})T", "$1 ")
    # ``local`` is ``text`` unless it had a 'T' or a zone: only a format that writes a 'T'
    # needs the text as it was (less its zone)
    parsed = [
        candidate.str.strptime(pl.Datetime("us"), zones.local_format(fmt), strict=False)
        for fmt in formats
        for candidate in ((bare, local) if "T" in fmt else (local,))
    ]
    serial = text.str.extract(r"^(\d{5}(?:\.\d+)?)$", 1).cast(pl.Float64, strict=False)
    from_serial = EXCEL_EPOCH + pl.duration(milliseconds=(serial * 86_400_000).round(0))
    return [*parsed, from_serial.cast(pl.Datetime("us"))]


def _candidates_timed(text: pl.Expr, formats: tuple[str, ...]) -> list[pl.Expr]:
    """For each of ``_datetime_candidates``: whether what it reads has a time of day (a date
    format does not; an Excel serial does when it has a fraction)."""
    per_format = [
        pl.lit(zones.is_timed(fmt)) for fmt in formats for _ in ((0, 1) if "T" in fmt else (0,))
    ]
    return [*per_format, text.str.contains(r"^\d{5}\.\d*[1-9]")]


def read_datetimes(text: pl.Series, formats: tuple[str, ...]) -> tuple[pl.Series, pl.Series]:
    """``text`` as wall-clock datetimes (the first of ``_datetime_candidates`` that reads a
    value wins; null where none does), and whether each value has a time of day. Each
    candidate sees only the values the ones before it left unread, so a file in the first
    format is parsed once, not once per format."""
    out = pl.Series(text.name, [None] * len(text), dtype=pl.Datetime("us"))
    timed = pl.Series("timed", [False] * len(text), dtype=pl.Boolean)
    todo = text.alias("t").to_frame().with_row_index("i").filter(pl.col("t").is_not_null())
    candidates = zip(
        _datetime_candidates(pl.col("t"), formats),
        _candidates_timed(pl.col("t"), formats),
        strict=True,
    )
    for candidate, has_time in candidates:
        if todo.height == 0:
            break
        read = todo.select("i", "t", value=candidate, timed=has_time)
        done = read.filter(pl.col("value").is_not_null())
        if done.height:
            out = out.scatter(done["i"], done["value"])
            timed = timed.scatter(done["i"], done["timed"])
        todo = read.filter(pl.col("value").is_null()).select("i", "t")
    return out, timed


def parse_datetimes(
    text: pl.Series,
    formats: tuple[str, ...],
    *,
    zone: str | None = None,
    naive_zone: str | None = None,
) -> pl.Series:
    """``text`` as datetimes (null where no format reads a value). With ``zone``, each time is
    converted to it (``zones.localise``: a written zone, else ``naive_zone``); without, the
    wall clock as written."""
    values, timed = read_datetimes(text, formats)
    if zone is None:
        return values
    return zones.localise(values, text, timed, zone=zone, naive_zone=naive_zone)


def _typed(frame: pl.DataFrame, rule: Rule, ctx: Context) -> pl.DataFrame:
    """Convert each ``__t_`` column to its field's type; raise on the first bad cell."""
    kind_fields = KINDS[rule.kind]
    exprs, checks = [], []
    for name in [*rule.fields, *(["amount"] if rule.amounts else [])]:
        text = pl.col(f"__t_{name}")
        ftype = kind_fields[name].type
        if ftype in ("amount", "cost", "rate"):
            scale = {"cost": COST_SCALE, "rate": RATE_SCALE}.get(ftype, 2)
            value = to_cents(text, decimal_mark=rule.decimal_mark, scale=scale)
            bad = is_bad_amount(text, decimal_mark=rule.decimal_mark)
            key = "bad_amount"
        elif ftype == "percent":
            value, bad = percent_value(text, decimal_mark=rule.decimal_mark)
            key = "bad_percent"
        elif ftype in ("datetime", "date"):
            if ftype == "date":  # a date has no clock to convert
                value = pl.lit(parse_datetimes(frame[f"__t_{name}"], rule.date_formats)).dt.date()
            else:
                value = pl.lit(_times(frame[f"__t_{name}"], rule, ctx))
            bad = text.is_not_null() & pl.col(name).is_null()  # parsed once, checked after
            key = "bad_date"
        elif ftype == "int" and name == "weight_g" and rule.weight_unit == "kg":
            value = to_cents(text, decimal_mark=rule.decimal_mark, scale=3)
            bad = is_bad_amount(text, decimal_mark=rule.decimal_mark)
            key = "bad_amount"
        elif ftype == "int":
            value = text.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)
            bad = text.is_not_null() & pl.col(name).is_null()
            key = "bad_integer"
        else:
            value, bad, key = text, pl.lit(False), ""
        exprs.append(value.alias(name))
        if key:
            checks.append((name, key, bad))
    for name in REQUIRED[rule.kind]:
        if name in rule.fields:
            checks.append((name, "missing_value", pl.col(f"__t_{name}").is_null()))
    frame = frame.with_columns(exprs)
    if checks:
        flags = frame.select(
            pl.col("__row"), *[bad.alias(f"__bad{i}") for i, (_, _, bad) in enumerate(checks)]
        )
        for i, (name, key, _) in enumerate(checks):
            hit = flags.filter(pl.col(f"__bad{i}")).head(1)
            if hit.height:
                row = int(hit["__row"][0])
                column = rule.fields[name][0].column
                value = frame.filter(pl.col("__row") == row)[f"__t_{name}"][0]
                raise ImportRejected(
                    key, file=ctx.file, row=row, column=column, value=value, rule=rule.name
                )
    return frame.with_columns(source_row=pl.col("__row"))


def percent_value(text: pl.Expr, *, decimal_mark: str = ".") -> tuple[pl.Expr, pl.Expr]:
    """A rate cell (``13%``, ``13 %``, ``0.13``) in 1/10,000 (``1300``), and where it is bad:
    not a number, more places than 1/10,000 holds, negative, or 100 % and above."""
    percent = text.str.contains(r"[%％]\s*$")
    number = text.str.replace(r"\s*[%％]\s*$", "")
    value = (
        pl.when(percent)
        .then(to_cents(number, decimal_mark=decimal_mark, scale=VAT_RATE_PLACES - 2))
        .otherwise(to_cents(number, decimal_mark=decimal_mark, scale=VAT_RATE_PLACES))
    )
    mark = re.escape(decimal_mark)
    too_fine = (
        pl.when(percent)
        .then(number.str.contains(mark + r"\d{" + str(VAT_RATE_PLACES - 1) + ",}$"))
        .otherwise(number.str.contains(mark + r"\d{" + str(VAT_RATE_PLACES + 1) + ",}$"))
    )
    bad = text.is_not_null() & (
        is_bad_amount(number, decimal_mark=decimal_mark)
        | too_fine
        | value.is_null()
        | (value < 0)
        | (value >= 10**VAT_RATE_PLACES)
    )
    return value, bad.fill_null(True) & text.is_not_null()


def _ensure(frame: pl.LazyFrame, kind: str) -> pl.LazyFrame:
    have = set(frame.collect_schema().names())
    return frame.with_columns(
        pl.lit(None, dtype).alias(name) for name, dtype in STORED[kind].items() if name not in have
    )


def _signed(amount: pl.Expr, sign: str) -> pl.Expr:
    """``as_is``, ``negate``, ``income`` (always +) or ``expense`` (always -)."""
    return {
        "as_is": amount,
        "negate": -amount,
        "income": amount.abs(),
        "expense": -amount.abs(),
    }[sign]


PIN_FIELDS = ("sku", "order_id", "waybill", "listing_id", "campaign")
"""Key fields from most to least specific; ``key = "shop"`` clears all of them."""


def signed_money(names: set[str], rule: Rule, prefix: str = "") -> pl.Expr:
    """A money row's signed amount as the file states it, before ``[[classify]]``: ``amount``
    (negated for ``[format] sign = "expense"``) or ``income − |expense|``, then an
    ``[[amounts]]`` entry's sign. ``prefix`` picks the typed columns (``""`` for cents,
    ``__m6_`` for the cell precision of ``accounted.cells``)."""
    if prefix + "amount" in names:
        amount = pl.col(prefix + "amount")
        if rule.sign == "expense":
            amount = -amount
    else:
        income = pl.col(prefix + "income").fill_null(0) if prefix + "income" in names else None
        expense = (
            pl.col(prefix + "expense").fill_null(0).abs() if prefix + "expense" in names else None
        )
        amount = (income if income is not None else pl.lit(0)) - (
            expense if expense is not None else pl.lit(0)
        )
    if rule.amounts:
        source = pl.col(AMOUNT_COLUMN)
        signed = amount
        for item in rule.amounts:
            signed = (
                pl.when(source == item.column).then(_signed(amount, item.sign)).otherwise(signed)
            )
        amount = signed
    return amount.fill_null(0).cast(pl.Int64)


def joined_name(columns: tuple[str, ...], remove: str | None) -> pl.Expr:
    """The cells of ``columns`` joined with `` / `` (empty ones left out), ``remove`` removed."""
    parts = [pl.col(c) for c in columns]
    if remove:
        parts = [p.str.replace_all(remove, "") for p in parts]
    parts = [
        pl.when(p.str.strip_chars() == "").then(None).otherwise(p.str.strip_chars()) for p in parts
    ]
    return pl.concat_str(parts, separator=" / ", ignore_nulls=True)


def _ledger(frame: pl.LazyFrame, rule: Rule, ctx: Context) -> pl.LazyFrame:
    names = set(frame.collect_schema().names())
    if rule.fee_name_columns:
        fee_name = joined_name(rule.fee_name_columns, rule.fee_name_remove)
    else:
        fee_name = pl.lit(rule.name) if not rule.amounts else pl.col(AMOUNT_COLUMN)
    category = pl.lit(rule.category or "unclassified")
    if rule.amounts:
        source = pl.col(AMOUNT_COLUMN)
        for item in rule.amounts:
            if item.fee_name:
                named = pl.lit(item.fee_name)
            elif item.fee_name_columns:
                named = joined_name(item.fee_name_columns, rule.fee_name_remove)
            else:
                continue
            fee_name = pl.when(source == item.column).then(named).otherwise(fee_name)
    frame = frame.with_columns(
        __amount=signed_money(names, rule),
        fee_name=fee_name,
        **{money_cells.MONEY: signed_money(names, rule, money_cells.M6)},
    )
    # The first [[classify]] whose `when` all match decides category, sign and key.
    matched = pl.lit(None, pl.Int64)
    for i, item in reversed(list(enumerate(rule.classify))):
        cond = pl.all_horizontal(
            pl.col(col).fill_null("").str.contains(pattern) for col, pattern in item.when.items()
        )
        matched = pl.when(cond).then(pl.lit(i, pl.Int64)).otherwise(matched)
    frame = frame.with_columns(__match=matched)
    amount = pl.col("__amount")
    fee = pl.col("fee_name")
    pin = pl.lit(None, pl.Int64)
    for i, item in enumerate(rule.classify):
        hit = pl.col("__match") == i
        category = pl.when(hit).then(pl.lit(item.category)).otherwise(category)
        if item.sign:
            amount = pl.when(hit).then(_signed(pl.col("__amount"), item.sign)).otherwise(amount)
        if item.fee_name:
            fee = pl.when(hit).then(pl.lit(item.fee_name)).otherwise(fee)
        if item.key:
            pin = pl.when(hit).then(pl.lit(KEYS.index(item.key), pl.Int64)).otherwise(pin)
    for item in rule.amounts:
        if item.category:
            hit = pl.col(AMOUNT_COLUMN) == item.column
            category = pl.when(hit).then(pl.lit(item.category)).otherwise(category)
    currency = pl.col("currency") if "currency" in names else pl.lit(None, pl.String)
    return (
        frame.with_columns(
            amount=amount.cast(pl.Int64),
            category=category,
            fee_name=fee,
            currency=currency.fill_null(rule.currency),
            platform=pl.lit(rule.platform),
            __pin=pin,
        )
        .with_columns(month=pl.col("posted_at").dt.strftime("%Y-%m"))
        .pipe(_ensure, "ledger")
        .with_columns(
            pl.when(pl.col("__pin") > j).then(None).otherwise(pl.col(name)).alias(name)
            for j, name in enumerate(PIN_FIELDS)
        )
    )


def _order_lines(frame: pl.LazyFrame, rule: Rule, ctx: Context) -> pl.LazyFrame:
    frame = _ensure(frame, "order_lines")
    return frame.with_columns(
        quantity=pl.col("quantity").fill_null(1),
        platform=pl.lit(rule.platform),
    ).with_columns(
        line_amount=pl.coalesce(pl.col("line_amount"), pl.col("unit_price") * pl.col("quantity"))
    )


def _orders(frame: pl.LazyFrame, rule: Rule, ctx: Context) -> pl.LazyFrame:
    return _ensure(frame, "orders").with_columns(platform=_order_platform(frame, rule))


def _order_platform(frame: pl.LazyFrame, rule: Rule) -> pl.Expr:
    """Each order's platform: ``order_platform`` as written (天猫, 京东…) made a code, where the
    file names it per row (a seller-wide shipping list); else the rule's platform."""
    from finance.schema import PLATFORM_NAMES

    if "order_platform" not in frame.collect_schema().names():
        return pl.lit(rule.platform)
    name = pl.col("order_platform").str.strip_chars()
    code = name.str.to_lowercase().replace_strict(PLATFORM_NAMES, default=name)
    return code.fill_null(pl.lit(rule.platform))


def _returns(frame: pl.LazyFrame, rule: Rule, ctx: Context) -> pl.LazyFrame:
    """Refunded amounts and returned units as magnitudes (some exports write them negative,
    e.g. Shopify's Returns and Net items sold); an export with no amount gives 0."""
    return _ensure(frame, "returns").with_columns(
        amount=pl.col("amount").abs().fill_null(0),
        quantity=pl.col("quantity").abs(),
        goods_returned=pl.col("goods_returned").fill_null(False),
        unsellable=pl.col("unsellable").fill_null(False),
        platform=pl.lit(rule.platform),
    )


def _unit_costs(frame: pl.LazyFrame, rule: Rule, ctx: Context) -> pl.LazyFrame:
    return _ensure(frame, "unit_costs").with_columns(
        currency=pl.col("currency").fill_null(rule.currency)
    )


def _campaign_skus(frame: pl.LazyFrame, rule: Rule, ctx: Context) -> pl.LazyFrame:
    """Platform names as written (天猫, 京东…) become codes; unknown ones stay as written."""
    from finance.schema import PLATFORM_NAMES

    name = pl.col("campaign_platform").str.strip_chars()
    return _ensure(frame, "campaign_skus").with_columns(
        platform=name.str.to_lowercase().replace_strict(PLATFORM_NAMES, default=name)
    )


def _bank_lines(frame: pl.LazyFrame, rule: Rule, ctx: Context) -> pl.LazyFrame:
    """Bank lines: a signed amount (money in positive), as ledger rows get theirs."""
    names = set(frame.collect_schema().names())
    return _ensure(frame, "bank_lines").with_columns(
        amount=signed_money(names, rule),
        **{money_cells.MONEY: signed_money(names, rule, money_cells.M6)},
        currency=pl.col("currency").fill_null(rule.currency),
        platform=pl.lit(rule.platform),
    )


def _fx_rates(frame: pl.LazyFrame, rule: Rule, ctx: Context) -> pl.LazyFrame:
    return _ensure(frame, "fx_rates").with_columns(
        currency=pl.col("currency").str.to_uppercase(), platform=pl.lit(rule.platform)
    )


_KIND_STEPS = {
    "ledger": _ledger,
    "order_lines": _order_lines,
    "orders": _orders,
    "returns": _returns,
    "unit_costs": _unit_costs,
    "campaign_skus": _campaign_skus,
    "bank_lines": _bank_lines,
    "fx_rates": _fx_rates,
}


def _shop(frame: pl.LazyFrame, rule: Rule, ctx: Context) -> pl.LazyFrame:
    if rule.kind in SHOPLESS:
        return frame
    fallback = rule.shop or ctx.default_shop
    return frame.with_columns(shop=pl.col("shop").fill_null(pl.lit(fallback, pl.String)))


SCIENTIFIC = r"^[+-]?\d(\.\d+)?[Ee]\+?\d+$"


def _check_ids(frame: pl.DataFrame, rule: Rule, ctx: Context) -> None:
    """Ids re-saved by Excel (``2.02610E+31``) have lost their digits: refuse them, saying so."""
    id_columns = set(rule.key_columns) | {
        ex.column
        for name, exs in rule.fields.items()
        if KINDS[rule.kind][name].type == "id"
        for ex in exs
        if ex.pattern is None
    }
    for column in sorted(id_columns):
        hit = frame.filter(pl.col(column).str.contains(SCIENTIFIC)).head(1)
        if hit.height:
            raise ImportRejected(
                "excel_mangled",
                file=ctx.file,
                row=int(hit["__row"][0]),
                column=column,
                value=hit[column][0],
                rule=rule.name,
            )


def _natural_key(frame: pl.DataFrame, rule: Rule, ctx: Context) -> pl.DataFrame:
    """``scope:v1|v2|...`` from the rule's key columns; repeated keys handled as the rule says."""
    parts = [pl.col(c).fill_null("") for c in rule.key_columns]
    if rule.amounts:
        parts.append(pl.col(AMOUNT_COLUMN))
    frame = frame.with_columns(
        natural_key=pl.concat_str(
            [pl.lit(rule.key_scope + ":"), pl.concat_str(parts, separator="|")]
        )
    )
    if rule.duplicates == "number":
        return frame.with_columns(
            natural_key=pl.concat_str(
                [
                    pl.col("natural_key"),
                    pl.lit("#"),
                    pl.int_range(1, pl.len() + 1).over("natural_key").cast(pl.String),
                ]
            )
        )
    if rule.duplicates == "keep_first":
        return frame.unique(subset=["natural_key"], keep="first", maintain_order=True)
    repeated = frame.filter(pl.col("natural_key").is_duplicated())
    if repeated.height:
        key = repeated["natural_key"][0]
        rows = repeated.filter(pl.col("natural_key") == key)["source_row"].to_list()
        raise ImportRejected(
            "duplicate_key",
            file=ctx.file,
            row=rows[1],
            other_row=rows[0],
            key=key.split(":", 1)[1],
            rule=rule.name,
        )
    return frame


# --- wide statements, direction columns, summary rows (issue #3 part A; docs/rules.md)


def _shape(raw: pl.DataFrame, rule: Rule, ctx: Context) -> pl.DataFrame:
    """``[read] skip_rows_without`` drops summary rows; ``[unpivot]`` makes a wide table long."""
    if rule.skip_rows_without:
        filled = [
            pl.col(c).is_not_null() & ~pl.col(c).is_in(list(NULL_TOKENS))
            for c in rule.skip_rows_without
            if c in raw.columns
        ]
        if filled:
            raw = raw.filter(pl.any_horizontal(filled))
    if rule.unpivot is None:
        return raw
    if raw.height == 0:
        raise ImportRejected("empty_file", file=ctx.file)
    return _unpivot(raw, rule, ctx)


def _unpivot(raw: pl.DataFrame, rule: Rule, ctx: Context) -> pl.DataFrame:
    """One row per non-zero amount column of each row: ``name`` = the column, ``value`` = its
    cell. With ``total``, what the amounts of a row leave unexplained becomes one more row named
    ``<total>差额`` (unclassified unless a rule maps it), so no money of the row is lost."""
    spec = rule.unpivot
    assert spec is not None
    raw = raw.with_columns(
        pl.lit(None, pl.String).alias(c) for c in spec.columns if c not in raw.columns
    )
    checked = list(spec.columns) + ([spec.total] if spec.total else [])
    for column in checked:
        if column not in raw.columns:
            continue
        hit = raw.filter(is_bad_amount(pl.col(column), decimal_mark=rule.decimal_mark)).head(1)
        if hit.height:
            raise ImportRejected(
                "bad_amount",
                file=ctx.file,
                row=int(hit["__row"][0]),
                column=column,
                value=hit[column][0],
                rule=rule.name,
            )
    cents = {c: to_cents(pl.col(c), decimal_mark=rule.decimal_mark) for c in spec.columns}
    on = list(spec.columns)
    if spec.total and spec.total in raw.columns:
        difference = f"{spec.total}差额"
        explained = pl.sum_horizontal([e.fill_null(0) for e in cents.values()])
        total = to_cents(pl.col(spec.total), decimal_mark=rule.decimal_mark)
        # an empty total says nothing about the row: no difference row then
        raw = raw.with_columns(cents_to_text(total - explained).alias(difference))
        cents[difference] = to_cents(pl.col(difference))
        on.append(difference)
    raw = raw.with_columns(
        pl.when(cents[c].fill_null(0) == 0).then(None).otherwise(pl.col(c)).alias(c) for c in on
    )
    index = [c for c in raw.columns if c not in on]
    long = raw.unpivot(on=on, index=index, variable_name=spec.name, value_name=spec.value)
    order = {name: i for i, name in enumerate(on)}
    return (
        long.filter(pl.col(spec.value).is_not_null())
        .with_columns(__col=pl.col(spec.name).replace_strict(order, return_dtype=pl.Int64))
        .sort("__row", "__col")
        .drop("__col")
    )


def _signed_by_direction(frame: pl.DataFrame, rule: Rule, ctx: Context) -> pl.DataFrame:
    """``[direction]``: the unsigned amount takes its sign from the direction column."""
    spec = rule.direction
    if spec is None:
        return frame
    text = pl.col(spec.column).fill_null("")
    income, expense = text.str.contains(spec.income), text.str.contains(spec.expense)
    hit = frame.filter(~(income ^ expense)).head(1)
    if hit.height:
        raise ImportRejected(
            "bad_direction",
            file=ctx.file,
            row=int(hit["__row"][0]),
            column=spec.column,
            value=hit[spec.column][0] or "",
            rule=rule.name,
            income=spec.income,
            expense=spec.expense,
        )
    signed = [c for c in ("amount", money_cells.M6 + "amount") if c in frame.columns]
    return frame.with_columns(
        pl.when(expense).then(-pl.col(c).abs()).otherwise(pl.col(c).abs()).alias(c) for c in signed
    )


def _times(text: pl.Series, rule: Rule, ctx: Context) -> pl.Series:
    """A datetime column in the workspace's zone (``zones``): a written zone is converted, a
    naive time is in the rule's ``[parse] timezone`` (else the workspace's), a date stays."""
    return parse_datetimes(text, rule.date_formats, zone=ctx.timezone, naive_zone=rule.timezone)
