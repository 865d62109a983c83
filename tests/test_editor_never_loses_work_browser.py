"""The defects a new user hit, in a real browser: nothing typed is lost, nothing gets locked."""

from __future__ import annotations

import datetime as dt

import pytest

from commitments.models import CommitmentEvent
from postmortems.models import Commitment, Postmortem, Revision
from tests.factories import PostmortemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(page):
    page.click("button[name=action][value=save]")
    page.wait_for_load_state()


def test_a_postmortem_saved_without_a_title_opens_again_and_lists_as_untitled(
    live_server, login, author
):
    page = login(author)
    page.goto(f"{live_server.url}/postmortems/new/")
    page.fill("#id_what_broke", "Checkout returned 502 for 31% of calls over 37 minutes.")
    page.fill("#id_why", "The route timeout was written in ms where the schema expects seconds.")
    save(page)
    postmortem = Postmortem.objects.get()
    assert postmortem.slug == "untitled-draft"
    assert page.locator("h1").inner_text() == "Untitled"
    page.goto(f"{live_server.url}/postmortems/untitled-draft/edit/")
    assert page.locator("#id_why").input_value().startswith("The route timeout was written")
    page.goto(f"{live_server.url}/postmortems/")
    assert page.locator("#results a", has_text="Untitled").count() == 1
    # Clearing the title of a titled postmortem keeps its address and its text.
    titled = PostmortemFactory(slug="envoy-timeout", created_by=author)
    titled.authors.add(author)
    page.goto(f"{live_server.url}/postmortems/envoy-timeout/edit/")
    page.fill("#id_title", "")
    save(page)
    assert page.url == f"{live_server.url}/postmortems/envoy-timeout/"
    assert page.locator("h1").inner_text() == "Untitled"
    response = page.goto(f"{live_server.url}/postmortems/envoy-timeout/edit/")
    assert response.status == 200
    response = page.goto(f"{live_server.url}/postmortems/envoy-timeout/history/")
    assert response.status == 200


