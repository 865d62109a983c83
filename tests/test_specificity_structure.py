"""The structures the checker recognises, each pinned with phrases written for this test.

Pure functions, no database: .venv/bin/pytest tests/test_specificity_structure.py -p no:django
"""

from __future__ import annotations

import pytest

from postmortems.specificity import check_phrase, load_ruleset


def tag(section: str, text: str) -> str:
    return check_phrase(section, text).tag


# --- aspiration: the leading verb of an item and its class ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Investigate the flaky login test",
        "Look into SSO timeouts on the mobile app",
        "We should consider sharding the jobs table",
        "Assess whether the queue needs more partitions",
        "Review whether the canary covers every region",
        "Reflect on the paging policy",
        "Agree on an escalation owner for search",
        "Discuss retry budgets with the mobile team",
        "Align with the payments team on the cutover",
        "Teach support to read the status page",
        "Train new on-callers on the failover",
        "Figure out why builds are slow",
        "Continue to watch the replica",
        "Make sure the backups run",
        "Better dashboards for the search cluster",
        "Improve the handoff between shifts",
        "Action item: investigate the flaky login test",
        "P1 - look into the cache stampede",
        "**Prevention**: explore a second DNS provider",
    ],
)
def test_items_leading_with_an_intention_and_no_artifact_are_anti_patterns(text):
    assert tag("changes", text) == "anti-pattern"


def test_the_reason_names_the_leading_verb():
    result = check_phrase("changes", "Consider moving the sessions to a managed Redis")
    assert result.tag == "anti-pattern"
    assert '"Consider"' in result.reasons[0]


def test_an_aspiration_is_an_anti_pattern_in_commitments_even_with_owner_and_date():
    text = "Look into the replica lag — J. Park — 2026-04-01"
    assert tag("commitments", text) == "anti-pattern"


def test_a_named_artifact_rescues_an_item_that_leads_with_investigate():
    text = "Investigate the OOM: PR #512 adds heap_profiler to worker.py"
    assert tag("changes", text) == "concrete"


def test_a_bare_ticket_beside_an_intention_makes_it_vague_not_concrete():
    result = check_phrase("changes", "Look into it (INFRA-44)")
    assert result.tag == "vague"
    assert "INFRA-44" in result.reasons[0]


@pytest.mark.parametrize(
    "text",
    ["Rewrite the failover runbook", "Tune the connection pool", "Add a metric for queue depth"],
)
def test_an_action_verb_without_an_executable_artifact_is_vague(text):
    assert tag("changes", text) == "vague"


# --- blame: the agent of a failure predicate ------------------------------------------------


@pytest.mark.parametrize(
    ("section", "text"),
    [
        ("why", "The new hire forgot to drain the node."),
        ("why", "@kim didn't escalate to the database group."),
        ("why", "Priya accidentally deleted the staging bucket."),
        ("why", "The vendor's engineer misconfigured the BGP session."),
        ("why", "Customers misused the bulk export endpoint."),
        ("kept_broken", "Response lag: ops wasn't watching the dashboards."),
        ("what_broke", "Tom's sloppy commit broke the login page."),
        ("why", "Omar's change took down the billing worker."),
        ("why", "The outage was caused by an engineer."),
        ("why", "The team didn't test the rollback."),
        ("kept_broken", "Escalation lag (20 min): the secondary couldn't be bothered."),
    ],
)
def test_a_person_role_or_group_as_the_cause_is_blame(section, text):
    result = check_phrase(section, text)
    assert result.tag == "anti-pattern"
    assert result.suggestion


@pytest.mark.parametrize(
    ("section", "text", "expected"),
    [
        ("timeline", "10:02 UTC — rolled back v88 — dana", "concrete"),
        ("impact", "Customers couldn't log in for 42 minutes.", "concrete"),
        (
            "why",
            "Kafka failed to rebalance because the consumer group timeout was 10s.",
            "concrete",
        ),
        ("why", "Monitoring didn't catch the spike.", "vague"),
        (
            "kept_broken",
            "Detection lag (9 min): the on-call missed the page because it routed to the muted "
            "#ops-old channel.",
            "concrete",
        ),
    ],
)
def test_a_person_as_actor_or_a_system_as_agent_is_not_blame(section, text, expected):
    assert tag(section, text) == expected


# --- restatement: cause and effect overlap --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The API failed because the service errored.",
        "Checkout broke because checkout was down.",
        "The outage was caused by the system failing.",
        "The service being unavailable caused the API errors.",
    ],
)
def test_a_why_whose_cause_restates_the_failure_is_an_anti_pattern(text):
    result = check_phrase("why", text)
    assert result.tag == "anti-pattern"
    assert "restates" in result.reasons[0]


