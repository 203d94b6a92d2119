"""The ``finance`` command and its groups (``rules``, ``export``, ``costs``): the typer apps
that the command modules register on."""

from __future__ import annotations

import locale
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from finance import i18n
from finance.errors import FinanceError

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
    "close",
    "reopen",
    "watch",
)
"""How ``finance --help`` lists the commands: the order of a month's work."""


class InOrder(TyperGroup):
    """A command group that lists its commands in ``ORDER`` (any other after them)."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(ORDER)))

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Run the command with its help in the user's language (``help_language``)."""
        argv = list(sys.argv[1:] if args is None else args)
        translate_help(self, help_language(argv))
        return super().main(args, *rest, **kwargs)


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


def help_language(args: list[str]) -> str:
    """The language of ``--help``: ``--lang`` on the command line, else ``FINANCE_LANG``, else
    the workspace's ``language`` (``--workspace`` or the current folder), else the system's
    locale (Chinese when it is Chinese), else English."""
    from finance.cli.common import _check_lang

    for flag in ("--lang",):
        if flag in args[:-1]:
            try:
                return _check_lang(args[args.index(flag) + 1]) or "en"
            except FinanceError:
                break
    if os.environ.get("FINANCE_LANG"):
        try:
            return _check_lang(os.environ["FINANCE_LANG"]) or "en"
        except FinanceError:
            pass
    folder = Path(".")
    for flag in ("--workspace", "-w"):
        if flag in args[:-1]:
            folder = Path(args[args.index(flag) + 1])
    try:
        settings = tomllib.loads((folder / "finance.toml").read_text(encoding="utf-8"))
        return _check_lang(str(settings.get("language", ""))) or "en"
    except (OSError, ValueError, FinanceError):
        pass
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return "zh-CN" if os.environ[name].lower().startswith("zh") else "en"
    system = (locale.getlocale()[0] or "").lower()
    return "zh-CN" if system.startswith(("zh", "chinese")) else "en"


def translate_help(command: Any, lang: str, path: str = "finance") -> None:
    """Every command's and option's help text from the catalogs' ``[help]`` section."""
    texts = {key: by_lang[lang] for key, by_lang in i18n.section("help").items()}
    command.help = texts.get(path, command.help)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = texts.get(f"{path}.opt.{param.name}", texts.get(f"opt.{param.name}"))
    for name, sub in getattr(command, "commands", {}).items():
        translate_help(sub, lang, name if path == "finance" else f"{path}.{name}")
