"""Improvement commitments after the postmortem: calendar, one-click changes, feeds, reminders."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from commitments import services, tasks
from commitments.chart import grouped_bars, nice_ceiling
from commitments.models import CommitmentEvent, FeedToken, ReminderLog
from commitments.summary import CommitmentFacts, QuarterTally, outcome, tally_by_quarter
from commitments.templatetags.trackers import tracker_link
from commitments.trackers import tracker_url
from postmortems.models import Commitment, Service
from tests.factories import PostmortemFactory, UserFactory

TODAY = timezone.now().date()
DAY = dt.timedelta(days=1)


def commit(postmortem, text, *, owner="alice", due=TODAY + 10 * DAY, status="open"):
    return Commitment.objects.create(
        postmortem=postmortem, text=text, owner=owner, due=due, status=status, position=9
    )


@pytest.fixture
def setup(db, author, other_author, reviewer, leader):
    """Two teams' postmortems; alice wrote the payments one, carol the search one."""
    payments = Service.objects.create(name="refunds-api", team="payments")
    search = Service.objects.create(name="search-api", team="discovery")
    pm_pay = PostmortemFactory(slug="refund-overcharge", created_by=author)
    pm_pay.authors.add(author)
    pm_pay.services.add(payments)
    pm_search = PostmortemFactory(
        slug="search-outage",
        title="Search returned nothing for 14 minutes",
        created_by=other_author,
        incident_start=dt.datetime(2026, 2, 3, 9, 0, tzinfo=dt.UTC),
        incident_end=dt.datetime(2026, 2, 3, 9, 14, tzinfo=dt.UTC),
    )
    pm_search.authors.add(other_author)
    pm_search.services.add(search)
    Commitment.objects.all().delete()  # the factory's own commitment; the tests name theirs
    return {
        "pay_open": commit(pm_pay, "Add a unit field to lookup_order.amount", owner="alice"),
        "pay_done": commit(pm_pay, "Cents guard back in the prompt", status="done"),
        "search_open": commit(pm_search, "Alert on empty search results over 5%", owner="carol"),
        "search_overdue": commit(
            pm_search, "Runbook step for index rebuild", owner="carol", due=TODAY - 3 * DAY
        ),
        "search_dropped": commit(pm_search, "Rewrite the indexer", owner="carol", status="dropped"),
    }


def calendar(client, **params):
    return client.get(reverse("commitment_calendar"), params)


# --- the calendar ----------------------------------------------------------------------


@pytest.mark.django_db
def test_leader_sees_every_commitment_in_the_list(client, setup, leader):
    client.force_login(leader)
    response = calendar(client, view="list")
    assert response.status_code == 200
    body = response.content.decode()
    for c in setup.values():
        assert c.text in body
    assert "overdue" in body
    assert "<html" in body  # the full page


@pytest.mark.django_db
def test_filters_narrow_the_list_by_team_service_owner_status_and_quarter(client, setup, leader):
    client.force_login(leader)
    cases = [
        ({"team": "payments"}, {"pay_open", "pay_done"}),
        ({"service": "search-api"}, {"search_open", "search_overdue", "search_dropped"}),
        ({"owner": "carol"}, {"search_open", "search_overdue", "search_dropped"}),
        ({"status": "done"}, {"pay_done"}),
        ({"status": "dropped"}, {"search_dropped"}),
        ({"status": "overdue"}, {"search_overdue"}),
        ({"quarter": "2026Q1"}, {"search_open", "search_overdue", "search_dropped"}),
        ({"team": "payments", "status": "open"}, {"pay_open"}),
    ]
    for params, expected in cases:
        body = calendar(client, view="list", **params).content.decode()
        shown = {key for key, c in setup.items() if f'id="commitment-{c.pk}"' in body}
        assert shown == expected, params


@pytest.mark.django_db
def test_month_view_shows_this_months_commitments_on_their_day(client, setup, leader):
    client.force_login(leader)
    month = setup["search_overdue"].due
    body = calendar(client, month=month.strftime("%Y-%m")).content.decode()
    assert "Runbook step for index rebuild" in body
    assert 'class="entry open overdue"' in body
    next_month = (month.replace(day=28) + 5 * DAY).replace(day=1)
    far = commit(setup["pay_open"].postmortem, "Far in the future", due=next_month + 40 * DAY)
    assert far.text not in calendar(client, month=month.strftime("%Y-%m")).content.decode()


