"""The "closest rule" named for a file no rule matches ranks rules by the columns that tell
formats apart (weighted by how rare they are across the rulebook), and names none when nothing
is close (tests/fixtures_e2e/closest/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finance.cli import app
from finance.errors import ImportRejected
from finance.read import open_source
from finance.read.closeness import CLOSE, column_weights, ranked
from finance.read.identify import closest, identify, survey
from finance.read.source import Source
from finance.resources import shipped
from finance.rulebook import load_rules

from .conftest import ROOT

CLOSEST = ROOT / "tests" / "fixtures_e2e" / "closest"
RULES = load_rules(shipped("rules") / "formats")
runner = CliRunner()


def _nearest(path: Path) -> str | None:
    source = open_source(path)
    matches, misses = survey(source, RULES)
    assert not matches, f"{path.name} is matched by {[m.rule.name for m in matches]}"
    best = closest(source, RULES, misses)
    return None if best is None else best.rule.name


@pytest.mark.parametrize(
    ("case", "expected", "sensible"),
    [
        # expected: what the shipped rulebook says today; sensible: what any rulebook may say
        # (a rule for these exports, if one is added, is sensible; another format's is not)
        ("alipay-personal.csv", None, r"alipay"),
        ("wechat-personal.csv", None, r"wechat"),
        ("jd-personal.csv", None, r"^jd-"),
        ("paypal-activity.csv", None, r"paypal"),
        ("jd-settlement-renamed.csv", "jd-settlement", r"^jd-settlement$"),
    ],
)
def test_the_closest_rule_is_a_sensible_one_or_none(
    case: str, expected: str | None, sensible: str
) -> None:
    name = _nearest(CLOSEST / case)
    assert name is None or re.search(sensible, name), f"{case}: {name} is not a sensible neighbour"
    assert name == expected


def test_shared_columns_weigh_less_than_distinctive_ones() -> None:
    weights = column_weights(RULES)
    # 备注 is a column of five formats, 商户订单号 of four; 账务流水号 only of the Alipay ledger
    assert weights["备注"] < weights["商户订单号"] < weights["账务流水号"]
    assert weights["订单号"] < weights["动账方向"]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_a_format_with_one_column_renamed_is_near_its_own_rule(rule, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Rename the rarest required column of each shipped format's header: the file is near
    its own rule (or one with exactly the same closeness, e.g. two courier bills)."""
    if len(rule.columns) < 3:
        pytest.skip("too few columns to lose one and stay recognisable")
    weights = column_weights(RULES)
    rarest = max(rule.columns, key=lambda c: (weights[c], c))
    header = [f"{c}（改）" if c == rarest else c for c in rule.known_columns]
    source = Source(path=tmp_path / "renamed.csv", lines=[rule.delimiter.join(header)])
    near = ranked(source, RULES, RULES)
    top = [n for n in near if n.closeness == near[0].closeness]
    assert near[0].closeness >= CLOSE
    assert rule.name in {n.rule.name for n in top}
    mine = next(n for n in near if n.rule.name == rule.name)
    assert mine.missing == (rarest,)


def test_ingest_says_no_rule_is_close_for_a_personal_alipay_bill() -> None:
    with pytest.raises(ImportRejected) as caught:
        identify(open_source(CLOSEST / "alipay-personal.csv"), RULES)
    assert caught.value.render("en") == (
        'Cannot recognise "alipay-personal.csv": no rule matches its header. No rule comes '
        "close: the columns that tell formats apart are not in its header (it shares at most "
        "common ones such as amounts or notes with a rule). If this is a format no rule "
        "describes yet, write a rules file for it (see docs/rules.md)."
    )
    assert "没有接近的规则" in caught.value.render("zh-CN")
    assert "wechatpay" not in caught.value.render("en")


def test_ingest_names_the_near_rule_and_what_it_lacks() -> None:
    with pytest.raises(ImportRejected) as caught:
        identify(open_source(CLOSEST / "jd-settlement-renamed.csv"), RULES)
    assert "The closest rule is jd-settlement (jd-settlement.toml), but the header lacks: " in (
        caught.value.render("en")
    )
    assert caught.value.render("en").count("费用结算时间") == 1


def test_a_file_with_no_header_at_all_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("hello\nworld\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        identify(open_source(path), RULES)
    assert "No line that looks like a header was found" in caught.value.render("en")


def test_rules_explain_names_no_rule_for_a_wechat_personal_bill(ws) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["rules", "explain", str(CLOSEST / "wechat-personal.csv"), "-w", str(ws.root)]
    )
    text = result.output.replace("\n", "")
    assert "没有规则匹配，也没有接近的规则" in text
    assert "最接近的是 pdd-ledger" not in text
    assert "不匹配规则 pdd-ledger" not in text  # sharing 备注 does not make a rule related