def test_an_empty_required_field_is_marked_beside_it_and_everything_typed_stays(
    live_server, login, author
):
    postmortem = PostmortemFactory(slug="lag-without-cause", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    page.goto(f"{live_server.url}/postmortems/lag-without-cause/edit/")
    page.fill("#id_why", "The v5 prompt dropped the cents guard that v4 had.")
    page.fill("input[name='lags-0-text']", "")
    save(page)
    row = page.locator("#rows-lags tbody tr").first
    assert "This field is required." in row.inner_text()
    assert (
        page.locator("#id_why").input_value()
        == "The v5 prompt dropped the cents guard that v4 had."
    )
    assert page.locator("#kept").is_visible()
    # Fixing it and saving again applies it, from the same page.
    page.fill("input[name='lags-0-text']", "The eval suite had no cents case")
    save(page)
    assert page.url == f"{live_server.url}/postmortems/lag-without-cause/"
    postmortem.refresh_from_db()
    assert postmortem.why == "The v5 prompt dropped the cents guard that v4 had."


def test_restoring_a_revision_then_fixing_it_saves_the_fix(live_server, login, author):
    postmortem = PostmortemFactory(slug="restore-fix", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    page.goto(f"{live_server.url}/postmortems/restore-fix/edit/")
    page.fill("#id_incident_start", "soon after lunch")
    save(page)  # kept with an error, as a revision
    broken = postmortem.revisions.order_by("-number").first()
    assert broken.applied is False
    page.goto(f"{live_server.url}/postmortems/restore-fix/history/")
    page.locator(
        f"form[action='/postmortems/restore-fix/history/{broken.number}/restore/'] button"
    ).click()
    page.wait_for_url(f"{live_server.url}/postmortems/restore-fix/edit/")
    assert page.locator("#id_incident_start").input_value() == "soon after lunch"
    page.fill("#id_incident_start", "2026-08-14 14:05")
    save(page)
    assert page.url == f"{live_server.url}/postmortems/restore-fix/"
    postmortem.refresh_from_db()
    assert postmortem.incident_start == dt.datetime(2026, 8, 14, 14, 5, tzinfo=dt.UTC)


def test_the_live_check_is_quiet_when_idle_and_runs_once_per_burst_of_typing(
    live_server, login, author
):
    postmortem = PostmortemFactory(slug="quiet-check", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    checks = []
    page.on(
        "request", lambda r: checks.append(r) if r.url.endswith("/postmortems/check/") else None
    )
    page.goto(f"{live_server.url}/postmortems/quiet-check/edit/")
    page.locator("#pill-why .pill").wait_for()
    page.wait_for_timeout(1000)
    checks.clear()
    page.wait_for_timeout(10_000)
    assert len(checks) == 0
    page.locator("#id_why").press_sequentially(" Also the v5 prompt.", delay=30)
    page.wait_for_timeout(2500)
    assert len(checks) == 1
    # Adding a row swaps part of the form: that alone checks nothing.
    checks.clear()
    page.click("#rows-lags button[value='add:lags']")
    page.locator("#rows-lags tbody tr").nth(2).wait_for()
    page.wait_for_timeout(2500)
    assert len(checks) == 0


def test_pasted_timeline_lines_are_applied_by_save(live_server, login, author):
    postmortem = PostmortemFactory(slug="paste-on-save", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    page.goto(f"{live_server.url}/postmortems/paste-on-save/edit/")
    page.fill(
        "#id_timeline_paste",
        "14:11 UTC — Status page updated — alice\n14:15 UTC — Refund job paused — bob",
    )
    save(page)
    assert page.url == f"{live_server.url}/postmortems/paste-on-save/"
    texts = list(postmortem.timeline.values_list("text", flat=True))
    assert "Status page updated" in texts and "Refund job paused" in texts
    assert postmortem.timeline.count() == 7


def test_a_pasted_line_that_does_not_parse_is_kept_with_its_line_number(live_server, login, author):
    postmortem = PostmortemFactory(slug="paste-kept", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    page.goto(f"{live_server.url}/postmortems/paste-kept/edit/")
    page.fill("#id_timeline_paste", "14:11 UTC — Status page updated — alice\nsometime later")
    save(page)
    assert "Line 2" in page.locator("#paste-errors").inner_text()
    assert "sometime later" in page.locator("#id_timeline_paste").input_value()
    assert postmortem.timeline.count() == 5  # nothing half-applied


def test_new_rows_arrive_without_errors(live_server, login, author):
    postmortem = PostmortemFactory(slug="new-rows", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    page.goto(f"{live_server.url}/postmortems/new-rows/edit/")
    for prefix in ("timeline", "lags", "changes", "commitments"):
        before = page.locator(f"#rows-{prefix} tbody tr").count()
        page.click(f"#rows-{prefix} button[value='add:{prefix}']")
        page.locator(f"#rows-{prefix} tbody tr").nth(before).wait_for()
        assert page.locator(f"#rows-{prefix} .errorlist").count() == 0, prefix
    page.goto(f"{live_server.url}/postmortems/new/")
    page.click("#rows-lags button[value='add:lags']")
    page.locator("#rows-lags tbody tr input[name='lags-0-text']").wait_for()
    assert page.locator("#rows-lags .errorlist").count() == 0


def test_moving_an_overdue_commitment_does_not_make_it_on_time(
    live_server, login, author, reviewer
):
    today = dt.date.today()
    postmortem = PostmortemFactory(
        slug="slipped",
        created_by=author,
        incident_start=dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC),
        incident_end=None,
    )
    Commitment.objects.filter(postmortem=postmortem).delete()
    late = Commitment.objects.create(
        postmortem=postmortem, text="Cents guard back in the prompt", owner="alice",
        due=today - dt.timedelta(days=5),
    )  # fmt: skip
    page = login(reviewer)
    page.goto(f"{live_server.url}/commitments/summary/")
    row = page.locator("table.summary tbody tr").first
    assert "0%" in row.inner_text()
    for days in (4, 14):
        page.goto(f"{live_server.url}/commitments/?view=list")
        page.fill(f"#commitment-{late.pk} input[name=due]", str(today + dt.timedelta(days=days)))
        page.click(f"#commitment-{late.pk} button:has-text('Move')")
        page.wait_for_timeout(500)
        page.wait_for_load_state()
    assert CommitmentEvent.objects.filter(commitment=late).count() == 2
    page.goto(f"{live_server.url}/commitments/summary/")
    row = page.locator("table.summary tbody tr").first
    assert "0%" in row.inner_text()  # still late against the date first promised
    assert row.locator("td.slipped").inner_text() == "1"
    page.goto(f"{live_server.url}/commitments/?view=list")
    assert "moved twice, +19 days" in page.locator(f"#commitment-{late.pk}").inner_text()
    page.goto(f"{live_server.url}/postmortems/slipped/")
    assert "moved twice, +19 days" in page.locator("#commitments").inner_text()


def test_error_pages_sit_in_the_layout_with_a_way_back(live_server, login, author, other_author):
    theirs = PostmortemFactory(slug="not-yours", created_by=other_author)
    page = login(author)
    response = page.goto(f"{live_server.url}/postmortems/no-such-postmortem/")
    assert response.status == 404
    assert page.locator("header.top").is_visible()
    page.click("#error-way-back")
    page.wait_for_url(f"{live_server.url}/postmortems/")
    response = page.goto(f"{live_server.url}/postmortems/{theirs.slug}/edit/")
    assert response.status == 403
    assert page.locator("header.top").is_visible()
    assert page.locator("#error-way-back").is_visible()


def test_an_author_deletes_a_junk_draft_and_a_reviewer_brings_it_back(
    live_server, login, author, reviewer, browser
):
    junk = PostmortemFactory(slug="junk-draft", title="asdf", created_by=author)
    junk.authors.add(author)
    page = login(author)
    page.goto(f"{live_server.url}/postmortems/junk-draft/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#remove-postmortem")
    page.wait_for_url(f"{live_server.url}/postmortems/")
    assert page.locator("#results a", has_text="asdf").count() == 0
    assert page.goto(f"{live_server.url}/postmortems/junk-draft/").status == 404
    junk.refresh_from_db()
    assert junk.removed_at is not None
    assert Revision.objects.filter(postmortem=junk).exists()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    other = context.new_page()
    other.goto(f"{live_server.url}/accounts/login/")
    other.fill("#id_username", reviewer.username)
    other.fill("#id_password", "correct-horse-battery")
    other.click("button[type=submit]")
    other.wait_for_url(f"{live_server.url}/postmortems/**")
    other.goto(f"{live_server.url}/postmortems/?removed=1")
    other.click("#results a:has-text('asdf')")
    other.click("#removed button:has-text('Bring it back')")
    other.wait_for_url(f"{live_server.url}/postmortems/junk-draft/")
    context.close()
    junk.refresh_from_db()
    assert junk.removed_at is None


def test_the_browser_warns_before_leaving_unsaved_work_and_ctrl_s_saves(live_server, login, author):
    postmortem = PostmortemFactory(slug="leaving", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    page.goto(f"{live_server.url}/postmortems/leaving/edit/")
    page.fill("#id_why", "")
    page.locator("#id_why").press_sequentially("The v5 prompt dropped the cents guard.")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.evaluate("window.__same_page = true")
    page.evaluate("location.href = '/postmortems/'")
    page.wait_for_timeout(800)
    assert dialogs == ["beforeunload"]
    assert page.evaluate("window.__same_page") is True
    page.locator("#id_why").press("Control+s")
    page.wait_for_url(f"{live_server.url}/postmortems/leaving/")
    postmortem.refresh_from_db()
    assert postmortem.why == "The v5 prompt dropped the cents guard."


def test_a_draft_with_changes_is_autosaved_every_30_seconds(live_server, login, author):
    postmortem = PostmortemFactory(slug="autosaved", created_by=author)
    postmortem.authors.add(author)
    page = login(author)
    page.clock.install()
    page.goto(f"{live_server.url}/postmortems/autosaved/edit/")
    page.fill("#id_why", "Autosaved: the v5 prompt dropped the cents guard.")
    page.clock.run_for(31_000)
    page.locator("#autosave-status", has_text="Autosaved").wait_for()
    first = page.locator("#autosave-status").inner_text()
    page.fill("#id_why", "Autosaved twice: the v5 prompt dropped the cents guard.")
    page.clock.run_for(31_000)
    # The first autosave's status names a revision too: wait for the second one's.
    page.wait_for_function(
        "first => document.getElementById('autosave-status').textContent !== first", arg=first
    )
    autosaves = postmortem.revisions.filter(kind="autosave")
    assert autosaves.count() == 2
    postmortem.refresh_from_db()
    assert postmortem.why.startswith("The schema")  # an autosave is not a save
    page.goto(f"{live_server.url}/postmortems/autosaved/history/")
    assert "2 autosaves" in page.locator("tr.autosaves summary").inner_text()
    page.goto(f"{live_server.url}/postmortems/autosaved/edit/")
    assert page.locator("#id_why").input_value().startswith("Autosaved twice")
