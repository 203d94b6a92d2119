"""Bring a workspace's rules up to the shipped ones without losing the user's own edits.

``finance init`` copies the shipped ``rules/`` into the workspace and notes each copy's SHA-256
in ``rules/.shipped.json``. A later version of ``finance`` may ship better rules (a new format, a
platform's new column, new ``contracts.toml`` tables); ``finance rules update`` then

- adds shipped files the workspace lacks (``added``);
- replaces a file the user never edited (its hash is still the one noted) (``updated``);
- keeps a file the user edited, or whose origin is unknown, and says so (``kept``), unless the
  user asks to take the shipped one (``--take``): the old file stays beside it as ``.bak``
  (``taken``);
- leaves identical files (``current``) and the user's own rules files alone.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".shipped.json"
STATUSES = ("added", "updated", "taken", "kept", "current")


@dataclass(frozen=True)
class Change:
    path: str  # relative to rules/, with forward slashes
    status: str  # one of STATUSES


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(rules: Path) -> dict[str, str]:
    """Shipped file (relative path) -> SHA-256 of the copy ``finance`` put there."""
    try:
        return json.loads((rules / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def write_manifest(rules: Path, manifest: dict[str, str]) -> None:
    text = json.dumps(dict(sorted(manifest.items())), indent=1, ensure_ascii=False)
    (rules / MANIFEST).write_text(text + "\n", encoding="utf-8")


def shipped_files(shipped: Path) -> dict[str, Path]:
    return {src.relative_to(shipped).as_posix(): src for src in sorted(shipped.rglob("*.toml"))}


def plan(rules: Path, shipped: Path, *, take: tuple[str, ...] = ()) -> list[Change]:
    """What ``update`` would do, file by file (shipped files only)."""
    manifest = read_manifest(rules)
    changes = []
    for rel, src in shipped_files(shipped).items():
        dest = rules / rel
        if not dest.exists():
            status = "added"
        elif digest(dest) == digest(src):
            status = "current"
        elif rel in take:
            status = "taken"
        elif manifest.get(rel) == digest(dest):
            status = "updated"
        else:
            status = "kept"
        changes.append(Change(rel, status))
    return changes


def apply(rules: Path, shipped: Path, changes: list[Change]) -> None:
    """Carry out ``changes`` (from ``plan``) and note the new copies in the manifest."""
    manifest = read_manifest(rules)
    for change in changes:
        src, dest = shipped / change.path, rules / change.path
        if change.status == "taken":
            shutil.copyfile(dest, dest.with_name(dest.name + ".bak"))
        if change.status in ("added", "updated", "taken"):
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
        if change.status != "kept":
            manifest[change.path] = digest(src)
    write_manifest(rules, manifest)


def unknown_takes(shipped: Path, take: tuple[str, ...]) -> list[str]:
    """``--take`` names that are no shipped rules file."""
    known = shipped_files(shipped)
    return [name for name in take if name not in known]
