"""The dashboard as a real server process for the tests: ``finance serve`` (uvicorn) on a free
loopback port, stopped when the block ends; and a workspace with a month of Tmall statements
in it (one fee name carrying markup, to show that statement text stays text)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from finance.ingest import ingest
from finance.pipeline import open_store
from finance.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_statements"
LEDGER = "20885021234567890156_20261001_20261031_账务明细.csv"
HOSTILE = "<img src=x onerror=window.__xss=1>"
"""A fee name as a hostile statement could carry it: shown as text, never run."""
WAIT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fill(ws: Workspace, *, hostile: bool = True) -> None:
    """Import a month of the Tmall shop: the Alipay ledger (one fee name replaced by
    ``HOSTILE`` when ``hostile``), its order exports and the unit costs."""
    text = (SAMPLES / LEDGER).read_bytes().decode("gbk")
    if hostile:
        text = text.replace(
            "信用卡支付服务费[4060718554436437684]", f"{HOSTILE}[4060718554436437684]", 1
        )
    (ws.inbox / LEDGER).write_bytes(text.encode("gbk"))
    for name in (
        "ExportOrderList_sub_20261101093512.csv",
        "ExportOrderList_sub_20261101094027.csv",
        "商品成本.csv",
    ):
        shutil.copyfile(SAMPLES / name, ws.inbox / name)
    store = open_store(ws)
    try:
        outcomes = ingest(ws, store)
    finally:
        store.close()
    assert [o.status for o in outcomes] == ["imported"] * 4, [o.message for o in outcomes]


def get(url: str, *, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(url: str, **kwargs: object) -> tuple[int, object]:
    status, _headers, body = get(url, **kwargs)  # type: ignore[arg-type]
    return status, json.loads(body)


def post_file(
    url: str,
    name: str,
    content: bytes,
    *,
    field: str = "file",
    headers: dict[str, str] | None = None,
) -> tuple[int, object]:
    """POST one file as multipart/form-data (what the page's upload sends)."""
    boundary = "----finance-test-boundary"
    quoted = name.replace('"', "%22")
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{quoted}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextmanager
def running(
    ws: Workspace, *, token: str | None = None, env: dict[str, str] | None = None
) -> Iterator[str]:
    """``finance serve`` on a free loopback port; yields its base URL (``http://127.0.0.1:N``)."""
    port = free_port()
    environment = {**os.environ, **(env or {})}
    environment.pop("FINANCE_SERVE_TOKEN", None)
    if token:
        environment["FINANCE_SERVE_TOKEN"] = token
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "finance",
            "serve",
            "--workspace",
            str(ws.root),
            "--port",
            str(port),
        ],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        deadline = time.monotonic() + WAIT
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"finance serve exited {process.returncode}: {output}")
            try:
                if get(f"{base}/api/months", headers=headers)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("finance serve did not answer")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
