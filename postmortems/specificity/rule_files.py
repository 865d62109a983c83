"""Where the packaged rules are: a module of its own, since a compiled module has no __file__."""

from __future__ import annotations

from pathlib import Path

DEFAULT_RULES_PATH = Path(__file__).with_name("default_rules.toml")
# The structural lexicons (agents, verbs of intention, failure words) and their grammar.
STRUCTURE_RULES_PATH = Path(__file__).with_name("structure_rules.toml")
