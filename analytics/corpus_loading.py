"""Postmortems of a period -> the clustering core's input, plus the reviewers' confirmed tags.

The one adapter between the database and ``analytics.clustering``: the benchmark builds the
same ``PostmortemText`` through ``postmortem_text_from`` (plain values, no model instances).
Loads read plain rows (``values_list``), not model instances: at 10,000 postmortems building
instances and prefetch caches was most of the review's time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from postmortems.document import response_figures, suggest_phase
from postmortems.models import Lag, Postmortem, TimelineEntry

from .clustering import ConfirmedTag, LagText, PostmortemText
from .clustering.corpus import response_figures as median_figures
from .clustering.model import ResponseLagFigures
from .models import PatternTag
from .periods import Period, parse_period

# Confirmed tags from outside the period used as examples: the newest this many.
MAX_EXAMPLE_TAGS = 500


def period_postmortems(period: Period):
    """The period's published and in-review postmortems (by incident start)."""
    reviewable = Postmortem.objects.reviewable()
    if period.kind == "quarter":
        return reviewable.in_quarter(period.name)
    if period.kind == "year":
        return reviewable.filter(quarter__in=period.quarters())
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    return reviewable.filter(incident_start__gte=start, incident_start__lt=end)


def load_corpus(*, quarter: str) -> list[PostmortemText]:
    """The period's published and in-review postmortems as the clustering's input."""
    period = parse_period(quarter)
    rows = list(
        period_postmortems(period)
        .order_by("slug")
        .values_list("pk", "slug", "title", "quarter", "why", "what_broke")
    )
    ids = [row[0] for row in rows]
    timelines = defaultdict(list)
    lags = defaultdict(list)
    for chunk in _chunks(ids):
        for pid, at, text, phase in TimelineEntry.objects.filter(
            postmortem_id__in=chunk
        ).values_list("postmortem_id", "at", "text", "phase"):
            timelines[pid].append((at, phase or suggest_phase(text)))
        for pid, kind, text, minutes in (
            Lag.objects.filter(postmortem_id__in=chunk)
            .order_by("position", "pk")
            .values_list("postmortem_id", "kind", "text", "minutes")
        ):
            lags[pid].append(LagText(kind, text, minutes))
    return [
        postmortem_text_from(
            slug=slug,
            quarter=q,
            title=title,
            why=why,
            what_broke=what_broke,
            lags=lags[pk],
            timeline=timelines[pk],
        )
        for pk, slug, title, q, why, what_broke in rows
    ]


def _chunks(ids: list[int], size: int = 5000):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def postmortem_text_from(
    *, slug, quarter, title, why, what_broke, lags, timeline
) -> PostmortemText:
    """Plain values -> the core's input; ``timeline`` holds (time, effective phase) pairs."""
    to_ack, to_mitigation = page_minutes(timeline)
    return PostmortemText(
        slug=slug,
        quarter=quarter,
        why=why,
        what_broke=what_broke,
        lags=tuple(lags),
        page_to_ack_minutes=to_ack,
        page_to_mitigation_minutes=to_mitigation,
        title=title,
    )


def postmortem_text(postmortem: Postmortem) -> PostmortemText:
    """One postmortem instance as the core's input (same adapter as ``load_corpus``)."""
    return postmortem_text_from(
        slug=postmortem.slug,
        quarter=postmortem.quarter,
        title=postmortem.title,
        why=postmortem.why,
        what_broke=postmortem.what_broke,
        lags=[LagText(lag.kind, lag.text, lag.minutes) for lag in postmortem.lags.all()],
        timeline=[
            (entry.at, entry.phase or suggest_phase(entry.text))
            for entry in postmortem.timeline.all()
        ],
    )


def page_minutes(entries) -> tuple[float | None, float | None]:
    """Minutes from the page to the acknowledgement and to the first stop-the-bleed action.

    Only timelines with a page count: measuring from the first event instead would count
    detection lag as response lag (the clustering core's document reader does the same).
    """
    if not any(phase == "page" for at, phase in entries if at is not None):
        return None, None
    figures = response_figures(entries)

    def minutes(delta):
        return None if delta is None else delta.total_seconds() / 60

    return minutes(figures.time_to_ack), minutes(figures.time_to_stop_bleed)


def quarter_figures(quarter: str) -> ResponseLagFigures:
    """A quarter's response medians from its timelines alone (for the trend of unreviewed
    quarters): no text is read, so the cost is a few small rows per postmortem."""
    ids = list(period_postmortems(parse_period(quarter)).values_list("pk", flat=True))
    timelines = defaultdict(list)
    for chunk in _chunks(ids):
        for pid, at, text, phase in TimelineEntry.objects.filter(
            postmortem_id__in=chunk
        ).values_list("postmortem_id", "at", "text", "phase"):
            timelines[pid].append((at, phase or suggest_phase(text)))
    docs = []
    for pid in ids:
        ack, mitigation = page_minutes(timelines[pid])
        docs.append(
            PostmortemText(
                slug=str(pid),
                quarter=quarter,
                why="",
                what_broke="",
                page_to_ack_minutes=ack,
                page_to_mitigation_minutes=mitigation,
            )
        )
    return median_figures(docs)


def _tag(slug: str, tag: PatternTag) -> ConfirmedTag:
    return ConfirmedTag(
        slug=slug,
        dimension=tag.dimension,
        key=tag.key,
        name=tag.name,
        not_pattern=tag.not_pattern,
        sentence=tag.sentence,
        anchor=tag.anchor,
    )


def confirmed_tags(*, quarter: str) -> list[ConfirmedTag]:
    """Reviewers' tags on the period's postmortems, oldest first (later ones win)."""
    postmortems = period_postmortems(parse_period(quarter))
    tags = PatternTag.objects.filter(postmortem__in=postmortems).select_related("postmortem")
    return [_tag(t.postmortem.slug, t) for t in tags.order_by("tagged_at", "pk")]


def example_tags(*, quarter: str) -> list[ConfirmedTag]:
    """The newest confirmed tags outside the period: examples that teach placement (bounded,
    so a review's cost does not grow with the history)."""
    postmortems = period_postmortems(parse_period(quarter))
    tags = (
        PatternTag.objects.exclude(postmortem__in=postmortems)
        .exclude(sentence="")
        .select_related("postmortem")
        .order_by("-tagged_at", "-pk")[:MAX_EXAMPLE_TAGS]
    )
    return [_tag(t.postmortem.slug, t) for t in reversed(list(tags))]
