"""Taxonomy placement, reviewer corrections that later reviews keep, and the taxonomy as data."""

from __future__ import annotations

import datetime as dt
import json
import random
from io import StringIO

import pytest
from django.core.management import call_command

from analytics.clustering import (
    ConfirmedTag,
    LagText,
    PostmortemText,
    cluster_corpus,
    load_taxonomy,
)
from analytics.models import PatternTag, QuarterReview
from tests.factories import PostmortemFactory

CERT_WHYS = [
    "The TLS certificate on the payments gateway expired at midnight and nobody renewed it.",
    "Our client certificate for the bank connection passed its expiry date on Sunday.",
    "The renewal job for the public certificate had failed for weeks, so the cert lapsed.",
]
DISK_WHYS = [
    "The log volume on the database host ran out of disk space and writes stopped.",
    "Disk usage on the queue brokers reached 100% because retention was never enforced.",
    "The metrics store ran out of disk space after a cardinality spike and went read-only.",
]


def _doc(slug: str, why: str, quarter: str = "2026Q3", detection: str = "") -> PostmortemText:
    lags = (LagText("detection", detection, 12),) if detection else ()
    return PostmortemText(slug=slug, quarter=quarter, why=why, what_broke="", lags=lags)


def _corpus() -> list[PostmortemText]:
    docs = [_doc(f"cert-{i}", why) for i, why in enumerate(CERT_WHYS)]
    docs += [_doc(f"disk-{i}", why) for i, why in enumerate(DISK_WHYS)]
    return docs


def _pattern_of(report, slug):
    return next(p for p in report.root_causes.patterns if slug in p.members)


def test_paraphrased_causes_are_placed_in_their_taxonomy_class_with_the_sentence():
    report = cluster_corpus(_corpus())

    cert = _pattern_of(report, "cert-0")
    disk = _pattern_of(report, "disk-0")
    assert cert.label == "Expired certificates, keys and credentials"
    assert set(cert.members) == {"cert-0", "cert-1", "cert-2"}
    assert disk.label == "Capacity and resource exhaustion"
    assert set(disk.members) == {"disk-0", "disk-1", "disk-2"}
    assert cert.evidence["cert-1"] == CERT_WHYS[1]  # the whole sentence, not an excerpt
    assert cert.anchors["cert-1"] == "why"
    assert 0 < cert.confidence["cert-1"] <= 1


def test_same_input_gives_the_same_report_in_any_order():
    docs = _corpus()
    shuffled = docs[:]
    random.Random(4).shuffle(shuffled)

    assert cluster_corpus(shuffled) == cluster_corpus(docs)


def test_a_confirmed_tag_wins_over_the_model_and_names_the_new_pattern():
    tag = ConfirmedTag(
        slug="disk-2", dimension="root_causes", key="metrics-cardinality", name="Metric floods"
    )
    other = ConfirmedTag(
        slug="disk-1", dimension="root_causes", key="metrics-cardinality", name="Metric floods"
    )

    report = cluster_corpus(_corpus(), confirmed=[tag, other])

    moved = _pattern_of(report, "disk-2")
    assert moved.label == "Metric floods"
    assert moved.members == ("disk-1", "disk-2")
    assert moved.confirmed == ("disk-1", "disk-2")
    assert report.root_causes.one_offs == ("disk-0",)  # alone now: no longer a pattern


def test_a_confirmed_example_places_a_new_postmortem_in_the_reviewers_pattern():
    examples = [
        ConfirmedTag(
            slug=f"old-{i}",
            dimension="root_causes",
            key="clock-skew",
            name="Clock skew between hosts",
            sentence=sentence,
        )
        for i, sentence in enumerate(
            [
                "NTP stopped syncing and the host clock drifted four minutes ahead.",
                "Clock drift on the token issuer made tokens look issued in the future.",
            ]
        )
    ]
    docs = [
        _doc("skew-a", "The clock on the auth hosts drifted after NTP syncing stopped."),
        _doc("skew-b", "Host clock drift put token issue times minutes in the future."),
    ]

    report = cluster_corpus(docs, examples=examples)

    assert _pattern_of(report, "skew-a").label == "Clock skew between hosts"
    assert set(_pattern_of(report, "skew-a").members) == {"skew-a", "skew-b"}


def test_a_class_the_team_adds_is_loaded_with_the_defaults():
    extra = {
        "dimension": "root_cause",
        "key": "feature-flag-drift",
        "name": "Feature flags left on after launch",
        "definition": "A temporary feature flag stayed enabled long after its launch.",
        "examples": ["The launch flag was never removed and later changed behaviour."],
    }
    taxonomy = load_taxonomy(extra_classes=[extra])

    assert taxonomy.get("root_causes", "feature-flag-drift").name == extra["name"]
    assert taxonomy.get("root_causes", "expired-credential") is not None