@pytest.mark.django_db
def test_a_busy_day_links_to_the_rest(client, setup, leader):
    pm = setup["pay_open"].postmortem
    day = TODAY.replace(day=15)
    for i in range(6):
        commit(pm, f"Busy day item {i}", due=day)
    client.force_login(leader)
    body = calendar(client, month=day.strftime("%Y-%m")).content.decode()
    assert "+2 more" in body
    listed = calendar(client, due=day.isoformat()).content.decode()
    assert all(f"Busy day item {i}" in listed for i in range(6))


@pytest.mark.django_db
def test_htmx_filter_returns_only_the_results_region(client, setup, leader):
    client.force_login(leader)
    response = client.get(
        reverse("commitment_calendar"),
        {"view": "list", "team": "payments"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body
    assert setup["pay_open"].text in body and setup["search_open"].text not in body


@pytest.mark.django_db
def test_calendar_needs_login_and_a_role(client, setup):
    response = calendar(client)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(username="nobody"))
    assert calendar(client).status_code == 403


# --- changing a commitment -------------------------------------------------------------


@pytest.mark.django_db
def test_reviewer_marks_done_in_one_click_and_the_event_records_who_and_when(
    client, setup, reviewer
):
    client.force_login(reviewer)
    c = setup["search_open"]
    before = timezone.now()
    response = client.post(
        reverse("commitment_status", args=[c.pk]), {"status": "done"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="commitment-{c.pk}"')
    assert "Reopen" in body and "done by rita" in body
    c.refresh_from_db()
    assert c.status == "done"
    event = CommitmentEvent.objects.get(commitment=c)
    assert (event.actor, event.action, event.old_value, event.new_value) == (
        reviewer,
        "status",
        "open",
        "done",
    )
    assert before <= event.at <= timezone.now()


@pytest.mark.django_db
def test_owner_moves_the_date_and_the_history_shows_it(client, setup, other_author):
    client.force_login(other_author)  # carol owns it
    c = setup["search_overdue"]
    new_due = TODAY + 14 * DAY
    response = client.post(
        reverse("commitment_move", args=[c.pk]),
        {"due": new_due.isoformat(), "next": reverse("commitment_calendar") + "?view=list"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("commitment_calendar") + "?view=list"
    c.refresh_from_db()
    assert c.due == new_due
    event = CommitmentEvent.objects.get(commitment=c)
    assert (event.actor, event.action) == (other_author, "move")
    assert (event.old_value, event.new_value) == (
        (TODAY - 3 * DAY).isoformat(),
        new_due.isoformat(),
    )
    detail = client.get(reverse("commitment_detail", args=[c.pk])).content.decode()
    assert "Due date moved" in detail and "carol" in detail and new_due.isoformat() in detail


@pytest.mark.django_db
def test_author_of_the_postmortem_can_change_its_commitments(client, setup, author):
    client.force_login(author)
    c = setup["pay_done"]
    response = client.post(reverse("commitment_status", args=[c.pk]), {"status": "open"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == "open"


@pytest.mark.django_db
def test_non_htmx_post_lands_on_the_commitment_page_and_ignores_foreign_next(
    client, setup, reviewer
):
    client.force_login(reviewer)
    c = setup["pay_open"]
    response = client.post(
        reverse("commitment_status", args=[c.pk]),
        {"status": "dropped", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("commitment_detail", args=[c.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Dropped" in page.content.decode()


@pytest.mark.django_db
def test_changing_needs_post(client, setup, reviewer):
    client.force_login(reviewer)
    c = setup["pay_open"]
    assert (
        client.get(reverse("commitment_status", args=[c.pk]), {"status": "done"}).status_code == 405
    )
    assert client.get(reverse("commitment_move", args=[c.pk])).status_code == 405
    c.refresh_from_db()
    assert c.status == "open"


@pytest.mark.django_db
def test_leadership_reads_but_cannot_change(client, setup, leader):
    client.force_login(leader)
    c = setup["pay_open"]
    assert "read only" in calendar(client, view="list").content.decode()
    assert (
        client.post(reverse("commitment_status", args=[c.pk]), {"status": "done"}).status_code
        == 403
    )
    assert (
        client.post(reverse("commitment_move", args=[c.pk]), {"due": "2030-01-01"}).status_code
        == 403
    )
    c.refresh_from_db()
    assert (c.status, CommitmentEvent.objects.count()) == ("open", 0)


@pytest.mark.django_db
def test_an_author_cannot_change_someone_elses_commitment(client, setup, author):
    client.force_login(author)  # alice neither wrote the search postmortem nor owns its items
    c = setup["search_open"]
    response = client.post(reverse("commitment_status", args=[c.pk]), {"status": "done"})
    assert response.status_code == 403
    c.refresh_from_db()
    assert c.status == "open"


@pytest.mark.django_db
def test_a_bad_date_re_renders_the_row_with_a_message(client, setup, reviewer):
    client.force_login(reviewer)
    c = setup["pay_open"]
    response = client.post(
        reverse("commitment_move", args=[c.pk]), {"due": "next week"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Enter a due date" in response.content.decode()
    assert CommitmentEvent.objects.count() == 0


@pytest.mark.django_db
def test_the_same_status_twice_records_one_event(client, setup, reviewer):
    client.force_login(reviewer)
    c = setup["pay_open"]
    for _ in range(2):
        client.post(reverse("commitment_status", args=[c.pk]), {"status": "done"})
    assert CommitmentEvent.objects.filter(commitment=c).count() == 1


@pytest.mark.django_db
def test_commitment_page_of_a_missing_commitment_is_404(client, setup, leader):
    client.force_login(leader)
    assert client.get(reverse("commitment_detail", args=[999999])).status_code == 404


# --- the iCalendar feed ----------------------------------------------------------------


def feed_url(token):
    return reverse("commitment_feed", args=[token])


def events_of(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.mark.django_db
def test_everyone_feed_has_one_all_day_event_per_open_commitment(client, setup, leader):
    token = services.issue_feed_token(user=leader, scope="everyone")
    response = client.get(feed_url(token))  # no login: a calendar client subscribes
    assert response.status_code == 200
    events = events_of(response)
    open_ones = [setup[k] for k in ("pay_open", "search_open", "search_overdue")]
    assert set(events) == {f"commitment-{c.pk}@hindsight" for c in open_ones}
    event = events[f"commitment-{setup['search_open'].pk}@hindsight"]
    assert str(event["SUMMARY"]) == "Alert on empty search results over 5%"
    assert event.decoded("DTSTART") == setup["search_open"].due
    assert event.decoded("DTEND") == setup["search_open"].due + DAY
    assert "Owner: carol" in str(event["DESCRIPTION"])
    assert "Search returned nothing for 14 minutes" in str(event["DESCRIPTION"])
    assert f"/commitments/{setup['search_open'].pk}/" in str(event["DESCRIPTION"])
    assert "LAST-MODIFIED" in event


@pytest.mark.django_db
def test_my_feed_has_only_my_commitments(client, setup, other_author):
    token = services.issue_feed_token(user=other_author, scope="mine")
    events = events_of(client.get(feed_url(token)))
    assert set(events) == {
        f"commitment-{setup[k].pk}@hindsight" for k in ("search_open", "search_overdue")
    }


@pytest.mark.django_db
def test_the_feed_reflects_a_moved_date(client, setup, leader, reviewer):
    token = services.issue_feed_token(user=leader, scope="everyone")
    c = setup["pay_open"]
    uid = f"commitment-{c.pk}@hindsight"
    Commitment.objects.filter(pk=c.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    first = events_of(client.get(feed_url(token)))[uid]
    services.move_due(commitment=c, due=TODAY + 30 * DAY, user=reviewer)
    second = events_of(client.get(feed_url(token)))[uid]
    assert second.decoded("DTSTART") == TODAY + 30 * DAY != first.decoded("DTSTART")
    assert second.decoded("LAST-MODIFIED") > first.decoded("LAST-MODIFIED")


@pytest.mark.django_db
def test_a_wrong_or_revoked_token_is_404_with_no_data(client, setup, leader):
    token = services.issue_feed_token(user=leader, scope="everyone")
    wrong = client.get(feed_url(token[:-2] + "xx"))
    assert wrong.status_code == 404
    assert setup["pay_open"].text.encode() not in wrong.content
    client.force_login(leader)
    assert client.post(reverse("commitment_feed_revoke", args=["everyone"])).status_code == 302
    client.logout()
    revoked = client.get(feed_url(token))
    assert revoked.status_code == 404
    assert setup["pay_open"].text.encode() not in revoked.content
    assert b"BEGIN:VCALENDAR" not in revoked.content


@pytest.mark.django_db
def test_renewing_gives_a_new_link_and_the_old_one_stops(client, setup, leader):
    client.force_login(leader)
    first = client.post(reverse("commitment_feed_renew", args=["mine"]))
    second = client.post(reverse("commitment_feed_renew", args=["mine"]))
    old, new = (r.context["feeds"][0]["new_url"] for r in (first, second))
    assert old and new and old != new and new in second.content.decode()
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert FeedToken.objects.filter(user=leader).count() == 1


@pytest.mark.django_db
def test_only_a_hash_of_the_token_is_stored(setup, leader):
    token = services.issue_feed_token(user=leader, scope="mine")
    stored = FeedToken.objects.get(user=leader)
    assert token not in stored.token_hash and len(stored.token_hash) == 64


@pytest.mark.django_db
def test_a_user_who_lost_their_role_loses_their_feed(client, setup, leader):
    token = services.issue_feed_token(user=leader, scope="everyone")
    leader.groups.clear()
    assert client.get(feed_url(token)).status_code == 404


@pytest.mark.django_db
def test_feed_settings_need_post_to_renew_or_revoke(client, setup, leader):
    client.force_login(leader)
    assert client.get(reverse("commitment_feeds")).status_code == 200
    assert client.get(reverse("commitment_feed_renew", args=["mine"])).status_code == 405
    assert client.get(reverse("commitment_feed_revoke", args=["mine"])).status_code == 405
    assert client.post(reverse("commitment_feed_renew", args=["nope"])).status_code == 404
    assert FeedToken.objects.count() == 0


# --- reminders and the digest ----------------------------------------------------------

REMIND_DAY = dt.date(2026, 9, 10)


@pytest.fixture
def reminders(db, author, other_author, leader):
    pm = PostmortemFactory(slug="reminders")
    Commitment.objects.all().delete()
    return {
        "due_today": commit(pm, "Due today", owner="alice", due=REMIND_DAY),
        "due_in_7": commit(pm, "Due in seven days", owner="alice", due=REMIND_DAY + 7 * DAY),
        "due_in_8": commit(pm, "Due in eight days", owner="alice", due=REMIND_DAY + 8 * DAY),
        "overdue": commit(pm, "Overdue by two", owner="carol", due=REMIND_DAY - 2 * DAY),
        "done_overdue": commit(
            pm, "Done already", owner="carol", due=REMIND_DAY - 9 * DAY, status="done"
        ),
        "no_user": commit(pm, "Owner without an account", owner="ghost", due=REMIND_DAY),
        "no_date": commit(pm, "No date yet", owner="alice", due=None),
    }


@pytest.mark.django_db
def test_due_soon_and_overdue_are_selected(reminders):
    selected = {c.text: kind for c, kind in services.due_reminders(today=REMIND_DAY)}
    assert selected == {
        "Overdue by two": "overdue",
        "Due today": "due_soon",
        "Owner without an account": "due_soon",
        "Due in seven days": "due_soon",
    }


@pytest.mark.django_db
def test_each_owner_gets_one_email_per_commitment_however_often_the_job_runs(reminders):
    assert services.send_commitment_reminders(today=REMIND_DAY) == 3
    assert tasks.send_commitment_reminders(REMIND_DAY.isoformat()) == 0  # a second beat
    by_recipient = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert by_recipient == [
        ("alice@example.com", "[Hindsight] Due in 7 days: Due in seven days"),
        ("alice@example.com", "[Hindsight] Due today: Due today"),
        ("carol@example.com", "[Hindsight] Overdue by 2 days: Overdue by two"),
    ]
    assert "Refund agent overcharged" in mail.outbox[0].body
    assert ReminderLog.objects.count() == 3


@pytest.mark.django_db
def test_the_next_day_reminds_again(reminders):
    services.send_commitment_reminders(today=REMIND_DAY)
    mail.outbox.clear()
    services.send_commitment_reminders(today=REMIND_DAY + DAY)
    assert {m.subject for m in mail.outbox} >= {"[Hindsight] Overdue by 3 days: Overdue by two"}


@pytest.mark.django_db
def test_two_concurrent_claims_of_one_reminder_send_once(reminders):
    c = reminders["overdue"]
    first = services.claim_reminder(commitment_id=c.pk, day=REMIND_DAY, kind="overdue")
    second = services.claim_reminder(commitment_id=c.pk, day=REMIND_DAY, kind="overdue")
    assert (first, second) == (True, False)
    services.send_commitment_reminders(today=REMIND_DAY)
    assert [m.subject for m in mail.outbox if "Overdue by two" in m.subject] == []


@pytest.mark.django_db(transaction=True)
def test_two_beats_running_at_once_send_each_reminder_once(reminders):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL; the claim test covers SQLite")
    barrier = threading.Barrier(2)
    sent = []

    def beat():
        try:
            barrier.wait(timeout=10)
            sent.append(services.send_commitment_reminders(today=REMIND_DAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(sent) == 3
    assert len(mail.outbox) == 3
    assert ReminderLog.objects.count() == 3


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim_for_the_next_run(reminders, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", broken)
    assert services.send_commitment_reminders(today=REMIND_DAY) == 0
    assert ReminderLog.objects.count() == 0
    monkeypatch.undo()
    assert services.send_commitment_reminders(today=REMIND_DAY) == 3


@pytest.mark.django_db
def test_leadership_digest_goes_once_per_week(reminders, leader):
    UserFactory(username="lena", role="leadership")
    UserFactory(username="no-mail", role="leadership", email="")
    monday = dt.date(2026, 9, 14)
    assert services.send_leadership_digest(today=monday) == 2
    assert tasks.send_leadership_digest((monday + 2 * DAY).isoformat()) == 0  # same week
    assert sorted(m.to[0] for m in mail.outbox) == ["lena@example.com", "leo@example.com"]
    body = mail.outbox[0].body
    assert "Is the team learning?" in body and "Overdue: 3" in body
    assert services.send_leadership_digest(today=monday + 7 * DAY) == 2


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
@pytest.mark.django_db
def test_the_digest_reports_kept_and_late_per_quarter(reminders):
    text = services.digest_text(today=REMIND_DAY)
    assert "2026Q3: 7 made" in text


# --- the leadership summary ------------------------------------------------------------

D = dt.date


@pytest.mark.parametrize(
    ("status", "due", "done_on", "expected"),
    [
        ("done", D(2026, 5, 1), D(2026, 5, 1), "kept"),
        ("done", D(2026, 5, 1), D(2026, 5, 2), "late"),
        ("done", None, D(2026, 5, 2), "kept"),
        ("open", D(2026, 5, 1), None, "late"),
        ("open", D(2026, 6, 1), None, "in_flight"),
        ("open", None, None, "in_flight"),
        ("dropped", D(2026, 5, 1), None, "dropped"),
    ],
)
def test_outcome_of_a_commitment(status, due, done_on, expected):
    facts = CommitmentFacts("2026Q2", status, due, done_on)
    assert outcome(facts, today=D(2026, 5, 15)) == expected


def test_tally_by_quarter_counts_each_outcome():
    facts = [
        CommitmentFacts("2026Q2", "done", D(2026, 5, 1), D(2026, 4, 30)),
        CommitmentFacts("2026Q2", "open", D(2026, 5, 1), None),
        CommitmentFacts("2026Q1", "dropped", None, None),
        CommitmentFacts("", "open", None, None),
    ]
    tallies = tally_by_quarter(facts, today=D(2026, 5, 15))
    assert [(t.quarter, t.made, t.kept, t.late, t.dropped, t.in_flight) for t in tallies] == [
        ("2026Q1", 1, 0, 0, 1, 0),
        ("2026Q2", 2, 1, 1, 0, 0),
        ("no date", 1, 0, 0, 0, 1),
    ]
    assert tallies[1].kept_share == 50


def test_chart_scales_bars_to_a_round_maximum():
    assert [nice_ceiling(n) for n in (0, 1, 3, 7, 10, 11, 42, 180)] == [
        1,
        1,
        5,
        10,
        10,
        20,
        50,
        200,
    ]
    chart = grouped_bars([QuarterTally("2026Q1", made=10, kept=5, late=3, dropped=2)])
    made, kept, *_ = chart.bars
    assert made.height == chart.plot_height and kept.height == chart.plot_height / 2
    assert chart.x_labels[0][1] == "2026Q1" and len(chart.legend) == 4


@pytest.mark.django_db
def test_done_time_comes_from_the_event_or_else_the_last_update(setup, reviewer):
    c = setup["pay_open"]
    services.set_status(commitment=c, status="done", user=reviewer)
    CommitmentEvent.objects.filter(commitment=c).update(at=timezone.now() + 20 * DAY)
    facts = {f.due: f for f in services.commitment_facts(Commitment.objects.filter(pk=c.pk))}
    assert facts[c.due].done_on == TODAY + 20 * DAY  # after its due date: late
    done = setup["pay_done"]
    (fact,) = services.commitment_facts(Commitment.objects.filter(pk=done.pk))
    assert fact.done_on == done.updated_at.date()


@pytest.mark.django_db
def test_summary_page_has_a_chart_and_a_table(client, setup, leader):
    client.force_login(leader)
    response = client.get(reverse("commitment_summary"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "Quarter of the incident" in body and "Kept on time" in body
    assert "2026Q1" in body and "2026Q3" in body


# --- tracker references ----------------------------------------------------------------

TRACKERS = {
    "github_repo_url": "https://github.com/acme/agent",
    "jira_base_url": "https://acme.atlassian.net/",
    "gitlab_project_url": "https://gitlab.com/acme/agent",
}


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("#123", "https://github.com/acme/agent/issues/123"),
        ("PR #123", "https://github.com/acme/agent/pull/123"),
        ("pr 123", "https://github.com/acme/agent/pull/123"),
        ("!45", "https://gitlab.com/acme/agent/-/merge_requests/45"),
        ("MR !45", "https://gitlab.com/acme/agent/-/merge_requests/45"),
        ("PROJ-123", "https://acme.atlassian.net/browse/PROJ-123"),
        (
            "https://github.com/acme/agent/pull/2341",
            "https://github.com/acme/agent/pull/2341",
        ),
        (
            "https://gitlab.com/acme/agent/-/merge_requests/7",
            "https://gitlab.com/acme/agent/-/merge_requests/7",
        ),
        (
            "https://acme.atlassian.net/browse/OPS-9",
            "https://acme.atlassian.net/browse/OPS-9",
        ),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(document.cookie)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/x", None),
        ("see the runbook", None),
        ("proj-123", None),
        ("", None),
    ],
)
def test_tracker_url(reference, expected):
    assert tracker_url(reference, **TRACKERS) == expected


def test_tracker_url_without_configured_trackers():
    none = {"github_repo_url": "", "jira_base_url": "", "gitlab_project_url": ""}
    assert tracker_url("#123", **none) is None
    assert tracker_url("PROJ-1", **none) is None
    assert tracker_url("#5", **{**none, "gitlab_project_url": "https://gitlab.com/a/b"}) == (
        "https://gitlab.com/a/b/-/issues/5"
    )
    assert tracker_url("#5", **{**none, "github_repo_url": "javascript:alert(1)//"}) is None


@override_settings(HINDSIGHT_GITHUB_REPO_URL="https://github.com/acme/agent")
def test_tracker_link_filter_escapes_and_refuses_unsafe_urls():
    assert tracker_link("PR #2341") == (
        '<a href="https://github.com/acme/agent/pull/2341" rel="noopener noreferrer">PR #2341</a>'
    )
    assert tracker_link("<b>x</b>", "javascript:alert(1)") == "&lt;b&gt;x&lt;/b&gt;"
    assert tracker_link("PR <1>", "https://example.com/a?b=1&c=2") == (
        '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">PR &lt;1&gt;</a>'
    )
    assert tracker_link("", "") == ""
    assert tracker_link(None, None) == ""


def test_chart_ticks_are_whole_numbers():
    for made, expected in [
        (3, [0, 1, 2, 3, 4, 5]),
        (10, [0, 2, 4, 6, 8, 10]),
        (20, [0, 5, 10, 15, 20]),
    ]:
        chart = grouped_bars([QuarterTally("2026Q1", made=made)])
        assert [value for _, value in chart.y_ticks] == expected
