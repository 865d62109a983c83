"""A postmortem as the flat form data its editor posts.

Revisions store this shape, valid or not, so a revision can be shown, compared, restored
and fed to the specificity checker the same way whether it came from the web form, an
import, or a restore.
"""

from __future__ import annotations

from collections.abc import Mapping

from .utc import format_utc

MAIN_FIELDS = (
    "title",
    "slug",
    "severity",
    "incident_start",
    "incident_end",
    "services_text",
    "authors_text",
    "impact_users",
    "impact_minutes",
    "impact_money",
    "impact_currency",
    "impact_summary",
    "what_broke",
    "why",
)
ROW_FIELDS = {
    "timeline": ("at", "text", "actor", "phase"),
    "lags": ("kind", "minutes", "text"),
    "changes": ("kind", "text", "reference", "url", "owner", "due", "status"),
    "commitments": ("text", "owner", "due", "status"),
}
LAG_LABELS = {
    "detection": "Detection lag",
    "response": "Response lag",
    "escalation": "Escalation lag",
}
CHANGE_LABELS = {
    "pr": "PR",
    "alert": "Alert",
    "eval": "Eval case",
    "runbook": "Runbook edit",
    "config": "Config",
    "other": "Change",
}


def _text(value) -> str:
    return "" if value is None else str(value)


def snapshot(postmortem) -> dict[str, str]:
    """The flat form data that would reproduce this postmortem exactly."""
    data = {
        "title": postmortem.title,
        "slug": postmortem.slug,
        "severity": postmortem.severity,
        "incident_start": format_utc(postmortem.incident_start),
        "incident_end": format_utc(postmortem.incident_end),
        "services_text": ", ".join(s.name for s in postmortem.services.all()),
        "authors_text": ", ".join(u.username for u in postmortem.authors.all()),
        "impact_users": _text(postmortem.impact_users),
        "impact_minutes": _text(postmortem.impact_minutes),
        "impact_money": _text(postmortem.impact_money),
        "impact_currency": postmortem.impact_currency,
        "impact_summary": postmortem.impact_summary,
        "what_broke": postmortem.what_broke,
        "why": postmortem.why,
        "version": str(postmortem.version),
    }
    rows = {
        "timeline": postmortem.timeline.all(),
        "lags": postmortem.lags.all(),
        "changes": postmortem.changes.all(),
        "commitments": postmortem.commitments.all(),
    }
    for prefix, objects in rows.items():
        objects = list(objects)
        data[f"{prefix}-TOTAL_FORMS"] = str(len(objects))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, obj in enumerate(objects):
            for field in ROW_FIELDS[prefix]:
                value = getattr(obj, field)
                if field == "at":
                    value = format_utc(value)
                data[f"{prefix}-{index}-{field}"] = _text(value)
    return data


