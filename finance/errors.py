"""Errors a user can act on: each names the value, the file and row, the rule and the fix."""

from __future__ import annotations

from finance import i18n


class FinanceError(Exception):
    """An error with a catalogued, bilingual message (see ``finance.i18n``)."""

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key = key
        self.fields = fields
        super().__init__(i18n.text(key, "en", **fields))

    def render(self, lang: str = "en") -> str:
        return i18n.text(self.key, lang, **self.fields)

    def per_lang(self) -> dict[str, str]:
        """The message in every language, to pass as a field of another message."""
        return {lang: self.render(lang) for lang in i18n.LANGS}

    def both(self) -> str:
        return i18n.both(self.key, **self.fields)


class RuleError(FinanceError):
    """A rules file that cannot be loaded."""


class ImportRejected(FinanceError):
    """A statement file that cannot be imported; it goes to ``rejected/``."""
