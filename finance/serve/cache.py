"""What the dashboard has computed, kept while the ledger and the rules stay as they were.

A month's result takes a second or more; the page asks for the same month many times (overview,
SKU table, each drill-down). ``Cache`` keeps the answers under a *fingerprint* of everything
they depend on: the store's generation (raised by every transaction that writes imported rows,
``finance.store``), its token, how many files it holds and the last file id, and the size and
modification time of every file under ``rules/`` and of ``finance.toml``. An import (from the
page, ``finance ingest`` or ``finance watch`` in another process), a ``rebuild`` or an edited
rule changes the fingerprint, and everything is computed again from the library.

One lock serialises the computations: a local dashboard has a handful of readers, and the
month's one-pass cache (``finance.month.one_pass``) is per computation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import func, select

from finance.store import Store
from finance.store.tables import ImportedFile, StoreGeneration
from finance.workspace import Workspace

T = TypeVar("T")


def fingerprint(ws: Workspace, store: Store) -> tuple:
    """Everything a computed answer depends on, cheaply read (one query and a folder walk)."""
    gen = StoreGeneration.__table__  # type: ignore[attr-defined]
    files = ImportedFile.__table__  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        stored = conn.execute(select(gen.c.token, gen.c.generation)).first()
        count, last = conn.execute(select(func.count(), func.max(files.c.id))).one()
    settings = [ws.root / "finance.toml"]
    if ws.rules.is_dir():
        settings += sorted(p for p in ws.rules.rglob("*") if p.is_file())
    stats = []
    for path in settings:
        try:
            info = path.stat()
        except OSError:
            continue
        stats.append((path.as_posix(), info.st_size, info.st_mtime_ns))
    return (tuple(stored or ()), int(count), int(last or 0), tuple(stats))


class Cache:
    """Answers by key, dropped as soon as the fingerprint changes."""

    def __init__(self, ws: Workspace, store: Store) -> None:
        self.ws, self.store = ws, store
        # re-entrant: one answer may be made from another (the margins from the month's result)
        self._lock = threading.RLock()
        self._seen: tuple | None = None
        self._answers: dict[tuple, Any] = {}

    def get(self, key: tuple, make: Callable[[], T]) -> T:
        with self._lock:
            now = fingerprint(self.ws, self.store)
            if now != self._seen:
                self._answers.clear()
                self._seen = now
            if key not in self._answers:
                self._answers[key] = make()
            return self._answers[key]

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._seen = None
