"""Rules files: load and validate them (``load``), match a file to one (``identify``)."""

from finance.rulebook.load import Classify, Extract, Flag, Rule, load_rule, load_rules

__all__ = ["Classify", "Extract", "Flag", "Rule", "load_rule", "load_rules"]
