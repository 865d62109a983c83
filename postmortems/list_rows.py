"""The postmortem list's table rows, written in Python.

Twenty-five rows of six cells, each through the template language's lookups, filters and a
reverse() per link, were most of the list's server time under load. Same HTML as the template
loop they replace (tests/test_list_rows.py renders both).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from .models import Postmortem, Status, display_title

# What a row shows: read with values(), no model instances, services in one more query.
ROW_FIELDS = ("pk", "slug", "title", "severity", "status", "incident_start", "quarter", "verdict")
_STATUS_LABELS = dict(Status.choices)
EMPTY_ROW = '<tr><td colspan="6" class="muted">No postmortem matches these filters.</td></tr>'


def list_rows_html(postmortems: Iterable[dict]) -> SafeString:
    """One ``<tr>`` per postmortem (dicts of ROW_FIELDS): incident time and quarter, linked
    title, severity, services, status and the checker's verdict."""
    postmortems = list(postmortems)
    services = defaultdict(list)
    links = Postmortem.services.through.objects.filter(
        postmortem_id__in=[pm["pk"] for pm in postmortems]
    )
    for postmortem_id, name in links.order_by("service__name").values_list(
        "postmortem_id", "service__name"
    ):
        services[postmortem_id].append(escape(name))
    rows = []
    for pm in postmortems:
        if pm["incident_start"]:
            start = timezone.localtime(pm["incident_start"]).strftime("%Y-%m-%d %H:%M")
            when = f'{start} UTC<br><span class="muted">{escape(pm["quarter"])}</span>'
        else:
            when = '<span class="muted">not set</span>'
        url = escape(reverse("postmortem_detail", args=[pm["slug"]]))
        verdict = (
            f'<span class="pill {escape(slugify(pm["verdict"]))}">{escape(pm["verdict"])}</span>'
            if pm["verdict"]
            else ""
        )
        severity, status = escape(pm["severity"]), pm["status"]
        rows.append(
            "<tr>"
            f"<td>{when}</td>"
            f'<td><a href="{url}">{escape(display_title(pm["title"]))}</a></td>'
            f'<td><span class="pill {severity}">{severity}</span></td>'
            f"<td>{', '.join(services[pm['pk']])}</td>"
            f'<td><span class="pill {escape(status)}">'
            f"{escape(_STATUS_LABELS.get(status, status))}</span></td>"
            f"<td>{verdict}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(rows) or EMPTY_ROW)  # noqa: S308 - every value above is escaped
