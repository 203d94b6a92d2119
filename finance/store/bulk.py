"""The bulk path of the store: frames in and out without a Python object per value.

SQLAlchemy turns every value of every row into Python objects through its type processors
(a datetime parsed from text per row on SQLite). Here rows go in through the database driver
directly, inside the caller's SQLAlchemy transaction (so an import stays all-or-nothing):
SQLite by ``executemany`` over row tuples, PostgreSQL by ``COPY … FROM STDIN``. Reads ask for
the raw stored values and let polars parse dates and times column by column.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Integer, Table, case, func, literal, select
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S%.6f"
"""How SQLAlchemy writes a DateTime on SQLite (text); stored the same way here."""


def _driver(conn: Connection):  # type: ignore[no-untyped-def]
    return conn.connection.driver_connection


def _as_stored(frame: pl.DataFrame, sqlite: bool) -> pl.DataFrame:
    """Values as the driver stores them: on SQLite, dates and times as SQLAlchemy's text."""
    if not sqlite:
        return frame
    exprs = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            exprs.append(pl.col(name).dt.strftime(SQLITE_DATETIME))
        elif dtype == pl.Date:
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif dtype == pl.Boolean:
            exprs.append(pl.col(name).cast(pl.Int64))
    return frame.with_columns(exprs) if exprs else frame


def insert(conn: Connection, table: Table, frame: pl.DataFrame, chunk: int = 100_000) -> int:
    """Insert every row of ``frame`` (columns named as the table's) inside ``conn``'s
    transaction."""
    if frame.is_empty():
        return 0
    cols = [c for c in frame.columns if c in table.c]
    sqlite = conn.dialect.name == "sqlite"
    frame = _as_stored(frame.select(cols), sqlite)
    names = ", ".join(f'"{c}"' for c in cols)
    if sqlite:
        sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(cols))})'
        cursor = _driver(conn).cursor()
        for start in range(0, frame.height, chunk):
            cursor.executemany(sql, frame.slice(start, chunk).iter_rows())
        cursor.close()
    elif conn.dialect.name == "postgresql":
        # CSV: NULL is an empty unquoted field; polars writes an empty text as "" and quotes
        # nothing else that could be read as NULL
        sql = f'COPY "{table.name}" ({names}) FROM STDIN (FORMAT csv)'
        with _driver(conn).cursor() as cursor, cursor.copy(sql) as copy:
            for start in range(0, frame.height, chunk):
                part = frame.slice(start, chunk)
                copy.write(part.write_csv(include_header=False).encode())
    else:  # any other database: SQLAlchemy's executemany
        from sqlalchemy import insert as sa_insert

        for start in range(0, frame.height, chunk):
            conn.execute(sa_insert(table), frame.slice(start, chunk).to_dicts())
    return frame.height


def existing_keys(
    conn: Connection, table: Table, frame: pl.DataFrame, names: list[str]
) -> list[tuple]:
    """``names`` of the stored rows with the same key as a row of ``frame``: (platform, shop,
    natural_key) for a shop's table, natural_key otherwise, which is the table's unique index.

    The keys go to the database as one JSON array per (platform, shop), encoded by polars and
    joined through ``json_each`` on SQLite (``jsonb_array_elements_text`` on PostgreSQL):
    indexed look-ups, no IN list of a million values and no Python object per key on the way
    in. On SQLite a shop with nothing stored yet is not looked up at all.
    """
    by_shop = "shop" in table.c and "platform" in table.c and "platform" in frame.columns
    groups = (
        frame.group_by("platform", "shop").agg(pl.col("natural_key").drop_nulls().unique())
        if by_shop
        else pl.DataFrame({"natural_key": [frame["natural_key"].drop_nulls().unique()]})
    ).with_columns(
        # the keys as one JSON document {"natural_key": [...]}, encoded by polars
        keys=pl.struct("natural_key").struct.json_encode(),
        n=pl.col("natural_key").list.len(),
    )
    cols = ", ".join(f'"{n}"' for n in names)
    where = "platform = %s AND shop = %s AND " if by_shop else ""
    found: list[tuple] = []
    driver = _driver(conn)
    for group in groups.drop("natural_key").iter_rows(named=True):
        if not group["n"]:
            continue
        params = [group["platform"], group["shop"]] if by_shop else []
        if conn.dialect.name == "sqlite":
            cursor = driver.cursor()
            # nothing stored for the shop yet (its first month): nothing to look up
            probe = f'SELECT 1 FROM "{table.name}" WHERE {where[:-5] or "1"} LIMIT 1'
            if cursor.execute(probe.replace("%s", "?"), params).fetchone():
                sql = (
                    f'SELECT {cols} FROM "{table.name}" WHERE {where.replace("%s", "?")}'
                    "natural_key IN (SELECT value FROM json_each(?, '$.natural_key'))"
                )
                found += cursor.execute(sql, [*params, group["keys"]]).fetchall()
            cursor.close()
        elif conn.dialect.name == "postgresql":
            sql = (
                f'SELECT {cols} FROM "{table.name}" WHERE {where}'
                "natural_key IN (SELECT jsonb_array_elements_text(%s::jsonb -> 'natural_key'))"
            )
            with driver.cursor() as cursor:
                found += cursor.execute(sql, [*params, group["keys"]]).fetchall()
        else:
            keys = (
                frame.filter(
                    *(
                        [pl.col("platform") == params[0], pl.col("shop") == params[1]]
                        if by_shop
                        else []
                    )
                )["natural_key"]
                .drop_nulls()
                .unique()
                .to_list()
            )
            for start in range(0, len(keys), 900):
                cond = [table.c.natural_key.in_(keys[start : start + 900])]
                if by_shop:
                    cond += [table.c.platform == params[0], table.c.shop == params[1]]
                found += conn.execute(select(*[table.c[n] for n in names]).where(*cond)).all()
    return [tuple(row) for row in found]


