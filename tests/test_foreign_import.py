"""Postmortems written in other teams' templates read into the house document.

The documents in tests/data/foreign are written for these tests, each in the shape of a
public template (SRE book, PagerDuty, Atlassian, Etsy Morgue, Azure RCA) or of postmortems
organisations publish (a platform team's repository, a CI vendor's blog, a Confluence
export): their headings, table layouts, zone notes, date and file-name styles.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.utils.text import slugify as django_slugify

from postmortems.document import parse_document, render_document
from postmortems.document.foreign import load_table, read_postmortem, slugify
from postmortems.document.foreign.headings import normalize_heading
from postmortems.slugs import slug_from

FOREIGN = Path(__file__).parent / "data" / "foreign"
CORPUS = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus"


def read(name: str):
    reading = read_postmortem((FOREIGN / name).read_bytes(), filename=name)
    assert reading.error is None, reading.error
    return reading, reading.doc


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def timed(doc):
    return [(entry.at, entry.text) for entry in doc.timeline]


def kept(doc):
    return [(extra.heading, extra.level) for extra in doc.extra_sections]


def test_sre_book_template_maps_date_heading_trigger_and_action_table():
    reading, doc = read("sre-book-shape.md")
    assert doc.title == "Search suggestions went blank after the index swap (incident #812)"
    assert doc.incident_date == date(2024, 2, 19)
    assert doc.status == "published"
    assert timed(doc)[0] == (at("2024-02-19 02:41"), "Index swap completes")
    assert timed(doc)[-1] == (
        at("2024-02-19 03:35"),
        "Alias pointed back at the previous shard set",
    )
    assert doc.why.startswith("The swap job checked the shard count")
    assert "**Trigger**\n\nThe 02:00 build ran long" in doc.why
    assert [(c.reference, c.owner) for c in doc.changes] == [
        ("SRCH-77", "rkhan"),
        ("SRCH-78", "tvo"),
    ]
    assert doc.lags[0].kind == "detection" and doc.lags[0].minutes == 31
    assert kept(doc) == [
        ("Resolution", 3),
        ("Lessons Learned", 2),
        ("What went well", 3),
        ("Where we got lucky", 3),
        ("Supporting information", 2),
    ]
    assert doc.impact.users_affected == 18000
    parts = {m.heading: m.part for m in reading.mappings}
    assert parts["Trigger"] == "why" and parts["Timeline"] == "timeline"


def test_pagerduty_template_converts_edt_times_and_takes_the_date_from_the_overview():
    _, doc = read("pagerduty-shape.md")
    assert doc.title == "Checkout retries doubled card authorisations"
    assert doc.incident_date == date(2023, 6, 8)
    assert timed(doc) == [
        (at("2023-06-08 20:05"), "Deploy of checkout 212 finishes"),
        (at("2023-06-08 20:18"), "Support reports double charges"),
        (at("2023-06-08 20:31"), "Payments on-call pages the incident commander"),
        (at("2023-06-08 20:50"), "Rollback to checkout 211 completes"),
    ]
    assert "retry_on_timeout" in doc.why
    first = doc.changes[0]
    assert (first.reference, first.owner, first.due) == ("PAY-901", "jortiz", date(2023, 7, 1))
    assert [(c.owner, c.due, c.change_reference) for c in doc.commitments] == [
        ("jortiz", date(2023, 7, 1), "PAY-901")
    ]
    assert doc.changes[1].kind == "alert"
    assert doc.impact.users_affected == 1340 and doc.impact.money == 41200
    assert "A client library upgrade turned on automatic retries" in doc.what_broke
    assert ("Responders", 2) in kept(doc) and ("Internal", 3) in kept(doc)


def test_atlassian_template_reads_cet_table_five_whys_and_detection_minutes():
    reading, doc = read("atlassian-shape.md")
    assert doc.incident_date == date(2022, 11, 14)
    assert doc.severity == "SEV2"
    assert timed(doc)[0] == (at("2022-11-14 08:00"), "Partition move starts")
    assert timed(doc)[-1] == (at("2022-11-14 10:15"), "Offsets reset, deliveries resume")
    assert "consumers read stale offsets" in doc.why
    assert "does not migrate consumer-group offsets" in doc.why
    assert [(lag.kind, lag.minutes) for lag in doc.lags] == [("detection", 95), ("response", 20)]
    assert [c.reference for c in doc.changes] == ["MQ-55", "MQ-56"]
    assert kept(doc) == [("Recovery", 2), ("Lessons learned", 2)]
    assert doc.metadata["postmortem_owner"] == "Ana Silva"
    assert doc.metadata["timeline_zone_note"] == "All times CET"


def test_morgue_fields_give_the_date_severity_and_pdt_rows_cross_midnight_in_utc():
    _, doc = read("morgue-shape.md")
    assert doc.incident_date == date(2021, 10, 2)
    assert doc.severity == "SEV2"
    assert timed(doc) == [
        (at("2021-10-03 04:10"), "Bucket policy switched"),
        (at("2021-10-03 04:40"), "Upload error alert fires"),
        (at("2021-10-03 05:30"), "Old policy restored"),
    ]
    assert doc.why == "- Upload service caches the bucket name for 24 hours."
    assert [c.reference for c in doc.changes] == ["IMG-404", "IMG-405"]
    assert kept(doc) == [("Why were we surprised?", 2)]
    assert doc.metadata["detect_time"] == "2021-10-02 21:40 PDT"


def test_azure_rca_maps_root_cause_and_mitigation_and_dates_from_the_file_name():
    reading, doc = read("2023-05-03-west-europe-sign-in.md")
    assert reading.slug == "2023-05-03-west-europe-sign-in"
    assert doc.incident_date == date(2023, 5, 3)
    assert doc.why.startswith("A certificate-revocation cache expired")
    assert [c.text for c in doc.changes] == [
        "Stagger cache expiry across front ends. Status: in progress.",
        "Add a revocation-check latency alert.",
    ]
    assert doc.timeline == ()
    assert "no timeline found" in " ".join(w.message for w in doc.warnings)
    assert kept(doc) == [("Provide feedback", 3)]


def test_platform_team_postmortem_with_pm_file_name_table_unknown_time_and_stats():
    name = "PM2021-006 - Every service answered 503.md"
    reading, doc = read(name)
    assert reading.slug == django_slugify("PM2021-006 - Every service answered 503")
    assert doc.title == "Every service answered 503 during the cluster upgrade"
    assert doc.incident_date == date(2021, 1, 1)
    assert any("only the year is known" in w.message for w in doc.warnings)
    assert timed(doc) == [
        (at("2021-01-01 13:58"), "Upgrade to 1.27 starts (Notes: change CHG-88)"),
        (at("2021-01-01 14:01"), "All ingress pods restart"),
        (at("2021-01-01 14:02"), "503 alarm"),
        (None, "Pods become ready again"),
        (at("2021-01-01 14:12"), "Traffic back to normal"),
    ]
    assert doc.why == "- The ingress deployment had no PodDisruptionBudget."
    assert [c.reference for c in doc.changes] == ["PLAT-120"]
    assert [(lag.kind, lag.minutes) for lag in doc.lags] == [("detection", 1), ("response", 11)]
    assert kept(doc) == [("Lessons Learned", 2)]


def test_blog_post_with_front_matter_day_headings_and_utc_per_row():
    _, doc = read("status-page-blog-shape.md")
    assert doc.title == "Post-incident review: delayed builds on 2022-08-23"
    assert doc.incident_date == date(2022, 8, 24)
    assert timed(doc) == [
        (at("2022-08-23 23:40"), "Token rotation job runs"),
        (at("2022-08-23 23:52"), "Queue time alert fires"),
        (at("2022-08-24 00:20"), "Runners re-registered with the new token"),
    ]
    assert doc.why == "The rotation job does not restart runners after writing the new token."
    assert [(c.kind, c.reference) for c in doc.changes] == [("pr", "PR #4410"), ("alert", "")]
    assert doc.lags[0].kind == "detection"
    assert not any("time zone" in w.message for w in doc.warnings)


def test_confluence_html_export_goes_through_the_markdown_path_without_its_script():
    reading, doc = read("confluence-export.html")
    assert reading.source_format == "html"
    assert doc.title == "DNS resolver overload"
    assert doc.incident_date == date(2020, 1, 15)
    assert timed(doc) == [
        (at("2020-01-15 10:00"), "Resolver fleet scaled down by autoscaler"),
        (at("2020-01-15 10:25"), "Manual scale-up completes"),
    ]
    assert doc.why == "The autoscaler scaled on CPU, which stays low while resolvers queue."
    assert [c.reference for c in doc.changes] == ["NET-31"]
    assert kept(doc) == [("Attendees", 2)]
    assert "alert(1)" not in render_document(doc)


# Words the house format states by its structure rather than as text: an open change is
# written without a status.
STRUCTURAL_WORDS = {"open"}


def _content_words(line: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", line)} - STRUCTURAL_WORDS


@pytest.mark.parametrize("name", sorted(p.name for p in FOREIGN.glob("*.md")))
def test_export_after_import_keeps_every_line_of_the_source(name):
    source = (FOREIGN / name).read_text()
    _, doc = read(name)
    exported = render_document(doc)
    words = _content_words(exported)
    in_table_header = False
    lost = []
    lines = source.split("\n")
    for index, line in enumerate(lines):
        stripped = line.strip()
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        in_table_header = (
            stripped.startswith("|") and set(following) <= set("|-: ") and "-" in following
        )
        if not stripped or stripped.startswith("#") or stripped == "---" or in_table_header:
            continue
        missing = _content_words(line) - words
        if missing:
            lost.append((index + 1, sorted(missing)))
    assert lost == []


@pytest.mark.parametrize("name", sorted(p.name for p in FOREIGN.iterdir()))
def test_an_imported_document_round_trips_through_the_house_format(name):
    _, doc = read(name)
    text = render_document(doc)
    again = parse_document(text, slug=doc.slug)
    assert again == doc
    assert render_document(again) == text


@pytest.mark.parametrize(
    "path",
    sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")[:25],
    ids=lambda p: p.name,
)
def test_house_documents_read_through_the_importer_exactly_as_before(path):
    text = path.read_text()
    reading = read_postmortem(path.read_bytes(), filename=path.name)
    assert reading.source_format == "house"
    assert reading.doc == parse_document(text, slug=path.stem)
    assert render_document(reading.doc) == render_document(parse_document(text, slug=path.stem))


def test_slugs_are_djangos_slugify_of_the_stem_made_unique_in_a_batch():
    taken: set[str] = set()
    names = ["Outage Ünïcode – Day 1.md", "outage-unicode-day-1.md", "事故.md"]
    slugs = [
        read_postmortem(
            b"# T\n\n## Timeline\n\n- 2024-01-01 10:00 UTC x\n", filename=n, taken_slugs=taken
        ).slug
        for n in names
    ]
    assert slugify("Outage Ünïcode – Day 1") == django_slugify("Outage Ünïcode – Day 1")
    assert slugs[:2] == ["outage-unicode-day-1", "outage-unicode-day-1-2"]
    # A name with no ASCII letters is told apart by a hash, as titles are (postmortems.slugs).
    assert slugs[2] == slug_from("事故")


def test_a_file_that_is_not_utf8_is_an_error_naming_its_line():
    reading = read_postmortem(b"# Title\n\nfine\n\xff\xfe broken\n", filename="bad.md")
    assert reading.doc is None
    assert reading.error.line == 4
    assert "not UTF-8" in reading.error.reason


def test_a_document_with_no_date_anywhere_is_an_error_at_its_title():
    text = b"intro\n\n# Cache fell over\n\n## Root cause\n\nThe TTL was zero.\n"
    reading = read_postmortem(text, filename="cache.md")
    assert reading.error.line == 3
    assert "no incident date" in reading.error.reason


def test_headings_match_in_any_case_numbering_level_and_with_zone_notes():
    table = load_table()
    assert table.part_of("3. ROOT CAUSE(S)") == "why"
    assert table.part_of("Timeline (all times PST)") == "timeline"
    assert table.part_of("Corrective and Preventative Measures") == "changes"
    assert table.part_of("What we learned from it") == "kept"
    assert table.part_of("Deployment notes for Tuesday") is None
    assert normalize_heading("**Follow-ups:**") == "follow ups"


def test_extra_heading_files_extend_the_table(tmp_path):
    extra = tmp_path / "ours.toml"
    extra.write_text('[parts]\nwhy = ["what bit us"]\n')
    assert load_table().part_of("What bit us") is None
    assert load_table((str(extra),)).part_of("What bit us") == "why"


def test_community_postmortem_with_time_headings_and_a_cause_only_in_the_summary():
    _, doc = read("2019-05-06-hub-spawn-timeouts.md")
    assert doc.incident_date == date(2019, 5, 6)
    assert timed(doc) == [
        (
            at("2019-05-06 16:10"),
            "The new base image is tagged and the puller starts copying it to every node.",
        ),
        (at("2019-05-06 16:32"), "Spawn time alert fires; launches take longer than 120 seconds."),
        (at("2019-05-06 16:50"), "Old images are pruned on all nodes and launches recover."),
    ]
    assert doc.why == (
        "This was caused by the image puller filling the node disks after the base image grew to 9 GB."
    )
    assert doc.what_broke == ""
    assert doc.impact.summary.startswith(
        "Launching a notebook timed out for most users for about 40 minutes."
    )
    assert [c.reference for c in doc.changes] == ["", "#331"]
    assert [(lag.kind, lag.text) for lag in doc.lags] == [
        ("detection", "The disk-usage alert was never wired to the chat channel.")
    ]
    assert kept(doc) == [("Lessons learnt", 2), ("What went well", 3)]


def test_security_disclosure_with_day_only_rows_that_open_weeks_before_the_incident():
    _, doc = read("2023-03-14.md")
    assert doc.incident_date == date(2023, 3, 14)
    assert any("days before the 2023-03-14" in w.message for w in doc.warnings)
    assert timed(doc) == [
        (None, "2023-02-21 — New strategy added to the vault"),
        (None, "2023-03-14 — A whitehat reports the rounding issue"),
        (None, "2023-03-15 — Fix deployed and deposits re-enabled"),
    ]
    assert doc.why.startswith(
        "`convertToShares` rounded up when the strategy reported a zero balance"
    )
    assert doc.impact.money == 18000
    assert doc.changes == ()
    assert kept(doc) == [("Details of fix", 2), ("Third party disclosure", 2)]


def test_a_time_range_keeps_its_end_and_an_approximate_time_reads():
    text = (
        b"# Relay restarts\n\nDate: 2024-04-02\n\n## Timeline (all times UTC)\n\n"
        b"- ~9:43 AM: first report\n- 10:01-10:02: relays restarted\n\n## Root cause\n\nA bad flag.\n"
    )
    doc = read_postmortem(text, filename="relay.md").doc
    assert timed(doc) == [
        (at("2024-04-02 09:43"), "first report"),
        (at("2024-04-02 10:01"), "relays restarted (until 10:02)"),
    ]


def test_a_row_longer_than_the_app_stores_goes_on_in_rows_of_its_own():
    words = " ".join(f"step{i}" for i in range(200))
    text = f"# Long night\n\nDate: 2024-06-01\n\n## Timeline\n\n- 10:00 UTC {words}\n".encode()
    doc = read_postmortem(text, filename="long-night.md").doc
    assert doc.timeline[0].at == at("2024-06-01 10:00")
    assert all(len(entry.text) <= 500 for entry in doc.timeline)
    assert [entry.at for entry in doc.timeline[1:]] == [None] * (len(doc.timeline) - 1)
    rejoined = " ".join(e.text.removeprefix("… ").removesuffix(" …") for e in doc.timeline)
    assert rejoined == words


def test_a_file_named_like_an_app_page_gets_a_slug_of_its_own():
    reading = read_postmortem(
        b"# T\n\n## Timeline\n\n- 2024-01-01 10:00 UTC x\n", filename="import.md"
    )
    assert reading.slug == "import-postmortem"


def test_operator_rca_with_phase_subheadings_military_and_in_row_times():
    reading, doc = read("validator-rca-shape.md")
    assert doc.incident_date == date(2024, 9, 2)
    assert doc.severity == "SEV2"
    assert {m.heading: m.part for m in reading.mappings}["Response Timeline"] == "timeline"
    assert timed(doc) == [
        (None, "Phase 1: degradation (21:40-22:30 UTC)"),
        (at("2024-09-02 21:40"), "peer count drops below 10"),
        (
            at("2024-09-02 22:05"),
            "Operator restarted the sidecar at 2024-09-02 22:05 UTC after the peer alert",
        ),
        (None, "Phase 2: recovery"),
        (at("2024-09-02 23:15"), "snapshot restore finished"),
        (None, "2024-09-03 — Follow-up checks found no double signing."),
    ]
    assert doc.why.startswith("The sidecar's peer list was rebuilt")
    assert [(c.owner, c.due, c.status) for c in doc.changes] == [
        ("ops-team", date(2024, 9, 20), "done"),
        ("ops-team", date(2024, 9, 27), "open"),
    ]
    assert (
        doc.impact.summary == "The signing node fell behind and missed 312 blocks over 95 minutes."
    )


def test_unknown_subheadings_belong_to_the_part_above_them():
    _, doc = read("testnet-fork-shape.md")
    assert doc.why == (
        "**Execution layer issue**\n\n"
        "Client B read the deposit log with the old event signature after the fork.\n\n"
        "**Consensus layer issue**\n\n"
        "Client C kept attesting to the invalid head because its fork choice ignored the invalid flag."
    )
    assert [(c.text, c.reference) for c in doc.changes] == [
        ("Relays: Add a fork-transition test that replays deposit logs (CL-204)", "CL-204"),
        ("Explorer: Show the invalid-head flag on the block page", ""),
    ]
    assert doc.extra_sections == ()
    assert timed(doc) == [
        (at("2025-04-09 09:10"), "first invalid block reported"),
        (at("2025-04-09 15:12"), "patched releases published"),
    ]


def test_table_handles_people_nouns_and_the_start_time_read_as_the_pages_show_them():
    text = "\n".join(
        [
            "# Basket totals doubled for returning buyers",
            "",
            "## Summary",
            "Between 09:10 and 09:52, 2,150 returning shoppers saw every basket line twice.",
            "",
            "## Timeline",
            "All times in UTC",
            "",
            "| Time | Event |",
            "|---|---|",
            "| 2025-11-04 09:10 | Release 7.3 of basket-api reaches every region |",
            "",
            "## Action Items",
            "| Action | Owner | Due |",
            "|---|---|---|",
            "| Key basket lines by `line_id` in merge_lines() (PR #4120) | @tove.h | 2025-11-20 |",
        ]
    )
    reading = read_postmortem(text.encode(), filename="basket-doubled.md")
    doc = reading.doc
    # "@tove.h" in the source is the handle tove.h: the pages add the "@" when they show it.
    assert [(c.owner, c.due) for c in doc.changes] == [("tove.h", date(2025, 11, 20))]
    assert [c.owner for c in doc.commitments] == ["tove.h"]
    assert doc.impact.users_affected == 2150
    assert doc.impact.summary.startswith("Between 09:10 and 09:52, 2,150 returning shoppers")
    # The clock times that bound the impact give its minutes.
    assert doc.impact.minutes == 42
    # The incident starts at the first time of its day in the timeline, not at midnight.
    assert doc.incident_start == at("2025-11-04 09:10")


def test_impact_minutes_from_a_clock_span_and_no_users_from_a_clock_time():
    from postmortems.document.foreign.parts import impact_numbers

    # Across midnight, and the "20" of 00:20 is a minute, not twenty users.
    assert impact_numbers("From 23:50 UTC to 00:20 UTC users could not sign in.") == {"minutes": 30}
    # A duration the text states wins over the span it gives.
    assert impact_numbers("For 12 minutes between 10:00 and 11:00, 310 tenants saw errors.") == {
        "minutes": 12,
        "users_affected": 310,
    }
