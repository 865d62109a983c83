from django.core.management.base import BaseCommand, CommandError

from postmortems.document_io import ImportRefused, import_documents
from postmortems.importing import read_uploads, report_lines, uploads_from_paths


class Command(BaseCommand):
    help = (
        "Create or update postmortems from files or folders: the house format, or another "
        "team's Markdown or HTML template (headings mapped to the house parts). The slug is "
        "slugify() of the file name without its extension, made unique. Files that cannot be "
        "read are reported with file:line and skipped; the exit code is non-zero when any "
        "failed. --dry-run prints the same report and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="read and report; write nothing")

    def handle(self, *args, paths, dry_run=False, **options):
        failed = []
        readable = []
        for reading in read_uploads(uploads_from_paths(paths)):
            for line in report_lines(reading):
                problem = ": error: " in line or ": warning: " in line
                (self.stderr if problem else self.stdout).write(line)
            if reading.ok:
                readable.append(reading)
            else:
                failed.append(reading.filename)
        if dry_run:
            created, updated = len(readable), 0
        else:
            results = import_documents(docs=[(r.doc, r.filename) for r in readable])
            created = updated = 0
            for reading, result in zip(readable, results, strict=True):
                if result.error is None:
                    created += result.created
                    updated += not result.created
                    continue
                failed.append(reading.filename)
                if isinstance(result.error, ImportRefused):
                    for error in result.error.errors:
                        self.stderr.write(
                            f"{reading.filename}:1: error: {error.field}: {error.message}"
                        )
                else:  # the folder run goes on; this file is reported
                    self.stderr.write(
                        f"{reading.filename}:1: error: not imported "
                        f"({type(result.error).__name__}: {result.error})"
                    )
        if dry_run:
            self.stdout.write(
                f"Dry run: {created} postmortems would be imported; {len(failed)} failed. "
                "Nothing was written."
            )
        else:
            self.stdout.write(
                f"Imported {created + updated} postmortems ({created} created, {updated} updated); {len(failed)} failed."
            )
        if failed:
            raise CommandError(f"{len(failed)} file(s) could not be imported: " + ", ".join(failed))
