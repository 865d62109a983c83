"""Issue 3 figure: server time of the live check request for a full postmortem of 100 phrases.

.venv/bin/python benchmarks/bench_live_check.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from urllib.parse import urlencode

from django_env import percentile, setup

setup("live-check")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402

from postmortems.checking import check_sections, ruleset  # noqa: E402
from postmortems.snapshot import section_inputs  # noqa: E402


def hundred_phrase_form() -> dict[str, str]:
    data = {
        "title": "Refund agent overcharged customers",
        "impact_users": "8",
        "impact_minutes": "9",
        "impact_money": "312.40",
        "impact_currency": "USD",
        "impact_summary": "Eight refunds were overcharged totaling $312.40. Refunds were corrected by 18:00 UTC.",
        "what_broke": " ".join(
            f"Step {i}: lookup_order returned 4000 cents and the agent wrote $4000 for order A{i}."
            if i % 3
            else f"Around step {i} things were slow."
            for i in range(20)
        ),
        "why": " ".join(
            "The lookup_order.amount schema has no unit field."
            if i % 4
            else "There was a bug in the system."
            for i in range(10)
        ),
    }
    rows = {
        "timeline": [
            {
                "at": f"2026-08-14 14:{i:02d}",
                "text": f"Event {i}: rolled back bundle v{i}",
                "actor": "alice",
            }
            for i in range(27)
        ],
        "lags": [
            {
                "kind": "detection",
                "minutes": str(i),
                "text": "The eval suite had no cents/dollars case",
            }
            for i in range(10)
        ],
        "changes": [
            {
                "kind": "pr",
                "text": f"Add unit field to lookup_order.amount part {i}",
                "reference": f"PR #{2300 + i}",
                "owner": "alice",
                "due": "2026-08-20",
                "status": "open",
            }
            if i % 5
            else {"kind": "other", "text": "Add more monitoring", "status": "open"}
            for i in range(15)
        ],
        "commitments": [
            {
                "text": f"PR #{2300 + i} unit field part {i}",
                "owner": "alice",
                "due": "2026-08-20",
                "status": "open",
            }
            for i in range(15)
        ],
    }
    for prefix, items in rows.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(items))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(items):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = value
    return data


def main() -> None:
    data = hundred_phrase_form()
    phrases = sum(len(s.phrases) for s in check_sections(section_inputs(data)).sections.values())
    user = User.objects.create_user("bench-author", password="x")
    user.groups.add(Group.objects.get_or_create(name="author")[0])
    client = Client()
    client.force_login(user)
    form = "application/x-www-form-urlencoded"

    def measure(vary) -> list[float]:
        times = []
        for i in range(300):
            body = urlencode(vary(dict(data), i))  # htmx posts the form urlencoded
            started = time.perf_counter()
            response = client.post(
                "/postmortems/check/", body, content_type=form, HTTP_HX_REQUEST="true"
            )
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        return times

    def typing(d, i):
        # Someone typing in one section: the other six arrive unchanged.
        d["why"] += f" Added detail {i}."
        return d

    def every_section_new(d, i):
        for key in ("impact_summary", "what_broke", "why"):
            d[key] += f" Edit {i}."
        for prefix in ("timeline", "lags", "changes", "commitments"):
            d[f"{prefix}-0-text"] += f" edit {i}"
        return d

    def nothing_remembered(d, i):
        # The worst case: a postmortem the checker has never seen, every phrase new.
        rules = ruleset()
        for cache in (rules.section_cache, rules.phrase_cache, rules.words_cache):
            cache.clear()
        return d

    measure(typing)  # warm up
    # As config/wsgi.py does in every server process: what start-up loaded (Django, the URL
    # conf, the compiled rules) is moved out of the collector's generations.
    gc.freeze()
    print(f"# Live check request ({phrases} phrases, htmx partial, 300 requests each)")
    for label, vary in (
        ("typing in one section", typing),
        ("every section changed", every_section_new),
        ("nothing remembered", nothing_remembered),
    ):
        times = measure(vary)
        print(
            f"{label:<24} p50 {statistics.median(times):6.2f} ms, p95 {percentile(times, 0.95):6.2f} ms"
            " (target p95 < 15 ms)"
        )


if __name__ == "__main__":
    sys.exit(main())
