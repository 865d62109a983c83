"""The checker's hot modules compiled to C with mypyc, used only while they match the sources.

``python -m postmortems.specificity build-native`` (``make run``, ``make test`` and ``make bench``
run it) compiles the modules in COMPILED into one extension beside the sources (about 15 s, and
again only when a source of this package changes); the checker is then about a fifth faster,
with the same results. The package imports the compiled modules only when the stamp written by
the build holds the digest of today's sources: after an edit, or with HINDSIGHT_COMPILED=0, the
same modules are imported from their ``.py`` files, so an edited rule never meets stale C code.
Where the build cannot run (no C compiler, no mypyc), everything simply stays Python.

The compiled set leaves out the item scanner (tests patch its functions, and compiled code
calls its own functions directly) and rule_files (it finds the rules by ``__file__``, which
compiled modules lack). The result types pickle through their constructors, as a compiled
frozen dataclass must.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = "postmortems.specificity"
COMPILED = (
    "phrase_view", "structure", "rewrite", "section_rules", "checker", "splitting",
    "cross_checks", "fast_pattern", "ruleset", "results",
)  # fmt: skip
# The shared library of the compiled modules sits in the parent package: one inside this
# package could not be imported while this package's __init__ runs.
GROUP = "postmortems._checker"
STAMP = HERE / "_native.json"
BUILD_DIR = HERE.parent.parent / "build" / "mypyc"

COMPILED_STATE = "compiled"


def sources_digest() -> str:
    """Digest of every source of the package, the Python version and the compiled set: any
    edit makes the built modules stale (compiled code may rely on a neighbour's types)."""
    digest = hashlib.sha256(f"{sys.version}|{COMPILED}".encode())
    for path in sorted(HERE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _built_files() -> list[Path]:
    """Every compiled module of the package and the shared library, whatever build made them
    (one of another commit may have compiled other modules)."""
    found: set[Path] = set()
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        found.update(HERE.glob(f"*{suffix}"))
        found.update(HERE.parent.glob(f"_checker__mypyc{suffix}"))
    return sorted(found)


def _compiled_names() -> set[str]:
    """The modules of the package that have a compiled file beside their source."""
    names = {path.name.split(".", 1)[0] for path in _built_files() if path.parent == HERE}
    return {name for name in names if (HERE / f"{name}.py").exists()}


def _stamp_digest() -> str | None:
    try:
        return json.loads(STAMP.read_text())["sources"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def state() -> str:
    """``compiled`` when the compiled modules are the ones imported, else why not."""
    if not _built_files():
        return "python (not built: python -m postmortems.specificity build-native)"
    if os.environ.get("HINDSIGHT_COMPILED") == "0":
        return "python (HINDSIGHT_COMPILED=0)"
    if _stamp_digest() != sources_digest() or _compiled_names() != set(COMPILED):
        return "python (built from other sources: run the build again)"
    return COMPILED_STATE


class _SourcesFirst:
    """Finds every compiled module of the package as its .py file (ahead of the extension)."""

    names: dict[str, Path] = {}

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        source = cls.names.get(fullname)
        return importlib.util.spec_from_file_location(fullname, source) if source else None


def choose() -> str:
    """Run by the package before it imports a submodule: the compiled modules when current,
    otherwise their sources. Returns ``state()``."""
    current = state()
    if current != COMPILED_STATE and _built_files() and _SourcesFirst not in sys.meta_path:
        _SourcesFirst.names = {
            f"{PACKAGE}.{name}": HERE / f"{name}.py" for name in _compiled_names()
        }
        sys.meta_path.insert(0, _SourcesFirst)
    return current


def build() -> int:
    """Compile COMPILED with mypyc unless current; 0 also when it cannot (Python stays)."""
    digest = sources_digest()
    if _built_files() and _stamp_digest() == digest:
        print("checker: compiled modules are up to date")
        return 0
    remove()
    files = [str(HERE / f"{name}.py") for name in COMPILED]
    script = (
        "import sys\n"
        "from setuptools import setup\n"
        "from mypyc.build import mypycify\n"
        f"files = {files!r}\n"
        "setup(name='hindsight-checker-native', ext_modules=mypycify(\n"
        f"    ['--ignore-missing-imports', *files], separate=[(files, {GROUP!r})],\n"
        f"    target_dir={str(BUILD_DIR)!r}),\n"
        f"    script_args=['-q', 'build_ext', '--inplace', '--build-temp', {str(BUILD_DIR)!r}])\n"
    )
    print("checker: compiling its hot modules with mypyc (once, about 15 s)...", flush=True)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=HERE.parent.parent,
        capture_output=True,
        text=True,
    )
    if done.returncode == 0 and _built_files():
        STAMP.write_text(json.dumps({"sources": digest}) + "\n")
        check = subprocess.run(
            [sys.executable, "-c", f"from {PACKAGE} import native; print(native.choose())"],
            cwd=HERE.parent.parent,
            capture_output=True,
            text=True,
        )
        if check.returncode == 0 and check.stdout.strip() == COMPILED_STATE:
            print("checker: compiled")
            return 0
        done = check
    remove()
    lines = (done.stderr or done.stdout).strip().splitlines()
    print("checker: not compiled, it runs as Python with the same results:", file=sys.stderr)
    for line in lines[-8:]:
        print(f"  {line}", file=sys.stderr)
    return 0


def remove() -> None:
    """Delete the compiled modules, their stamp and their build files."""
    for path in [*_built_files(), STAMP]:
        path.unlink(missing_ok=True)
    shutil.rmtree(BUILD_DIR, ignore_errors=True)


choose()
