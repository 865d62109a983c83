"""Bad input through the editor: never a 5xx, a message naming the field, the postmortem left
as it was, and what was typed kept as a revision. Plus big timelines, calendar changes under
an open editor, and parallel creates."""

from __future__ import annotations

import datetime as dt
import threading
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from analytics.models import PatternsRevision
from commitments import services as commitment_services
from postmortems.models import Commitment, Postmortem, Revision, TimelineEntry
from postmortems.snapshot import snapshot
from tests.factories import PostmortemFactory

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"

# (what is sent, the field whose message must appear)
CORPUS = {
    "service name over 100": ({"services_text": "s" * 101}, "services_text"),
    "NUL in the title": ({"title": "Refund\x00outage"}, "title"),
    "NUL in what broke": ({"what_broke": "The cents\x00 guard"}, "what_broke"),
    "NUL in why": ({"why": "Schema\x00 has no unit"}, "why"),
    "NUL in the impact summary": ({"impact_summary": "8 refunds\x00"}, "impact_summary"),
    "NUL in a timeline row": ({"timeline-0-text": "Paged\x00 on-call"}, "timeline-0-text"),
    "bell character in a lag": ({"lags-0-text": "No eval case\x07"}, "lags-0-text"),
    "users affected too big": ({"impact_users": "99999999999999999999"}, "impact_users"),
    "minutes of impact too big": ({"impact_minutes": "99999999999"}, "impact_minutes"),
    "lag minutes too big": ({"lags-0-minutes": "99999999999"}, "lags-0-minutes"),
    "title over 200": ({"title": "T" * 201}, "title"),
    "tampered row count": ({"timeline-TOTAL_FORMS": "abc"}, "timeline-TOTAL_FORMS"),
}


@pytest.fixture
def editing(author_client, author):
    author_client.raise_request_exception = False
    postmortem = PostmortemFactory(slug="refund-overcharge", created_by=author)
    postmortem.authors.add(author)
    return author_client, postmortem


def _state(postmortem):
    postmortem.refresh_from_db()
    return (
        snapshot(postmortem),
        TimelineEntry.objects.filter(postmortem=postmortem).count(),
        Commitment.objects.filter(postmortem=postmortem).count(),
    )


@pytest.mark.parametrize("case", list(CORPUS))
def test_bad_input_is_refused_by_field_and_kept_as_a_revision(editing, case):
    client, postmortem = editing
    change, field = CORPUS[case]
    before = _state(postmortem)
    revisions = Revision.objects.count()
    data = dict(snapshot(postmortem), action="save", **change)
    response = client.post(reverse("postmortem_edit", args=[postmortem.slug]), data)
    assert response.status_code < 500
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="{field}"' in page
    assert "errorlist" in page
    assert _state(postmortem) == before  # refused: nothing of it applied
    kept = Revision.objects.order_by("-pk").first()
    assert Revision.objects.count() == revisions + 1
    assert kept.applied is False


def test_a_nul_is_kept_in_the_draft_as_a_visible_mark(editing):
    client, postmortem = editing
    data = dict(snapshot(postmortem), action="save", why="Schema\x00 has no unit field")
    client.post(reverse("postmortem_edit", args=[postmortem.slug]), data)
    kept = Revision.objects.order_by("-pk").first()
    assert kept.data["why"] == "Schema\ufffd has no unit field"


def test_a_nul_in_the_patterns_document_is_refused_with_a_message(client, reviewer):
    client.raise_request_exception = False
    client.force_login(reviewer)
    response = client.post(
        reverse("patterns_save", args=["2026Q3"]), {"text": "Cents\x00 guard", "version": ""}
    )
    assert response.status_code == 200
    assert "Not saved: the text holds a NUL control character" in response.content.decode()
    assert not PatternsRevision.objects.exists()


def test_a_postmortem_with_500_timeline_rows_opens_and_saves(editing):
    client, postmortem = editing
    start = dt.datetime(2026, 8, 14, 14, 0, tzinfo=dt.UTC)
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            postmortem=postmortem,
            position=i,
            at=start + dt.timedelta(seconds=30 * i),
            text=f"Event {i}: retried refund batch {i}",
            actor="alice",
        )
        for i in range(500)
    )
    url = reverse("postmortem_edit", args=[postmortem.slug])
    assert client.get(url).status_code == 200
    data = dict(snapshot(postmortem), action="save", why="The schema has no unit field.")
    assert len(data) > 1000  # more fields than Django's default allows
    # Urlencoded, as the browser and htmx send the editor form.
    response = client.post(url, urlencode(data), content_type=FORM)
    assert response.status_code == 302, response.content.decode()[:500]
    postmortem.refresh_from_db()
    assert postmortem.why == "The schema has no unit field."
    assert postmortem.timeline.count() >= 500
    check = client.post(
        reverse("postmortem_check"), urlencode(data), content_type=FORM, HTTP_HX_REQUEST="true"
    )
    assert check.status_code == 200


def test_other_pages_keep_the_default_field_limit(editing):
    client, _ = editing
    many = urlencode({f"f{i}": "x" for i in range(1500)})
    url = reverse("postmortem_status", args=["refund-overcharge"])
    assert client.post(url, many, content_type=FORM).status_code == 400


def test_a_calendar_change_makes_a_stale_editor_save_a_conflict(editing, reviewer):
    client, postmortem = editing
    commitment = Commitment.objects.filter(postmortem=postmortem).first()
    assert commitment is not None
    stale = dict(snapshot(postmortem), action="save", why="An unrelated edit.")
    commitment_services.move_due(commitment=commitment, due=dt.date(2031, 1, 15), user=reviewer)
    commitment_services.set_status(commitment=commitment, status="done", user=reviewer)
    response = client.post(reverse("postmortem_edit", args=[postmortem.slug]), stale)
    assert response.status_code == 409
    commitment.refresh_from_db()
    assert (commitment.status, commitment.due) == ("done", dt.date(2031, 1, 15))
    postmortem.refresh_from_db()
    assert postmortem.why != "An unrelated edit."
    assert Revision.objects.filter(postmortem=postmortem, applied=False).exists()


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_creates_with_one_title_all_keep_their_submission(author):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL")
    results = []

    def create(n):
        client = Client(raise_request_exception=False)
        client.force_login(author)
        data = {
            "title": "Refund outage",
            "severity": "SEV2",
            "why": f"Submission {n}: the schema has no unit field.",
            "action": "save",
        }
        for prefix in ("timeline", "lags", "changes", "commitments"):
            data[f"{prefix}-TOTAL_FORMS"] = "0"
            data[f"{prefix}-INITIAL_FORMS"] = "0"
        try:
            results.append(client.post(reverse("postmortem_new"), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [302] * 10
    kept = Postmortem.objects.filter(title="Refund outage")
    assert kept.count() == 10
    assert len(set(kept.values_list("slug", flat=True))) == 10
    whys = set(Revision.objects.values_list("data__why", flat=True))
    assert {f"Submission {n}: the schema has no unit field." for n in range(10)} <= whys