READ_CHUNK = 2_000_000
"""Rows per SQLite text read (one string each; SQLite caps a string at 1 GB)."""


def read(
    conn: Connection, table: Table, schema: dict[str, pl.DataType], *where: object
) -> pl.DataFrame:
    """``schema``'s columns of ``table`` (rows matching ``where``) as a typed frame.

    On SQLite the database writes the rows as one CSV text (text through ``quote()``, so an
    empty text is ``''`` and only NULL is an empty field) and polars parses it: no Python object
    per value.
    Dates and times come back as the stored text and are parsed for the whole column at once.
    """
    if conn.dialect.name == "sqlite":
        frame = _read_sqlite(conn, table, list(schema), *where)
    else:
        frame = pl.DataFrame(
            conn.execute(select(*[table.c[n] for n in schema]).where(*where)).all(),
            schema=schema,
            orient="row",
        )
    return frame.with_columns(
        _cast(name, frame.schema[name], dtype) for name, dtype in schema.items()
    )


_OPS = {
    operators.eq: lambda c, v: c == v,
    operators.ne: lambda c, v: c != v,
    operators.lt: lambda c, v: c < v,
    operators.le: lambda c, v: c <= v,
    operators.gt: lambda c, v: c > v,
    operators.ge: lambda c, v: c >= v,
}


def as_polars(condition: object) -> pl.Expr | None:
    """``column <op> value`` (SQLAlchemy) as the same polars filter; None for anything else."""
    if not isinstance(condition, BinaryExpression) or condition.operator not in _OPS:
        return None
    left, right = condition.left, condition.right
    if not isinstance(right, BindParameter) or not hasattr(left, "name"):
        return None
    value = right.effective_value
    if value is None:
        return None
    return _OPS[condition.operator](pl.col(str(left.name)), pl.lit(value))


def _is_time(dtype: pl.DataType) -> bool:
    return isinstance(dtype, pl.Datetime) or dtype == pl.Date


def _read_sqlite(conn: Connection, table: Table, names: list[str], *where: object) -> pl.DataFrame:
    bounds = conn.execute(select(func.min(table.c.id), func.max(table.c.id))).one()
    empty = pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    if bounds[0] is None:
        return empty

    def field(name: str):  # type: ignore[no-untyped-def]
        # text quoted ('' for an empty one), integers bare, NULL as nothing at all
        col = table.c[name]
        if isinstance(col.type, Integer):
            return func.ifnull(col, literal(""))
        return case((col.is_(None), literal("")), else_=func.quote(col))

    # One printf per row (a chain of || would copy the growing row text once per column).
    row = func.printf(literal(",".join(["%s"] * len(names))), *(field(n) for n in names))
    frames = []
    for lo in range(bounds[0], bounds[1] + 1, READ_CHUNK):
        inner = (
            select(row.label("r"))
            .where(*where, table.c.id.between(lo, lo + READ_CHUNK - 1))
            .subquery()
        )
        text = conn.execute(select(func.group_concat(inner.c.r, literal("\n")))).scalar()
        if not text:
            continue
        frames.append(
            pl.read_csv(
                text.encode("utf-8"),
                has_header=False,
                new_columns=names,
                schema=dict.fromkeys(names, pl.String),
                quote_char="'",
            )
        )
    return pl.concat(frames) if frames else empty


def _cast(name: str, have: pl.DataType, want: pl.DataType) -> pl.Expr:
    col = pl.col(name)
    if have == want:
        return col
    if isinstance(want, pl.Datetime) and have == pl.String:
        text = col.str.slice(0, 26)
        with_fraction = text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us", strict=False)
        whole = text.str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us", strict=False)
        return with_fraction.fill_null(whole).cast(want)
    if want == pl.Date and have == pl.String:
        return col.str.slice(0, 10).str.to_date("%Y-%m-%d")
    if want == pl.Boolean and have == pl.String:
        return col.cast(pl.Int64).cast(pl.Boolean)
    return col.cast(want)
