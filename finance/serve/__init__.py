"""``finance serve``: a local dashboard over the same ledger (SQLite or PostgreSQL).

The page (``templates/index.html``, ``static/app.js``) shows a month's overview (headline
figures, the P&L by platform and shop, the trend, the month's alerts and reconciliation
exceptions), the SKU table with a drill-down from a SKU to its categories and from a category to
the statement rows behind it, and an import page where statements dropped on the page go the way
of a file dropped into ``inbox/``. Everything it shows comes from the JSON API under ``/api/``
(``app``), which calls the same library functions as the CLI (``data``, ``upload``).

Works offline: the chart library (Apache ECharts) ships in ``static/vendor/``; the page loads
nothing from anywhere else. Safe by default (``security``): loopback only unless
``FINANCE_SERVE_TOKEN`` is set, uploads size-limited and their names sanitised, statement text
written as text, a Content-Security-Policy on every answer.

The package, one module per concern: ``app`` (routes), ``data`` (figures as JSON), ``upload``
(the import page), ``cache`` (answers kept while the ledger is unchanged), ``security``.
"""

from __future__ import annotations

import os

from finance.serve.security import TOKEN_ENV, check_bind, is_loopback
from finance.workspace import Workspace

__all__ = ["TOKEN_ENV", "check_bind", "is_loopback", "serve"]


def serve(ws: Workspace, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the dashboard until Ctrl-C (uvicorn). Refuses a non-loopback ``host`` unless
    ``FINANCE_SERVE_TOKEN`` is set."""
    import uvicorn

    from finance.serve.app import create_app

    token = os.environ.get(TOKEN_ENV) or None
    check_bind(host, token)
    app = create_app(ws, token=token, host=host)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
        access_log=False,
    )
