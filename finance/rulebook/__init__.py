"""Rules files: load and validate them (``load``), match a file to one (``identify``)."""

from finance.rulebook.load import Amount, Classify, Extract, Flag, Rule, load_rule, load_rules

__all__ = ["Amount", "Classify", "Extract", "Flag", "Rule", "load_rule", "load_rules"]
