import json

from django.core.management.base import BaseCommand, CommandError

from analytics import patterns_document, services, tasks
from analytics.models import QuarterReview, RunStatus
from analytics.periods import period_name as parse_quarter
from analytics.report_output import report_summary


class Command(BaseCommand):
    help = (
        "Build the review of PERIOD now, in this process, and print the report. PERIOD is a "
        "quarter (2026Q3), a year (2025) or a date range (2019-01-01..2025-12-31). Reads "
        "published and in-review postmortems whose incident started in the period; replaces "
        "the period's stored report. Exit 2 for a malformed period, 1 when a run of the period "
        "is already in progress or the build fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "quarter", metavar="PERIOD", help="2026Q3, 2025 or 2019-01-01..2025-12-31"
        )
        parser.add_argument("--format", choices=["json", "markdown"], default="json")

    def handle(self, *args, quarter, format, **options):
        try:
            quarter = parse_quarter(quarter)
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        request = services.request_review(quarter=quarter, user=None, enqueue=False)
        if not request.created:
            run = request.run
            raise CommandError(
                f"A review of {quarter} is already {run.status} (run #{run.pk}); "
                "wait for it to finish and run this again.",
                returncode=1,
            )
        try:
            tasks.build_quarterly_review(request.run.pk)
        except Exception as error:
            raise CommandError(f"The review of {quarter} failed: {error}", returncode=1) from error
        request.run.refresh_from_db()
        if request.run.status != RunStatus.DONE:
            raise CommandError(
                f"The review of {quarter} ended {request.run.status}: {request.run.error}",
                returncode=1,
            )
        review = QuarterReview.objects.get(quarter=quarter)
        report = review.corpus_report()
        if format == "markdown":
            self.stdout.write(
                patterns_document.draft_markdown(quarter=quarter, report=report), ending=""
            )
        else:
            self.stdout.write(
                json.dumps(report_summary(quarter, report), indent=2, ensure_ascii=False)
            )
