"""The ``finance`` command: parse options, call one library function, print. Nothing more.

Every command takes ``--workspace`` (default: the current folder) and prints short messages in
the workspace's language; errors exit with status 1 and say what to change.

One module per command group: ``setup`` (init, demo), ``imports`` (ingest, rebuild, watch),
``reports`` (status, report, explain), ``export``, ``costs``, ``rules``, ``checks`` (reconcile,
alerts, digest), ``books`` (export books, close, reopen); ``apps`` holds the typer apps they
register on, ``common`` what they share.
Importing this package registers every command, in the order ``--help`` lists them.
"""

from __future__ import annotations

from finance.cli import (  # noqa: F401
    books,
    checks,
    costs,
    export,
    imports,
    reports,
    rules,
    setup,
)
from finance.cli.apps import app

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover
    app()
