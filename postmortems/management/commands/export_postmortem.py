from django.core.management.base import BaseCommand, CommandError

from postmortems.document import render_document
from postmortems.document_io import document_from_postmortem
from postmortems.models import Postmortem


class Command(BaseCommand):
    help = "Print a postmortem as the canonical Markdown document."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug, **options):
        postmortem = Postmortem.objects.filter(slug=slug).first()
        if postmortem is None:
            raise CommandError(f'No postmortem with slug "{slug}".')
        self.stdout.write(render_document(document_from_postmortem(postmortem)), ending="")
