"""Reading a rules file (formats, allocation.toml, contracts.toml, alerts.toml): its text and
its TOML, or a ``RuleError`` naming the file and line of a syntax error."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from finance.errors import RuleError


def read_toml(path: Path) -> tuple[str, dict]:
    """The file's text (for line numbers in later errors) and its parsed TOML."""
    text = path.read_text(encoding="utf-8")
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise RuleError(
            "rule_toml",
            rule_file=path.as_posix(),
            line=int(match.group(1)) if match else 1,
            detail=str(exc),
        ) from exc
