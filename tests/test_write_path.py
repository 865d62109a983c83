"""The one write path: what every writer (form, importer, restore) can rely on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from postmortems.content import CommitmentRow, LagRow, PostmortemContent, TimelineRow
from postmortems.document import parse_document
from postmortems.document_io import ImportRefused, import_document
from postmortems.models import Commitment, Lag, Postmortem, RevisionKind, TimelineEntry
from postmortems.snapshot import snapshot
from postmortems.writing import write_postmortem
from tests.factories import PostmortemFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 8, 14, 14, 3, tzinfo=dt.UTC)


def edit_data(postmortem, **overrides):
    data = dict(snapshot(postmortem), action="save")
    data.update(overrides)
    return data


def posted_by_the_editor(client, postmortem) -> dict:
    """What the edit page's form posts, row ids included, as a browser would send it."""
    editor = client.get(reverse("postmortem_edit", args=[postmortem.slug])).context["editor"]
    data = {}
    for form in [editor.form] + [f for fs in editor.formsets.values() for f in fs.forms]:
        for field in form:
            value = field.value()
            if value is not None and value is not False:
                data[field.html_name] = str(getattr(value, "pk", value))
    for formset in editor.formsets.values():
        for field in formset.management_form:
            data[field.html_name] = str(field.value())
    return data


def save_queries(client, postmortem) -> int:
    data = posted_by_the_editor(client, postmortem)
    data.update(action="save", why="A changed cause: the v5 prompt dropped the cents guard.")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("postmortem_edit", args=[postmortem.slug]), data)
    assert response.status_code == 302
    return len(queries)


def test_a_save_issues_the_same_number_of_queries_whatever_the_number_of_rows(reviewer_client):
    small = PostmortemFactory(slug="few-rows")
    large = PostmortemFactory(slug="many-rows")
    for i in range(40):
        TimelineEntry.objects.create(
            postmortem=large, position=10 + i, at=START, text=f"Event {i}", actor="bot"
        )
        Lag.objects.create(postmortem=large, position=10 + i, kind="response", text=f"Lag {i}")
    save_queries(reviewer_client, small)  # the first save creates no services or users
    save_queries(reviewer_client, large)
    small.refresh_from_db()
    large.refresh_from_db()
    assert save_queries(reviewer_client, small) == save_queries(reviewer_client, large)
    assert large.timeline.count() == 45


def test_every_revision_of_the_demo_postmortems_opens_in_the_editor_and_restores(
    reviewer_client,
):
    call_command("load_demo", stdout=None)
    postmortems = list(Postmortem.objects.all())
    assert len(postmortems) >= 10
    for postmortem in postmortems:
        edit = reverse("postmortem_edit", args=[postmortem.slug])
        assert reviewer_client.get(edit).status_code == 200, postmortem.slug
        for number in list(postmortem.revisions.values_list("number", flat=True)):
            restore = reverse("revision_restore", args=[postmortem.slug, number])
            response = reviewer_client.post(restore)
            assert response.status_code == 302, (postmortem.slug, number)
            latest = postmortem.revisions.order_by("-number").first()
            assert latest.applied, (postmortem.slug, number, latest.note)
            assert reviewer_client.get(edit).status_code == 200, (postmortem.slug, number)


def test_an_invalid_revision_restores_into_the_editor_to_fix(reviewer_client):
    postmortem = PostmortemFactory(slug="kept-with-errors")
    edit = reverse("postmortem_edit", args=[postmortem.slug])
    response = reviewer_client.post(edit, edit_data(postmortem, incident_start="soon"))
    assert response.status_code == 200
    broken = postmortem.revisions.get()
    assert (broken.applied, broken.valid) == (False, False)
    response = reviewer_client.post(
        reverse("revision_restore", args=[postmortem.slug, broken.number])
    )
    assert response.status_code == 302
    assert response.url == edit
    page = reviewer_client.get(edit)
    assert b'value="soon"' in page.content
    assert f'action="{edit}"'.encode() in page.content


def test_a_conflicting_save_is_kept_as_a_revision_marked_not_applied(client, author, reviewer):
    postmortem = PostmortemFactory(created_by=author)
    postmortem.authors.add(author)
    stale = edit_data(postmortem)
    client.force_login(reviewer)
    client.post(reverse("postmortem_edit", args=[postmortem.slug]), dict(stale, why="Theirs."))
    client.force_login(author)
    response = client.post(
        reverse("postmortem_edit", args=[postmortem.slug]), dict(stale, why="Mine.")
    )
    assert response.status_code == 409
    latest = postmortem.revisions.order_by("-number").first()
    assert latest.applied is False and latest.valid is True
    assert latest.data["why"] == "Mine."


