"""Assemble the Hindsight clustering evaluation corpus from hand-written incident specs.

Every incident's prose (title, impact, what broke, why, lag causes, changes and the
incident-specific timeline lines) is written by hand in ``incidents_*.py``. This script only
does the bookkeeping a human would otherwise get wrong: turning relative minutes into UTC
timestamps, keeping the lag minutes consistent with the timeline, numbering PRs, and writing
owners/due dates. It is deterministic: the same specs always produce byte-identical files.

    /work/main/.venv/bin/python benchmarks/corpus_tools/build_corpus.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE.parent / "corpus"
sys.path.insert(0, str(HERE))

ROOT_CAUSES = [
    "certificate-expiry",
    "config-push-bad-value",
    "schema-unit-ambiguity",
    "destructive-command",
    "dependency-api-drift",
    "resource-exhaustion",
    "dns-misconfiguration",
    "model-snapshot-regression",
    "prompt-regression",
    "retry-storm",
    "expired-credentials",
    "race-condition-deploy-ordering",
    "one-off",
]
DETECTION_GAPS = [
    "no-eval-case",
    "missing-alert-on-metric",
    "alert-threshold-too-high",
    "alert-routed-to-wrong-channel",
    "no-synthetic-check",
    "dashboards-only-no-page",
    "one-off",
]
RESPONSE_LAGS = [
    "stale-runbook",
    "investigate-before-rollback",
    "pager-not-acked",
    "scope-check-skipped",
    "waiting-for-approval",
    "one-off",
]
QUARTERS = {
    "2025Q4": (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
    "2026Q1": (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    "2026Q2": (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    "2026Q3": (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
}


def quarter_of(d: dt.date) -> str:
    for q, (a, b) in QUARTERS.items():
        if a <= d <= b:
            return q
    raise ValueError(f"date {d} outside corpus quarters")


def h(slug: str, salt: str) -> int:
    return int(hashlib.sha256(f"{slug}:{salt}".encode()).hexdigest(), 16)


def pick(slug: str, salt: str, seq):
    return seq[h(slug, salt) % len(seq)]


ACK_LINES = [
    "Acknowledged page",
    "Ack'd",
    "Acknowledged; looking",
    "Acked the page, joining #incident",
    "Acknowledged, opening the dashboard",
    "Ack — on it",
]
STATUS_LINES = [
    "Posted status update in #status",
    "Status update posted in #status with ETA for writeup",
    "Posted one-line update to #incidents",
    "Status page set to 'Degraded performance'",
    "Update posted in #status-internal",
    "Posted in #status: mitigated, writeup to follow",
]
ESC_LINES = [
    "Page unacknowledged after {n} min; PagerDuty escalates to secondary",
    "No ack on primary after {n} min; escalation policy pages secondary",
    "Auto-escalation to secondary on-call (primary silent for {n} min)",
]


def commitment(text: str) -> str:
    """Leadership-facing short form of a change line."""
    short = text.split("; ")[0].split(" (")[0]
    for cut in (" pages ", " routes to ", " routes ", ", routes"):
        if len(short) > 80 and cut in short and short.index(cut) > 20:
            short = short[: short.index(cut)]
    if len(short) > 80:
        short = short[:80].rsplit(" ", 1)[0]
    return short.rstrip(" ,;:<>=-")


def fill(text: str, values: dict) -> str:
    for k, v in values.items():
        text = text.replace("{" + k + "}", str(v))
    return text.strip()


def fmt_time(t: dt.datetime, full: bool) -> str:
    return t.strftime("%Y-%m-%d %H:%M UTC") if full else t.strftime("%H:%M UTC")


def build(spec: dict, pr_counter: dict) -> tuple[str, dict]:
    s = spec
    slug = s["slug"]
    date = dt.date.fromisoformat(s["date"])
    hh, mm = map(int, s["start"].split(":"))
    t0 = dt.datetime(date.year, date.month, date.day, hh, mm)
    det, ack, mit, clear = s["det"], s["ack"], s["mit"], s.get("clear", 5)
    acker = s.get("acker") or s["authors"][0]
    oncall = s.get("oncall") or acker  # whoever acked drives the rest of the response
    t_page = t0 + dt.timedelta(minutes=det)
    t_ack = t_page + dt.timedelta(minutes=ack)
    t_fix = t_page + dt.timedelta(minutes=mit)
    t_clear = t_fix + dt.timedelta(minutes=clear)
    assert t_ack < t_fix, slug
    assert 1 <= ack <= 25 and 3 <= mit <= 90, (slug, ack, mit)

    events: list[tuple[dt.datetime, str, str]] = []
    events.append((t0, s["trig"][0], s["trig"][1]))
    for off, text, who in s.get("pre", []):  # minutes after start, before the page
        events.append((t0 + dt.timedelta(minutes=off), text, who))
    events.append((t_page, s["page"][0], s["page"][1]))
    if s["rl"] == "pager-not-acked" and s.get("esc_after"):
        n = s["esc_after"]
        events.append(
            (
                t_page + dt.timedelta(minutes=n),
                pick(slug, "esc", ESC_LINES).format(n=n),
                "PagerDuty",
            )
        )
    events.append((t_ack, s.get("ack_text") or pick(slug, "ack", ACK_LINES), acker))
    mid = s.get("mid", [])
    if s.get("terse"):  # some authors only write the skeleton
        mid = mid[:1]
    auto = [m for m in mid if len(m) == 2]
    span = (t_fix - t_ack).total_seconds() / 60
    step = span / (len(auto) + 1) if auto else 0
    i = 0
    for m in mid:
        if len(m) == 3:  # explicit minutes after the page
            events.append((t_page + dt.timedelta(minutes=m[0]), m[1], m[2] or oncall))
        else:
            i += 1
            events.append(
                (
                    t_ack + dt.timedelta(minutes=max(1, round(step * i)) if span > 1 else 0),
                    m[0],
                    m[1] or oncall,
                )
            )
    events.append((t_fix, s["fix"][0], (s["fix"][1] if len(s["fix"]) > 1 else None) or oncall))
    after = []
    if s.get("trace") and not s.get("terse"):
        after.append((s["trace"], oncall))
    if not (s.get("no_status") or s.get("terse")):
        after.append(
            (s.get("status") or pick(slug, "status", STATUS_LINES), s.get("status_who") or oncall)
        )
    for j, (text, who) in enumerate(after + [tuple(x) for x in s.get("post", [])]):
        gap = max(1, round((j + 1) * clear / (len(after) + len(s.get("post", [])) + 1)))
        events.append(
            (t_fix + dt.timedelta(minutes=min(gap, clear - 1) if clear > 1 else 0), text, who)
        )
    events.append((t_clear, s["done"], s.get("done_who") or oncall))
    events = [(t, text, s["services"][0] if who in ("—", "-") else who) for t, text, who in events]
    events.sort(key=lambda e: e[0])
    full = s.get("full", False) or t_clear.date() != t0.date()
    timeline = [f"- {fmt_time(t, full)} — {text} — {who}" for t, text, who in events]

    # lag lines; minutes shown unless the spec (or the hash) hides them
    show = s.get("show_minutes", h(slug, "mins") % 5 != 0)
    lag_lines = []
    det_min = s.get("det_min", det)
    lag_lines.append(("Detection lag", det_min, s["lag_det"]))
    if s.get("lag_resp"):
        default_r = max(1, mit - ack - 1)
        # Minutes lost to the named cause: from the first timeline line that shows it until mitigation.
        keys = {
            "stale-runbook": ("unbook", "otebook"),
            "scope-check-skipped": ("olled back", "ailed over", "Paused ALL", "Disabled"),
            "waiting-for-approval": ("approv", "request", "needs", "need "),
        }.get(s["rl"])
        if keys:
            marks = [
                t for t, text, _ in events if t_ack <= t < t_fix and any(k in text for k in keys)
            ]
            if marks:
                default_r = max(1, int((t_fix - min(marks)).total_seconds() // 60))
        lag_lines.append(("Response lag", s.get("resp_min", default_r), s["lag_resp"]))
    if s.get("lag_esc"):
        lag_lines.append(("Escalation lag", s.get("esc_min", ack), s["lag_esc"]))
    kept = []
    for name, n, text in lag_lines:
        kept.append(f"- {name} ({n} min): {text}" if show else f"- {name}: {text}")

    impact_minutes = s.get("impact_minutes", int((t_fix - t0).total_seconds() // 60))
    fmtvars = {"min": impact_minutes, "users": s["users"]}

    # changes and commitments
    team = s["team"]
    owners = s.get("owners") or s["authors"]
    changes, commits = [], []
    for k, c in enumerate(s["changes"]):
        text = c
        if text.startswith("PR:"):
            pr_counter[team] = pr_counter.get(team, 0) + 1 + h(slug, f"pr{k}") % 37
            text = f"PR #{pr_counter[team]}:" + text[3:]
        owner = owners[k % len(owners)]
        due = date + dt.timedelta(days=4 + h(slug, f"due{k}") % 24)
        status = ""
        if k == 0 and h(slug, "st") % 3 != 0:
            status = " — status: done"
        elif h(slug, f"st{k}") % 4 == 0:
            status = " — status: in progress"
        changes.append(f"- {text} — owner: @{owner} — due {due.isoformat()}{status}")
        commits.append(f"- {commitment(text)} — owner: @{owner} — due {due.isoformat()}")

    fm = [
        "---",
        f"title: {s['title']}",
        f"incident_date: {date.isoformat()}",
        f"severity: {s['sev']}",
        "status: published",
        f"incident_start: {t0.strftime('%Y-%m-%dT%H:%M:00Z')}",
        f"incident_end: {t_clear.strftime('%Y-%m-%dT%H:%M:00Z')}",
        f"services: {', '.join(s['services'])}",
        f"authors: {', '.join(s['authors'])}",
        f"team: {team}",
        "---",
    ]
    body = [
        f"# {s['title']}",
        "",
        "## User impact",
        f"Users affected: {s['users']}",
        f"Minutes of impact: {impact_minutes}",
    ]
    if s.get("money"):
        body.append(f"Money: {s['money']}")
    body += [
        "",
        fill(s["impact"], fmtvars),
        "",
        "## Timeline",
        *timeline,
        "",
        "## What broke",
        fill(s["broke"], fmtvars),
        "",
        "## Why",
        s["why"].strip(),
        "",
        "## What kept it broken longer",
        *kept,
        "",
        "## Specific changes",
        *changes,
        "",
        "## Improvement commitments",
        *commits,
        "",
    ]
    text = "\n".join(fm + body)
    labels = {"root_cause": s["rc"], "detection_gap": s["dg"], "response_lag": s["rl"]}
    return text, labels


def load_specs() -> list[dict]:
    import importlib

    specs = []
    for p in sorted(HERE.glob("incidents_*.py")):
        mod = importlib.import_module(p.stem)
        specs.extend(mod.INCIDENTS)
    return specs


def main() -> int:
    specs = load_specs()
    slugs = [s["slug"] for s in specs]
    dupes = {x for x in slugs if slugs.count(x) > 1}
    if dupes:
        print("duplicate slugs:", dupes)
        return 1
    for s in specs:
        assert s["rc"] in ROOT_CAUSES, (s["slug"], s["rc"])
        assert s["dg"] in DETECTION_GAPS, (s["slug"], s["dg"])
        assert s["rl"] in RESPONSE_LAGS, (s["slug"], s["rl"])
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.md"):
        if old.name != "README.md":
            old.unlink()
    labels = {}
    pr_counter: dict[str, int] = {
        "payments": 2290,
        "platform": 4410,
        "identity": 1180,
        "data": 870,
        "ml-platform": 3025,
        "edge": 1560,
    }
    for s in sorted(specs, key=lambda s: (s["date"], s["slug"])):
        text, lab = build(s, pr_counter)
        (OUT / f"{s['slug']}.md").write_text(text, encoding="utf-8")
        labels[s["slug"]] = lab
    (OUT / "labels.json").write_text(
        json.dumps(dict(sorted(labels.items())), indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(labels)} postmortems to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
