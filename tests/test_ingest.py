"""Ingest: idempotent, overlap-safe, atomic, and honest about what it rejects.

Runs on SQLite and on the real PostgreSQL server (the ``db_url`` fixture).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from finance.errors import ImportRejected
from finance.ingest import ingest
from finance.store import Store

from .conftest import FIXTURES, HANDCHECK, drop


def _lines(path: Path) -> list[str]:
    return path.read_bytes().decode("gbk").split("\r\n")


def _write(path: Path, lines: list[str]) -> Path:
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    return path


def test_same_file_twice_adds_nothing(ws, store: Store) -> None:
    drop(ws, HANDCHECK / "ledger.csv")
    first = ingest(ws, store)
    drop(ws, HANDCHECK / "ledger.csv", name="ledger (1).csv")
    second = ingest(ws, store)
    assert [o.status for o in first] == ["imported"]
    assert [o.status for o in second] == ["duplicate"]
    assert "identical" in second[0].message or "完全相同" in second[0].message
    assert store.count("ledger") == 17
    assert (ws.archive / "alipay-ledger" / "ledger (1).csv").exists()


def test_overlapping_exports_count_each_row_once(ws, store: Store, tmp_path: Path) -> None:
    lines = _lines(HANDCHECK / "ledger.csv")
    head, body, foot = lines[:5], lines[5:22], lines[22:]
    early = _write(tmp_path / "early.csv", head + body[:12] + foot)
    late = _write(tmp_path / "late.csv", head + body[8:] + foot)  # rows 9-12 in both
    drop(ws, early, late)
    outcomes = ingest(ws, store)
    assert [(o.added, o.skipped) for o in outcomes] == [(12, 0), (5, 4)]
    assert store.count("ledger") == 17


def test_broken_last_row_leaves_store_as_it_was(ws, store: Store, tmp_path: Path) -> None:
    lines = _lines(HANDCHECK / "ledger.csv")
    lines[21] = lines[21].replace(",12.00,", ",12.OO,")  # the last data row
    broken = _write(tmp_path / "broken.csv", lines)
    drop(ws, broken)
    [outcome] = ingest(ws, store)
    assert outcome.status == "rejected"
    assert store.count("ledger") == 0 and store.files().height == 0
    note = (ws.rejected / "broken.csv.error.txt").read_text(encoding="utf-8")
    assert '"broken.csv" row 22, column "支出金额（-元）": "12.OO" is not an amount' in note
    assert "第 22 行" in note and (ws.rejected / "broken.csv").exists()


def test_failure_while_writing_rolls_everything_back(ws, store: Store, monkeypatch) -> None:
    calls = {"n": 0}
    real = Store.insert_rows

    def flaky(conn, kind, frame):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        real(conn, kind, frame.head(5))  # half the rows are written...
        raise ImportRejected("empty_file", file="simulated failure")  # ...then it breaks

    monkeypatch.setattr(Store, "insert_rows", staticmethod(flaky))
    drop(ws, HANDCHECK / "ledger.csv")
    [outcome] = ingest(ws, store)
    assert calls["n"] == 1 and outcome.status == "rejected"
    assert store.count("ledger") == 0 and store.files().height == 0


def test_unknown_file_is_rejected_with_the_closest_rule(ws, store: Store, tmp_path: Path) -> None:
    lines = _lines(HANDCHECK / "ledger.csv")
    lines[4] = lines[4].replace("业务类型", "业务种类")  # a renamed column
    drop(ws, _write(tmp_path / "renamed.csv", lines))
    [outcome] = ingest(ws, store)
    assert outcome.status == "rejected"
    note = (ws.rejected / "renamed.csv.error.txt").read_text(encoding="utf-8")
    expected = (
        'Cannot recognise "renamed.csv": no rule matches its header. The closest rule is '
        "alipay-ledger (alipay-ledger.toml), but the header lacks: 业务类型. If this is a new "
        "layout of that format, adjust the column names in the rule's [identify] columns."
    )
    assert expected in note
    assert "无法识别文件“renamed.csv”" in note


def test_unsupported_file_type(ws, store: Store, tmp_path: Path) -> None:
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    drop(ws, pdf)
    [outcome] = ingest(ws, store)
    assert outcome.status == "rejected"
    assert "only CSV/TXT and XLSX" in (ws.rejected / "statement.pdf.error.txt").read_text("utf-8")


def test_costs_reimported_replace_same_date(ws, store: Store, tmp_path: Path) -> None:
    drop(ws, HANDCHECK / "costs.csv")
    ingest(ws, store)
    fixed = tmp_path / "costs-fixed.csv"
    fixed.write_bytes("商家编码,成本价,生效日期\r\nSKU-B,11.5,2026-01-01\r\n".encode("gbk"))
    drop(ws, fixed)
    ingest(ws, store)
    costs = store.frame("unit_costs").sort("sku", "effective_from")
    assert costs.select("sku", "unit_cost").rows() == [
        ("SKU-A", 200000),
        ("SKU-A", 250000),
        ("SKU-B", 115000),
    ]


@pytest.mark.parametrize("name", ["ledger.csv", "orders.csv", "refunds.csv", "wanxiangtai.csv"])
def test_shop_from_settings(ws, store: Store, name: str) -> None:
    drop(ws, HANDCHECK / name)
    [outcome] = ingest(ws, store)
    assert outcome.status == "imported"
    assert set(store.files()["shop"].to_list()) == {"测试店"}


def test_repeated_row_id_names_both_rows(ws, store: Store, tmp_path: Path) -> None:
    lines = _lines(HANDCHECK / "ledger.csv")
    lines.insert(7, lines[6])  # row 7 again, as row 8
    drop(ws, _write(tmp_path / "twice.csv", lines))
    [outcome] = ingest(ws, store)
    assert outcome.status == "rejected" and store.count("ledger") == 0
    note = (ws.rejected / "twice.csv.error.txt").read_text(encoding="utf-8")
    assert (
        '"twice.csv" rows 7 and 8 share the de-duplication key 20261000002\t (rule alipay-ledger).'
        not in note  # cells are cleaned: no TAB in the key
    )
    assert (
        '"twice.csv" rows 7 and 8 share the de-duplication key 20261000002 (rule alipay-ledger). '
        'If that is normal for this format, set duplicates = "keep_first" or "number" in the '
        "rule's [key]." in note
    )


def test_campaign_map_reaches_allocation(ws, store: Store) -> None:
    from finance.margin import month_books

    drop(ws, HANDCHECK / "ledger.csv", FIXTURES / "campaign-skus" / "campaigns.csv")
    assert {o.status for o in ingest(ws, store)} == {"imported"}
    campaigns = month_books(store, "2026-10").inputs().campaigns.collect()
    assert campaigns.filter(pl.col("platform") == "jd")["sku"].to_list() == ["YQ-TWL-BATH-GR"]
    assert campaigns.height == 4


def test_ids_mangled_by_excel_are_refused_with_the_right_advice(ws, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = _lines(HANDCHECK / "ledger.csv")
    for i in range(5, 22):  # Excel re-saved the file: the long ids became 2.02610E+11
        lines[i] = "2.02610E+11," + lines[i].split(",", 1)[1]
    drop(ws, _write(tmp_path / "resaved.csv", lines))
    [outcome] = ingest(ws, store)
    assert outcome.status == "rejected" and store.count("ledger") == 0
    note = (ws.rejected / "resaved.csv.error.txt").read_text(encoding="utf-8")
    assert (
        '"resaved.csv" row 6, column "账务流水号": "2.02610E+11" is an id that Excel turned into '
        "scientific notation (rule alipay-ledger); its digits are lost" in note
    )
    assert "keep_first" not in note


def test_rebuild_applies_a_new_rule_to_what_was_imported(ws, store: Store) -> None:
    from finance.ingest import rebuild

    drop(ws, HANDCHECK / "ledger.csv", HANDCHECK / "orders.csv")
    ingest(ws, store)
    rule = ws.rules / "formats" / "alipay-ledger.toml"
    rule.write_text(
        rule.read_text("utf-8")
        + '\n[[classify]]\ncategory = "other_fee"\nwhen = { "备注" = "服务年费" }\n',
        encoding="utf-8",
    )
    before = store.frame("ledger")
    outcomes = rebuild(ws, store)
    after = store.frame("ledger")
    assert [o.rule for o in outcomes] == ["alipay-ledger", "taobao-orders"]
    assert before.height == after.height == 17
    assert before.filter(pl.col("category") == "unclassified").height == 1
    assert after.filter(pl.col("category") == "unclassified").height == 0
    assert after.filter(pl.col("category") == "other_fee")["amount"].sum() == -1200
    assert store.files()["archived_as"].to_list() == [
        "archive/alipay-ledger/ledger.csv",
        "archive/taobao-orders/orders.csv",
    ]


def test_a_failed_rebuild_leaves_the_ledger_as_it_was(ws, store: Store) -> None:
    from finance.errors import FinanceError
    from finance.ingest import rebuild

    drop(ws, HANDCHECK / "ledger.csv")
    ingest(ws, store)
    rule = ws.rules / "formats" / "alipay-ledger.toml"
    text = rule.read_text("utf-8").replace(
        'columns = ["账务流水号",', 'columns = ["新列", "账务流水号",'
    )
    rule.write_text(text, encoding="utf-8")  # still loads, but the file lacks 新列
    with pytest.raises(FinanceError) as info:
        rebuild(ws, store)
    assert "Rebuild failed and the ledger was not changed. archive/alipay-ledger/ledger.csv" in str(
        info.value
    )
    assert store.count("ledger") == 17 and store.files().height == 1


def test_opening_a_new_database_from_several_processes_at_once(db_url: str) -> None:
    """Two watchers (or ingest beside watch) started together on a new database: each creates
    the tables or finds them, none fails with "already exists"."""
    import threading

    gate = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_one() -> None:
        gate.wait()
        try:
            Store(db_url).close()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    store = Store(db_url)
    try:
        assert store.count("ledger") == 0 and store.files().height == 0
    finally:
        store.close()
