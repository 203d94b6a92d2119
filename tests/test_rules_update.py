"""`finance rules update`: shipped rule improvements reach a workspace; the user's edits stay."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finance import resources
from finance.cli import app
from finance.rulebook import update
from finance.workspace import init


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped rules standing in for a later version of finance."""
    copy = tmp_path / "shipped-rules"
    shutil.copytree(resources.shipped("rules"), copy)
    real = resources.shipped
    monkeypatch.setattr(resources, "shipped", lambda name: copy if name == "rules" else real(name))
    return copy


def _run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["rules", "update", "-w", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_init_notes_every_copy(tmp_path: Path, shipped: Path) -> None:
    ws, _ = init(tmp_path / "ws")
    manifest = json.loads((ws.rules / update.MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest) == set(update.shipped_files(shipped))
    assert manifest["contracts.toml"] == update.digest(ws.rules / "contracts.toml")


def test_update_replaces_untouched_files_and_keeps_edited_ones(
    tmp_path: Path, shipped: Path
) -> None:
    ws, _ = init(tmp_path / "ws")
    (ws.root / "finance.toml").write_text(
        (ws.root / "finance.toml")
        .read_text(encoding="utf-8")
        .replace('language = "zh-CN"', 'language = "en"'),
        encoding="utf-8",
    )
    # The user edits one format; a later finance changes it and another one, and adds a file.
    edited, untouched = ws.rules / "formats/jd-orders.toml", ws.rules / "formats/pdd-ads.toml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# mine\n", encoding="utf-8")
    for name in ("formats/jd-orders.toml", "formats/pdd-ads.toml"):
        path = shipped / name
        path.write_text(path.read_text(encoding="utf-8") + "\n# v2\n", encoding="utf-8")
    text = (shipped / "formats/pdd-ads.toml").read_bytes().replace(b"pdd-ads", b"new-format")
    (shipped / "formats/new-format.toml").write_bytes(text)
    own = ws.rules / "formats/my-own.toml"
    own.write_bytes((ws.rules / "formats/pdd-ads.toml").read_bytes().replace(b"pdd-ads", b"mine"))

    dry = _run(ws.root, "--dry-run")
    assert "Dry run: 2 files would change" in dry
    assert not (ws.rules / "formats/new-format.toml").exists()

    output = _run(ws.root)
    assert "added rules/formats/new-format.toml" in output
    assert "updated rules/formats/pdd-ads.toml (you had not edited it)" in output
    assert "kept rules/formats/jd-orders.toml: you edited it" in output
    assert "--take formats/jd-orders.toml" in output
    assert "Rules updated (2 files)" in output and "finance rebuild" in output
    assert untouched.read_text(encoding="utf-8").endswith("# v2\n")
    assert edited.read_text(encoding="utf-8").endswith("# mine\n")
    assert own.read_bytes().count(b"mine") >= 1  # the user's own rules file is not ours to touch
    assert "my-own" not in output

    taken = _run(ws.root, "--take", "formats/jd-orders.toml")
    assert "took the shipped rules/formats/jd-orders.toml" in taken
    assert edited.read_text(encoding="utf-8").endswith("# v2\n")
    assert edited.with_name("jd-orders.toml.bak").read_text(encoding="utf-8").endswith("# mine\n")
    # Everything is current now: a second run changes nothing.
    assert "Rules updated (0 files)" in _run(ws.root)


def test_take_names_a_shipped_file(tmp_path: Path, shipped: Path) -> None:
    ws, _ = init(tmp_path / "ws")
    result = CliRunner().invoke(
        app, ["rules", "update", "-w", str(ws.root), "--take", "formats/nope.toml"]
    )
    assert result.exit_code == 1
    assert "formats/nope.toml" in result.output and "formats/jd-orders.toml" in result.output


def test_a_workspace_from_before_the_manifest_keeps_what_differs(
    tmp_path: Path, shipped: Path
) -> None:
    ws, _ = init(tmp_path / "ws")
    (ws.rules / update.MANIFEST).unlink()
    path = shipped / "contracts.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# v2\n", encoding="utf-8")
    changes = {c.path: c.status for c in update.plan(ws.rules, shipped)}
    assert changes["contracts.toml"] == "kept"  # no record: it might be the user's edit
    assert changes["formats/jd-orders.toml"] == "current"
