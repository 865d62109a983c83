from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from postmortems.document import DocumentError, parse_document
from postmortems.document_io import (
    ImportRefused,
    cut_row_warnings,
    import_document,
    import_problems,
)
from postmortems.slugs import slug_from


def markdown_files(paths):
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # A folder's README describes the folder; it is not a postmortem.
            yield from sorted(
                p for p in path.rglob("*.md") if p.is_file() and p.name.lower() != "readme.md"
            )
        else:
            yield path


class Command(BaseCommand):
    help = (
        "Create or update postmortems from Markdown files or folders of them. The slug is the "
        "file name without .md. Files that cannot be read as a postmortem are reported and "
        "skipped; the exit code is non-zero when any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args, paths, **options):
        created = updated = 0
        failed = []
        for path in markdown_files(paths):
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                failed.append(path)
                self.stderr.write(f"{path}: error: no such file")
                continue
            except (OSError, UnicodeDecodeError) as error:
                failed.append(path)
                self.stderr.write(f"{path}: error: cannot be read as UTF-8 text ({error})")
                continue
            try:
                doc = parse_document(text, slug=slug_from(path.stem))
            except DocumentError as error:
                failed.append(path)
                where = f"{path}:{error.line}" if error.line else str(path)
                self.stderr.write(f"{where}: error: {error.reason}")
                continue
            except Exception as error:  # a reader bug must not end the folder run
                failed.append(path)
                self.stderr.write(
                    f"{path}:1: error: cannot be read ({type(error).__name__}: {error})"
                )
                continue
            if doc.slug != path.stem:
                self.stderr.write(
                    f"{path}:1: warning: the file name is not a slug; its URL is /{doc.slug}/"
                )
            for warning in doc.warnings:
                self.stderr.write(f"{path}:{warning.line}: warning: {warning.message}")
            problems = import_problems(doc, text)
            if problems:
                failed.append(path)
                for line, reason in problems:
                    self.stderr.write(f"{path}:{line}: error: {reason}")
                continue
            for line, message in cut_row_warnings(doc, text):
                self.stderr.write(f"{path}:{line}: warning: {message}")
            try:
                # One transaction per file: a refusal leaves nothing of it behind.
                _, was_created = import_document(doc=doc, source=path.name)
            except ImportRefused as refused:
                failed.append(path)
                for error in refused.errors:
                    self.stderr.write(f"{path}:1: error: {error.field}: {error.message}")
                continue
            except Exception as error:  # the folder run goes on; this file is reported
                failed.append(path)
                self.stderr.write(
                    f"{path}:1: error: not imported ({type(error).__name__}: {error})"
                )
                continue
            created += was_created
            updated += not was_created
        self.stdout.write(
            f"Imported {created + updated} postmortems ({created} created, {updated} updated); {len(failed)} failed."
        )
        if failed:
            raise CommandError(
                f"{len(failed)} file(s) could not be imported: " + ", ".join(map(str, failed))
            )
