"""A ledger made by an older finance gains the nullable columns added since (``ALTER TABLE``).

``create_all`` makes missing tables but never touches an existing one; a column added to a
table later (e.g. ``unit_cost.vat_rate``) would then be missing from an older database and every
read of the table would fail. Only nullable columns without a server default are added: their
old rows read as empty, as they would have been imported without the column.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect
from sqlmodel import SQLModel


def add_missing_columns(conn: Connection) -> list[str]:
    """Add to every existing table the nullable columns its model has and it lacks; returns
    them as ``table.column``."""
    found = inspect(conn)
    added: list[str] = []
    existing = set(found.get_table_names())
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in existing:
            continue
        have = {c["name"] for c in found.get_columns(table.name)}
        for column in table.columns:
            if column.name in have or not column.nullable or column.primary_key:
                continue
            kind = column.type.compile(dialect=conn.dialect)
            name = conn.dialect.identifier_preparer.quote(column.name)
            table_name = conn.dialect.identifier_preparer.quote(table.name)
            conn.exec_driver_sql(f"ALTER TABLE {table_name} ADD COLUMN {name} {kind}")
            added.append(f"{table.name}.{column.name}")
    return added
