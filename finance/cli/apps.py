"""The ``finance`` command and its groups (``rules``, ``export``, ``costs``): the typer apps
that the command modules register on."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

ORDER = (
    "init",
    "demo",
    "ingest",
    "rebuild",
    "status",
    "report",
    "export",
    "explain",
    "costs",
    "rules",
    "reconcile",
    "alerts",
    "digest",
    "watch",
)
"""How ``finance --help`` lists the commands: the order of a month's work."""


class InOrder(TyperGroup):
    """A command group that lists its commands in ``ORDER`` (any other after them)."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(ORDER)))


app = typer.Typer(
    cls=InOrder,
    help="What each SKU really earns: import statements by rules, allocate every cost, report "
    "true margin.\n\nExample: finance demo",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(
    help="Check and explain the rules that recognise statements.", no_args_is_help=True
)
export_app = typer.Typer(help="Export figures for other tools.", no_args_is_help=True)
costs_app = typer.Typer(help="Unit costs (effective-dated) for COGS.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(export_app, name="export")
app.add_typer(costs_app, name="costs")
