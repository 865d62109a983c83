"""Commitment pages: the calendar (month and list), one commitment, feeds, the summary."""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from postmortems.filter_menus import commitment_owners, known_quarters, service_suggestions
from postmortems.models import Commitment, ItemStatus, Postmortem, Service
from postmortems.permissions import can_read

from . import services
from .chart import SERIES, grouped_bars
from .ical import build_calendar
from .models import CommitmentEvent, FeedScope, FeedToken
from .month import month_entries, month_grid_html, month_weeks
from .permissions import authored_postmortem_ids, can_change
from .summary import QuarterTally

PAGE_SIZE = 50
OVERDUE = "overdue"
HEAVY_POSTMORTEM_FIELDS = (
    "impact_summary",
    "impact_summary_html",
    "what_broke",
    "what_broke_html",
    "why",
    "why_html",
    "search_text",
    "metadata",
)


def _require_reader(request):
    if not can_read(request.user):
        raise PermissionDenied("You have no role in Hindsight yet: ask an admin to add you to one.")


def _get_commitment_for_user(request, pk, *, change=False) -> Commitment:
    """The one access helper: readers see every commitment; changing follows can_change."""
    _require_reader(request)
    commitment = get_object_or_404(Commitment.objects.select_related("postmortem", "change"), pk=pk)
    if change and not can_change(request.user, commitment):
        raise PermissionDenied(
            "Only reviewers change this; authors and owners only while the postmortem is "
            "unpublished, and leadership reads."
        )
    return commitment


def _with_rows_context(request, commitments: list[Commitment]) -> list[Commitment]:
    """Mark each row with what this person may do and its last recorded change."""
    authored = authored_postmortem_ids(request.user, {c.postmortem_id for c in commitments})
    today = timezone.now().date()
    for c in commitments:
        c.can_change = can_change(request.user, c, authored_ids=authored)
        c.last_event = c.recent_events[0] if c.recent_events else None
        c.overdue = c.status == ItemStatus.OPEN and c.due is not None and c.due < today
    return commitments


def _row_queryset():
    # A postmortem row carries every section's text and HTML: load only what a row shows.
    return (
        Commitment.objects.current()
        .select_related("postmortem", "change")
        .defer(*(f"postmortem__{name}" for name in HEAVY_POSTMORTEM_FIELDS))
        .prefetch_related(
            "postmortem__services",
            Prefetch(
                "events",
                queryset=CommitmentEvent.objects.select_related("actor"),
                to_attr="recent_events",
            ),
        )
    )


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _parse_month(value: str, today: dt.date) -> dt.date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return _shift_month(dt.date(year, month, 1), 0)
    except (AttributeError, ValueError, OverflowError):
        return today.replace(day=1)


def _filtered(commitments, filters: dict, today: dt.date):
    in_postmortems = Postmortem.objects.all()
    narrowed = False
    if filters["team"]:
        in_postmortems = in_postmortems.filter(services__team=filters["team"])
        narrowed = True
    if filters["service"]:
        in_postmortems = in_postmortems.with_service(filters["service"])
        narrowed = True
    if filters["quarter"]:
        in_postmortems = in_postmortems.filter(quarter=filters["quarter"])
        narrowed = True
    if narrowed:
        commitments = commitments.filter(postmortem__in=in_postmortems.values("pk"))
    if filters["owner"]:
        commitments = commitments.filter(owner=filters["owner"])
    if filters["status"] == OVERDUE:
        commitments = commitments.filter(status=ItemStatus.OPEN, due__lt=today)
    elif filters["status"] in ItemStatus.values:
        commitments = commitments.filter(status=filters["status"])
    if due := _parse_date(filters["due"]):
        commitments = commitments.filter(due=due)
    return commitments


