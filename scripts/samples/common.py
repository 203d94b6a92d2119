"""Helpers of the JD, Pinduoduo and Douyin sample generators (not used by make_samples.py).

Money is Decimal throughout; files are written byte for byte in the encoding and line ending the
platform uses; each sample folder's README ends with a facts table the generator computed on its
own, which tests/test_demo.py holds the demo's result against.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_statements"
CENT = Decimal("0.01")
FACTS_HEADING = "## Known facts"


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    return f"{cents(value):.2f}"


def thousands(value: Decimal) -> str:
    return f"{cents(value):,.2f}"


def write_lines(path: Path, lines: list[str], *, encoding: str, newline: str = "\r\n") -> None:
    """Write ``lines`` as the platform does: ``gbk``, ``gb18030``, ``utf-8`` or ``utf-8-sig``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = newline.join(lines) + newline
    if encoding == "utf-8-sig":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    else:
        path.write_bytes(text.encode(encoding))


def receivable_fact(shipped: list[tuple[datetime, Decimal]], days: int = 15) -> tuple[str, str]:
    """The reconciliation fact of orders shipped by 2026-10-31 and not settled in October:
    ``(shipped time, amount owed)`` each; within ``days`` of the month's end they are ``timing``,
    after it ``missing_settlement`` (rules/contracts.toml [settlement] days)."""
    end = datetime(2026, 10, 31).date()
    late = [a for t, a in shipped if (end - t.date()).days > days]
    on_time = [a for t, a in shipped if (end - t.date()).days <= days]
    return (
        "reconcile: shipped by 10-31, not settled (timing / missing_settlement)",
        f"{len(on_time)} orders, {money(sum(on_time, Decimal(0)))} / "
        f"{len(late)} orders, {money(sum(late, Decimal(0)))}",
    )


def write_readme(path: Path, facts: list[tuple[str, str]]) -> None:
    """Rewrite the facts table at the end of the folder's README; the text above it is written
    by hand and kept as it is."""
    intro = path.read_text(encoding="utf-8").split(FACTS_HEADING)[0]
    rows = "\n".join(f"| {k} | {v} |" for k, v in facts)
    path.write_text(
        f"{intro.rstrip()}\n\n{FACTS_HEADING} (computed by the generator; CNY as posted)\n\n"
        f"| fact | value |\n|---|---|\n{rows}\n",
        encoding="utf-8",
    )


def save_stable(workbook: object, path: Path) -> None:
    """Save an openpyxl workbook so that the same content gives the same bytes: fixed document
    times and fixed timestamps on the zip members."""
    import io
    import re
    import zipfile
    from datetime import datetime

    stamp = datetime(2026, 11, 1, 9, 0, 0)
    workbook.properties.created = workbook.properties.modified = stamp  # type: ignore[attr-defined]
    buffer = io.BytesIO()
    workbook.save(buffer)  # type: ignore[attr-defined]
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dest,
    ):
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*<",
                    rb"<dcterms:modified\1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + b"<",
                    data,
                )
            dest.writestr(member, data)
