"""The ledger store: SQLModel tables (``tables``) and bulk reads and writes (``db``)."""

from finance.store.db import Store

__all__ = ["Store"]
