"""`make bench`: every benchmark in turn, each printing its own figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "bench_specificity_engine.py",
    "bench_live_check.py",
    "bench_authoring.py",
    "bench_clustering.py",
    "bench_real_patterns.py",
    "bench_review_scale.py",
    "bench_review.py",
    "bench_calendar.py",
    "bench_limits.py",
    "bench_import.py",
]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        path = HERE / name
        if not path.exists():
            continue
        print(f"\n=== {name} ===", flush=True)
        if subprocess.run([sys.executable, str(path), *sys.argv[1:]], cwd=HERE.parent).returncode:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