def test_a_why_whose_cause_names_a_new_mechanism_is_not_a_restatement():
    text = "The API failed because the pgbouncer pool was capped at 100 connections."
    assert tag("why", text) == "concrete"


# --- artifacts, limits and versions ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The connection limit is set to 100 in the proxy.",
        "No version lock on the http client library.",
        "retry_backoff=0 in worker.yaml made every client retry at once.",
        "The lockfile pinned the parser to 2.3.1, which drops empty fields.",
    ],
)
def test_limits_versions_keys_and_paths_name_the_mechanism(text):
    assert tag("why", text) == "concrete"


@pytest.mark.parametrize(
    "text",
    [
        "Page #db-oncall when replication lag exceeds 30s for 5 minutes",
        "Alert: p99 latency > 2s over 10m → Slack #api-alerts",
        "rate(http_errors_total[5m]) > 0.05 for 10m, routed to PagerDuty",
    ],
)
def test_alerts_in_any_order_and_syntax_are_concrete(text):
    assert tag("changes", text) == "concrete"


# --- owners and dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Add the cert expiry alert (PR #77) — J. Park — 15 Mar 2026",
        "Ship PR #88 retry budget — owner: @db-oncall — March 15, 2026",
        "PR #91 lower the pool timeout — Payments team — 2026-04-01",
        "PR #92 drop the legacy flag — Jane P. — 31/03/2026",
    ],
)
def test_owners_as_initials_handles_or_teams_and_dates_in_common_formats(text):
    assert tag("commitments", text) == "concrete"


def test_a_trap_with_owner_and_date_is_still_an_anti_pattern():
    assert (
        tag("commitments", "Be more careful with deploys — J. Park — 2026-04-01") == "anti-pattern"
    )


# --- quantities that say nothing --------------------------------------------------------------


def test_hedged_magnitudes_and_idle_counts_are_vague():
    assert tag("impact", "A few thousand users, roughly.") == "vague"
    assert tag("what_broke", "Two graphs turned red.") == "vague"


# --- rewrites in the phrase's own words -----------------------------------------------------


def test_an_aspiration_rewrite_is_built_from_the_phrase_nouns():
    suggestion = check_phrase("changes", "Investigate agent memory usage").suggestion
    assert '"agent memory usage"' in suggestion
    assert "Alert when agent_memory_usage > N for 10m → #agent-oncall" in suggestion


def test_a_blame_rewrite_names_the_step_the_person_was_doing():
    suggestion = check_phrase("why", "The intern forgot to renew the certificate.").suggestion
    assert "renew the certificate" in suggestion


def test_a_restatement_rewrite_quotes_both_halves():
    suggestion = check_phrase("why", "The API failed because the service errored.").suggestion
    assert '"the service errored" is "The API failed" said again' in suggestion


@pytest.mark.parametrize(
    ("section", "text", "own_words"),
    [
        ("impact", "Some merchants had trouble with payouts.", "trouble with payouts"),
        ("timeline", "just after standup the deploy went out", "the deploy went out"),
        ("changes", "Tune the connection pool", "connection pool"),
        ("why", "A config problem in the scheduler.", "scheduler"),
        ("kept_broken", "Recovery dragged on.", "Recovery dragged on"),
        ("commitments", "Rotate the signing keys — next sprint", "Rotate the signing keys"),
    ],
)
def test_every_vague_rewrite_reuses_the_phrase_words(section, text, own_words):
    result = check_phrase(section, text)
    assert result.tag == "vague"
    assert own_words in result.suggestion


# --- lexicons are data ------------------------------------------------------------------------


def test_a_team_adds_a_role_to_the_agent_lexicon_and_blame_learns_it(tmp_path):
    extra = tmp_path / "roles.toml"
    extra.write_text("[lexicons]\nagent_role = ['night\\s+shift']\n", encoding="utf-8")
    text = "The night shift forgot the failover step."
    assert tag("why", text) != "anti-pattern"
    assert check_phrase("why", text, ruleset=load_ruleset(extra)).tag == "anti-pattern"


def test_a_team_adds_an_aspiration_verb(tmp_path):
    extra = tmp_path / "verbs.toml"
    extra.write_text("[lexicons]\naspiration_verb = ['ponder']\n", encoding="utf-8")
    assert tag("changes", "Ponder the queue sizes") == "vague"
    rules = load_ruleset(extra)
    assert check_phrase("changes", "Ponder the queue sizes", ruleset=rules).tag == "anti-pattern"