def test_the_service_writes_rows_and_keeps_a_commitment_s_first_due_date(author):
    content = PostmortemContent(
        title="Search returned nothing for 14 minutes",
        incident_start=START,
        authors=("alice",),
        timeline=(TimelineRow(at=START, text="Index swap started", actor="deploy-bot"),),
        lags=(LagRow(kind="detection", minutes=9, text="No alert on empty results"),),
        commitments=(CommitmentRow(text="Alert on empty results", owner="alice", due=dt.date(2026, 9, 1)),),
    )  # fmt: skip
    first = write_postmortem(content=content, user=author)
    assert first.applied
    postmortem = first.postmortem
    assert postmortem.slug == "search-returned-nothing-for-14-minutes"
    assert postmortem.revisions.get().kind == RevisionKind.SAVE
    commitment = postmortem.commitments.get()
    moved = PostmortemContent(
        **{
            **content.__dict__,
            "commitments": (
                CommitmentRow(
                    text="Alert on empty results",
                    owner="alice",
                    due=dt.date(2026, 9, 20),
                    id=commitment.pk,
                ),
            ),
        }
    )
    second = write_postmortem(
        content=moved, user=author, postmortem=postmortem, base_version=postmortem.version
    )
    assert second.applied
    commitment.refresh_from_db()
    assert (commitment.first_due, commitment.due, commitment.due_moves) == (
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 20),
        1,
    )
    assert commitment.slip_text == "moved once, +19 days"


def test_the_service_refuses_content_that_breaks_a_rule_and_names_the_field(author):
    content = PostmortemContent(
        title="Bad times",
        incident_start=START,
        incident_end=START - dt.timedelta(hours=1),
        lags=(LagRow(kind="detection", minutes=3, text=""),),
    )
    outcome = write_postmortem(content=content, user=author, keep_unapplied=False)
    assert not outcome.applied
    assert {e.field for e in outcome.errors} == {"incident_end", "lags-0-text"}
    assert Postmortem.objects.count() == 0


def test_an_import_that_breaks_a_rule_writes_nothing():
    text = (
        "---\ntitle: Ends before it starts\nincident_date: 2026-08-14\n"
        "incident_start: 2026-08-14 14:00 UTC\nincident_end: 2026-08-14 13:00 UTC\n---\n"
    )
    doc = parse_document(text, slug="ends-before-it-starts")
    with pytest.raises(ImportRefused) as refused:
        import_document(doc=doc)
    assert "incident_end" in str(refused.value)
    assert Postmortem.objects.count() == 0


def test_an_author_deletes_only_their_own_draft(client, author, other_author):
    mine = PostmortemFactory(slug="mine", created_by=author)
    theirs = PostmortemFactory(slug="theirs", created_by=other_author)
    client.force_login(author)
    assert client.post(reverse("postmortem_remove", args=["theirs"])).status_code == 403
    assert client.post(reverse("postmortem_remove", args=["mine"])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.removed_at is not None and theirs.removed_at is None
    assert client.get(reverse("postmortem_detail", args=["mine"])).status_code == 404
    assert b"mine" not in client.get(reverse("postmortem_list")).content
    assert client.post(reverse("postmortem_bring_back", args=["mine"])).status_code == 404


def test_a_reviewer_archives_a_published_postmortem_and_brings_it_back(reviewer_client):
    published = PostmortemFactory(slug="published-one", status="published")
    Commitment.objects.filter(postmortem=published).update(due=dt.date(2020, 1, 1))
    response = reviewer_client.post(reverse("postmortem_remove", args=["published-one"]))
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.removal_word == "archived"
    assert Postmortem.objects.filter(pk=published.pk).exists()
    assert not Commitment.objects.open().filter(postmortem=published).exists()
    page = reviewer_client.get(reverse("postmortem_detail", args=["published-one"]))
    assert b"was archived" in page.content
    reviewer_client.post(reverse("postmortem_bring_back", args=["published-one"]))
    published.refresh_from_db()
    assert published.removed_at is None
    assert published.revisions.filter(kind=RevisionKind.REMOVAL).count() == 2


def test_the_500_page_sits_in_the_layout_with_a_way_back(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/postmortems/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<header class="top">' in html
    assert 'id="error-way-back"' in html
