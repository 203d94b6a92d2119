"""``finance watch``: keep processing files dropped into ``inbox/``.

Each cycle (woken by ``watchfiles`` when the folder changes, and at least every ``poll``
seconds) looks at the inbox; a file is read only once its size and modification time have
stayed the same for ``settle`` seconds, so an export still being copied is never read
half-written. A ready file is claimed in the database (``history.claim``: two processes on
one workspace never import the same file twice), imported and moved (``ingest_path``: archive/
or rejected/ with a reason), and the months it touched get fresh reports. The digest goes out
on the ``[mail] schedule`` of ``finance.toml``: ``"daily HH:MM"`` and/or ``"after_ingest"``
(after an import that raised new alerts). A file that fails in an unexpected way is logged and
left alone until it changes; the loop goes on. Ctrl-C (or the ``stop`` event) ends it cleanly.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import polars as pl
from sqlalchemy import column

from finance import history, i18n
from finance.errors import FinanceError
from finance.ingest import Outcome, holder_name, inbox_files, process_file
from finance.rulebook import load_rules
from finance.store import Store
from finance.workspace import Workspace


@dataclass(frozen=True)
class Schedule:
    daily: tuple[clock_time, ...] = ()
    after_ingest: bool = False


def parse_schedule(values: tuple[str, ...] | list[str]) -> Schedule:
    """``["daily 09:00", "after_ingest"]`` -> Schedule; anything else is a clear error."""
    daily: list[clock_time] = []
    after = False
    for value in values:
        text = str(value).strip().lower()
        match = re.fullmatch(r"daily\s+([01]?\d|2[0-3]):([0-5]\d)", text)
        if match:
            daily.append(clock_time(int(match.group(1)), int(match.group(2))))
        elif text in ("after_ingest", "after-ingest"):
            after = True
        else:
            raise FinanceError("watch_bad_schedule", value=value)
    return Schedule(tuple(sorted(daily)), after)


def due_slots(schedule: Schedule, now: datetime) -> list[str]:
    """Today's daily send times that have passed, as claim names (one digest per slot)."""
    return [
        f"digest-slot:{now.date().isoformat()} {t.strftime('%H:%M')}"
        for t in schedule.daily
        if now.time() >= t
    ]


