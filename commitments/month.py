"""The calendar's month grid: how many commitments fall due each day, and the first few of each.

A busy month holds thousands of commitments and the grid shows at most PER_DAY a day: one
query numbers and counts them by day (window functions over the month's slice of the due-date
index, on ids and dates alone), a second reads only the rows the cells show, with their
postmortem's title. The grid's HTML is written here with the standard library's escape: through
the template language, its 42 cells and up to 124 entries were most of the page's server time.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from postmortems.models import Commitment, ItemStatus, display_title, slip_text

PER_DAY = 4
LABEL_LENGTH = 48


@dataclass(frozen=True)
class Entry:
    """One commitment as its calendar cell shows it."""

    pk: int
    due: dt.date
    text: str
    owner: str
    status: str
    overdue: bool
    slip_text: str
    postmortem_title: str
    url: str
    label: str


def _label(text: str) -> str:
    """`{{ text|truncatechars:48 }}`; plain ASCII, nearly every commitment, without the
    Unicode normalisation and combining-character walk that Truncator needs for the rest."""
    if text.isascii():
        return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"
    return Truncator(text).chars(LABEL_LENGTH)


def month_entries(in_month, today: dt.date) -> tuple[list[Entry], dict[dt.date, int]]:
    """The first PER_DAY commitments of each day of ``in_month`` (a Commitment queryset
    bounded to one month), in due-date then id order, and how many fall due each day.

    Two queries: the month's commitments numbered and counted per day on their id and date
    alone, then the few rows shown, with their postmortem's title (numbering wide rows, or
    the title of every postmortem in the month, costs several times more)."""
    ranked = list(
        in_month.annotate(
            rank=Window(RowNumber(), partition_by=F("due"), order_by=F("pk").asc()),
            on_day=Window(Count("pk"), partition_by=F("due")),
        )
        .filter(rank__lte=PER_DAY)
        .order_by()
        .values_list("pk", "due", "on_day")
    )
    rows = (
        Commitment.objects.filter(pk__in=[pk for pk, _, _ in ranked])
        .order_by("due", "pk")
        .values_list(
            "pk", "due", "text", "owner", "status", "first_due", "due_moves", "postmortem__title"
        )
    )
    per_day = {due: on_day for _, due, on_day in ranked}
    shown = []
    for pk, due, text, owner, status, first_due, moves, title in rows:
        days = (due - first_due).days if first_due is not None else 0
        shown.append(
            Entry(
                pk=pk,
                due=due,
                text=text,
                owner=owner,
                status=status,
                overdue=status == ItemStatus.OPEN and due < today,
                slip_text=slip_text(moves, days),
                postmortem_title=display_title(title),
                url=reverse("commitment_detail", args=[pk]),
                label=_label(text),
            )
        )
    return shown, per_day


def month_weeks(month: dt.date, shown: list[Entry], per_day: dict) -> list[list[dict]]:
    """The month's weeks, Monday first; ``shown`` holds at most PER_DAY commitments a day,
    ``per_day`` how many are due each day."""
    by_day = defaultdict(list)
    for entry in shown:
        by_day[entry.due].append(entry)
    return [
        [
            {
                "date": day,
                "in_month": day.month == month.month,
                "shown": by_day[day],
                "more": max(0, per_day.get(day, 0) - len(by_day[day])),
            }
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]


_MARKS = {"done": "✓ ", "dropped": "✕ "}


def _entry_html(c: Entry) -> str:
    title = f"{c.text} — @{c.owner or 'no owner'} — {c.postmortem_title}"
    mark = '<span class="flag">overdue</span> ' if c.overdue else _MARKS.get(c.status, "")
    owner = f' <span class="who">@{escape(c.owner)}</span>' if c.owner else ""
    slip = f' <span class="slip">{escape(c.slip_text)}</span>' if c.slip_text else ""
    return (
        f'<a class="entry {escape(c.status)}{" overdue" if c.overdue else ""}" '
        f'href="{escape(c.url)}" title="{escape(title)}">{mark}{escape(c.label)}{owner}{slip}</a>'
    )


def month_grid_html(weeks: list[list[dict]], today: dt.date, filter_query: str) -> SafeString:
    """The month table's rows: each day's number, its entries and a link to the rest."""
    also = f"&amp;{escape(filter_query)}" if filter_query else ""
    rows = []
    for week in weeks:
        cells = []
        for day in week:
            date = day["date"]
            css = ("" if day["in_month"] else "outside") + (" today" if date == today else "")
            more = (
                f'<a class="more" href="?view=list&amp;due={date.isoformat()}{also}">'
                f"+{day['more']} more</a>"
                if day["more"]
                else ""
            )
            entries = "".join(_entry_html(c) for c in day["shown"])
            cells.append(
                f'<td class="{css}"><div class="daynum">{date.day}</div>{entries}{more}</td>'
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped
