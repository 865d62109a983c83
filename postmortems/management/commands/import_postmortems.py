from django.core.management.base import BaseCommand, CommandError

from postmortems.document_io import ImportRefused
from postmortems.importing import import_uploads, report_lines, uploads_from_paths


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
        failed: list[str] = []

        def report(pairs) -> None:
            """Print, in file order, what was read of each file of a chunk and, when it was
            written, why not: each chunk as soon as it is written."""
            for reading, result in pairs:
                self._print_reading(reading)
                if not reading.ok:
                    failed.append(reading.filename)
                elif result is not None and result.error is not None:
                    failed.append(reading.filename)
                    self._print_write_error(reading, result.error)

        pairs = import_uploads(uploads_from_paths(paths), dry_run=dry_run, on_chunk=report)
        readable = sum(1 for reading, _ in pairs if reading.ok)
        if dry_run:
            self.stdout.write(
                f"Dry run: {readable} postmortems would be imported; {len(failed)} failed. "
                "Nothing was written."
            )
        else:
            results = [result for _, result in pairs if result is not None]
            created = sum(1 for r in results if r.error is None and r.created)
            updated = sum(1 for r in results if r.error is None and not r.created)
            self.stdout.write(
                f"Imported {created + updated} postmortems ({created} created, {updated} updated); {len(failed)} failed."
            )
        if failed:
            raise CommandError(f"{len(failed)} file(s) could not be imported: " + ", ".join(failed))

    def _print_reading(self, reading) -> None:
        for line in report_lines(reading):
            problem = ": error: " in line or ": warning: " in line
            (self.stderr if problem else self.stdout).write(line)

    def _print_write_error(self, reading, error) -> None:
        if isinstance(error, ImportRefused):
            for each in error.errors:
                self.stderr.write(f"{reading.filename}:1: error: {each.field}: {each.message}")
        else:  # the folder run goes on; this file is reported
            self.stderr.write(
                f"{reading.filename}:1: error: not imported ({type(error).__name__}: {error})"
            )
