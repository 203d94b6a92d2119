#!/usr/bin/env python3
"""Take the dashboard's pictures for the README and the Chinese guide (docs/images/serve-*.png)
with the browser test's own helpers (tests/serve_browser.py): the demo month in a temporary
workspace, ``finance serve`` on a free loopback port, Debian's chromium through Playwright.

    python scripts/serve_screenshots.py [--out docs/images]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from finance import pipeline  # noqa: E402
from tests.serve_browser import (  # noqa: E402
    browser_page,
    choose_files,
    drop_files,
    open_import,
    open_overview,
    open_sku,
    shoot,
    wait_uploads,
)
from tests.serve_server import running  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="finance-shots-") as folder:
        ws, _outcomes, _paths = pipeline.demo(Path(folder) / "demo")
        refunds = ws.archive / "taobao-refunds" / "退款管理_20261101.csv"
        again = Path(folder) / "退款管理_20261101.csv"
        again.write_bytes(refunds.read_bytes())
        with running(ws) as base:
            for lang, tag in (("zh-CN", "zh"), ("en", "en")):
                with browser_page(width=1400, height=1000) as page:
                    open_overview(page, base, lang=lang)
                    shoot(page, args.out, f"serve-overview-{tag}.png")
                    open_sku(page, "YQ-PIL-MEM-GR", category_index=0)
                    shoot(page, args.out, f"serve-sku-{tag}.png")
                    open_import(page)
                    choose_files(page, [again])
                    drop_files(
                        page, [("手工表格.csv", "日期,摘要,金额\n2026-10-01,x,1.00\n".encode())]
                    )
                    wait_uploads(page, 2)
                    shoot(page, args.out, f"serve-import-{tag}.png")
    for path in sorted(args.out.glob("serve-*.png")):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
