"""The command line, through typer's runner: every command works and shows an example."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from finance.cli import app

from .conftest import HANDCHECK, drop

runner = CliRunner()


def _commands(group: typer.Typer, prefix: str = "") -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for cmd in group.registered_commands:
        name = cmd.name or cmd.callback.__name__.replace("_", "-")  # type: ignore[union-attr]
        found.append((f"{prefix}{name}", cmd))
    for sub in group.registered_groups:
        found += _commands(sub.typer_instance, f"{prefix}{sub.name} ")  # type: ignore[arg-type]
    return found


COMMANDS = _commands(app)


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = runner.invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Example: finance " + name.split()[0], result.output), result.output


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [n for n, _ in COMMANDS if f"finance {n}" not in readme]
    assert not missing, f"undocumented commands: {missing}"


def _month(ws) -> None:  # type: ignore[no-untyped-def]
    drop(
        ws, *(HANDCHECK / n for n in ("ledger.csv", "orders.csv", "refunds.csv", "wanxiangtai.csv"))
    )
    result = runner.invoke(app, ["ingest", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert result.output.count("已导入") == 4


def test_ingest_export_report_explain_status(ws) -> None:  # type: ignore[no-untyped-def]
    _month(ws)
    costs = runner.invoke(
        app, ["costs", "import", str(HANDCHECK / "costs.csv"), "-w", str(ws.root)]
    )
    assert costs.exit_code == 0 and (ws.costs / "costs.csv").exists(), costs.output

    csv_out = runner.invoke(app, ["export", "margins", "--month", "2026-10", "-w", str(ws.root)])
    assert csv_out.stdout == (HANDCHECK / "expected-margins.csv").read_text(encoding="utf-8")

    as_json = runner.invoke(
        app, ["export", "margins", "-m", "2026-10", "--format", "json", "-w", str(ws.root)]
    )
    rows = json.loads(as_json.stdout)
    assert [r["sku"] for r in rows] == ["SKU-A", "SKU-B", "SKU-C", ""]
    assert rows[0]["true_margin"] == "16.64" and rows[0]["margin_pct"] == "0.1664"
    assert rows[0]["units_sold"] == 3

    target = ws.root / "out.csv"
    runner.invoke(
        app, ["export", "margins", "-m", "2026-10", "--output", str(target), "-w", str(ws.root)]
    )
    assert target.read_text(encoding="utf-8") == csv_out.stdout

    explained = runner.invoke(
        app, ["explain", "-m", "2026-10", "--sku", "SKU-B", "-w", str(ws.root)]
    )
    assert explained.exit_code == 0
    assert "ledger.csv" in explained.output and "wanxiangtai.csv" in explained.output

    status = runner.invoke(app, ["status", "-w", str(ws.root)])
    assert status.exit_code == 0
    assert "alipay-ledger" in status.output and "天猫服务年费" in status.output


def test_bad_month_is_a_short_clear_error(ws) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["export", "margins", "--month", "2026-13", "-w", str(ws.root)])
    assert result.exit_code == 1
    assert "月份“2026-13”格式不对，应为 YYYY-MM" in result.output


def test_month_without_data(ws) -> None:  # type: ignore[no-untyped-def]
    _month(ws)
    result = runner.invoke(app, ["export", "margins", "--month", "2026-09", "-w", str(ws.root)])
    assert result.exit_code == 1
    assert "2026-09 没有任何已导入的账务数据。已导入的月份：2026-10。" in result.output


def test_not_a_workspace(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "-w", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not a finance workspace" in result.output and "finance init" in result.output


def test_init_twice_changes_nothing(tmp_path: Path) -> None:
    first = runner.invoke(app, ["init", str(tmp_path / "w"), "--shop", "甲店"])
    (tmp_path / "w" / "finance.toml").write_text('database = "sqlite:///x.sqlite"\n', "utf-8")
    second = runner.invoke(app, ["init", str(tmp_path / "w")])
    assert first.exit_code == second.exit_code == 0
    assert "已经是工作目录" in second.output
    assert (tmp_path / "w" / "finance.toml").read_text(
        "utf-8"
    ) == 'database = "sqlite:///x.sqlite"\n'


def test_rules_explain_shows_rule_and_rows(ws) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["rules", "explain", str(HANDCHECK / "ledger.csv"), "-w", str(ws.root)]
    )
    assert result.exit_code == 0, result.output
    assert "匹配规则 alipay-ledger（alipay-ledger.toml）：表头在第 5 行" in result.output
    assert "未归类的费用名称：" in result.output and "天猫服务年费" in result.output


def test_rules_explain_of_a_missing_file(ws) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["rules", "explain", "不存在.csv", "-w", str(ws.root)])
    assert result.exit_code == 1 and "找不到文件“不存在.csv”。" in result.output


def test_rules_explain_previews_only_filled_fields(ws) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["rules", "explain", str(HANDCHECK / "ledger.csv"), "-w", str(ws.root)]
    )
    header = next(line for line in result.output.splitlines() if "source_row" in line)
    assert "fee_name" in header and "natural_key" not in header and "weight_g" not in header


def test_costs_import_of_a_missing_file(ws) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["costs", "import", "不存在.csv", "-w", str(ws.root)])
    assert result.exit_code == 1 and "找不到文件“不存在.csv”。" in result.output


@pytest.mark.parametrize(("given", "ok"), [("zh", True), ("EN", True), ("fr", False)])
def test_report_language_is_checked(ws, given: str, ok: bool) -> None:  # type: ignore[no-untyped-def]
    _month(ws)
    result = runner.invoke(app, ["report", "-m", "2026-10", "--lang", given, "-w", str(ws.root)])
    assert (result.exit_code == 0) is ok, result.output
    if not ok:
        assert "语言“fr”无效" in result.output


def test_order_basis_from_the_command_line(ws) -> None:  # type: ignore[no-untyped-def]
    _month(ws)
    sept = runner.invoke(
        app, ["export", "margins", "-m", "2026-09", "--basis", "order", "-w", str(ws.root)]
    )
    assert sept.exit_code == 0, sept.output
    assert "2026-09,tmall,测试店,SKU-A," in sept.stdout
    bad = runner.invoke(
        app, ["export", "margins", "-m", "2026-09", "--basis", "paid", "-w", str(ws.root)]
    )
    assert bad.exit_code == 1 and "期间口径“paid”无效" in bad.output


def test_bracketed_fixes_survive_the_terminal(ws) -> None:  # type: ignore[no-untyped-def]
    """Messages name rule sections like [identify] and [shops]: the terminal must show them."""
    lines = (HANDCHECK / "ledger.csv").read_bytes().decode("gbk").split("\r\n")
    lines[4] = lines[4].replace("业务类型", "账务类型")
    (ws.inbox / "renamed.csv").write_bytes("\r\n".join(lines).encode("gbk"))
    result = runner.invoke(app, ["ingest", "-w", str(ws.root)])
    assert "请在规则的 [identify] columns 中调整列名" in result.output
    assert result.exit_code == 1  # a rejected file makes ingest fail, for schedulers


# --- cross-border (issue #3 part B)
def test_rules_explain_says_why_related_rules_did_not_match(ws) -> None:  # type: ignore[no-untyped-def]
    from .conftest import FIXTURES

    case = FIXTURES / "amazon-settlement-v1" / "amazon-settlement-flat-v1-b.txt"
    result = runner.invoke(app, ["rules", "explain", str(case), "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert "匹配规则 amazon-settlement-v1（amazon-settlement-v1.toml）" in result.output
    assert (
        "不匹配规则 amazon-settlement-v2（amazon-settlement-v2.toml）：表头缺少列 amount-type, "
        "amount-description, amount" in result.output.replace("\n", "")
    )


def test_rules_explain_names_the_closest_rule(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from .conftest import HANDCHECK

    lines = (HANDCHECK / "ledger.csv").read_text(encoding="gb18030").splitlines()
    broken = tmp_path / "ledger-without-a-column.csv"
    broken.write_text(
        "\n".join(line.replace("业务类型", "类型X") for line in lines), encoding="gb18030"
    )
    result = runner.invoke(app, ["rules", "explain", str(broken), "-w", str(ws.root)])
    assert "没有规则匹配；最接近的是 alipay-ledger，缺少列：业务类型" in result.output


def test_rules_test_prints_a_diff_on_failure(tmp_path: Path) -> None:
    import shutil

    from .conftest import FIXTURES

    cases = tmp_path / "fixtures" / "fx-rates"
    shutil.copytree(FIXTURES / "fx-rates", cases)
    expected = cases / "fx-rates.csv.expected.csv"
    expected.write_text(
        expected.read_text(encoding="utf-8").replace("7.12500000", "7.00000000"), encoding="utf-8"
    )
    result = runner.invoke(
        app, ["rules", "test", "--fixtures", str(tmp_path / "fixtures"), "-w", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "FAIL" in result.output
    assert "-2,fx-rates:2026-09-30|USD,2026-09-30,USD,7.00000000" in result.output
    assert "+2,fx-rates:2026-09-30|USD,2026-09-30,USD,7.12500000" in result.output
