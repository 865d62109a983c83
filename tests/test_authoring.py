"""Writing a postmortem through the one form: drafts, revisions, conflicts, restore."""

from __future__ import annotations

import pytest
from django.urls import reverse

from postmortems.models import Postmortem, Revision, Status
from postmortems.snapshot import snapshot
from tests.factories import PostmortemFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "Checkout 502s after Envoy timeout change",
        "slug": "",
        "severity": "SEV2",
        "incident_start": "2026-08-14 14:03",
        "incident_end": "2026-08-14 14:40",
        "services_text": "checkout, envoy",
        "authors_text": "alice",
        "impact_users": "1240",
        "impact_minutes": "37",
        "impact_money": "8450.00",
        "impact_currency": "usd",
        "impact_summary": "1,240 checkouts failed with 502 over 37 minutes.",
        "what_broke": "Envoy route timeout dropped from 5s to 50ms; 31% of checkout calls timed out.",
        "why": "The timeout config value was written in ms where the schema expects seconds.",
        "timeline-TOTAL_FORMS": "2",
        "timeline-INITIAL_FORMS": "0",
        "timeline-0-at": "14:03",
        "timeline-0-text": "Config push with route timeout 0.05s",
        "timeline-0-actor": "deploy-bot",
        "timeline-1-at": "2026-08-14 14:09",
        "timeline-1-text": "Page on checkout 5xx rate > 5% over 5 min",
        "timeline-1-actor": "PagerDuty",
        "lags-TOTAL_FORMS": "1",
        "lags-INITIAL_FORMS": "0",
        "lags-0-kind": "detection",
        "lags-0-minutes": "6",
        "lags-0-text": "The 5xx alert window is 5 minutes",
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "0",
        "changes-0-kind": "pr",
        "changes-0-text": "Validate timeout units in the route schema",
        "changes-0-reference": "PR #812",
        "changes-0-url": "",
        "changes-0-owner": "@alice",
        "changes-0-due": "2026-08-30",
        "changes-0-status": "open",
        "commitments-TOTAL_FORMS": "1",
        "commitments-INITIAL_FORMS": "0",
        "commitments-0-text": "PR #812 validate timeout units",
        "commitments-0-owner": "alice",
        "commitments-0-due": "2026-08-30",
        "commitments-0-status": "open",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_saving_a_new_postmortem_stores_every_part_and_a_revision(author_client, author):
    response = author_client.post(reverse("postmortem_new"), form_data())
    postmortem = Postmortem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == postmortem.get_absolute_url()
    assert postmortem.slug == "checkout-502s-after-envoy-timeout-change"
    assert postmortem.quarter == "2026Q3"
    assert postmortem.impact_currency == "USD"
    assert [s.name for s in postmortem.services.all()] == ["checkout", "envoy"]
    timeline = list(postmortem.timeline.all())
    assert [e.at.strftime("%Y-%m-%d %H:%M") for e in timeline] == [
        "2026-08-14 14:03",
        "2026-08-14 14:09",
    ]
    assert postmortem.lags.get().minutes == 6
    change = postmortem.changes.get()
    assert change.owner == "alice"
    assert postmortem.commitments.get().change == change
    assert postmortem.revisions.count() == 1
    page = author_client.get(postmortem.get_absolute_url())
    assert b"1,240 checkouts failed" in page.content or b"1,240" in page.content
    assert b"14:09 UTC" in page.content


def test_an_invalid_save_keeps_the_text_as_a_draft_revision(author_client):
    data = form_data(incident_start="yesterday afternoon", **{"timeline-1-at": "25:99"})
    response = author_client.post(reverse("postmortem_new"), data)
    postmortem = Postmortem.objects.get()
    assert postmortem.status == Status.DRAFT
    revision = postmortem.revisions.get()
    assert revision.valid is False
    assert revision.data["what_broke"] == data["what_broke"]
    # The editor comes back with the typed text and the errors next to the fields.
    page = author_client.get(response["Location"])
    assert b"YYYY-MM-DD HH:MM" in page.content
    assert b"Envoy route timeout dropped from 5s to 50ms" in page.content
    assert b"Showing revision 1" in page.content


def test_fixing_an_invalid_draft_applies_it(author_client):
    author_client.post(reverse("postmortem_new"), form_data(incident_start="soon"))
    postmortem = Postmortem.objects.get()
    data = form_data(slug=postmortem.slug, version=str(postmortem.version))
    response = author_client.post(reverse("postmortem_edit", args=[postmortem.slug]), data)
    assert response.status_code == 302
    postmortem.refresh_from_db()
    assert postmortem.incident_start.hour == 14
    assert postmortem.revisions.count() == 2


def test_a_second_stale_save_is_told_and_loses_nothing(client, author, reviewer):
    postmortem = PostmortemFactory(created_by=author)
    postmortem.authors.add(author)
    stale = snapshot(postmortem)
    client.force_login(reviewer)
    first = dict(
        stale, why="Reviewer's version of why: the schema lacks a unit field.", action="save"
    )
    assert client.post(reverse("postmortem_edit", args=[postmortem.slug]), first).status_code == 302
    client.force_login(author)
    second = dict(
        stale, why="Author's version of why: v5 prompt dropped the cents guard.", action="save"
    )
    response = client.post(reverse("postmortem_edit", args=[postmortem.slug]), second)
    assert response.status_code == 409
    assert b"Someone else saved this postmortem" in response.content
    assert b"Reviewer&#x27;s version of why" in response.content
    assert b"Author&#x27;s version of why" in response.content
    postmortem.refresh_from_db()
    assert postmortem.why.startswith("Reviewer's version")
    notes = list(postmortem.revisions.order_by("number").values_list("data__why", flat=True))
    assert any(n and n.startswith("Author's version") for n in notes)
    assert any(n and n.startswith("Reviewer's version") for n in notes)


