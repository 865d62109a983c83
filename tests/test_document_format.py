"""The canonical Markdown format of a postmortem (postmortems/document). Pure Python, no database:

.venv/bin/pytest tests/test_document_format.py -p no:django
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from postmortems.document import (
    PHASES,
    ChangeItem,
    CommitmentItem,
    DocumentError,
    Impact,
    LagEntry,
    ParsedDocument,
    TimelineEntry,
    format_timeline_line,
    parse_change_line,
    parse_commitment_line,
    parse_document,
    parse_lag_line,
    parse_timeline,
    parse_timeline_line,
    render_document,
    response_figures,
    suggest_phase,
)

DATA = Path(__file__).parent / "data" / "postmortems"
DAY = date(2026, 8, 14)


def at(hh_mm: str, day: date = DAY) -> datetime:
    hour, minute = hh_mm.split(":")
    return datetime(day.year, day.month, day.day, int(hour), int(minute), tzinfo=UTC)


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def warnings_of(doc: ParsedDocument) -> list[tuple[int, str]]:
    return [(warning.line, warning.message) for warning in doc.warnings]


# --- the canonical example ---------------------------------------------------------------


def test_canonical_document_exports_exactly_as_written():
    text = read("refund-cents-dollars.md")
    doc = parse_document(text, slug="refund-cents-dollars")

    assert doc.warnings == ()
    assert render_document(doc) == text
    assert parse_document(render_document(doc), slug="refund-cents-dollars") == doc


def test_canonical_document_reads_every_section():
    doc = parse_document(read("refund-cents-dollars.md"), slug="refund-cents-dollars")

    assert doc.slug == "refund-cents-dollars"
    assert doc.title == "Refund agent wrote $4000 instead of $40.00"
    assert doc.incident_date == DAY
    assert (doc.severity, doc.status) == ("SEV2", "published")
    assert doc.incident_start == at("14:03")
    assert doc.services == ("refund-agent", "payments")
    assert doc.impact.users_affected == 8
    assert doc.impact.minutes == 11
    assert (doc.impact.money, doc.impact.currency) == (Decimal("312.40"), "USD")
    assert doc.impact.summary.startswith("Eight refunds were overcharged totaling $312.40")
    assert len(doc.timeline) == 12
    assert doc.timeline[5] == TimelineEntry(
        at=at("14:14"),
        text="Rolled back refund-agent to bundle v4 with `deploy rollback refund-agent v4`",
        actor="@bob",
    )
    assert "cents (4000)" in doc.what_broke
    assert doc.why.startswith("The `lookup_order` schema's `amount` field has no `unit`")
    assert [(lag.kind, lag.minutes) for lag in doc.lags] == [
        ("detection", 2),
        ("escalation", 3),
        ("response", 4),
    ]
    assert [(c.kind, c.reference) for c in doc.changes] == [
        ("pr", "PR #2341"),
        ("pr", "PR #2342"),
        ("pr", "PR #2343"),
        ("pr", "PR #2344"),
        ("runbook", ""),
    ]
    assert doc.changes[0].owner == "alice"
    assert doc.changes[0].due == date(2026, 8, 21)
    assert doc.changes[0].status == "done"
    assert doc.changes[3].url == "https://github.com/acme/refund-agent/pull/2344"
    assert [c.change_reference for c in doc.commitments] == ["PR #2341", "PR #2342", "", ""]


def test_unknown_front_matter_keys_are_kept_as_text_in_order_and_exported_again():
    text = read("refund-cents-dollars.md")
    doc = parse_document(text, slug="refund-cents-dollars")

    assert list(doc.metadata.items()) == [
        ("team", "payments-agents"),
        ("bundle_version", "5.0"),
        ("incident_channel", "#inc-2026-08-14-refunds"),
    ]
    assert 'bundle_version: "5.0"\n' in render_document(doc)


def full_document(**changes) -> ParsedDocument:
    doc = ParsedDocument(
        slug="built",
        title="Refunds: cents read as dollars",
        incident_date=DAY,
        severity="SEV1",
        status="in_review",
        incident_start=at("23:50"),
        incident_end=datetime(2026, 8, 15, 0, 20, 30, tzinfo=UTC),
        services=("refund-agent", "odd, name"),
        authors=("alice",),
        metadata={"runbook_version": "1.10", "on_call": "yes", "note": "a: b # c"},
        impact=Impact(users_affected=1240, minutes=9, money=Decimal("1312.4"), summary="Hi."),
        timeline=(
            TimelineEntry(at=at("23:50"), text="Bundle v5 shipped", actor="deploy bot"),
            TimelineEntry(at=at("23:52"), text="PagerDuty fired", actor="PagerDuty"),
            TimelineEntry(
                at=at("23:58"), text="Looked at dashboards", actor="bob", phase="investigate"
            ),
            TimelineEntry(at=at("00:04", date(2026, 8, 15)), text="rolled back v5 — v4", actor=""),
            TimelineEntry(at=at("23:30"), text="Written out of order - late entry", actor="carol"),
            TimelineEntry(at=None, text="around midnight someone asked in chat", actor=""),
            TimelineEntry(
                at=datetime(2026, 8, 16, 9, 0, 15, tzinfo=UTC), text="All-clear", actor="bob"
            ),
        ),
        what_broke="Line one.\n\n```\n## Why inside a fence\n```",
        why="Schema has no unit field.",
        lags=(
            LagEntry("detection", 12, "no eval case"),
            LagEntry("escalation", None, "secondary paged late"),
            LagEntry("other", None, "slow laptop"),
            LagEntry("other", 3, "Detection: wrongly named"),
        ),
        changes=(
            ChangeItem(
                "pr", "PR #2341: add unit field", "PR #2341", owner="alice", due=date(2026, 10, 15)
            ),
            ChangeItem("config", "Raise timeout to 30s", reference="PROJ-9", owner="Payments team"),
            ChangeItem("alert", "Alert when refund_amount > $1000", status="dropped"),
            ChangeItem("other", "Tidy the refund flow"),
        ),
        commitments=(
            CommitmentItem(
                "Ship PR #2341", owner="alice", due=date(2026, 10, 15), change_reference="PR #2341"
            ),
            CommitmentItem(
                "Tidy the refund flow", owner="dana", change_reference="Tidy the refund flow"
            ),
            CommitmentItem("Timeout change", status="done", change_reference="PROJ-9"),
            CommitmentItem("Unlinked promise", due=date(2026, 12, 1)),
        ),
    )
    return ParsedDocument(**{**doc.__dict__, **changes})


def test_a_document_built_from_structured_data_survives_export_and_import():
    doc = full_document()
    text = render_document(doc)
    back = parse_document(text, slug="built")

    assert back == doc
    assert render_document(back) == text


def test_export_is_deterministic_and_quotes_only_what_yaml_would_misread():
    text = render_document(full_document())

    assert text == render_document(full_document())
    assert text.startswith(
        "---\n"
        'title: "Refunds: cents read as dollars"\n'
        "incident_date: 2026-08-14\n"
        "severity: SEV1\n"
        "status: in_review\n"
        "incident_start: 2026-08-14T23:50:00Z\n"
        "incident_end: 2026-08-15T00:20:30Z\n"
        'services: [refund-agent, "odd, name"]\n'
        "authors: [alice]\n"
        'runbook_version: "1.10"\n'
        'on_call: "yes"\n'
        'note: "a: b # c"\n'
        "---\n\n# Refunds: cents read as dollars\n"
    )


def test_timeline_writes_the_day_only_where_it_is_not_the_incident_date():
    text = render_document(full_document())

    assert "- 23:52 UTC — PagerDuty fired — PagerDuty\n" in text
    assert "- 2026-08-15 00:04 UTC — rolled back v5 — v4 —\n" in text
    assert "- 2026-08-16 09:00:15 UTC — All-clear — bob\n" in text


def test_a_phase_set_by_hand_is_written_and_a_suggested_one_is_not():
    text = render_document(full_document())

    assert "- 23:58 UTC — Looked at dashboards — bob [phase: investigate]\n" in text
    assert "PagerDuty fired — PagerDuty [phase" not in text
    # Setting the phase the words already suggest is no override.
    assert TimelineEntry(at=None, text="PagerDuty fired", phase="page").phase is None
    assert TimelineEntry(at=None, text="PagerDuty fired").effective_phase == "page"


def test_changes_are_written_with_only_the_parts_that_are_set():
    text = render_document(full_document())

    assert "- PR #2341: add unit field — owner: @alice — due 2026-10-15\n" in text
    assert "- Alert when refund_amount > $1000 — status: dropped\n" in text
    assert "- Raise timeout to 30s — owner: Payments team — kind: config — ref: PROJ-9\n" in text


# --- a hand-written old document ----------------------------------------------------------


@pytest.fixture
def legacy():
    return parse_document(read("legacy-webhook-retries.md"), slug="legacy-webhook-retries")


def test_old_document_imports_with_warnings_naming_lines(legacy):
    assert warnings_of(legacy) == [
        (11, 'text before the first section is kept in "User impact"'),
        (14, 'no "## User impact" heading; imported as an empty section'),
        (19, 'no time found — expected "HH:MM UTC — what happened — who did it"'),
        (23, 'read "## Root cause" as "## Why"'),
        (23, 'no "## What broke" heading; imported as an empty section'),
        (27, 'read "## Action items" as "## Specific changes"'),
        (27, 'no "## What kept it broken longer" heading; imported as an empty section'),
        (33, 'no "## Improvement commitments" heading; imported as an empty section'),
    ]
    assert str(legacy.warnings[2]).startswith("line 19: no time found")


def test_old_document_keeps_what_it_has_and_leaves_the_rest_empty(legacy):
    assert legacy.severity == "SEV3"
    assert legacy.status is None
    assert legacy.import_status == "published"
    assert legacy.metadata == {"owner_team": "checkout", "jira": "CHK-88"}
    assert legacy.impact.summary.startswith("One customer's webhook integration")
    assert legacy.what_broke == ""
    assert (
        legacy.why == "The retry policy treated a JSON decode error as a transient network error."
    )
    assert legacy.lags == ()
    assert legacy.commitments == ()


def test_old_timeline_lines_keep_their_time_or_are_kept_without_one(legacy):
    entries = legacy.timeline
    assert entries[1] == TimelineEntry(
        at=datetime(2025, 11, 3, 9, 12, tzinfo=UTC),
        text="error rate spike on checkout webhooks",
        actor="Datadog",
    )
    assert entries[2].text == "paged the primary on-call"
    assert entries[3] == TimelineEntry(at=None, text="around 9:20 - someone acked")
    assert entries[3].raw == "- around 9:20 - someone acked"
    assert entries[5].at == datetime(2025, 11, 4, 8, 0, tzinfo=UTC)


def test_old_change_bullets_become_rows_with_owner_due_and_reference(legacy):
    assert legacy.changes == (
        ChangeItem(
            kind="pr",
            text="PR #2341 stop retrying on JSON decode errors",
            reference="PR #2341",
            owner="alice",
            due=date(2026, 10, 15),
        ),
        ChangeItem(
            kind="alert",
            text="Alert when webhook 4xx rate > 5% over 10 minutes, routed to #checkout-oncall",
            owner="sam",
        ),
        ChangeItem(
            kind="pr",
            text="https://gitlab.com/acme/checkout/-/merge_requests/77 adds an eval case for "
            "malformed webhook bodies",
            reference="MR !77",
            url="https://gitlab.com/acme/checkout/-/merge_requests/77",
        ),
        ChangeItem(
            kind="runbook",
            text="Runbook: add the single-customer scope check",
            owner="sam",
            due=date(2026, 9, 30),
            status="done",
        ),
        ChangeItem(kind="other", text="improve observability"),
    )


def test_old_document_is_stable_after_its_first_export(legacy):
    text = render_document(legacy)

    assert parse_document(text, slug="legacy-webhook-retries") == legacy
    assert render_document(parse_document(text, slug="legacy-webhook-retries")) == text


# --- documents that are not postmortems ----------------------------------------------------


def test_a_file_without_front_matter_fails_on_line_1():
    with pytest.raises(DocumentError) as error:
        parse_document(read("no-front-matter.md"), slug="no-front-matter")

    assert error.value.line == 1
    assert error.value.reason.startswith("no front matter")
    assert str(error.value).startswith("line 1: no front matter")


def test_a_file_without_a_title_fails():
    with pytest.raises(DocumentError) as error:
        parse_document("---\nincident_date: 2026-08-14\n---\n\n## Timeline\n", slug="x")

    assert error.value.line == 1
    assert error.value.reason.startswith("no title")


def test_the_title_may_come_from_the_heading_when_the_front_matter_has_none():
    doc = parse_document("---\nincident_date: 2026-08-14\n---\n\n# Search went down\n", slug="x")

    assert doc.title == "Search went down"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("14 Aug 2026", 'incident_date "14 Aug 2026" is not a date — write YYYY-MM-DD'),
        ("2026-02-30", 'incident_date "2026-02-30" is not a real date'),
    ],
)
def test_a_malformed_incident_date_fails_on_its_line(value, reason):
    text = f"---\ntitle: Outage\nseverity: SEV2\nincident_date: {value}\n---\n"
    with pytest.raises(DocumentError) as error:
        parse_document(text, slug="x")

    assert (error.value.line, error.value.reason) == (4, reason)


def test_a_missing_incident_date_or_unclosed_front_matter_fails():
    with pytest.raises(DocumentError, match="no incident_date"):
        parse_document("---\ntitle: Outage\n---\n", slug="x")
    with pytest.raises(DocumentError, match='never closed — add a "---" line') as error:
        parse_document("---\ntitle: Outage\nincident_date: 2026-08-14\n", slug="x")
    assert error.value.line == 1


def test_front_matter_that_is_not_yaml_fails_on_the_broken_line():
    with pytest.raises(DocumentError) as error:
        parse_document("---\ntitle: Outage\nincident_date: [2026\n---\n", slug="x")

    assert error.value.line == 3
    assert "not valid YAML" in error.value.reason


def test_front_matter_lists_can_be_comma_separated_and_odd_values_are_warned():
    doc = parse_document(
        "---\ntitle: T\nincident_date: 2026-08-14\nseverity: critical\nstatus: In review\n"
        "services: refund-agent, payments\nincident_start: 2026-08-14 14:03\n---\n",
        slug="x",
    )

    assert doc.services == ("refund-agent", "payments")
    assert doc.status == "in_review"
    assert doc.severity is None
    assert doc.incident_start == at("14:03")
    assert (
        4,
        'severity "critical" is not one of SEV1, SEV2, SEV3, SEV4; left unset',
    ) in warnings_of(doc)
    assert (7, 'incident_start "2026-08-14 14:03" has no timezone; read as UTC') in warnings_of(doc)


# --- timeline lines -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "14:05 UTC — PagerDuty fired — alice",
        "- 14:05 UTC – PagerDuty fired – alice",
        "* 14:05 UTC - PagerDuty fired - alice",
        "1. 14:05 UTC -- PagerDuty fired -- alice",
        "14:05Z — PagerDuty fired — alice",
        "**14:05 UTC** — PagerDuty fired — alice",
    ],
)
def test_timeline_lines_accept_each_dash_and_list_marker(line):
    entry = parse_timeline_line(line, default_date=DAY)

    assert (entry.at, entry.text, entry.actor) == (at("14:05"), "PagerDuty fired", "alice")


def test_the_actor_is_optional_and_hyphens_inside_words_do_not_split():
    entry = parse_timeline_line("14:14 UTC - rolled back refund-agent v5 - v4", default_date=DAY)
    assert (entry.text, entry.actor) == ("rolled back refund-agent v5", "v4")

    entry = parse_timeline_line("14:14 UTC — rolled back refund-agent v5 - v4", default_date=DAY)
    assert (entry.text, entry.actor) == ("rolled back refund-agent v5 - v4", "")

    entry = parse_timeline_line("14:14 UTC — step one — step two — bob", default_date=DAY)
    assert (entry.text, entry.actor) == ("step one — step two", "bob")


def test_a_timeline_line_may_carry_its_own_day():
    entry = parse_timeline_line("2026-08-15 00:10 UTC — fix deployed — bob", default_date=DAY)

    assert entry.at == at("00:10", date(2026, 8, 15))
    assert (
        format_timeline_line(entry, default_date=DAY) == "2026-08-15 00:10 UTC — fix deployed — bob"
    )
    assert (
        format_timeline_line(entry, default_date=date(2026, 8, 15))
        == "00:10 UTC — fix deployed — bob"
    )


def test_a_line_without_a_day_needs_an_incident_date():
    with pytest.raises(ValueError, match="no date"):
        parse_timeline_line("14:05 UTC — paged", default_date=None)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("around 2pm — paged", 'no time found — expected "HH:MM UTC — what happened — who did it"'),
        ("14:5 UTC — paged", 'time "14:5" is not HH:MM'),
        ("14:05 — paged", 'time has no timezone; write "14:05 UTC"'),
        ("25:00 UTC — paged", 'time "25:00": hour must be 00–23'),
        ("14:61 UTC — paged", 'time "14:61": minute must be 00–59'),
        ("2:05pm — paged", 'time "2:05pm" is not HH:MM; use 24-hour time'),
        (
            "14:05 PDT — paged",
            'time zone "PDT" is not UTC; convert the time and write it as "HH:MM UTC"',
        ),
        ("14:05 UTC", 'nothing after the time — expected "HH:MM UTC — what happened — who did it"'),
        ("2026-8-15 14:05 UTC — paged", 'date "2026-8-15" is not YYYY-MM-DD'),
        ("2026-02-30 14:05 UTC — paged", 'date "2026-02-30" is not a real date'),
        (
            "14:05 UTC — paged [phase: lunch]",
            'unknown phase "lunch"; use one of ' + ", ".join(PHASES),
        ),
    ],
)
def test_timeline_errors_say_what_to_write(line, message):
    with pytest.raises(ValueError) as error:
        parse_timeline_line(line, default_date=DAY)

    assert str(error.value) == message


def test_parse_timeline_reports_line_numbers_and_keeps_failed_lines():
    entries, errors = parse_timeline(
        "- 14:03 UTC — shipped — bot\n\n- around 2pm — paged\n- 14:5 UTC — acked\n",
        default_date=DAY,
    )

    assert errors == [
        (3, 'no time found — expected "HH:MM UTC — what happened — who did it"'),
        (4, 'time "14:5" is not HH:MM'),
    ]
    assert [(e.at, e.text) for e in entries] == [
        (at("14:03"), "shipped"),
        (None, "around 2pm — paged"),
        (None, "14:5 UTC — acked"),
    ]


def test_parse_timeline_crosses_midnight_and_joins_continuation_lines():
    entries, errors = parse_timeline(
        "- 23:58 UTC — paged — PagerDuty\n- 00:04 UTC — rolled back\n  to v4 — bob\n"
        "- 23:40 UTC — earlier event written late\n",
        default_date=DAY,
    )

    assert errors == []
    assert [e.at for e in entries] == [at("23:58"), at("00:04", date(2026, 8, 15)), at("23:40")]
    assert (entries[1].text, entries[1].actor) == ("rolled back to v4", "bob")


def test_all_times_utc_note_lets_lines_omit_the_zone():
    entries, errors = parse_timeline("All times UTC.\n09:12 - spike - Datadog\n", default_date=DAY)

    assert errors == []
    assert entries[1].at == at("09:12")


def test_an_explicit_phase_reads_back():
    entry = parse_timeline_line(
        "14:10 UTC — Looked at dashboards — bob [phase: confirm scope]", default_date=DAY
    )

    assert (entry.text, entry.actor, entry.phase) == (
        "Looked at dashboards",
        "bob",
        "confirm_scope",
    )
    assert format_timeline_line(entry, default_date=DAY) == (
        "14:10 UTC — Looked at dashboards — bob [phase: confirm_scope]"
    )


# --- bullets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind", "reference"),
    [
        ("PR #2341: add unit field", "pr", "PR #2341"),
        ("https://github.com/acme/agent/pull/12 adds a guard", "pr", "PR #12"),
        ("Alert: refund_amount > $1000 five times in 5 minutes to #agent-on-call", "alert", ""),
        ("Eval case for cents vs dollars (#88)", "eval", "#88"),
        ("Runbook: rollback command verbatim, see OPS-41", "runbook", "OPS-41"),
        (
            "Config: retries 3 → 0 for acme webhooks https://wiki.example/x",
            "config",
            "https://wiki.example/x",
        ),
        ("Fix UTF-8 handling in exports", "other", ""),
    ],
)
def test_change_kind_and_reference_come_from_the_text(line, kind, reference):
    change = parse_change_line(f"- {line}")

    assert (change.kind, change.reference, change.text) == (kind, reference, line)


def test_change_owner_due_and_status_are_taken_out_of_the_text():
    change = parse_change_line("- [x] PR #7 drop retries — owner: @alice — due 2026-10-15")

    assert change == ChangeItem(
        "pr", "PR #7 drop retries", "PR #7", owner="alice", due=date(2026, 10, 15), status="done"
    )


def test_a_bad_due_date_stays_in_the_text_with_a_warning():
    doc = parse_document(
        "---\ntitle: T\nincident_date: 2026-08-14\n---\n\n## Specific changes\n\n- PR #1 due 2026-13-01\n",
        slug="x",
    )

    assert doc.changes[0].text == "PR #1 due 2026-13-01"
    assert (
        8,
        'due date "2026-13-01" is not a real YYYY-MM-DD date; kept in the text',
    ) in warnings_of(doc)


def test_lag_bullets_name_their_kind_and_minutes():
    assert parse_lag_line(
        "- Detection lag (12 min): eval suite had no cents/dollars case"
    ) == LagEntry("detection", 12, "eval suite had no cents/dollars case")
    assert parse_lag_line("- **Escalation lag:** primary's pager died") == LagEntry(
        "escalation", None, "primary's pager died"
    )
    assert parse_lag_line("- we were slow") == LagEntry("other", None, "we were slow")


def test_a_lag_without_a_kind_is_kept_with_a_warning():
    doc = parse_document(
        "---\ntitle: T\nincident_date: 2026-08-14\n---\n\n## What kept it broken longer\n\n- we were slow\n",
        slug="x",
    )

    assert doc.lags == (LagEntry("other", None, "we were slow"),)
    assert (
        8,
        'names no lag kind (Detection lag, Response lag, Escalation lag); kept as kind "other"',
    ) in warnings_of(doc)


def test_commitments_link_to_changes_by_reference_or_text():
    assert parse_commitment_line("- Ship #2341 — owner: @alice — due 2026-10-15") == CommitmentItem(
        "Ship #2341", owner="alice", due=date(2026, 10, 15), change_reference="#2341"
    )
    doc = parse_document(
        "---\ntitle: T\nincident_date: 2026-08-14\n---\n\n## Specific changes\n\n"
        "- PR #2341: add unit field\n- Runbook: rollback command verbatim\n\n"
        "## Improvement commitments\n\n- Ship #2341 — owner: @alice\n"
        "- Runbook: rollback command verbatim — owner: @bob — due 2026-09-01\n",
        slug="x",
    )

    assert [c.change_reference for c in doc.commitments] == [
        "PR #2341",
        "Runbook: rollback command verbatim",
    ]


# --- phases -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("PagerDuty fired refund-amount alert", "page"),
        ("Secondary on-call paged", "page"),
        ("acked", "acknowledge"),
        ("Acknowledged the page", "acknowledge"),
        ("Confirmed scope: refund_tool only", "confirm_scope"),
        ("Rolled back to v4", "stop_bleed"),
        ("Kill switch on refund writes", "stop_bleed"),
        ("Feature flag off for refunds", "stop_bleed"),
        ("refund_tool rate-limited to 1 rps", "stop_bleed"),
        ("Captured trace 7f3a9c", "capture_trace"),
        ("Status update posted", "post_status"),
        ("Posted to #status", "post_status"),
        ("Began investigating", "investigate"),
        ("Reading traces in the side cluster", "investigate"),
        ("Incident resolved", "resolved"),
        ("All-clear", "resolved"),
        ("Lunch", None),
        ("Someone hacked the config", None),
    ],
)
def test_suggest_phase_reads_the_entry_words(text, phase):
    assert suggest_phase(text) == phase


def test_suggest_phase_takes_the_action_written_first():
    assert suggest_phase("Rolled back bundle; errors resolved") == "stop_bleed"
    assert suggest_phase("PagerDuty fired; alice acked") == "page"


def test_phases_are_in_playbook_order():
    assert PHASES == (
        "page",
        "acknowledge",
        "confirm_scope",
        "stop_bleed",
        "capture_trace",
        "post_status",
        "investigate",
        "resolved",
    )


def test_response_figures_for_the_canonical_incident():
    doc = parse_document(read("refund-cents-dollars.md"), slug="refund-cents-dollars")
    figures = response_figures(
        [(entry.at, entry.effective_phase) for entry in doc.timeline], users_per_minute=2.0
    )

    assert figures.measured_from == at("14:05")
    assert figures.time_to_ack == timedelta(minutes=4)
    assert figures.time_to_stop_bleed == timedelta(minutes=9)
    assert figures.time_to_resolve == timedelta(hours=3, minutes=55)
    assert figures.investigate_first is False
    assert figures.damage_users == 22.0  # 2 users/min × 11 min from 14:03 to the 14:14 rollback


def test_investigating_before_stopping_the_bleed_costs_more_users():
    # The seed's two playbooks: regression 14:03, paged 14:05.
    bleed_first = [
        (at("14:03"), None),
        (at("14:05"), "page"),
        (at("14:06"), "acknowledge"),
        (at("14:07"), "stop_bleed"),
        (at("14:08"), "investigate"),
    ]
    investigate_first = [
        (at("14:03"), None),
        (at("14:05"), "page"),
        (at("14:06"), "acknowledge"),
        (at("14:07"), "investigate"),
        (at("14:13"), "stop_bleed"),
    ]

    fast = response_figures(bleed_first, users_per_minute=10)
    slow = response_figures(investigate_first, users_per_minute=10)

    assert (fast.investigate_first, fast.damage_users) == (False, 40.0)
    assert (slow.investigate_first, slow.damage_users) == (True, 100.0)
    assert slow.damage_users / fast.damage_users == 2.5


def test_response_figures_without_a_page_or_a_rollback():
    figures = response_figures(
        [(at("14:00"), None), (at("14:02"), "investigate"), (at("14:30"), "resolved")],
        users_per_minute=5,
    )

    assert figures.measured_from == at("14:00")
    assert figures.time_to_stop_bleed is None
    assert figures.time_to_resolve == timedelta(minutes=30)
    assert figures.investigate_first is True
    assert figures.damage_users is None
    assert response_figures([]).time_to_ack is None
