"""The Hyperscan item scanner only ever skips work: every item that would match a phrase is
reported (or, when Hyperscan cannot take it, runs anyway), and the checker's results are the
same with and without it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("hyperscan")

from postmortems.specificity import SECTIONS, check_phrase, item_scanner  # noqa: E402
from postmortems.specificity import ruleset as ruleset_module  # noqa: E402
from postmortems.specificity.fast_pattern import FastPattern, LiteralIndex, fold_text  # noqa: E402
from postmortems.specificity.item_scanner import ItemScanner, hyperscan_expression  # noqa: E402

DATA = Path(__file__).parent / "data"

# Shapes Python's re and Hyperscan could read apart: lookarounds and back-references
# (widened by the prefilter), non-ASCII characters in the pattern, a case-sensitive part, an
# anchor, an empty match, Python's "{,n}" repeat.
ITEMS = [
    r"\b(?:investigat\w*|look into|consider)\b",
    r"\b\w+['’]s\s+fault\b",
    r"\bcolou?r’?s?\s+drift\b",
    r"[^’\s]+\s+timeout\b",
    r"(?-i:\b[A-Z]{3,}\b)\s+outage",
    r"(?<![\w.])\d+\s?ms\b",
    r"\b(\w+) \1\b",
    r"\b(?=\w*\d)[\w-]+-canary\b",
    r"\bretr(?:y|ies)\b(?! budget)",
    r"^\W*(?:todo|follow[- ]?up)\b",
    r"\bab{,2}c\b",
    r"\bt\s?[+-]\s?\d+",
    r"\s[—–-]\s*owner\b",
    r"[“\"][^”\"]+[”\"]\s+timeout",
    r"(?<![\w’])\w+’s\s+cache\b",
]

PHRASES = [
    "Ops's fault: the pager was muted",
    "Colors drift after every deploy",
    "colour’s drift was logged",
    "The db timeout fired twice",
    "AWS outage in us-east-1",
    "aws outage in us-east-1",
    "p99 rose to 850ms, then 1.5ms",
    "the the config was copied twice",
    "eu2-canary failed; eu-canary did not",
    "retries exhausted after the retry budget",
    "retry budget spent",
    "TODO: look into the pool size",
    "an ac unit and an abbc unit",
    "paged at T+12",
    "José’s fault, said the review",  # a non-ASCII letter: takes the literal-index path
    "Rotate the signing keys — owner: @ana — due 2026-01-10",
    "The “db” timeout fired; the deploy’s cache was cold",
    "Don’t page – the ‘retry’ budget is spent → wait",
    "a\u00a0b timeout",  # a non-ASCII space: the literal-index path
    "",
]


def _plain(item: str, text: str) -> re.Match[str] | None:
    return re.compile(item, re.IGNORECASE).search(text)


def _scanned(pattern: FastPattern, index: LiteralIndex, text: str) -> re.Match[str] | None:
    lower = fold_text(text)
    if lower is None:
        return pattern.search_in(text, None)
    present, path = index.gates(lower)
    return pattern.search_in(text, lower, bool(re.search(r"\d", text)), present, path)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HINDSIGHT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("item", ITEMS)
def test_every_item_finds_with_the_scanner_what_re_finds_without_it(item):
    pattern = FastPattern("one", [item])
    index = LiteralIndex([pattern], scan=True)
    for text in PHRASES:
        found = _scanned(pattern, index, text)
        expected = _plain(item, text)
        assert (found and found.span()) == (expected and expected.span()), text


def test_the_scanner_reports_every_item_that_matches_a_phrase_it_scans():
    scanner = ItemScanner(ITEMS)
    scanned = 0
    for text in PHRASES:
        lower = fold_text(text)
        if lower is None or item_scanner.scan_bytes(lower) is None:
            continue
        scanned += 1
        hits = scanner.hits(lower)
        for item in ITEMS:
            number = scanner.id_of(item)
            if number is not None and _plain(item, text):
                assert number in hits, (item, text)
    assert scanned == len(PHRASES) - 2  # all but José and the no-break space


def test_dashes_quotes_and_arrows_are_scanned_but_non_ascii_letters_and_spaces_are_not():
    assert item_scanner.scan_bytes("keys — owner: @ana") == b"keys \x80 owner: @ana"
    assert item_scanner.scan_bytes("the deploy’s “cache” → cold") == (
        b"the deploy\x80s \x80cache\x80 \x80 cold"
    )
    assert item_scanner.scan_bytes("josé’s fault") is None
    assert item_scanner.scan_bytes("a\u00a0b") is None
    assert item_scanner.scan_bytes("１２ ms") is None  # full-width digits are \\d to Python


def test_non_ascii_in_a_negated_class_is_dropped_so_the_class_still_takes_every_dash():
    # Python's [^’\s] takes "—" and "“"; as the byte 0x80 they must still be taken.
    assert hyperscan_expression(r"[^’\s]+ timeout")[0] == rb"[^\s]+ timeout"
    assert hyperscan_expression(r"x[^’]y")[0] == rb"x[\x00-\xff]y"
    assert hyperscan_expression(r"[^a-é]") is None  # a range cut in half: not scanned
    assert hyperscan_expression(r"\xab") is None  # Python: "«"; Hyperscan: one byte


def test_an_item_that_matches_nothing_in_a_phrase_is_skipped_without_running_re():
    pattern = FastPattern("leads", [r"\b(?:investigat\w*|consider)\b", r"\d+\s?ms\b"])
    index = LiteralIndex([pattern], scan=True)
    present = index.present("the pool was resized to 40 connections")
    assert all(item.gate_ids.isdisjoint(present) for item in pattern.items)
    assert pattern.gate_union.isdisjoint(present)


def test_on_a_scanned_phrase_each_gate_is_one_key_that_says_what_its_ids_say():
    """An item's key and a pattern's key in the phrase's scope are present exactly when the
    item's (or any item's) gate ids meet the present set: in its own scope's scanner, in the
    other scope's, and not scanned there at all."""
    first = FastPattern("first", ITEMS[:6])
    second = FastPattern("second", ITEMS[6:])
    lone = FastPattern("lone", [ITEMS[1]])
    index = LiteralIndex(
        [first, second, lone], scan=True, scopes={"a": [first, lone], "b": [second, lone]}
    )
    paths = set()
    for scope in ("a", "b"):
        for text in PHRASES:
            lower = fold_text(text)
            if lower is None:
                continue
            present, path = index.gates(lower, scope)
            if item_scanner.scan_bytes(lower) is None:
                assert path == 0, text
                continue
            paths.add(path)
            for pattern in (first, second, lone):
                for item in pattern.items:
                    ids_say = not item.gate_ids.isdisjoint(present)
                    assert (item.scan_keys[path] in present) == ids_say, (item.written, text)
                union_says = not pattern.gate_union.isdisjoint(present)
                assert (pattern.scan_keys[path] in present) == union_says, (pattern.name, text)
    assert len(paths) == 2


