"""``finance watch``: a file written in chunks is read once, whole; a bad file does not stop the
loop; two watchers never import a file twice; the digest follows the schedule; Ctrl-C ends it.

The loop is driven by its ``on_cycle`` hook (the test writes the next chunk each cycle, and
stops the loop when the inbox is done), so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from finance import history, i18n
from finance.alerts import month_alerts
from finance.errors import FinanceError
from finance.ingest import import_file
from finance.pipeline import open_store
from finance.rulebook import load_rules
from finance.watch import Settler, Watcher, due_slots, parse_schedule, process_file, watch

from .conftest import HANDCHECK

MONTH = "2026-10"
LIMIT = 400  # cycles: a safety net so a broken loop fails instead of hanging


def _until(done, *, each=None):  # type: ignore[no-untyped-def]
    """An on_cycle hook: run ``each`` every cycle, stop the loop once ``done()``."""

    def hook(watcher: Watcher) -> None:
        if each is not None:
            each(watcher)
        if done():
            watcher_stop.set()

    watcher_stop = threading.Event()
    return hook, watcher_stop


def _rejected(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(p.name for p in ws.rejected.iterdir())


# --- the pieces


def test_settler_waits_until_a_file_stops_growing(tmp_path: Path) -> None:
    now = [0.0]
    settler = Settler(2.0, clock=lambda: now[0])
    path = tmp_path / "big.csv"
    path.write_bytes(b"a")
    assert settler.observe([path]) == []  # first sight
    now[0] = 5.0
    with path.open("ab") as handle:
        handle.write(b"b")
    assert settler.observe([path]) == []  # it grew
    now[0] = 6.9
    assert settler.observe([path]) == []  # same size, but for 1.9 s only
    now[0] = 7.0
    assert settler.observe([path]) == [path]
    settler.fail(path)
    now[0] = 100.0
    assert settler.observe([path]) == []  # a failed file waits until it changes
    path.write_bytes(b"fixed copy")
    assert settler.observe([path]) == []
    now[0] = 102.0
    assert settler.observe([path]) == [path]


def test_schedule() -> None:
    schedule = parse_schedule(["daily 09:00", "after_ingest", "daily 18:30"])
    assert schedule.after_ingest and [t.strftime("%H:%M") for t in schedule.daily] == [
        "09:00",
        "18:30",
    ]
    assert due_slots(schedule, datetime(2026, 11, 25, 8, 59)) == []
    assert due_slots(schedule, datetime(2026, 11, 25, 9, 0)) == ["digest-slot:2026-11-25 09:00"]
    assert len(due_slots(schedule, datetime(2026, 11, 25, 23, 0))) == 2
    with pytest.raises(FinanceError) as info:
        parse_schedule(["every morning"])
    assert "every morning" in info.value.render("zh-CN")


# --- the loop


def test_a_file_written_in_chunks_is_read_once_and_whole(ws, store) -> None:  # type: ignore[no-untyped-def]
    data = (HANDCHECK / "ledger.csv").read_bytes()
    chunks = [data[i : i + 300] for i in range(0, len(data), 300)]
    assert len(chunks) >= 4
    target = ws.inbox / "ledger.csv"
    written = []

    def write_next(_watcher: Watcher) -> None:
        if len(written) < len(chunks):
            with target.open("ab") as handle:
                handle.write(chunks[len(written)])
            written.append(1)

    hook, stop = _until(lambda: not target.exists(), each=write_next)
    stats = watch(ws, store=store, stop=stop, settle=0.2, poll=0.05, on_cycle=hook,
                  max_cycles=LIMIT)  # fmt: skip
    assert not target.exists() and stats.cycles < LIMIT
    assert [o.status for o in stats.outcomes] == ["imported"]
    assert stats.failed == [] and _rejected(ws) == []
    # The whole file, as a one-shot import of it reads it.
    files = store.files()
    assert files["rows_read"].to_list() == [_rows_in(HANDCHECK / "ledger.csv", ws)]
    assert (ws.archive / "alipay-ledger" / "ledger.csv").read_bytes() == data
    assert stats.refreshed == [MONTH] and (ws.reports(MONTH) / "pnl.xlsx").is_file()


def _rows_in(path: Path, ws) -> int:  # type: ignore[no-untyped-def]
    """Rows a direct import of ``path`` reads (into a scratch store)."""
    import shutil
    import tempfile

    from finance.store import Store

    scratch = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{(scratch / 'x.sqlite').as_posix()}")
    try:
        copy = scratch / path.name
        shutil.copyfile(path, copy)
        import_file(copy, ws=ws, store=store, rules=load_rules(ws.rules))
        return int(store.files()["rows_read"][0])
    finally:
        store.close()


def test_a_bad_file_does_not_stop_the_loop(ws, store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (ws.inbox / "a-garbage.csv").write_text("this,is\nnot,a statement\n", encoding="utf-8")
    (ws.inbox / "b-broken.csv").write_bytes((HANDCHECK / "refunds.csv").read_bytes())
    (ws.inbox / "c-ledger.csv").write_bytes((HANDCHECK / "ledger.csv").read_bytes())
    # An unexpected failure too (a disk error, say), on one file only.
    import finance.ingest as module

    real = module.ingest_path

    def flaky(path, **kwargs):  # type: ignore[no-untyped-def]
        if path.name == "b-broken.csv":
            raise OSError("simulated disk error")
        return real(path, **kwargs)

    monkeypatch.setattr(module, "ingest_path", flaky)
    lines: list[tuple[str, str]] = []
    done = lambda: sorted(p.name for p in ws.inbox.iterdir()) == ["b-broken.csv"]  # noqa: E731
    hook, stop = _until(done)
    stats = watch(ws, store=store, stop=stop, settle=0.1, poll=0.05, on_cycle=hook,
                  max_cycles=LIMIT, log=lambda level, m: lines.append((level, m)))  # fmt: skip
    assert stats.cycles < LIMIT
    assert _rejected(ws) == ["a-garbage.csv", "a-garbage.csv.error.txt"]
    assert sorted((o.file, o.status) for o in stats.outcomes) == [
        ("a-garbage.csv", "rejected"),
        ("c-ledger.csv", "imported"),
    ]
    assert stats.failed == ["b-broken.csv"]  # logged, left in inbox/, not retried unchanged
    assert any("simulated disk error" in m and level == "error" for level, m in lines)
    assert lines[-1][1] == "已停止监视。"


def test_ctrl_c_stops_cleanly(ws) -> None:  # type: ignore[no-untyped-def]
    lines: list[str] = []

    def interrupt(_watcher: Watcher) -> None:
        raise KeyboardInterrupt

    stats = watch(ws, poll=0.05, on_cycle=interrupt, log=lambda level, m: lines.append(m))
    assert stats.cycles == 1 and lines[-1] == "已停止监视。"


def test_a_claimed_file_is_left_to_its_claimant(ws, store) -> None:  # type: ignore[no-untyped-def]
    from finance.ingest import sha256

    path = ws.inbox / "ledger.csv"
    path.write_bytes((HANDCHECK / "ledger.csv").read_bytes())
    name = f"file:{sha256(path)}"
    rules = load_rules(ws.rules)
    assert history.claim(store, name, "other-process")
    assert process_file(path, ws=ws, store=store, rules=rules, holder="me") is None
    assert path.exists() and store.files().height == 0
    history.release(store, name, "other-process")
    outcome = process_file(path, ws=ws, store=store, rules=rules, holder="me")
    assert outcome is not None and outcome.status == "imported"
    assert not history.held(store, name)


def test_ingest_leaves_a_file_another_process_is_importing(ws, store) -> None:  # type: ignore[no-untyped-def]
    from finance.ingest import ingest, sha256

    path = ws.inbox / "ledger.csv"
    path.write_bytes((HANDCHECK / "ledger.csv").read_bytes())
    name = f"file:{sha256(path)}"
    assert history.claim(store, name, "watch-process")
    [outcome] = ingest(ws, store)
    assert outcome.status == "busy"
    assert outcome.message == i18n.text("file_busy", ws.language, file="ledger.csv")
    assert path.exists() and store.files().height == 0
    history.release(store, name, "watch-process")
    [outcome] = ingest(ws, store)
    assert outcome.status == "imported" and not history.held(store, name)


def test_a_stale_claim_is_taken_over(store) -> None:  # type: ignore[no-untyped-def]
    assert history.claim(store, "file:x", "dead-process")
    assert not history.claim(store, "file:x", "me", stale_after=timedelta(hours=1))
    assert history.claim(store, "file:x", "me", stale_after=timedelta(seconds=-1))


def test_two_watchers_never_import_a_file_twice(ws, store) -> None:  # type: ignore[no-untyped-def]
    names = ["ledger.csv", "orders.csv", "refunds.csv", "wanxiangtai.csv"]
    for name in names:
        (ws.inbox / name).write_bytes((HANDCHECK / name).read_bytes())
    stop = threading.Event()
    results: dict[str, object] = {}

    def run(label: str) -> None:
        own = open_store(ws)  # each watcher has its own connections, as a process would
        try:
            results[label] = watch(ws, store=own, stop=stop, settle=0.1, poll=0.05,
                                   max_cycles=LIMIT, on_cycle=check)  # fmt: skip
        except Exception as error:  # pragma: no cover - reported below
            results[label] = error
        finally:
            own.close()

    def check(_watcher: Watcher) -> None:
        if not any(ws.inbox.iterdir()):
            stop.set()

    threads = [threading.Thread(target=run, args=(label,)) for label in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(isinstance(r, Exception) for r in results.values()), results
    imported = [o.file for r in results.values() for o in r.outcomes]  # type: ignore[union-attr]
    assert sorted(imported) == sorted(names)  # each file once, by one watcher or the other
    assert store.files().height == len(names)
    assert _rejected(ws) == []


# --- the digest schedule


def _recording_send(sent: list[str]):  # type: ignore[no-untyped-def]
    """Stands in for the SMTP send: records the digest as the real one does after success."""

    def send(ws, store, month: str) -> None:  # type: ignore[no-untyped-def]
        plan = history.plan(store, month, month_alerts(ws, store, month))
        history.mark_sent(store, month, plan, recipients=["boss@x"], subject="s")
        sent.append(month)

    return send


def test_digest_after_an_ingest_that_raised_new_alerts(ws, store) -> None:  # type: ignore[no-untyped-def]
    ws.settings["mail"] = {"schedule": ["after_ingest"]}
    sent: list[str] = []
    for name in ("ledger.csv", "orders.csv"):
        (ws.inbox / name).write_bytes((HANDCHECK / name).read_bytes())
    hook, stop = _until(lambda: not any(ws.inbox.iterdir()))
    watch(ws, store=store, stop=stop, settle=0.1, poll=0.05, on_cycle=hook, max_cycles=LIMIT,
          send=_recording_send(sent))  # fmt: skip
    assert sent and set(sent) == {MONTH}
    count = len(sent)
    # The same file again is a duplicate: no new alerts, no new digest.
    (ws.inbox / "ledger-again.csv").write_bytes((HANDCHECK / "ledger.csv").read_bytes())
    hook, stop = _until(lambda: not any(ws.inbox.iterdir()))
    watch(ws, store=store, stop=stop, settle=0.1, poll=0.05, on_cycle=hook, max_cycles=LIMIT,
          send=_recording_send(sent))  # fmt: skip
    assert len(sent) == count


def test_daily_digest_once_per_slot(ws, store) -> None:  # type: ignore[no-untyped-def]
    from finance.ingest import ingest

    for name in ("ledger.csv", "orders.csv"):
        (ws.inbox / name).write_bytes((HANDCHECK / name).read_bytes())
    ingest(ws, store)
    ws.settings["mail"] = {"schedule": ["daily 09:00"]}
    sent: list[str] = []
    clock = [datetime(2026, 11, 25, 8, 0)]
    send = _recording_send(sent)
    one = Watcher(ws, store, send=send, now=lambda: clock[0], holder="one")
    two = Watcher(ws, store, send=send, now=lambda: clock[0], holder="two")
    one.cycle()
    assert sent == []
    clock[0] = datetime(2026, 11, 25, 9, 0)
    one.cycle()
    two.cycle()  # another process: the slot is taken
    one.cycle()
    assert sent == [MONTH]
    clock[0] = datetime(2026, 11, 26, 9, 30)
    two.cycle()
    assert sent == [MONTH, MONTH]


def test_a_failed_daily_digest_is_tried_again(ws, store) -> None:  # type: ignore[no-untyped-def]
    from finance.ingest import ingest

    (ws.inbox / "ledger.csv").write_bytes((HANDCHECK / "ledger.csv").read_bytes())
    ingest(ws, store)
    ws.settings["mail"] = {"schedule": ["daily 09:00"]}
    attempts: list[str] = []
    lines: list[str] = []

    def down(ws, store, month: str) -> None:  # type: ignore[no-untyped-def]
        attempts.append(month)
        raise FinanceError("mail_failed", host="h", port=25, reason="down")

    watcher = Watcher(ws, store, send=down, now=lambda: datetime(2026, 11, 25, 10, 0),
                      log=lambda level, m: lines.append(m))  # fmt: skip
    watcher.cycle()
    watcher.cycle()
    assert attempts == [MONTH, MONTH]
    assert "稍后重试" in lines[-1]
    assert history.digests(store).height == 0


# --- real processes


def _spawn(ws, log: Path):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "finance", "watch", "-w", str(ws.root), "--settle", "0.3",
         "--poll", "0.1"],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip


def _wait(condition, seconds: float = 120.0) -> bool:  # type: ignore[no-untyped-def]
    """Wait for ``condition`` (a safety net against hanging, not a timing assertion)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_two_finance_processes_and_ctrl_c(ws, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import signal

    logs = [tmp_path / "one.log", tmp_path / "two.log"]
    procs = [_spawn(ws, log) for log in logs]

    def text(log: Path) -> str:
        return log.read_bytes().decode("utf-8", "replace") if log.exists() else ""

    try:
        assert _wait(lambda: all("正在监视" in text(log) for log in logs)), [text(x) for x in logs]
        names = ["ledger.csv", "orders.csv", "refunds.csv", "wanxiangtai.csv"]
        for name in names:
            (ws.inbox / name).write_bytes((HANDCHECK / name).read_bytes())
        assert _wait(lambda: not any(ws.inbox.iterdir()) and store.files().height >= len(names))
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            proc.wait(timeout=60)
    outputs = [text(log) for log in logs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    assert all(out.rstrip().endswith("已停止监视。") for out in outputs), outputs
    assert sorted(store.files()["name"].to_list()) == sorted(names)  # each imported once
    # Ctrl-C lets the file in hand finish: every import was reported, by one process or the
    # other, and neither met a file the other had imported ("identical ... not imported again").
    assert sum(out.count("已导入") for out in outputs) == len(names), outputs
    assert not any("未重复导入" in out for out in outputs), outputs
    assert _rejected(ws) == []


def test_two_watchers_start_together_on_a_new_database(ws, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import signal

    # No store was opened yet: both processes create the tables at once; neither may fail.
    logs = [tmp_path / "one.log", tmp_path / "two.log"]
    procs = [_spawn(ws, log) for log in logs]

    def text(log: Path) -> str:
        return log.read_bytes().decode("utf-8", "replace") if log.exists() else ""

    try:
        assert _wait(
            lambda: (
                all("正在监视" in text(log) for log in logs)
                or any(proc.poll() is not None for proc in procs)
            )
        )
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in procs:
            proc.wait(timeout=60)
    outputs = [text(log) for log in logs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
