"""Crafted URLs and form fields get a 4xx or a clean page with a message, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from postmortems.models import Postmortem
from tests.factories import PostmortemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, reviewer):
    client.raise_request_exception = False  # a crash must show as a 500 answer, not pass silently
    client.force_login(reviewer)
    PostmortemFactory(slug="refund-overcharge")
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/commitments/?month=9999-12",
        "/commitments/?month=0001-01",
        "/commitments/?month=2026-13",
        "/commitments/?view=list&due=9999-12-31",
        "/commitments/?view=list&page=99999999999999999999",
        "/review/9999Q4/",
        "/review/0000Q1/",
        "/review/?quarter=9999Q4",
        "/postmortems/?q=refund%00overcharge",
        "/postmortems/?quarter=%00",
        "/postmortems/?service=a%00b",
        "/commitments/?view=list&owner=a%00b",
        "/postmortems/?page=abc",
    ],
)
def test_crafted_urls_never_answer_500(signed_in, url):
    response = signed_in.get(url, follow=True)
    assert response.status_code < 500


def test_a_nul_in_the_search_box_is_refused_with_a_message_naming_the_parameter(signed_in):
    response = signed_in.get("/postmortems/", {"q": "refund\x00overcharge"})
    assert response.status_code == 400
    assert "'q' parameter holds a NUL character" in response.content.decode()


def test_a_month_past_the_last_drawable_one_shows_the_nearest_calendar(signed_in):
    response = signed_in.get("/commitments/", {"month": "9999-12"})
    assert response.status_code == 200
    assert "November 9999" in response.content.decode()


def test_a_tampered_row_count_is_refused_with_a_message_and_nothing_written(signed_in):
    postmortem = Postmortem.objects.get(slug="refund-overcharge")
    before = postmortem.timeline.count()
    url = reverse("postmortem_edit", args=[postmortem.slug])
    for action in ("add:timeline", "save"):
        response = signed_in.post(
            url, {"action": action, "timeline-TOTAL_FORMS": "abc", "title": postmortem.title}
        )
        assert response.status_code < 500
        assert postmortem.timeline.count() == before