# ---------------------------------------------------------------------------- through Django


QUARTER_START = dt.datetime(2026, 8, 3, 10, tzinfo=dt.UTC)


def _published(slug: str, why: str, title: str = ""):
    return PostmortemFactory(
        slug=slug,
        title=title or slug.replace("-", " ").capitalize(),
        status="published",
        why=why,
        what_broke="",
        incident_start=QUARTER_START,
        incident_end=QUARTER_START + dt.timedelta(minutes=30),
    )


def _review(period="2026Q3") -> dict:
    out = StringIO()
    call_command("quarterly_review", period, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def tagged_corpus(db):
    for i, why in enumerate(CERT_WHYS):
        _published(f"cert-{i}", why)
    for i, why in enumerate(DISK_WHYS):
        _published(f"disk-{i}", why)


def test_a_class_added_in_settings_appears_in_the_review(db, settings):
    settings.HINDSIGHT_TAXONOMY_CLASSES = [
        {
            "dimension": "root_cause",
            "key": "queue-poison",
            "name": "Poison messages in the queue",
            "definition": "A message the consumer cannot process blocks the queue for everyone.",
            "examples": ["One poison message made every consumer crash and restart in a loop."],
        }
    ]
    _published("poison-a", "A poison message made the consumers crash and restart in a loop.")
    _published("poison-b", "Consumers crashed in a loop on one poison message in the queue.")

    summary = _review()

    assert summary["root_causes"][0]["label"] == "Poison messages in the queue"
    assert summary["root_causes"][0]["postmortems"] == ["poison-a", "poison-b"]


def test_a_reviewer_moves_a_postmortem_and_the_rerun_keeps_it(
    reviewer_client, reviewer, tagged_corpus
):
    _review()
    cert_key = _pattern_of(QuarterReview.objects.get().corpus_report(), "cert-0").key

    response = reviewer_client.post(
        "/review/2026Q3/correct/",
        {"action": "move", "dimension": "root_causes", "slug": "disk-2", "to": cert_key},
    )

    assert response.status_code == 302
    tag = PatternTag.objects.get()
    assert (tag.postmortem.slug, tag.key, tag.tagged_by) == ("disk-2", cert_key, reviewer)
    assert tag.tagged_at is not None
    stored = QuarterReview.objects.get().corpus_report()
    assert "disk-2" in _pattern_of(stored, "cert-0").members
    rerun = _review()
    cert = next(p for p in rerun["root_causes"] if "cert-0" in p["postmortems"])
    assert "disk-2" in cert["postmortems"]


def test_a_reviewer_renames_merges_and_marks_not_a_pattern(reviewer_client, tagged_corpus):
    _review()
    report = QuarterReview.objects.get().corpus_report()
    cert_key = _pattern_of(report, "cert-0").key
    disk_key = _pattern_of(report, "disk-0").key
    post = lambda **data: reviewer_client.post("/review/2026Q3/correct/", data)  # noqa: E731

    disk_members = _pattern_of(report, "disk-0").members
    post(action="rename", dimension="root_causes", pattern=cert_key, name="Lapsed certificates")
    post(action="merge", dimension="root_causes", pattern=disk_key, into=cert_key)
    post(action="move", dimension="root_causes", slug="disk-0", to="not-a-pattern")

    rerun = _review()
    assert [p["label"] for p in rerun["root_causes"]] == ["Lapsed certificates"]
    expected = sorted({"cert-0", "cert-1", "cert-2", *disk_members} - {"disk-0"})
    assert rerun["root_causes"][0]["postmortems"] == expected
    one_offs = QuarterReview.objects.get().corpus_report().root_causes.one_offs
    assert "disk-0" in one_offs


def test_a_reader_cannot_correct_a_review(client, leader, tagged_corpus):
    _review()
    client.force_login(leader)

    response = client.post(
        "/review/2026Q3/correct/",
        {"action": "move", "dimension": "root_causes", "slug": "disk-2", "to": "x"},
    )

    assert response.status_code == 403
    assert not PatternTag.objects.exists()


def test_correcting_a_pattern_the_review_does_not_hold_says_so(reviewer_client, tagged_corpus):
    _review()

    response = reviewer_client.post(
        "/review/2026Q3/correct/",
        {"action": "move", "dimension": "root_causes", "slug": "disk-2", "to": "no-such"},
        follow=True,
    )

    assert "No pattern &#x27;no-such&#x27; in this review." in response.content.decode()
    assert not PatternTag.objects.exists()


def test_the_page_links_each_evidence_sentence_to_its_section(reviewer_client, tagged_corpus):
    _review()

    body = reviewer_client.get("/review/2026Q3/").content.decode()

    assert "Expired certificates, keys and credentials" in body
    assert "/postmortems/cert-1/#why:~:text=" in body
    assert CERT_WHYS[1] in body
