"""Issue 2 figures: importing 1,000 Markdown postmortems, and the edit and detail pages' server
time and SQL query count with 1,000 and 10,000 postmortems in the database. Issue 8 adds the
save's server time and query count, for a typical postmortem and one with 80 more rows, and the
edit page before and after its form renderer: "edit (... Django widgets)" is the same page with
the editor's forms rendered through Django's widget templates, as they were before, measured in
the same run. "templates" counts the template renders of one page.

    .venv/bin/python benchmarks/bench_authoring.py [--postgres]
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from django_env import ROOT, percentile, setup, time_get

LABEL = setup("authoring")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from postmortems.models import Change, Commitment, Lag, Postmortem, TimelineEntry  # noqa: E402
from postmortems.services import refresh_derived  # noqa: E402

SOURCES = sorted(
    p for p in (ROOT / "benchmarks" / "corpus").glob("*.md") if p.name != "README.md"
) + sorted((ROOT / "tests" / "data" / "postmortems").glob("refund-*.md"))


def bench_import(count: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for i in range(count):
            source = SOURCES[i % len(SOURCES)]
            (Path(folder) / f"{source.stem}-{i:04d}.md").write_text(source.read_text())
        started = time.perf_counter()
        call_command("import_postmortems", folder, stdout=io.StringIO(), stderr=io.StringIO())
        elapsed = time.perf_counter() - started
    print(
        f"import {count} Markdown postmortems: {elapsed:.1f} s ({count / elapsed:.0f} per second)"
    )


def fill_to(total: int, template: Postmortem) -> None:
    """Copy the template postmortem (with its rows) until the database holds `total`."""
    have = Postmortem.objects.count()
    rows = {
        TimelineEntry: list(template.timeline.all()),
        Lag: list(template.lags.all()),
        Change: list(template.changes.all()),
        Commitment: list(template.commitments.all()),
    }
    batch = []
    for i in range(have, total):
        batch.append(
            Postmortem(
                title=f"{template.title} #{i}",
                slug=f"bench-{i}",
                severity=template.severity,
                status="published",
                incident_start=template.incident_start - dt.timedelta(days=i % 700),
                quarter="",
                what_broke=template.what_broke,
                why=template.why,
                search_text=template.search_text,
                verdict=template.verdict,
            )
        )
    created = Postmortem.objects.bulk_create(batch, batch_size=500)
    for model, objects in rows.items():
        copies = []
        for pm in created:
            for obj in objects:
                copy = model(
                    **{
                        f.attname: getattr(obj, f.attname)
                        for f in model._meta.concrete_fields
                        if f.name not in ("id", "postmortem", "change")
                    }
                )
                copy.postmortem = pm
                copies.append(copy)
        model.objects.bulk_create(copies, batch_size=2000)


def template_renders(client: Client, url: str) -> int:
    """How many templates one GET of url renders (counted on a request of its own)."""
    from django.template.base import Template

    count = 0
    render = Template.render

    def counting(self, context):
        nonlocal count
        count += 1
        return render(self, context)

    Template.render = counting
    try:
        client.get(url)
    finally:
        Template.render = render
    return count


def page_figures(client: Client, url: str, runs: int = 30) -> tuple[float, float, int, int]:
    times, queries = time_get(client, url, runs)
    return statistics.median(times), percentile(times, 0.95), queries, template_renders(client, url)


@contextmanager
def django_widget_templates():
    """The editor's forms rendered through Django's own widget templates, as before issue 8
    gave them a renderer of their own: the "before" of the edit page, in the same run."""
    from django.forms.renderers import DjangoTemplates

    from postmortems import forms

    owners = [(forms.ReadsOnly, "default_renderer")] + [
        (formset, "renderer") for formset in forms.FORMSETS.values()
    ]
    saved = [getattr(owner, name) for owner, name in owners]
    for owner, name in owners:
        setattr(owner, name, DjangoTemplates())
    try:
        yield
    finally:
        for (owner, name), renderer in zip(owners, saved, strict=True):
            setattr(owner, name, renderer)


class _FormFields(HTMLParser):
    """The fields the editor page's form would post, read from its HTML as a browser would."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._textarea = self._select = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "editor-form":
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("checkbox", "submit", "button"):
            self.fields[name] = attrs.get("value") or ""
        elif tag == "input" and name and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.fields[name] = "on"
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += (
                data.removeprefix("\n") if not self.fields[self._textarea] else data
            )


def editor_fields(client: Client, slug: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(client.get(f"/postmortems/{slug}/edit/").content.decode())
    return parser.fields


def save_figures(client: Client, slug: str, runs: int = 15) -> tuple[float, float, int]:
    """Server time of saving the editor unchanged (as a person pressing Save), and its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        fields = editor_fields(client, slug)  # a fresh version each time, outside the timing
        fields["action"] = "save"
        started = time.perf_counter()
        response = client.post(f"/postmortems/{slug}/edit/", fields)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, (slug, response.status_code)
    fields = editor_fields(client, slug)
    fields["action"] = "save"
    with CaptureQueriesContext(connection) as queries:
        client.post(f"/postmortems/{slug}/edit/", fields)
    return statistics.median(times), percentile(times, 0.95), len(queries)


def main() -> None:
    print(f"# Authoring benchmark ({LABEL})")
    bench_import(1000)
    user = User.objects.create_user("bench-reviewer", password="x")
    user.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    client = Client()
    client.force_login(user)
    template = Postmortem.objects.filter(slug__startswith="refund-cents-dollars").first()
    refresh_derived(template)
    big = Postmortem.objects.exclude(pk=template.pk).first()
    # A postmortem with ten times the rows, to show queries do not grow with rows.
    for i in range(40):
        TimelineEntry.objects.create(
            postmortem=big,
            position=100 + i,
            at=big.incident_start,
            text=f"Extra event {i}",
            actor="bench",
        )
        Lag.objects.create(
            postmortem=big, position=100 + i, kind="response", minutes=i, text=f"Extra lag {i}"
        )
    print(
        f"{'postmortems':>12} {'page':<32} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'templates':>10}"
    )
    for total in (1000, 10000):
        fill_to(total, template)
        for name, slug in (("typical", template.slug), ("+80 rows", big.slug)):
            pages = [("edit", "edit/", None), ("detail", "", None)]
            if total == 10000:
                pages.insert(1, ("edit", "edit/", "Django widgets"))
            for page, path, before in pages:
                if before:
                    with django_widget_templates():
                        figures = page_figures(client, f"/postmortems/{slug}/{path}")
                else:
                    figures = page_figures(client, f"/postmortems/{slug}/{path}")
                label = f"{page} ({name}{', ' + before if before else ''})"
                print(_row(Postmortem.objects.count(), label, *figures))
    for name, slug in (("typical", template.slug), ("+80 rows", big.slug)):
        rows = sum(
            model.objects.filter(postmortem__slug=slug).count()
            for model in (TimelineEntry, Lag, Change, Commitment)
        )
        label = f"save ({name}, {rows} rows)"
        print(_row(Postmortem.objects.count(), label, *save_figures(client, slug)))
    figures = page_figures(client, "/postmortems/?q=certificate")
    print(_row(Postmortem.objects.count(), "list + search", *figures))


def _row(total, label, median, p95, queries, templates="") -> str:
    return f"{total:>12} {label:<32} {median:>10.1f} {p95:>8.1f} {queries:>8} {templates:>10}"


if __name__ == "__main__":
    sys.exit(main())
