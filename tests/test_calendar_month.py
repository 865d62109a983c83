"""The calendar's month grid: the right commitments on the right day, counted right."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone

from commitments.month import _label
from postmortems.models import Commitment, Postmortem
from tests.factories import PostmortemFactory

TODAY = timezone.now().date()
DAY = dt.timedelta(days=1)


def commit(postmortem, text, *, owner="alice", due, status="open"):
    return Commitment.objects.create(
        postmortem=postmortem, text=text, owner=owner, due=due, status=status, position=9
    )


def month_page(client, day: dt.date, **params) -> str:
    response = client.get(
        reverse("commitment_calendar"), {"month": day.strftime("%Y-%m"), **params}
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def busy_month(db):
    """On the 12th: six commitments of a current postmortem and two of a deleted one;
    on the 20th: one, moved twice."""
    Commitment.objects.all().delete()
    kept = PostmortemFactory(slug="queue-backlog", title="Queue backlog for 40 minutes")
    removed = PostmortemFactory(slug="deleted-draft", title="A draft someone deleted")
    Commitment.objects.all().delete()  # the factory's own commitments
    Postmortem.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    busy = TODAY.replace(day=12)
    rows = [commit(kept, f"Queue step {i}", due=busy) for i in range(6)]
    for i in range(2):
        commit(removed, f"Deleted draft step {i}", due=busy)
    moved = commit(
        kept, "Consumer lag alert over 5 minutes", owner="carol", due=TODAY.replace(day=20)
    )
    moved.first_due = moved.due - 9 * DAY
    moved.due_moves = 2
    moved.save()
    return {"busy": busy, "rows": rows, "moved": moved}


def test_a_busy_day_shows_its_first_four_and_counts_the_rest(client, leader, busy_month):
    client.force_login(leader)
    body = month_page(client, busy_month["busy"])
    shown = [c for c in busy_month["rows"] if f"/commitments/{c.pk}/" in body]
    assert shown == busy_month["rows"][:4]
    assert "+2 more" in body
    assert "7 commitments due in" in body  # six on the 12th, one on the 20th
    assert "Deleted draft step" not in body


def test_the_rest_of_a_busy_day_is_one_click_away(client, leader, busy_month):
    client.force_login(leader)
    busy = busy_month["busy"]
    body = month_page(client, busy)
    assert f'href="?view=list&amp;due={busy.isoformat()}"' in body
    listed = client.get(reverse("commitment_calendar"), {"due": busy.isoformat()}).content
    assert all(c.text.encode() in listed for c in busy_month["rows"])


def test_a_filtered_month_keeps_its_filter_in_the_more_link(client, leader, busy_month):
    client.force_login(leader)
    body = month_page(client, busy_month["busy"], owner="alice")
    assert "&amp;owner=alice" in body and "+2 more" in body
    assert "Consumer lag alert" not in body  # carol's


def test_a_moved_commitment_shows_its_slip_owner_and_postmortem(client, leader, busy_month):
    client.force_login(leader)
    body = month_page(client, busy_month["moved"].due)
    assert '<span class="who">@carol</span>' in body
    assert '<span class="slip">moved twice, +9 days</span>' in body
    assert "Consumer lag alert over 5 minutes — @carol — Queue backlog for 40 minutes" in body


def test_the_owner_menu_names_each_owner_once_in_order(client, leader, busy_month):
    Commitment.objects.filter(pk=busy_month["rows"][0].pk).update(owner="")
    client.force_login(leader)
    body = month_page(client, busy_month["busy"])
    menu = body[body.index('<select name="owner">') :]
    menu = menu[: menu.index("</select>")]
    assert menu.count("<option") == 3  # All, @alice, @carol
    assert menu.index("@alice") < menu.index("@carol")


@pytest.mark.parametrize(
    "text",
    [
        "Short enough",
        "x" * 48,
        "x" * 49,
        "Alert: kafka_server_ssl_cert_expiry_days < 30 pages #data-oncall",
        "Réparer l’alerte de latence du service de paiement avant vendredi",
        "Cafe\u0301 " * 14,  # combining accents do not count as characters
    ],
)
def test_an_entry_is_cut_where_truncatechars_cuts_it(text):
    assert _label(text) == truncatechars(text, 48)