def test_python_only_syntax_is_not_scanned_and_still_matches():
    # "b{,2}" is a repeat to Python and literal text to Hyperscan: it must not be scanned.
    assert hyperscan_expression(r"\bab{,2}c\b") is None
    pattern = FastPattern("repeat", [r"\bab{,2}c\b"])
    index = LiteralIndex([pattern], scan=True)
    assert _scanned(pattern, index, "an ac unit").group() == "ac"


def test_an_item_hyperscan_refuses_runs_on_every_phrase():
    pattern = FastPattern("long", [r"\bx{2,70000}\b", r"\bconsider\b"])
    index = LiteralIndex([pattern], scan=True)
    assert index.scanners[""].id_of(pattern.items[0].source) is None
    assert index.scanners[""].id_of(pattern.items[1].source) is not None
    # Its gate holds the scope's marker, which every scanned phrase's present set holds.
    assert not pattern.items[0].gate_ids.isdisjoint(index.present("any phrase at all"))
    assert _scanned(pattern, index, "set the flag to xxx").group() == "xxx"
    assert _scanned(pattern, index, "we should consider it").group() == "consider"


def test_a_compiled_database_is_read_from_the_cache_by_the_next_scanner(monkeypatch, tmp_path):
    first = ItemScanner(ITEMS)
    cached = list((tmp_path / "cache").glob("items-*.hsdb"))
    assert len(cached) == 1

    def no_compile(*args):
        raise AssertionError("compiled again although the cache holds these items")

    monkeypatch.setattr(item_scanner, "_compile", no_compile)
    second = ItemScanner(ITEMS)
    text = "the the db timeout fired"
    assert second.hits(text) == first.hits(text) != set()


def test_a_damaged_cache_file_is_compiled_again_and_replaced(tmp_path):
    ItemScanner(ITEMS)
    (path,) = (tmp_path / "cache").glob("items-*.hsdb")
    path.write_bytes(b"\x04\x00\x00\x00[1]\x00garbage")
    scanner = ItemScanner(ITEMS)
    assert scanner.id_of(ITEMS[0]) in scanner.hits("we will consider it")
    assert path.stat().st_size > 100


