import json
import sys

from django.core.management.base import BaseCommand, CommandError

from postmortems.checking import ruleset
from postmortems.specificity import UnknownSection, check_phrase


def check_line(line: str, rules) -> dict:
    """One input line → its output object: the input's keys plus tag/reasons/suggestion, or error."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return {"error": f"not valid JSON: {error.msg} at column {error.colno}"}
    if not isinstance(item, dict):
        return {"error": 'each line must be a JSON object with "section" and "text"'}
    section, text = item.get("section"), item.get("text")
    if not isinstance(text, str):
        return {**item, "error": '"text" must be a string'}
    if not isinstance(section, str):
        return {**item, "error": '"section" must be a string'}
    try:
        result = check_phrase(section, text, ruleset=rules)
    except UnknownSection:
        return {**item, "error": f"unknown section {section!r}"}
    return {
        **item,
        "tag": result.tag,
        "reasons": list(result.reasons),
        "suggestion": result.suggestion,
    }


class Command(BaseCommand):
    help = (
        'Tag phrases read as JSON lines ({"section": ..., "text": ...}) from FILE or standard '
        "input; write one JSON line per input line with tag, reasons and suggestion. Lines that "
        "are not valid JSON or name an unknown section get an error key, and the exit code is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="JSON lines file (default: standard input)")

    def handle(self, *args, file=None, **options):
        try:
            source = open(file, encoding="utf-8") if file else sys.stdin  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}", returncode=2) from None
        rules = ruleset()
        failures = 0
        with source:
            for raw in source:
                out = check_line(raw.rstrip("\n").rstrip("\r"), rules)
                failures += "error" in out
                self.stdout.write(json.dumps(out, ensure_ascii=False))
        if failures:
            raise CommandError(f"{failures} line(s) could not be checked", returncode=1)
