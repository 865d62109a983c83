"""The checker's hot modules compiled to C with mypyc, used only while they match the sources.

``python -m postmortems.specificity build-native`` (``make run``, ``make test`` and ``make bench``
run it) compiles the modules in COMPILED into one extension under ``build/native/`` (about 10 s,
and again only when a source of this package changes): the checker is then about a fifth
faster, with the same results. The compiled modules are kept out of the source tree, and this
package looks there first (its ``__path__``) only when the stamp written by the build holds
the digest of today's sources and HINDSIGHT_COMPILED is not 0. After an edit the ``.py`` files
are imported, so an edited rule never meets stale C code, and a checkout of an older commit,
which knows nothing of ``build/native/``, never loads it. Where the build cannot run (no C
compiler, no mypyc), everything stays Python.

The compiled set leaves out the item scanner's compiling and caching (tests patch its
functions, and compiled code calls its own functions directly; its per-phrase part is
scan_runtime) and rule_files (it finds the rules by ``__file__``, which
compiled modules lack). The result types pickle through their constructors, as a compiled
frozen dataclass must.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PACKAGE = "postmortems.specificity"
COMPILED = (
    "phrase_view", "structure", "rewrite", "section_rules", "checker", "splitting",
    "cross_checks", "fast_pattern", "ruleset", "results", "scan_runtime",
)  # fmt: skip
# The shared library of the compiled modules: in the parent package, since one inside this
# package could not be imported while this package's __init__ runs.
GROUP = "postmortems._checker"
NATIVE_DIR = ROOT / "build" / "native"  # postmortems/specificity/*.so and the shared library
STAMP = NATIVE_DIR / "stamp.json"
BUILD_TEMP = ROOT / "build" / "native-temp"

COMPILED_STATE = "compiled"


def sources_digest() -> str:
    """Digest of every source of the package, the Python version and the compiled set: any
    edit makes the built modules stale (compiled code may rely on a neighbour's types)."""
    digest = hashlib.sha256(f"{sys.version}|{COMPILED}".encode())
    for path in sorted(HERE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _built_files() -> list[Path]:
    """Every compiled file under NATIVE_DIR (the modules and the shared library)."""
    found: set[Path] = set()
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        found.update(NATIVE_DIR.rglob(f"*{suffix}"))
    return sorted(found)


def _compiled_names() -> set[str]:
    """The modules of this package that have a compiled file under NATIVE_DIR."""
    here = NATIVE_DIR / "postmortems" / "specificity"
    return {path.name.split(".", 1)[0] for path in _built_files() if path.parent == here}


def _stamp_digest() -> str | None:
    try:
        return json.loads(STAMP.read_text())["sources"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _is_current(digest: str) -> bool:
    """The build's stamp holds ``digest`` and every module of COMPILED, and only those, is built."""
    return _stamp_digest() == digest and _compiled_names() == set(COMPILED)


def state() -> str:
    """``compiled`` when the compiled modules are the ones imported, else why not."""
    if not _built_files():
        return "python (not built: python -m postmortems.specificity build-native)"
    if os.environ.get("HINDSIGHT_COMPILED") == "0":
        return "python (HINDSIGHT_COMPILED=0)"
    if not _is_current(sources_digest()):
        return "python (built from other sources: run the build again)"
    return COMPILED_STATE


def choose() -> str:
    """Run by the package before it imports a submodule: puts the compiled modules first on
    its path when they are current, so ``import .checker`` finds the extension. Returns
    ``state()``."""
    current = state()
    package = sys.modules.get(PACKAGE)
    parent = sys.modules.get("postmortems")
    if current == COMPILED_STATE and package is not None and parent is not None:
        compiled_here = str(NATIVE_DIR / "postmortems" / "specificity")
        if compiled_here not in package.__path__:
            package.__path__.insert(0, compiled_here)
            parent.__path__.append(str(NATIVE_DIR / "postmortems"))  # the shared library
    return current


def build() -> int:
    """Compile COMPILED with mypyc unless current; 0 also when it cannot (Python stays)."""
    digest = sources_digest()
    if _is_current(digest):
        print("checker: compiled modules are up to date")
        return 0
    remove()
    files = [str(HERE / f"{name}.py") for name in COMPILED]
    script = (
        "from setuptools import setup\n"
        "from mypyc.build import mypycify\n"
        f"files = {files!r}\n"
        "setup(name='hindsight-checker-native', ext_modules=mypycify(\n"
        f"    ['--ignore-missing-imports', *files], separate=[(files, {GROUP!r})],\n"
        f"    target_dir={str(BUILD_TEMP)!r}),\n"
        f"    script_args=['-q', 'build_ext', '--build-lib', {str(NATIVE_DIR)!r},\n"
        f"                 '--build-temp', {str(BUILD_TEMP)!r}])\n"
    )
    print("checker: compiling its hot modules with mypyc (once, about 10 s)...", flush=True)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    if done.returncode == 0 and _compiled_names() == set(COMPILED):
        STAMP.write_text(json.dumps({"sources": digest}) + "\n")
        check = subprocess.run(
            [sys.executable, "-c", f"from {PACKAGE} import checker, native\nprint(native.state())"],
            cwd=ROOT,
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
    shutil.rmtree(NATIVE_DIR, ignore_errors=True)
    shutil.rmtree(BUILD_TEMP, ignore_errors=True)


choose()