def test_a_cache_directory_that_cannot_be_written_only_costs_a_compile(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory would go")
    monkeypatch.setenv("HINDSIGHT_CACHE_DIR", str(blocker / "cache"))
    scanner = ItemScanner(ITEMS)
    assert scanner.id_of(ITEMS[0]) in scanner.hits("we will consider it")


def test_a_team_scanner_reuses_the_packaged_database_and_compiles_only_its_own_items(
    monkeypatch,
):
    base = ItemScanner(ITEMS)
    compiled: list[list[bytes]] = []
    real_compile = item_scanner._compile

    def recording_compile(pairs):
        compiled.append([expression for (expression, _), _ in pairs])
        return real_compile(pairs)

    monkeypatch.setattr(item_scanner, "_compile", recording_compile)
    team = ItemScanner([*ITEMS, r"\bwar room\b"], base)
    assert compiled == [[rb"\bwar room\b"]]
    assert team.id_of(ITEMS[0]) == base.id_of(ITEMS[0])
    hits = team.hits("consider opening the war room")
    assert {team.id_of(ITEMS[0]), team.id_of(r"\bwar room\b")} <= hits


def test_threads_scanning_at_once_each_get_their_own_phrase_hits():
    scanner = ItemScanner(ITEMS)
    texts = ["we will consider it", "the db timeout fired", "aws outage today", "nothing"]
    expected = {text: scanner.hits(text) for text in texts}
    failures: list[str] = []

    def scan_many(text: str) -> None:
        for _ in range(300):
            if scanner.hits(text) != expected[text]:
                failures.append(text)

    threads = [threading.Thread(target=scan_many, args=(text,)) for text in texts * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_the_checker_gives_the_same_results_with_and_without_the_scanner(monkeypatch):
    """Every phrase of our own labelled sets, in every section: tag, reasons, suggestion."""
    monkeypatch.delenv("HINDSIGHT_CACHE_DIR")  # the packaged rules' database, as make test has it
    monkeypatch.setenv("HINDSIGHT_HYPERSCAN", "0")
    plain = ruleset_module.build_ruleset()
    assert not plain.literals.scanners
    monkeypatch.setenv("HINDSIGHT_HYPERSCAN", "1")
    scanned = ruleset_module.build_ruleset()
    assert set(scanned.literals.scanners) == set(SECTIONS)
    texts = []
    for name in ("specificity_phrases", "specificity_heldout", "specificity_unseen"):
        with (DATA / f"{name}.jsonl").open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    assert len(texts) > 500
    for text in texts:
        for section in SECTIONS:
            assert check_phrase(section, text, ruleset=scanned) == check_phrase(
                section, text, ruleset=plain
            ), (section, text)


# Records which named patterns the code searches with a section's gates. It patches the
# pattern methods, so it runs on the Python sources (compiled code calls them directly).
_SEARCHED_PROBE = """
import json, sys
from pathlib import Path
from postmortems.specificity import SECTIONS, check_phrase, fast_pattern, phrase_view
from postmortems.specificity import ruleset as ruleset_module
from postmortems.specificity.section_patterns import SECTION_PATTERNS
ruleset = ruleset_module.default_ruleset()
section_now = [""]
searched = {section: set() for section in SECTIONS}
asked = {section: set() for section in SECTIONS}  # on a scanned view, gate passed or not
view_search = phrase_view.PhraseView.search

def recording_view_search(self, name):
    if self.present is not None and self.path:
        asked[section_now[0]].add(name)
    return view_search(self, name)

Pattern = fast_pattern.FastPattern
search_in, count_distinct, finditer_in = Pattern.search_in, Pattern.count_distinct, Pattern.finditer_in

def recording_search_in(self, text, lower, has_digit=True, present=None, path=0):
    if present is not None:
        searched[section_now[0]].add(self.name)
    return search_in(self, text, lower, has_digit, present, path)

def recording_count_distinct(self, text, lower, has_digit=True, limit=2, present=None, path=0):
    if present is not None:
        searched[section_now[0]].add(self.name)
    return count_distinct(self, text, lower, has_digit, limit, present, path)

def recording_finditer_in(self, text, lower, has_digit, present, path=0):
    if present is not None:
        searched[section_now[0]].add(self.name)
    return finditer_in(self, text, lower, has_digit, present, path)

Pattern.search_in = recording_search_in
Pattern.count_distinct = recording_count_distinct
Pattern.finditer_in = recording_finditer_in
phrase_view.PhraseView.search = recording_view_search
texts = []
for name in ("specificity_phrases", "specificity_heldout", "specificity_unseen"):
    with (Path(sys.argv[1]) / f"{name}.jsonl").open(encoding="utf-8") as handle:
        texts.extend(json.loads(line)["text"] for line in handle if line.strip())
missing, unused = {}, {}
for section in SECTIONS:
    section_now[0] = section
    for text in texts:
        check_phrase(section, text, ruleset=ruleset)
    scanned = {pattern.name for pattern in ruleset._scanned_in(section)}
    if searched[section] - scanned:
        missing[section] = sorted(searched[section] - scanned)
    never = set(SECTION_PATTERNS[section]) - searched[section] - asked[section]
    if never:
        unused[section] = sorted(never)
print(json.dumps({
    "missing": missing, "unused": unused, "searched": sum(map(len, searched.values())),
}))
"""


def test_every_pattern_a_section_searches_is_in_that_sections_scanner_and_no_other():
    """A pattern missing from SECTION_PATTERNS still matches (it runs unscanned), but costs
    speed in that section: this names any the code searches there, on our own phrases. One
    listed that the section never asks about on a scanned phrase costs scan time on every
    phrase: this names those too."""
    env = {key: value for key, value in os.environ.items() if key != "HINDSIGHT_CACHE_DIR"}
    done = subprocess.run(
        [sys.executable, "-c", _SEARCHED_PROBE, str(DATA)],
        cwd=Path(__file__).resolve().parent.parent,
        env={**env, "HINDSIGHT_COMPILED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    probe = json.loads(done.stdout)
    assert probe["searched"] > 100  # the recording saw the searches
    assert probe["missing"] == {}
    assert probe["unused"] == {}


def test_databases_unused_for_a_month_are_removed_when_a_new_one_is_written(tmp_path):
    ItemScanner(ITEMS[:2])
    (stale,) = (tmp_path / "cache").glob("items-*.hsdb")
    month_ago = time.time() - 31 * 24 * 3600
    os.utime(stale, (month_ago, month_ago))
    ItemScanner(ITEMS[2:4])
    assert not stale.exists()
    assert len(list((tmp_path / "cache").glob("items-*.hsdb"))) == 1


def test_an_item_widened_to_plain_prose_is_scanned_for_its_literals_instead():
    # Prefilter mode drops the back-reference: "\w+\s+\w+\s+again" is most sentences.
    source = r"\b(\w+)\s+\1\s+again\b"
    widened = hyperscan_expression(source)
    assert widened is not None and item_scanner._loose(widened)
    assert item_scanner.expression_for((source, ("again",)))[0] == rb"(?:again)"
    assert item_scanner.expression_for((source, None)) is None  # nothing to scan: it runs

    pattern = FastPattern("repeated", [source])
    index = LiteralIndex([pattern], scan=True)
    scanner = index.scanners[""]
    number = scanner.id_of(pattern.items[0].source)
    assert number not in scanner.hits("the deploy went fine and the pager stayed quiet")
    assert number in scanner.hits("the job failed once and then it failed again")
    assert _scanned(pattern, index, "it failed failed again at noon").group() == (
        "failed failed again"
    )
    assert _scanned(pattern, index, "it failed again at noon") is None


def test_a_database_cached_by_an_older_derivation_of_the_expressions_is_not_loaded(
    monkeypatch, tmp_path
):
    ItemScanner(ITEMS[:3])
    compiled = []
    real_compile = item_scanner._compile
    monkeypatch.setattr(
        item_scanner, "_compile", lambda pairs: compiled.append(1) or real_compile(pairs)
    )
    ItemScanner(ITEMS[:3])
    assert compiled == []  # same code: loaded from the cache
    monkeypatch.setattr(item_scanner, "_FORMAT", item_scanner._FORMAT + 1)
    ItemScanner(ITEMS[:3])
    assert compiled == [1]
    assert len(list((tmp_path / "cache").glob("items-*.hsdb"))) == 2


def test_a_view_without_the_scan_finds_what_a_scanned_view_finds(monkeypatch):
    # Sub-views asked about a pattern or two skip the scan and test their items' literals.
    from postmortems.specificity.phrase_view import PhraseView
    from postmortems.specificity.section_patterns import SECTION_PATTERNS

    monkeypatch.delenv("HINDSIGHT_CACHE_DIR")
    ruleset = ruleset_module.default_ruleset()
    compared = 0
    for text in [
        *PHRASES,
        "14:05 UTC — @ana rolled back the deploy — on-call",
        "PR #412 (pool size)",
    ]:
        for section in SECTIONS:
            scanned = PhraseView(text, ruleset, section)
            plain = PhraseView(text, ruleset, section, scanned=False)
            assert plain.present is None
            for name in SECTION_PATTERNS[section]:
                found, expected = plain.search(name), scanned.search(name)
                assert (found and found.span()) == (expected and expected.span()), (name, text)
                compared += expected is not None
    assert compared > 20  # the phrases do match patterns, so the spans were compared
