"""Where the shipped rules and templates are: inside the installed package, or the checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """``rules`` or ``templates``: ``finance/_data/<name>`` if installed, else ``<repo>/<name>``."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def sample_statements() -> Path | None:
    """The checkout's ``sample_statements/`` (shipped as package data when installed)."""
    for candidate in (
        _PACKAGE / "_data" / "sample_statements",
        _PACKAGE.parent / "sample_statements",
    ):
        if candidate.is_dir():
            return candidate
    return None