def test_restoring_a_revision_brings_its_text_back_as_a_new_revision(reviewer_client):
    postmortem = PostmortemFactory()
    from postmortems.services import record_revision

    original = record_revision(postmortem=postmortem, data=snapshot(postmortem), note="Saved")
    edited = dict(snapshot(postmortem), why="A different cause entirely.", action="save")
    reviewer_client.post(reverse("postmortem_edit", args=[postmortem.slug]), edited)
    postmortem.refresh_from_db()
    assert postmortem.why == "A different cause entirely."
    response = reviewer_client.post(
        reverse("revision_restore", args=[postmortem.slug, original.number])
    )
    assert response.status_code == 302
    postmortem.refresh_from_db()
    assert postmortem.why.startswith("The schema for lookup_order.amount has no unit field")
    assert postmortem.timeline.count() == 5
    latest = postmortem.revisions.order_by("-number").first()
    assert latest.note == f"Restored revision {original.number}"
    history = reviewer_client.get(reverse("postmortem_history", args=[postmortem.slug]))
    assert f"Restored revision {original.number}".encode() in history.content


def test_adding_a_row_with_htmx_returns_only_that_row_set(author_client):
    data = form_data(action="add:lags")
    response = author_client.post(reverse("postmortem_new"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<div id="rows-lags"')
    assert 'name="lags-TOTAL_FORMS" value="2"' in html
    assert Postmortem.objects.count() == 0


def test_pasted_timeline_lines_become_rows_and_bad_lines_are_kept(author_client):
    pasted = (
        "14:05 UTC — Page fires on refund_amount alert — PagerDuty\n"
        "around 2pm the on-call looked at it\n"
        "2026-08-14 14:08 UTC -- Rolled back to v4 -- alice"
    )
    data = form_data(action="paste_timeline", timeline_paste=pasted)
    response = author_client.post(reverse("postmortem_new"), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'name="timeline-TOTAL_FORMS" value="4"' in html
    assert 'value="Rolled back to v4"' in html
    assert "Line 2:" in html
    assert "around 2pm the on-call looked at it</textarea>" in html


def test_the_list_filters_and_searches_every_section(author_client):
    PostmortemFactory(
        slug="tls", title="Payments API TLS outage", why="The x509 certificate lapsed."
    )
    PostmortemFactory(
        slug="dns", title="DNS outage", severity="SEV1", why="A TTL of 0 overloaded the resolver."
    )
    response = author_client.get(reverse("postmortem_list"), {"q": "certificate lapsed"})
    assert b"Payments API TLS outage" in response.content
    assert b"DNS outage" not in response.content
    response = author_client.get(
        reverse("postmortem_list"), {"severity": "SEV1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode().strip()
    assert html.startswith('<div id="results"')
    assert "DNS outage" in html and "TLS outage" not in html


def test_state_changes_refuse_get(author_client):
    postmortem = PostmortemFactory()
    assert (
        author_client.get(reverse("postmortem_status", args=[postmortem.slug])).status_code == 405
    )
    assert (
        author_client.get(reverse("revision_restore", args=[postmortem.slug, 1])).status_code == 405
    )


def test_revisions_are_numbered_per_postmortem():
    postmortem = PostmortemFactory()
    from postmortems.services import record_revision

    first = record_revision(postmortem=postmortem, data={}, note="a")
    second = record_revision(postmortem=postmortem, data={}, note="b")
    assert (first.number, second.number) == (1, 2)
    assert Revision.objects.filter(postmortem=postmortem).count() == 2


def _without_csrf(html: str) -> str:
    import re

    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_the_edit_page_shows_each_save_and_restore_at_once(reviewer_client):
    # The stored fields are rendered once per version: every write must show on the next load.
    postmortem = PostmortemFactory()
    other = PostmortemFactory(slug="other-incident", why="Another team's cause, not this one.")
    url = reverse("postmortem_edit", args=[postmortem.slug])
    first = reviewer_client.get(url).content.decode()
    again = reviewer_client.get(url).content.decode()
    assert _without_csrf(first) == _without_csrf(again)
    from postmortems.services import record_revision

    original = record_revision(postmortem=postmortem, data=snapshot(postmortem), note="Saved")
    edited = dict(snapshot(postmortem), why="The pool limit was 20 against 64 workers.")
    edited["timeline-0-text"] = "Pool exhausted at 64 connections"
    reviewer_client.post(url, {**edited, "action": "save"})
    page = reviewer_client.get(url).content.decode()
    assert "The pool limit was 20 against 64 workers." in page
    assert "Pool exhausted at 64 connections" in page
    reviewer_client.post(reverse("revision_restore", args=[postmortem.slug, original.number]))
    page = reviewer_client.get(url).content.decode()
    assert "The pool limit was 20 against 64 workers." not in page
    assert postmortem.why[:40] in page
    other_page = reviewer_client.get(reverse("postmortem_edit", args=[other.slug])).content
    assert b"Another team&#x27;s cause, not this one." in other_page
    assert postmortem.why[:40].encode() not in other_page
