"""The checker against proselint in instructions a phrase, a figure that other load on a shared
machine cannot move: callgrind counts them, for each engine, on the same real phrases.

    .venv/bin/python benchmarks/bench_instructions.py [--part test|dev]

Each engine runs in a process of its own under ``valgrind --tool=callgrind``. Events are
collected only inside ``builtins.map``'s next (``--toggle-collect=map_next``). The counted pass
is ``list(map(predict, rows))``, after warm-up passes in a plain loop, so neither start-up,
imports, rule compiling nor the warm-up is counted: only the checking of every phrase once.
An instruction is not a unit of time (a cache miss costs more than an add), and the wall-clock
figure of bench_specificity_engine.py stays the reported one. This one repeats to about 1% from
run to run on a machine where wall-clock runs of the same commit differ by half: it is for
telling whether a change to the checker did less work. It takes about five minutes.

Needs valgrind and the real-data folder (benchmarks/realdata_tools/rebuild.py); without either
it says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

ENGINES = ("hindsight", "proselint")
_TOTALS = re.compile(r"^(?:summary|totals):\s+(\d+)", re.MULTILINE)


def _rows(part: str) -> list[tuple[str, str]]:
    from specificity_realdata import load_labelled

    rows, _ = load_labelled(part)
    return [(row["section"], row["text"]) for row in rows]


def _child(engine: str, part: str) -> None:
    """Warm up, then check every phrase once inside map(): the only pass callgrind counts."""
    rows = _rows(part)
    if engine == "hindsight":
        from postmortems.specificity import check_phrase

        def predict(row: tuple[str, str]) -> str:
            return check_phrase(row[0], row[1]).tag

    else:
        from bench_specificity_engine import build_proselint_predict

        lint = build_proselint_predict()

        def predict(row: tuple[str, str]) -> str:
            return lint(row[0], row[1])

    # Two warm-up passes fill the checker's caches of compiled subsets (finditer_in); one
    # fills proselint's, and costs a minute under callgrind.
    for _ in range(2 if engine == "hindsight" else 1):
        for row in rows:
            predict(row)
    list(map(predict, rows))


def count(engine: str, part: str, rows: int) -> float:
    """Instructions a phrase for ``engine``, from one callgrind run of a child process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                "--toggle-collect=map_next",
                sys.executable,
                __file__,
                "--child",
                engine,
                "--part",
                part,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        found = _TOTALS.search(out.read_text(encoding="utf-8", errors="replace"))
    if found is None:
        raise SystemExit(f"callgrind wrote no totals for {engine}")
    return int(found.group(1)) / rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("test", "dev"), default="test")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.part)
        return 0
    from specificity_realdata import absent_message

    absent = absent_message()
    if absent:
        print(f"instructions a phrase: not measured ({absent})")
        return 0
    if shutil.which("valgrind") is None:
        print("instructions a phrase: not measured (valgrind is not installed)")
        return 0
    rows = len(_rows(args.part))
    counts = {engine: count(engine, args.part, rows) for engine in ENGINES}
    print(
        f"instructions a phrase (callgrind, the {rows} phrases of the {args.part} part, each "
        f"checked once after warm-up): hindsight {counts['hindsight']:,.0f}, proselint "
        f"{counts['proselint']:,.0f}, proselint / hindsight {counts['proselint'] / counts['hindsight']:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