def rows(data: Mapping[str, str], prefix: str) -> list[dict[str, str]]:
    """The rows of one row set, in order, without the ones marked for deletion or left blank."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        total = 0
    found = []
    for index in range(min(total, 4000)):
        row = {field: _text(data.get(f"{prefix}-{index}-{field}")) for field in ROW_FIELDS[prefix]}
        if data.get(f"{prefix}-{index}-DELETE") in ("on", "true", "True", "1"):
            continue
        if not any(row.get(name, "").strip() for name in ("text", "at")):
            continue
        found.append(row)
    return found


def _suffix(row: Mapping[str, str]) -> str:
    parts = []
    if row.get("owner"):
        parts.append(f"owner: @{row['owner'].lstrip('@')}")
    if row.get("due"):
        parts.append(f"due {row['due']}")
    if row.get("status") and row["status"] != "open":
        parts.append(f"status: {row['status']}")
    return "".join(f" — {part}" for part in parts)


def timeline_line(row: Mapping[str, str]) -> str:
    at = row.get("at", "").strip()
    time = f"{at} UTC" if at and "UTC" not in at.upper() else at
    parts = [p for p in (time, row.get("text", "").strip(), row.get("actor", "").strip()) if p]
    return " — ".join(parts)


def lag_line(row: Mapping[str, str]) -> str:
    label = LAG_LABELS.get(row.get("kind", ""), "Lag")
    minutes = f" ({row['minutes']} min)" if row.get("minutes") else ""
    return f"{label}{minutes}: {row.get('text', '').strip()}"


def change_line(row: Mapping[str, str]) -> str:
    text = row.get("text", "").strip()
    reference = row.get("reference", "").strip()
    label = CHANGE_LABELS.get(row.get("kind", ""), "Change")
    head = reference or ("" if row.get("kind") == "other" else label)
    # "Runbook: put the command..." already says its kind; don't prefix it twice.
    named = head.lower() in text.lower() or text.lower().startswith(head.split()[0].lower())
    body = text if not head or named else f"{head}: {text}"
    if row.get("url") and row["url"] not in body:
        body += f" ({row['url']})"
    return body + _suffix(row)


def commitment_line(row: Mapping[str, str]) -> str:
    return row.get("text", "").strip() + _suffix(row)


def impact_text(data: Mapping[str, str]) -> str:
    lines = []
    # Phrased as the numbers with their units, the way the checker reads named numbers.
    if data.get("impact_users"):
        lines.append(f"{data['impact_users']} users affected.")
    if data.get("impact_minutes"):
        lines.append(f"{data['impact_minutes']} minutes of impact.")
    if data.get("impact_money"):
        lines.append(
            f"{data['impact_money']} {data.get('impact_currency') or 'USD'} of money impact."
        )
    summary = data.get("impact_summary", "").strip()
    return "\n".join(lines + ([summary] if summary else []))


def section_inputs(data: Mapping[str, str]) -> dict[str, str | list[str]]:
    """What the specificity checker reads: free text for the text sections, and one phrase
    per structured row for the timeline, lags, changes and commitments (never re-split)."""
    return {
        "impact": impact_text(data),
        "timeline": [timeline_line(r) for r in rows(data, "timeline")],
        "what_broke": data.get("what_broke", "").strip(),
        "why": data.get("why", "").strip(),
        "kept_broken": [lag_line(r) for r in rows(data, "lags")],
        "changes": [change_line(r) for r in rows(data, "changes")],
        "commitments": [commitment_line(r) for r in rows(data, "commitments")],
    }


def content_data(content) -> dict[str, str]:
    """The flat form data of a PostmortemContent: the shape revisions keep and the editor reads."""
    data = {
        "title": content.title,
        "slug": content.slug,
        "severity": content.severity,
        "incident_start": format_utc(content.incident_start),
        "incident_end": format_utc(content.incident_end),
        "services_text": ", ".join(content.services),
        "authors_text": ", ".join(content.authors),
        "impact_users": _text(content.impact_users),
        "impact_minutes": _text(content.impact_minutes),
        "impact_money": _text(content.impact_money),
        "impact_currency": content.impact_currency,
        "impact_summary": content.impact_summary,
        "what_broke": content.what_broke,
        "why": content.why,
    }
    for prefix in ROW_FIELDS:
        objects = getattr(content, prefix)
        data[f"{prefix}-TOTAL_FORMS"] = str(len(objects))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, obj in enumerate(objects):
            for name in ROW_FIELDS[prefix]:
                value = getattr(obj, name)
                data[f"{prefix}-{index}-{name}"] = (
                    format_utc(value) if name == "at" else _text(value)
                )
    return data


def section_texts(data: Mapping[str, str]) -> dict[str, str]:
    """The seven parts of the house standard as text, keyed as the specificity checker names them."""
    return {
        "impact": impact_text(data),
        "timeline": "\n".join(timeline_line(r) for r in rows(data, "timeline")),
        "what_broke": data.get("what_broke", "").strip(),
        "why": data.get("why", "").strip(),
        "kept_broken": "\n".join(lag_line(r) for r in rows(data, "lags")),
        "changes": "\n".join(change_line(r) for r in rows(data, "changes")),
        "commitments": "\n".join(commitment_line(r) for r in rows(data, "commitments")),
    }


SECTION_TITLES = {
    "impact": "User impact",
    "timeline": "1. Timeline",
    "what_broke": "2. What broke",
    "why": "3. Why",
    "kept_broken": "4. What kept it broken longer",
    "changes": "5. Specific changes",
    "commitments": "Improvement commitments",
}


def readable(data: Mapping[str, str]) -> list[tuple[str, str]]:
    """Every part of a snapshot as (label, text), in page order, for people to compare."""
    head = [
        ("Title", data.get("title", "")),
        ("Severity", data.get("severity", "")),
        ("Incident start (UTC)", data.get("incident_start", "")),
        ("Incident end (UTC)", data.get("incident_end", "")),
        ("Services", data.get("services_text", "")),
        ("Authors", data.get("authors_text", "")),
    ]
    texts = section_texts(data)
    return head + [(SECTION_TITLES[key], texts[key]) for key in SECTION_TITLES]
