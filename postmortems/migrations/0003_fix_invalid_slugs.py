"""Give every postmortem a slug its URL can carry: imports once kept file names as slugs
("my incident", "café", CJK), which broke every page linking to them."""

import hashlib
import re

from django.db import migrations
from django.utils.text import slugify

VALID = re.compile(r"^[-a-zA-Z0-9_]+\Z")
RESERVED = {"new", "check"}


def _base(text):
    base = slugify(text or "")[:180].strip("-")
    if not base:
        digest = hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:10]
        base = f"postmortem-{digest}"
    return f"{base}-postmortem" if base in RESERVED else base


def fix_slugs(apps, schema_editor):
    Postmortem = apps.get_model("postmortems", "Postmortem")
    taken = set(Postmortem.objects.values_list("slug", flat=True))
    for postmortem in Postmortem.objects.order_by("pk"):
        if VALID.match(postmortem.slug) and postmortem.slug not in RESERVED:
            continue
        base = _base(postmortem.slug) if slugify(postmortem.slug) else _base(postmortem.title)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        Postmortem.objects.filter(pk=postmortem.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [("postmortems", "0002_one_write_path_slips_and_removal")]

    operations = [migrations.RunPython(fix_slugs, migrations.RunPython.noop)]
