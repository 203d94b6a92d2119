"""Shared fixtures: workspaces on SQLite and on the real PostgreSQL server.

PostgreSQL tests use ``FINANCE_TEST_PG`` (default: postgres@127.0.0.1:5432/test) and a fresh
schema per test. Where no server answers they skip, saying why — except under CI (``CI`` set),
where a missing server fails the run instead of hiding it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from finance.pipeline import open_store
from finance.store import Store
from finance.workspace import Workspace, init

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
HANDCHECK = ROOT / "tests" / "fixtures_e2e" / "handcheck"
SAMPLES = ROOT / "sample_statements"
PG_URL = os.environ.get("FINANCE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    try:
        with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3):
            return None
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"no PostgreSQL server at {PG_URL}: {exc}"


@pytest.fixture(scope="session")
def pg_reason() -> str | None:
    return _pg_available()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_reason: str | None) -> Iterator[str]:
    """A database URL: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'ledger.sqlite').as_posix()}"
        return
    if pg_reason:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI: {pg_reason}")
        pytest.skip(pg_reason)
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    plain = PG_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def ws(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A fresh workspace whose ledger is ``db_url`` (shop: 测试店)."""
    monkeypatch.setenv("FINANCE_DATABASE_URL", db_url)
    workspace, _ = init(tmp_path / "ws", shop="测试店")
    return workspace


@pytest.fixture
def store(ws: Workspace) -> Iterator[Store]:
    s = open_store(ws)
    yield s
    s.close()


def drop(ws: Workspace, *files: Path, name: str | None = None) -> list[Path]:
    """Copy files into the workspace inbox (optionally renaming a single file)."""
    out = []
    for f in files:
        dest = ws.inbox / (name or f.name)
        shutil.copyfile(f, dest)
        out.append(dest)
    return out
