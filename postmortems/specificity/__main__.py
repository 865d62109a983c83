"""``python -m postmortems.specificity build-native | remove-native | native-state``: the
compiled hot modules of the checker (see native.py)."""

from __future__ import annotations

import sys

from . import native

COMMANDS = ("build-native", "remove-native", "native-state")


def main(argv: list[str]) -> int:
    if argv == ["build-native"]:
        return native.build()
    if argv == ["remove-native"]:
        native.remove()
        return 0
    if argv == ["native-state"]:
        print(native.state())
        return 0
    print(f"usage: python -m postmortems.specificity {' | '.join(COMMANDS)}", file=sys.stderr)
    return 2


raise SystemExit(main(sys.argv[1:]))
