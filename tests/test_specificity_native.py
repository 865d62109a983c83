"""The checker compiled with mypyc (``make native``) gives exactly what its Python sources give,
and is used only while it was built from today's sources."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from postmortems.specificity import SECTIONS, check_phrase, check_postmortem, native
from postmortems.specificity import checker as checker_module
from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
OWN_SETS = ("specificity_phrases", "specificity_heldout", "specificity_unseen")

# Every phrase of our own sets in every section, and the sets as whole documents, as JSON.
_RESULTS = """
import json, sys
from pathlib import Path
from postmortems.specificity import SECTIONS, check_phrase, check_postmortem, native
texts = []
for name in sys.argv[2:]:
    with (Path(sys.argv[1]) / f"{name}.jsonl").open(encoding="utf-8") as handle:
        texts.extend(json.loads(line)["text"] for line in handle if line.strip())
out = {"state": native.state(), "phrases": [], "documents": []}
for section in SECTIONS:
    for text in texts:
        r = check_phrase(section, text)
        out["phrases"].append([section, r.tag, list(r.reasons), r.suggestion])
for start in range(0, len(texts), 40):
    chunk = "\\n".join(texts[start : start + 40])
    r = check_postmortem({section: chunk for section in SECTIONS})
    out["documents"].append(
        [r.verdict, [f.code for f in r.findings],
         [[s.verdict, [p.tag for p in s.phrases]] for s in r.sections.values()]]
    )
print(json.dumps(out))
"""


def _results(compiled: bool) -> dict:
    env = {**os.environ, "HINDSIGHT_COMPILED": "1" if compiled else "0"}
    done = subprocess.run(
        [sys.executable, "-c", _RESULTS, str(DATA), *OWN_SETS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture
def built():
    if native.state() != native.COMPILED_STATE:
        service_missing(f"compiled checker: {native.state()} (make native)")


def test_the_compiled_checker_is_imported_and_tags_exactly_as_its_sources_do(built):
    assert checker_module.__file__.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))
    compiled, python = _results(compiled=True), _results(compiled=False)
    assert compiled["state"] == native.COMPILED_STATE
    assert python["state"] == "python (HINDSIGHT_COMPILED=0)"
    assert len(compiled["phrases"]) == len(SECTIONS) * 733
    assert compiled["phrases"] == python["phrases"]
    assert compiled["documents"] == python["documents"]


def test_with_hindsight_compiled_0_every_hot_module_comes_from_its_source(built):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; import postmortems.specificity\n"
            "for name in postmortems.specificity.native.COMPILED:\n"
            "    print(sys.modules['postmortems.specificity.' + name].__file__)",
        ],
        cwd=ROOT,
        env={**os.environ, "HINDSIGHT_COMPILED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    files = done.stdout.split()
    assert len(files) == len(native.COMPILED)
    assert all(name.endswith(".py") for name in files)


def test_modules_built_from_other_sources_are_not_used(monkeypatch, built):
    # An edit to any source of the package changes the digest the stamp is compared with.
    monkeypatch.setattr(native, "sources_digest", lambda: "edited since the build")
    assert native.state() == "python (built from other sources: run the build again)"


def test_without_a_build_the_checker_is_python_and_says_how_to_build_it(monkeypatch):
    monkeypatch.setattr(native, "_built_files", lambda: [])
    assert native.state().startswith("python (not built: ")
    assert "build-native" in native.state()


def test_the_digest_changes_with_any_source_of_the_package(tmp_path, monkeypatch):
    (tmp_path / "checker.py").write_text("# one\n")
    monkeypatch.setattr(native, "HERE", tmp_path)
    before = native.sources_digest()
    (tmp_path / "checker.py").write_text("# two\n")
    assert native.sources_digest() != before


def test_results_still_pickle_for_the_import_workers():
    import pickle

    phrase = check_phrase("why", "The pool ran out because max_connections=100 on pg-main")
    assert pickle.loads(pickle.dumps(phrase)) == phrase
    document = check_postmortem({"why": "The cache broke.", "impact": "Some users saw errors."})
    assert pickle.loads(pickle.dumps(document)) == document


@pytest.mark.parametrize("compiled", [True, False])
def test_a_phrase_result_stays_frozen_and_hashable_with_its_own_init(compiled):
    # PhraseResult and Span write their __init__ out (compiled, the fields are written
    # directly, past the frozen __setattr__): each must still be the frozen value a cache key
    # or a set can hold, compiled and as Python.
    done = subprocess.run(
        [sys.executable, "-c", _FROZEN_PROBE],
        cwd=ROOT,
        env={**os.environ, "HINDSIGHT_COMPILED": "1" if compiled else "0"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    expected_state = native.state() if compiled else "python (HINDSIGHT_COMPILED=0)"
    assert done.stdout.split("\n")[0] == expected_state
    assert done.stdout.split("\n")[1] == str(compiled and expected_state == native.COMPILED_STATE)


_FROZEN_PROBE = """
import dataclasses
from postmortems.specificity import check_phrase, native, results
from postmortems.specificity.splitting import split_phrases
print(native.state())
print(results._COMPILED)
phrase = check_phrase("why", "The pool ran out because max_connections=100 on pg-main")
try:
    phrase.tag = "concrete"
except dataclasses.FrozenInstanceError:
    pass
else:
    raise SystemExit("a PhraseResult took an assignment")
twin = type(phrase)(phrase.text, phrase.tag, phrase.reasons, phrase.suggestion, 3, 9)
assert (twin.text, twin.tag, twin.reasons, twin.suggestion, twin.start, twin.end) == (
    phrase.text, phrase.tag, phrase.reasons, phrase.suggestion, 3, 9)
assert twin == dataclasses.replace(phrase, start=3, end=9)
assert len({twin, dataclasses.replace(phrase, start=3, end=9)}) == 1
span = split_phrases("why", "The cache broke. The pool ran dry.")[1]
assert (span.start, span.end, span.text) == (17, 34, "The pool ran dry."), span
try:
    span.start = 0
except dataclasses.FrozenInstanceError:
    pass
else:
    raise SystemExit("a Span took an assignment")
assert span == type(span)(17, 34, "The pool ran dry.") and hash(span) == hash(type(span)(17, 34, "The pool ran dry."))
"""


def test_a_module_compiled_by_another_build_sends_every_module_back_to_its_source(
    monkeypatch, built
):
    # A commit that compiled one module more (or less) left its file: this build's stamp
    # does not vouch for it, so nothing compiled is used until the build runs again.
    monkeypatch.setattr(native, "_compiled_names", lambda: {*native.COMPILED, "splitting_old"})
    assert native.state() == "python (built from other sources: run the build again)"


def test_the_compiled_modules_stay_out_of_the_source_tree(built):
    # A checkout of an older commit imports whatever extension sits beside its sources: the
    # build keeps them under build/native/, which only this package's path looks into.
    assert not list((ROOT / "postmortems").rglob("*.so"))
    assert {path.name.split(".", 1)[0] for path in native._built_files()} >= set(native.COMPILED)
