"""The dashboard in a real browser: Debian's chromium (``/usr/bin/chromium``) driven by Playwright
(the pip package only: never ``playwright install``, no browser is downloaded). Used by
``tests/test_serve_browser.py`` and by ``scripts/serve_screenshots.py`` (the pictures in the
README and the Chinese guide)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 60_000
"""How long to wait for the page (a hang guard, not a timing assertion)."""


def chromium_path() -> str:
    """The system chromium; skipped where it is missing, a failure under CI."""
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed, and CI is set: apt-get install -y chromium")
    pytest.skip("chromium is not installed (apt-get install -y chromium)")


@contextmanager
def browser_page(*, width: int = 1400, height: int = 1000) -> Iterator[Any]:
    """A new page in headless chromium; every console message, page error and request it
    makes is recorded on it (``page.seen``)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed: pip install -e '.[test]'")
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(TIMEOUT_MS)
            seen: dict[str, list[str]] = {"console": [], "errors": [], "requests": []}
            page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: seen["errors"].append(str(e)))
            page.on("request", lambda r: seen["requests"].append(r.url))
            page.seen = seen
            yield page
        finally:
            browser.close()


def open_overview(page: Any, base: str, *, lang: str = "zh-CN") -> None:
    """The month's overview, with its figures and both charts drawn."""
    page.goto(f"{base}/?lang={lang}#/overview")
    page.wait_for_selector("#ov-headline li.figure")
    page.wait_for_selector("#chart-trend canvas")
    page.wait_for_selector("#ov-sections section")


def open_sku(page: Any, sku: str, *, category_index: int = 0) -> None:
    """The SKU view: click ``sku``, then one of its categories; waits for the statement rows."""
    page.click("nav a[data-view=skus]")
    page.wait_for_selector("#sku-table tbody tr")
    page.locator("#sku-table tbody button.link", has_text=sku).first.click()
    page.wait_for_selector("#drill-categories tbody button.link")
    page.locator("#drill-categories tbody button.link").nth(category_index).click()
    page.wait_for_selector("#drill-rows tbody tr")


def open_import(page: Any) -> None:
    page.click("nav a[data-view=import]")
    page.wait_for_selector("#view-import:not([hidden])")


def choose_files(page: Any, paths: list[Path]) -> None:
    """Upload through the file chooser."""
    page.set_input_files("#file-input", [str(p) for p in paths])


def drop_files(page: Any, files: list[tuple[str, bytes]]) -> None:
    """Upload by dragging files onto the drop zone (a real ``drop`` event with a DataTransfer)."""
    payload = [{"name": name, "bytes": list(content)} for name, content in files]
    page.evaluate(
        """(files) => {
            const transfer = new DataTransfer();
            for (const f of files) {
                transfer.items.add(new File([new Uint8Array(f.bytes)], f.name));
            }
            const zone = document.getElementById("drop");
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true,
                                                        cancelable: true}));
            }
        }""",
        payload,
    )


def wait_uploads(page: Any, count: int) -> list[dict[str, str]]:
    """Wait until ``count`` uploads have an outcome; each as name, status, message."""
    page.wait_for_function(
        "(n) => document.querySelectorAll('#uploads li[data-status]').length >= n", arg=count
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('#uploads li')].map(li => ({
            name: li.querySelector('strong').textContent,
            status: li.dataset.status,
            message: li.querySelector('.message').textContent}))"""
    )


def shoot(page: Any, folder: Path | None, name: str, *, full: bool = False) -> Path | None:
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=full)
    return path