class Settler:
    """Which inbox files have stopped growing.

    A file is ready when its size and modification time are the same as at the previous look
    and have not changed for ``settle`` seconds. A file that failed is not retried until it
    changes (a fixed copy is dropped over it).
    """

    def __init__(self, settle: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.settle = settle
        self.clock = clock
        self.seen: dict[Path, tuple[tuple[int, int], float]] = {}
        self.failed: dict[Path, tuple[int, int]] = {}

    @staticmethod
    def _signature(path: Path) -> tuple[int, int] | None:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def observe(self, paths: list[Path]) -> list[Path]:
        now = self.clock()
        ready: list[Path] = []
        current = set(paths)
        for gone in [p for p in self.seen if p not in current]:
            del self.seen[gone]
        for path in paths:
            sig = self._signature(path)
            if sig is None:
                continue
            if self.failed.get(path) == sig:
                continue
            self.failed.pop(path, None)
            before = self.seen.get(path)
            if before is None or before[0] != sig:
                self.seen[path] = (sig, now)
            elif now - before[1] >= self.settle:
                ready.append(path)
        return ready

    def done(self, path: Path) -> None:
        self.seen.pop(path, None)

    def fail(self, path: Path) -> None:
        sig = self._signature(path)
        if sig is not None:
            self.failed[path] = sig
        self.seen.pop(path, None)


def months_of(store: Store, file_id: int) -> list[str]:
    """The months an imported file touched: its ledger months, and the months its dates span
    plus the next one (an order paid late in a month may settle in the next)."""
    found = set(store.frame("ledger", column("file_id") == file_id)["month"].unique().to_list())
    row = store.files().filter(pl.col("id") == file_id)
    if row.height and row["first_date"][0] is not None and row["last_date"][0] is not None:
        low = row["first_date"][0].strftime("%Y-%m")
        last = row["last_date"][0]
        high = (last.replace(day=28) + timedelta(days=5)).strftime("%Y-%m")
        found |= {m for m in store.months() if low <= m <= high}
    return sorted(found)


def send_digest(ws: Workspace, store: Store, month: str) -> object:
    """The digest on every channel set up (email, group robots). A channel that failed while
    another delivered is a warning here (its alerts stay unsent and go with the next digest);
    all of them failing is an error, so the scheduled slot is tried again."""
    from finance import notify

    done = notify.send_digest(ws, store, month)
    if done.failed and not done.anything:
        if done.mail_error is not None:
            raise done.mail_error
        raise FinanceError(
            "watch_robots_failed", reasons="; ".join(r.message for r in done.robots if r.failed)
        )
    return done


@dataclass
class WatchStats:
    cycles: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


@dataclass
class Watcher:
    """The loop's state; ``run`` drives it, ``cycle`` is one look at the inbox (testable)."""

    ws: Workspace
    store: Store
    settle: float = 2.0
    log: Callable[[str, str], None] = lambda level, message: None
    send: Callable[[Workspace, Store, str], object] = send_digest
    now: Callable[[], datetime] = datetime.now
    clock: Callable[[], float] = time.monotonic
    holder: str = field(default_factory=holder_name)
    stats: WatchStats = field(default_factory=WatchStats)

    def __post_init__(self) -> None:
        from finance.digest import mail_settings
        from finance.notify import notify_settings

        self.settler = Settler(self.settle, self.clock)
        self.slots_done: set[str] = set()
        # one digest goes to every channel: the times of [mail] and of [notify] together
        times = (*mail_settings(self.ws).schedule, *notify_settings(self.ws).schedule)
        self.schedule = parse_schedule(list(dict.fromkeys(times)))

    def _text(self, key: str, **fields: object) -> str:
        return i18n.text(key, self.ws.language, **fields)

    def cycle(self) -> None:
        ready = self.settler.observe(inbox_files(self.ws))
        months: set[str] = set()
        if ready:
            rules = load_rules(self.ws.rules)
            for path in ready:
                months |= self._one(path, rules)
        for month in sorted(months):
            self._refresh(month)
        if self.schedule.after_ingest:
            for month in sorted(months):
                self._digest_if_new(month)
        self._daily()

    def _one(self, path: Path, rules: list) -> set[str]:
        try:
            outcome = process_file(
                path, ws=self.ws, store=self.store, rules=rules, holder=self.holder
            )
        except Exception as error:  # a bad file must not stop the loop
            reason = (
                error.render(self.ws.language)
                if isinstance(error, FinanceError)
                else (f"{type(error).__name__}: {error}")
            )
            self.settler.fail(path)
            self.stats.failed.append(path.name)
            self.log("error", self._text("watch_file_failed", file=path.name, reason=reason))
            return set()
        self.settler.done(path)
        if outcome is None:
            self.stats.skipped.append(path.name)
            if path.exists():
                self.log("info", self._text("watch_claimed", file=path.name))
            return set()
        self.stats.outcomes.append(outcome)
        level = {"imported": "info", "duplicate": "warning"}.get(outcome.status, "error")
        self.log(level, outcome.message)
        if outcome.status != "imported" or outcome.file_id is None:
            return set()
        return set(months_of(self.store, outcome.file_id))

    def _refresh(self, month: str) -> None:
        from finance.pipeline import write_reports

        try:
            write_reports(self.ws, self.store, month)
        except FinanceError as error:
            if error.key != "no_data_for_month":
                self.log("error", error.render(self.ws.language))
            return
        self.stats.refreshed.append(month)
        self.log("info", self._text("watch_reports", month=month))

    def _send(self, month: str) -> bool:
        try:
            done = self.send(self.ws, self.store, month)
        except FinanceError as error:
            reason = error.render(self.ws.language)
            self.log("error", self._text("watch_digest_failed", month=month, reason=reason))
            return False
        for problem in getattr(done, "problems", lambda _lang: [])(self.ws.language):
            self.log("warning", problem)
        self.stats.digests.append(month)
        return True

    def _digest_if_new(self, month: str) -> None:
        from finance.alerts import month_alerts

        try:
            alerts = month_alerts(self.ws, self.store, month)
        except FinanceError as error:
            self.log("error", error.render(self.ws.language))
            return
        if history.plan(self.store, month, alerts).new.height:
            self._send(month)

    def _daily(self) -> None:
        slots = due_slots(self.schedule, self.now())
        if not slots:
            return
        months = self.store.months()
        if not months:
            return
        for slot in slots:
            if slot in self.slots_done:
                continue
            # Read first, then claim: the claim settles a race with another process.
            if history.held(self.store, slot) or not history.claim(self.store, slot, self.holder):
                self.slots_done.add(slot)  # sent already (by this or another process)
                continue
            if self._send(months[-1]):
                self.slots_done.add(slot)
            else:
                history.release(self.store, slot, self.holder)  # try again next cycle


def _wakeups(inbox: Path, stop: threading.Event, poll: float) -> Iterator[object]:
    """Yield once at once, then whenever the inbox changes or ``poll`` seconds pass."""
    import watchfiles

    yield set()
    inbox.mkdir(parents=True, exist_ok=True)
    yield from watchfiles.watch(
        inbox,
        stop_event=stop,
        yield_on_timeout=True,
        rust_timeout=max(int(poll * 1000), 50),
        debounce=max(int(poll * 1000), 50),
        step=50,
        raise_interrupt=False,
    )


def watch(
    ws: Workspace,
    *,
    store: Store | None = None,
    stop: threading.Event | None = None,
    settle: float = 2.0,
    poll: float = 1.0,
    log: Callable[[str, str], None] = lambda level, message: None,
    send: Callable[[Workspace, Store, str], object] = send_digest,
    now: Callable[[], datetime] = datetime.now,
    on_cycle: Callable[[Watcher], None] | None = None,
    max_cycles: int | None = None,
    handle_signals: bool = False,
) -> WatchStats:
    """Process inbox/ until ``stop`` is set, Ctrl-C, or ``max_cycles`` looks.

    With ``handle_signals`` (the command line), Ctrl-C and SIGTERM set ``stop``: the file being
    imported is finished (or rolled back) first, then the loop ends. A second Ctrl-C interrupts
    at once.
    """
    from finance.pipeline import open_store

    stop = stop or threading.Event()
    restore = _stop_on_signals(stop) if handle_signals else {}
    own = store is None
    try:
        store = store or _open_store(ws, open_store)
        watcher = Watcher(ws, store, settle=settle, log=log, send=send, now=now)
        log("info", i18n.text("watch_started", ws.language, inbox=ws.inbox.as_posix()))
        try:
            for _changes in _wakeups(ws.inbox, stop, poll):
                if stop.is_set():
                    break
                watcher.cycle()
                watcher.stats.cycles += 1
                if on_cycle is not None:
                    on_cycle(watcher)
                if max_cycles is not None and watcher.stats.cycles >= max_cycles:
                    break
        except KeyboardInterrupt:
            pass
        finally:
            if own:
                store.close()
            log("info", i18n.text("watch_stopped", ws.language))
    finally:
        for signum, handler in restore.items():
            signal.signal(signum, handler)
    return watcher.stats


def _stop_on_signals(stop: threading.Event) -> dict:
    """Ctrl-C / SIGTERM set ``stop`` (then the default returns: a second Ctrl-C interrupts)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}

    def handler(signum: int, _frame: object) -> None:
        stop.set()
        signal.signal(signum, previous.get(signum, signal.SIG_DFL))

    for signum in (signal.SIGINT, getattr(signal, "SIGTERM", None)):
        if signum is not None:
            previous[signum] = signal.getsignal(signum)
            signal.signal(signum, handler)
    return previous


def _open_store(ws: Workspace, opener: Callable[[Workspace], Store]) -> Store:
    """Open the ledger, retrying briefly when the database does not answer yet (creating the
    tables of a new database is itself race-free, see ``finance.store.db``)."""
    from sqlalchemy.exc import DatabaseError

    for attempt in range(5):
        try:
            return opener(ws)
        except DatabaseError:
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")
