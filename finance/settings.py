"""Checked values from ``finance.toml``: a bad setting names the file, its line and the fix.

``SettingsText`` is the file's text (for line numbers) beside its parsed tables; ``rate`` reads a
rate written as a decimal string (``"0.13"``) into an integer of ``RATE_PLACES`` places, exactly,
never through a float; ``invalid`` raises the bilingual ``settings_invalid`` error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from finance import i18n
from finance.errors import FinanceError

RATE_PLACES = 4
"""Rates are kept in 1/10,000: "0.13" -> 1300, "0.0125" -> 125."""
RATE_UNIT = 10**RATE_PLACES


@dataclass(frozen=True)
class SettingsText:
    """``finance.toml`` as written (for line numbers) and as parsed."""

    text: str
    data: dict

    @classmethod
    def of(cls, root: Path, data: dict) -> SettingsText:
        path = Path(root) / "finance.toml"
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        return cls(text=text, data=data)

    def line(self, section: str, key: str | None = None) -> int:
        """The 1-based line of ``key`` in table ``[section]`` (dotted, e.g. ``tax.platforms``),
        or of the table's header; 1 when the file does not show it."""
        lines = self.text.splitlines()
        header = re.compile(r"^\s*\[\s*" + re.escape(section) + r"\s*\]\s*(#.*)?$")
        start = next((i for i, line in enumerate(lines) if header.match(line)), None)
        if key is None:
            return 1 if start is None else start + 1
        quoted = r"(?:\"" + re.escape(key) + r"\"|'" + re.escape(key) + r"'|" + re.escape(key) + ")"
        if start is not None:
            key_re = re.compile(r"^\s*" + quoted + r"\s*=")
            for i in range(start + 1, len(lines)):
                if re.match(r"^\s*\[", lines[i]):
                    break
                if key_re.match(lines[i]):
                    return i + 1
        # dotted keys or inline tables under a parent table: ``platforms.amazon = "0"``
        dotted = section.split(".")[-1]
        for i, line in enumerate(lines):
            if line.lstrip().startswith("#"):
                continue
            if re.search(quoted + r"\s*=", line) and (start is not None or dotted in line):
                return i + 1
        return 1 if start is None else start + 1


def invalid(
    settings: SettingsText,
    section: str,
    key: str | None,
    detail: dict[str, str],
    fix: dict[str, str],
) -> FinanceError:
    """The error for a bad setting: finance.toml, the line to change, what is wrong, the fix."""
    return FinanceError(
        "settings_invalid", line=settings.line(section, key), detail=detail, fix=fix
    )


def rate(
    settings: SettingsText,
    section: str,
    key: str,
    value: object,
    *,
    high: int = RATE_UNIT,
    high_included: bool = False,
    example: str = "0.13",
    hint: str = "0.13",
) -> int:
    """``value`` (a decimal string such as ``"0.13"``, or a whole number) in 1/10,000.

    Refused, naming the line: a float (inexact), text that is not a number, more than
    ``RATE_PLACES`` decimal places, a negative rate, or one at or above ``high`` (included when
    ``high_included``), e.g. ``"13"`` written for 13 %. ``example`` is the value the fix
    suggests for this line; ``hint`` a rate to explain fractions with (``"0.13"``: 13 %).
    """
    written = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"'
    shown = f"[{section}] {written}" if section else written
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise invalid(
            settings,
            section,
            key,
            i18n.per_lang("settings_not_decimal", key=shown, value=toml_text(value)),
            i18n.per_lang("settings_fix_decimal", key=written, example=example),
        )
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise invalid(
            settings,
            section,
            key,
            i18n.per_lang("settings_not_decimal", key=shown, value=toml_text(value)),
            i18n.per_lang("settings_fix_decimal", key=written, example=example),
        )
    scaled = number.scaleb(RATE_PLACES)
    if scaled != scaled.to_integral_value():
        raise invalid(
            settings,
            section,
            key,
            i18n.per_lang("settings_rate_places", key=shown, value=str(value), places=RATE_PLACES),
            i18n.per_lang("settings_fix_decimal", key=written, example=example),
        )
    units = int(scaled)
    too_high = units > high if high_included else units >= high
    if units < 0 or too_high:
        top = f"{Decimal(high).scaleb(-RATE_PLACES).normalize():f}"
        raise invalid(
            settings,
            section,
            key,
            i18n.per_lang(
                "settings_rate_range",
                key=shown,
                value=str(value),
                high=top,
                bound=i18n.per_lang("settings_bound_in" if high_included else "settings_bound_ex"),
            ),
            i18n.per_lang(
                "settings_fix_rate_range",
                key=written,
                example=example,
                percent=rate_text(int(Decimal(hint).scaleb(RATE_PLACES))),
                fraction=hint,
                whole=f"{Decimal(hint).scaleb(2).normalize():f}",
            ),
        )
    return units


def toml_text(value: object) -> str:
    """A setting's value as finance.toml writes it: text in double quotes, numbers as they are."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


def rate_text(units: int) -> str:
    """A rate in 1/10,000 as a percentage for people: 1300 -> ``13%``, 125 -> ``1.25%``."""
    return f"{Decimal(units).scaleb(-2).normalize():f}%"
