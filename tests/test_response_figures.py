"""The response measured from the timeline, shown on the postmortem page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from postmortems.models import TimelineEntry
from tests.factories import START, PostmortemFactory

pytestmark = pytest.mark.django_db


def test_the_page_shows_time_to_ack_bleed_stop_and_resolve(author_client):
    postmortem = PostmortemFactory()
    html = author_client.get(reverse("postmortem_detail", args=[postmortem.slug])).content.decode()
    # Factory timeline: page 14:05, ack 14:06, rollback 14:08, all-clear 14:12.
    assert 'id="time-to-ack">1 min' in html
    assert 'id="time-to-stop-bleed">3 min' in html
    assert 'id="time-to-resolve">7 min' in html
    assert 'id="investigate-first"' not in html
    assert "Writeup ETA" in html and "We stopped the bleed at 14:08 UTC" in html


def test_investigating_before_the_bleed_stops_is_flagged_with_its_damage(author_client):
    postmortem = PostmortemFactory(impact_users=100, impact_minutes=10)
    TimelineEntry.objects.filter(postmortem=postmortem, text__startswith="Rolled back").update(
        at=START + dt.timedelta(minutes=20)
    )
    TimelineEntry.objects.create(
        postmortem=postmortem,
        position=3,
        at=START + dt.timedelta(minutes=7),
        text="Began reading the failing traces",
        actor="alice",
        phase="investigate",
    )
    html = author_client.get(reverse("postmortem_detail", args=[postmortem.slug])).content.decode()
    assert 'id="investigate-first"' in html
    # R = 100 users / 10 min; T = 14:03 → 14:23 = 20 min.
    assert 'id="damage">200<' in html


def test_the_status_line_says_what_users_saw_when_nothing_is_under_what_broke():
    from postmortems.response import status_update

    postmortem = PostmortemFactory.build(
        severity="SEV2",
        title="Checkout logged shoppers out",
        what_broke="",
        impact_summary="3,400 shoppers were logged out for *38 minutes*. Orders failed too.",
        status="published",
    )
    assert status_update(postmortem, []) == (
        "[SEV2] Checkout logged shoppers out: 3,400 shoppers were logged out for 38 minutes. "
        "Writeup published."
    )
    postmortem.impact_summary = ""
    assert (
        status_update(postmortem, []) == "[SEV2] Checkout logged shoppers out. Writeup published."
    )