def _shift_month(month: dt.date, delta: int) -> dt.date:
    """The month ``delta`` months away, held to the months whose whole weeks have dates
    (February of year 1 to November of 9999): past them, the nearest one is shown."""
    index = month.year * 12 + month.month - 1 + delta
    index = max(dt.MINYEAR * 12 + 1, min(index, dt.MAXYEAR * 12 + 10))
    return dt.date(index // 12, index % 12 + 1, 1)


@require_GET
def commitment_calendar(request):
    _require_reader(request)
    today = timezone.now().date()
    filters = {
        key: request.GET.get(key, "").strip()
        for key in ("team", "service", "owner", "status", "quarter", "due")
    }
    view = "list" if request.GET.get("view") == "list" or filters["due"] else "month"
    month = _parse_month(request.GET.get("month", ""), today)
    base_query = request.GET.copy()
    for key in ("page", "view", "month"):
        base_query.pop(key, None)
    context = {
        "view": view,
        "today": today,
        "filters": filters,
        "month": month,
        "previous_month": _shift_month(month, -1),
        "next_month": _shift_month(month, 1),
        "filter_query": base_query.urlencode(),
        "next_url": request.get_full_path(),
        "teams": Service.objects.exclude(team="")
        .order_by("team")
        .values_list("team", flat=True)
        .distinct(),
        "service_names": service_suggestions(""),
        "owners": commitment_owners(),
        "quarters": known_quarters(),
        "statuses": [*ItemStatus.choices, (OVERDUE, "Overdue")],
    }
    if view == "list":
        commitments = _filtered(_row_queryset(), filters, today).order_by("due", "pk")
        page = Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = _with_rows_context(request, list(page.object_list))
        context["page"] = page
    else:
        last = month.replace(day=calendar_module.monthrange(month.year, month.month)[1])
        in_month = _filtered(Commitment.objects.not_removed(), filters, today).filter(
            due__gte=month, due__lte=last
        )
        shown, per_day = month_entries(in_month, today)
        context["month_rows"] = month_grid_html(
            month_weeks(month, shown, per_day), today, context["filter_query"]
        )
        context["month_count"] = sum(per_day.values())
    template = "commitments/calendar.html#results" if request.htmx else "commitments/calendar.html"
    return render(request, template, context)


@require_GET
def commitment_detail(request, pk):
    commitment = _get_commitment_for_user(request, pk)
    commitment = _with_rows_context(request, [_row_queryset().get(pk=commitment.pk)])[0]
    return render(
        request,
        "commitments/detail.html",
        {"c": commitment, "events": commitment.recent_events, "next_url": request.get_full_path()},
    )


def _after_change(request, commitment, *, error: str = ""):
    """htmx: the updated row; otherwise back to the page the form was on."""
    if request.htmx:
        row = _with_rows_context(request, [_row_queryset().get(pk=commitment.pk)])[0]
        context = {"c": row, "next_url": request.POST.get("next", ""), "row_error": error}
        return render(request, "commitments/calendar.html#row", context)
    if error:
        messages.error(request, error)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("commitment_detail", args=[commitment.pk])
    return redirect(target)


@require_POST
def commitment_status(request, pk):
    commitment = _get_commitment_for_user(request, pk, change=True)
    status = request.POST.get("status", "")
    if status not in ItemStatus.values:
        return _after_change(request, commitment, error="Choose open, done or dropped.")
    services.set_status(commitment=commitment, status=status, user=request.user)
    return _after_change(request, commitment)


@require_POST
def commitment_move(request, pk):
    commitment = _get_commitment_for_user(request, pk, change=True)
    due = _parse_date(request.POST.get("due", ""))
    if due is None:
        return _after_change(request, commitment, error="Enter a due date as YYYY-MM-DD.")
    services.move_due(commitment=commitment, due=due, user=request.user)
    return _after_change(request, commitment)


# --- calendar feeds --------------------------------------------------------------------


def _feeds_page(request, *, new_token: str = "", new_scope: str = ""):
    existing = {f.scope: f for f in FeedToken.objects.filter(user=request.user)}
    feeds = [
        {
            "scope": value,
            "label": label,
            "token": existing.get(value),
            "new_url": request.build_absolute_uri(reverse("commitment_feed", args=[new_token]))
            if new_token and new_scope == value
            else "",
        }
        for value, label in FeedScope.choices
    ]
    return render(request, "commitments/feeds.html", {"feeds": feeds})


@require_GET
def feed_settings(request):
    _require_reader(request)
    return _feeds_page(request)


@require_POST
def feed_renew(request, scope):
    _require_reader(request)
    if scope not in FeedScope.values:
        raise Http404("No such feed.")
    token = services.issue_feed_token(user=request.user, scope=scope)
    # Rendered, not redirected: the secret is shown once and never stored in clear.
    return _feeds_page(request, new_token=token, new_scope=scope)


@require_POST
def feed_revoke(request, scope):
    _require_reader(request)
    if scope not in FeedScope.values:
        raise Http404("No such feed.")
    if services.revoke_feed_token(user=request.user, scope=scope):
        messages.success(request, f"{FeedScope(scope).label}: the link is revoked.")
    return redirect("commitment_feeds")


@login_not_required
@require_GET
def commitment_feed(request, token):
    feed = services.feed_for_token(token)
    if feed is None:
        raise Http404("No such feed.")
    name = (
        f"Hindsight: {feed.user.get_username()}'s commitments"
        if feed.scope == FeedScope.MINE
        else "Hindsight: improvement commitments"
    )
    body = build_calendar(
        services.feed_commitments(feed).iterator(chunk_size=1000),
        name=name,
        absolute_url=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="commitments.ics"'
    return response


# --- the leadership summary ------------------------------------------------------------


@require_GET
def commitment_summary(request):
    _require_reader(request)
    today = timezone.now().date()
    tallies = services.quarter_tallies(today=today)
    totals = QuarterTally("All quarters")
    for t in tallies:
        for key in ("made", "kept", "late", "dropped", "in_flight", "slipped"):
            setattr(totals, key, getattr(totals, key) + getattr(t, key))
    context = {
        "tallies": tallies,
        "totals": totals,
        "chart": grouped_bars(tallies),
        "series": SERIES,
        "today": today,
    }
    return render(request, "commitments/summary.html", context)
