"""The iCalendar document of a feed: one all-day VEVENT per open commitment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from postmortems.models import Commitment

PRODID = "-//Hindsight//Improvement commitments//EN"


def commitment_uid(commitment: Commitment) -> str:
    """Stable for the commitment's whole life, so a moved date updates the same event."""
    return f"commitment-{commitment.pk}@hindsight"


def build_calendar(
    commitments: Iterable[Commitment], *, name: str, absolute_url: Callable[[str], str]
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for commitment in commitments:
        link = absolute_url(reverse("commitment_detail", args=[commitment.pk]))
        event = Event()
        event.add("uid", commitment_uid(commitment))
        event.add("dtstamp", stamp)
        event.add("dtstart", commitment.due)
        event.add("dtend", commitment.due + dt.timedelta(days=1))
        event.add("summary", commitment.text)
        event.add(
            "description",
            f"Owner: {commitment.owner or 'no owner'}\n"
            f"Postmortem: {commitment.postmortem.title}\n"
            f"{absolute_url(commitment.postmortem.get_absolute_url())}\n"
            f"Commitment: {link}",
        )
        event.add("url", link)
        event.add("last-modified", commitment.updated_at)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
