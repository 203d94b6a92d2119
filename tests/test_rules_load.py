"""Rules files: the shipped ones load; broken ones fail with a golden message (file, line, fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from finance.errors import RuleError
from finance.resources import shipped
from finance.rulebook import load_rule, load_rules

ERRORS = Path(__file__).parent / "errors" / "rules"
CASES = sorted(ERRORS.glob("*.toml"))


def test_shipped_rules_load() -> None:
    names = {r.name for r in load_rules(shipped("rules"))}
    assert names == {
        "alipay-ledger",
        "taobao-orders",
        "taobao-order-report",
        "taobao-order-details",
        "taobao-refunds",
        "wanxiangtai-report",
        "sku-costs",
    }


def test_every_shipped_rule_opens_with_a_sample_header() -> None:
    for path in sorted((shipped("rules") / "formats").glob("*.toml")):
        head = path.read_text(encoding="utf-8").splitlines()[:12]
        assert head[0].startswith("# "), path.name
        assert sum(1 for line in head if "," in line and line.startswith("#")) >= 1, path.name


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_rule_message(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)
    with pytest.raises(RuleError) as info:
        load_rule(Path(case.name))
    expected = case.with_name(case.name + ".expected.txt")
    actual = info.value.render("en") + "\n" + info.value.render("zh-CN") + "\n"
    if not expected.exists():  # first run writes the golden file for review
        expected.write_text(actual, encoding="utf-8")
        pytest.fail(f"wrote {expected.name}; review it and run again")
    assert actual == expected.read_text(encoding="utf-8")
