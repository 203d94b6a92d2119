"""A file dropped on the page takes the path of a file dropped into ``inbox/``.

``receive`` writes the upload under a sanitised name into ``inbox/`` (staged beside it first and
moved in whole, so no reader ever sees half a file), then hands it to the ingest entry point
that ``finance ingest`` and ``finance watch`` use (``finance.ingest.process_file``: claimed, so
a watching process never imports it a second time; recognised, imported, archived, or moved to
``rejected/`` with its ``.error.txt``). Nothing here reads a statement.

``rejected`` lists ``rejected/`` with each file's reason in the page's language (the part of
its ``.error.txt`` written in that language).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from finance import i18n
from finance.ingest import Outcome, holder_name, inbox_files, process_file
from finance.rulebook import load_rules
from finance.store import Store
from finance.workspace import Workspace

NAME_MAX = 150
"""At most this many characters of a file name (its extension kept)."""

RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)}
"""Names Windows will not open a file by (the workspace may be on a shared Windows drive)."""

MAX_UPLOAD_MB = 50
"""The default upload limit (``finance.toml`` ``[serve] max_upload_mb``)."""


def max_upload_bytes(ws: Workspace) -> int:
    mb = ws.settings.get("serve", {}).get("max_upload_mb", MAX_UPLOAD_MB)
    return int(float(mb) * (1 << 20))


def safe_name(raw: str | None) -> str:
    """A plain file name from what the browser sent: no folders (``/``, ``\\``, ``..``), no
    control or invisible characters, none of ``<>:"|?*``, no leading dot or ``~$`` (names the
    inbox skips), not a Windows device name, at most ``NAME_MAX`` characters; Chinese and other
    letters are kept (a rule may use the file name as a hint)."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    name = re.sub(r'[<>:"|?*]', "_", name).strip(" .")
    if name.startswith("~$"):
        name = "_" + name[2:]
    if name.lower().endswith(".error.txt"):
        name = name[: -len(".error.txt")] + "_error.txt"
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    if stem.lower() in RESERVED:
        stem = f"_{stem}"
    suffix = suffix[:16]
    stem = stem[: NAME_MAX - len(suffix) - 1] or "upload"
    return f"{stem}.{suffix}" if suffix else stem


def _free_name(folder: Path, name: str) -> Path:
    dest = folder / name
    stem, suffix, n = dest.stem, dest.suffix, 1
    while dest.exists():
        dest = folder / f"{stem}.{n}{suffix}"
        n += 1
    return dest


@dataclass(frozen=True)
class Received:
    """What became of an upload (``status`` as ``finance.ingest.Outcome``: imported, duplicate,
    rejected, or busy when another process is importing the same file)."""

    file: str  # the name the browser sent
    saved_as: str  # the sanitised name it had in inbox/
    status: str
    message: str  # in the workspace's language, as finance ingest prints it
    reason: str = ""  # why it was rejected, in the page's language
    rule: str | None = None
    added: int = 0
    skipped: int = 0
    moved_to: str | None = None  # where it is now, relative to the workspace

    def json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def stage(ws: Workspace, name: str, data: IO[bytes]) -> Path:
    """Write ``data`` into ``inbox/`` as ``name`` (a free variant of it), whole or not at all."""
    ws.inbox.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=ws.root)
    try:
        with os.fdopen(handle, "wb") as out:
            shutil.copyfileobj(data, out, 1 << 20)
        dest = _free_name(ws.inbox, name)
        os.replace(temp, dest)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return dest


def receive(
    ws: Workspace, store: Store, filename: str | None, data: IO[bytes], *, lang: str
) -> Received:
    """Stage the upload in ``inbox/`` and process it as ``finance ingest`` would."""
    name = safe_name(filename)
    path = stage(ws, name, data)
    outcome = process_file(
        path, ws=ws, store=store, rules=load_rules(ws.rules), holder=holder_name()
    )
    if outcome is None:
        message = i18n.text("file_busy", ws.language, file=path.name)
        outcome = Outcome(path.name, "busy", message)
    moved = outcome.moved_to
    return Received(
        file=filename or "",
        saved_as=path.name,
        status=outcome.status,
        message=outcome.message,
        reason=reason(moved, lang) if outcome.status == "rejected" and moved else "",
        rule=outcome.rule,
        added=outcome.added,
        skipped=outcome.skipped,
        moved_to=_relative(moved, ws),
    )


def _relative(path: Path | None, ws: Workspace) -> str | None:
    if path is None:
        return None
    try:
        return path.resolve().relative_to(ws.root.resolve()).as_posix()
    except ValueError:
        return path.name


def reason(rejected_file: Path, lang: str) -> str:
    """The reason in ``<file>.error.txt`` written in ``lang`` (the whole note when its parts
    cannot be told apart)."""
    note = rejected_file.with_name(rejected_file.name + ".error.txt")
    try:
        text = note.read_text(encoding="utf-8")
    except OSError:
        return ""
    headers = {code: i18n.text("error_file_header", code) for code in i18n.LANGS}
    start = text.find(headers.get(lang, headers["en"]))
    if start < 0:
        return text.strip()
    body = text[start + len(headers.get(lang, headers["en"])) :]
    for code, header in headers.items():
        if code != lang and header in body:
            body = body[: body.index(header)]
    footer = {i18n.text("error_file_footer", code) for code in i18n.LANGS}
    lines = [line for line in body.strip().splitlines() if line.strip() not in footer]
    return "\n".join(lines).strip()


def rejected(ws: Workspace, lang: str) -> list[dict[str, Any]]:
    """Every file in ``rejected/``, newest first, with its reason in ``lang``."""
    if not ws.rejected.is_dir():
        return []
    files = [p for p in ws.rejected.rglob("*") if p.is_file() and not p.name.endswith(".error.txt")]
    files.sort(key=lambda p: (-p.stat().st_mtime, p.name))
    return [
        {
            "file": p.relative_to(ws.rejected).as_posix(),
            "size": p.stat().st_size,
            "when": datetime.fromtimestamp(p.stat().st_mtime).strftime("%Y-%m-%d %H:%M"),
            "reason": reason(p, lang),
        }
        for p in files
    ]


def waiting(ws: Workspace) -> list[str]:
    """The files waiting in ``inbox/`` (as ``finance ingest`` would take them)."""
    return [p.relative_to(ws.inbox).as_posix() for p in inbox_files(ws)]
