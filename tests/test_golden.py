"""Golden fixtures: each input in tests/fixtures/<format>/ beside the canonical rows it must give.

The expected files were written once by ``finance rules test --write`` and reviewed by hand; a
change in output shows as a diff here. Each case must be recognised by the rule its folder names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from finance.golden import cases, check
from finance.read import open_source
from finance.read.identify import identify
from finance.resources import shipped
from finance.rulebook import load_rules

from .conftest import FIXTURES

RULES = load_rules(shipped("rules"))
CASES = cases(FIXTURES)


@pytest.mark.parametrize("case", CASES, ids=[c.relative_to(FIXTURES).as_posix() for c in CASES])
def test_golden(case: Path) -> None:
    result = check(case, RULES)
    assert result.ok, result.diff


@pytest.mark.parametrize("case", CASES, ids=[c.relative_to(FIXTURES).as_posix() for c in CASES])
def test_case_is_recognised_by_its_folders_rule(case: Path) -> None:
    assert identify(open_source(case), RULES).rule.name == case.parent.name


def test_every_shipped_format_has_a_fixture() -> None:
    covered = {c.parent.name for c in CASES}
    assert {r.name for r in RULES} <= covered
