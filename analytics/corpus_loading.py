"""Postmortems of a period -> the clustering core's input, plus the reviewers' confirmed tags.

The one adapter between the database and ``analytics.clustering``: the benchmark builds the
same ``PostmortemText`` through ``postmortem_text_from`` (plain values, no model instances).
Loads read plain rows (``values_list``), not model instances: at 10,000 postmortems building
instances and prefetch caches was most of the review's time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from postmortems.document import response_figures, suggest_phase
from postmortems.models import Lag, Postmortem, TimelineEntry

from .clustering import ConfirmedTag, LagText, PostmortemText
from .clustering.corpus import response_figures as median_figures
from .clustering.model import ResponseLagFigures
from .models import PatternTag, QuarterTrendFigures
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
    timelines = _timelines(ids)
    lags = defaultdict(list)
    for chunk in _chunks(ids):
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


def _timelines(ids: list[int]) -> dict[int, list]:
    """Each postmortem's (time, effective phase) pairs. An entry without a phase gets the
    suggested one; entry texts repeat ("Rolled back", "All clear"), so each distinct text is
    read once per load."""
    timelines = defaultdict(list)
    suggested: dict[str, str | None] = {}
    for chunk in _chunks(ids):
        for pid, at, text, phase in TimelineEntry.objects.filter(
            postmortem_id__in=chunk
        ).values_list("postmortem_id", "at", "text", "phase"):
            if not phase:
                phase = suggested.get(text, "")
                if phase == "":
                    phase = suggested[text] = suggest_phase(text)
            timelines[pid].append((at, phase))
    return timelines


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
    quarters). Stored per quarter and reused while the quarter's postmortems are unchanged, so
    a review reads one aggregate per earlier quarter, not every earlier timeline."""
    postmortems = period_postmortems(parse_period(quarter))
    fingerprint = _fingerprint(postmortems)
    stored = QuarterTrendFigures.objects.filter(quarter=quarter).first()
    if stored is not None and stored.fingerprint == fingerprint:
        return ResponseLagFigures(**stored.figures)
    ids = list(postmortems.values_list("pk", flat=True))
    timelines = _timelines(ids)
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
    figures = median_figures(docs)
    try:
        with transaction.atomic():
            QuarterTrendFigures.objects.update_or_create(
                quarter=quarter,
                defaults={
                    "fingerprint": fingerprint,
                    "figures": asdict(figures),
                    "computed_at": timezone.now(),
                },
            )
    except IntegrityError:
        pass  # a concurrent review stored the same quarter's figures first
    return figures


# Bump when the way figures are read from timelines changes: stored figures are then stale.
FIGURES_FORMAT = 1


def _fingerprint(postmortems) -> str:
    """What every write to a quarter's postmortems moves: each write (rows included) bumps the
    postmortem's version, and publishing, archiving or moving one changes the set."""
    totals = postmortems.aggregate(
        count=Count("pk"), ids=Sum("pk"), versions=Sum("version"), latest=Max("updated_at")
    )
    latest = totals["latest"].isoformat() if totals["latest"] else ""
    return f"{FIGURES_FORMAT}:{totals['count']}:{totals['ids']}:{totals['versions']}:{latest}"


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
