"""The quarterly review page: start a run, watch it, read the report, edit the patterns document.

Everyone with a role reads; reviewers start runs and edit the document. Thin views: check the
role, call one workflow, render the page or one of its partials.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from postmortems import limits
from postmortems.filter_menus import known_quarters
from postmortems.models import Postmortem
from postmortems.permissions import can_read, is_reviewer

from . import patterns_document, review_corrections, review_page, services
from .models import PatternsDocument, QuarterReview, ReviewRun, RunStatus
from .periods import parse_period, period_name
from .quarters import previous_quarter

# The move form's choice that marks postmortems as one-offs.
NOT_A_PATTERN = "not-a-pattern"
# The pieces of a pattern the review page loads on demand: ?part= to its partial.
PATTERN_PARTS = {"members": "members", "member": "correct_form", "forms": "pattern_forms"}


def _require_reader(request):
    if not can_read(request.user):
        raise PermissionDenied("You have no role in Hindsight yet: ask an admin to add you to one.")


def _require_reviewer(request):
    _require_reader(request)
    if not is_reviewer(request.user):
        raise PermissionDenied("Only reviewers run the quarterly review and edit its document.")


def _as_shown(run: ReviewRun | None) -> ReviewRun | None:
    """A run whose worker is gone is shown as abandoned, with Re-run, and polled no more.

    Only shown: a GET changes nothing. The beat job, or the Re-run itself, records it."""
    if run is not None and run.is_active and services.is_abandoned(run, now=timezone.now()):
        run.status, run.error = RunStatus.FAILED, services.abandoned_reason(run)
        run.finished_at = run.heartbeat_at or run.created_at
    return run


def _page_context(request, quarter: str, *, run: ReviewRun | None = None, **extra) -> dict:
    # The report (a megabyte for a large quarter) is read only when the cache cannot answer.
    review = (
        QuarterReview.objects.filter(quarter=quarter).select_related("run").defer("report").first()
    )
    context = {
        "quarter": quarter,
        "previous": _neighbour(quarter, -1),
        "next": _neighbour(quarter, 1),
        "quarters": _known_quarters(quarter),
        "run": _as_shown(
            run or ReviewRun.objects.filter(quarter=quarter).select_related("requested_by").first()
        ),
        "review": review,
        "report": review is not None,
        # Its Markdown is read only by the editor, which is loaded when opened.
        "document": PatternsDocument.objects.filter(quarter=quarter).defer("text").first(),
        "can_run": is_reviewer(request.user),
        "oob": False,
        **extra,
    }
    if review is not None:
        context["report_html"] = review_page.report_html(
            review, can_run=context["can_run"], titles_of=_titles_of
        )
    return context


def _titles_of(slugs) -> dict[str, str]:
    return dict(Postmortem.objects.filter(slug__in=list(slugs)).values_list("slug", "title"))


def _known_quarters(current: str) -> list[str]:
    quarters = set(known_quarters(reviewable=True))
    quarters |= set(QuarterReview.objects.values_list("quarter", flat=True))
    quarters.add(current)
    return sorted(quarters, reverse=True)


def _neighbour(period: str, steps: int) -> str | None:
    shifted = parse_period(period).shifted(steps)
    return shifted.name if shifted else None


def _quarter_or_404(quarter: str) -> str:
    try:
        return period_name(quarter)
    except ValueError:
        raise Http404("No such quarter.") from None


@require_GET
def review_home(request):
    """The review of the quarter asked for, else the latest reviewed, else the one just ended."""
    _require_reader(request)
    asked = request.GET.get("quarter", "")
    if asked:
        try:
            return redirect("review_quarter", quarter=period_name(asked))
        except ValueError as error:
            messages.error(request, str(error))
    latest = QuarterReview.objects.order_by("-quarter").values_list("quarter", flat=True).first()
    return redirect("review_quarter", quarter=latest or previous_quarter(timezone.now()))


@require_GET
def review_quarter(request, quarter):
    _require_reader(request)
    quarter = _quarter_or_404(quarter)
    return render(request, "analytics/review.html", _page_context(request, quarter))


@require_GET
def review_pattern(request, quarter):
    """One pattern (or the one-offs) of a dimension: its correction forms and its members from
    ``start``; with ``slug``, one member. The review page loads pieces of it when a reader
    opens them (``part``: members, member or pattern forms); as a page, all of them."""
    _require_reader(request)
    quarter = _quarter_or_404(quarter)
    review = get_object_or_404(QuarterReview, quarter=quarter)
    start = request.GET.get("start", "")
    slug = request.GET.get("slug", "")
    try:
        chunk = review_page.members_chunk(
            review.corpus_report(),
            dimension=request.GET.get("dimension", ""),
            ref=request.GET.get("pattern", ""),
            start=int(start) if start.isdigit() else 0,
            titles_of=_titles_of,
            slug=slug,
        )
    except LookupError as missing:
        raise Http404(str(missing)) from None
    query = request.GET.copy()
    query.pop("slug", None)
    query["part"] = "members"
    if chunk["next_start"] is not None:
        query["start"] = str(chunk["next_start"])
    context = {
        **chunk,
        "quarter": quarter,
        "can_run": is_reviewer(request.user),
        "next_url": f"{request.path}?{query.urlencode()}",
        "m": chunk["members"][0] if slug else None,
    }
    part = request.GET.get("part", "")
    template = "analytics/review_pattern.html"
    if request.htmx and part in PATTERN_PARTS:
        if PATTERN_PARTS[part] != "members" and not context["can_run"]:
            raise PermissionDenied("Only reviewers correct the review.")
        template += f"#{PATTERN_PARTS[part]}"
    return render(request, template, context)


@require_GET
def patterns_edit(request, quarter):
    """The document's editor, loaded when a reviewer opens it; as a page, the review with the
    editor open."""
    _require_reviewer(request)
    quarter = _quarter_or_404(quarter)
    if not request.htmx:
        return render(
            request, "analytics/review.html", _page_context(request, quarter, editing=True)
        )
    context = {
        "quarter": quarter,
        "document": PatternsDocument.objects.filter(quarter=quarter).first(),
        "review": QuarterReview.objects.filter(quarter=quarter).only("pk").first(),
        "can_run": True,
    }
    return render(request, "analytics/review.html#document_editor", context)


def _progress(request, quarter: str, run: ReviewRun | None):
    """The progress region; once the watched run has finished, the report and document too."""
    finished = run is not None and not run.is_active
    context = _page_context(request, quarter, run=run, oob=finished)
    return render(request, "analytics/review.html#progress", context)


@require_POST
def review_start(request, quarter):
    _require_reviewer(request)
    quarter = _quarter_or_404(quarter)
    outcome = services.request_review(quarter=quarter, user=request.user)
    run = ReviewRun.objects.get(pk=outcome.run.pk)
    if request.htmx:
        return _progress(request, quarter, run)
    if not outcome.created:
        messages.info(request, f"A review of {quarter} is already {run.status}.")
    elif run.is_active:
        messages.success(request, f"The review of {quarter} is queued.")
    return redirect("review_quarter", quarter=quarter)


@require_GET
def review_progress(request, quarter):
    _require_reader(request)
    quarter = _quarter_or_404(quarter)
    if not request.htmx:
        return render(request, "analytics/review.html", _page_context(request, quarter))
    watched = request.GET.get("run", "")
    runs = ReviewRun.objects.filter(quarter=quarter)
    run = runs.filter(pk=int(watched)).first() if watched.isdigit() else None
    return _progress(request, quarter, run or runs.first())


def _document_response(request, quarter: str, **extra):
    context = _page_context(request, quarter, **extra)
    template = "analytics/review.html#patterns" if request.htmx else "analytics/review.html"
    return render(request, template, context, status=409 if "conflict" in extra else 200)


@require_POST
def patterns_save(request, quarter):
    _require_reviewer(request)
    quarter = _quarter_or_404(quarter)
    text = request.POST.get("text", "")
    version = request.POST.get("version", "")
    bad = limits.first_control_character(text)
    if bad is not None:
        # Not saved: a NUL cannot be stored. The text comes back with the mark in its place.
        what = limits.describe_control_character(text, bad)
        return _document_response(
            request,
            quarter,
            editing=True,
            submitted_text=limits.replace_control_characters(text),
            document_error=f"Not saved: the text holds {what} (character {bad + 1}), shown "
            "as \ufffd below; remove it and save again.",
        )
    try:
        revision = patterns_document.save(
            quarter=quarter,
            text=text,
            user=request.user,
            base_version=int(version) if version.isdigit() else None,
        )
    except patterns_document.DocumentConflict as conflict:
        return _document_response(
            request, quarter, conflict=conflict, editing=True, submitted_text=text
        )
    if request.htmx:
        return _document_response(request, quarter, saved_revision=revision)
    messages.success(request, f"Saved the patterns document (revision {revision.number}).")
    return redirect(reverse("review_quarter", args=[quarter]) + "#patterns")


@require_POST
def patterns_redraft(request, quarter):
    _require_reviewer(request)
    quarter = _quarter_or_404(quarter)
    if not QuarterReview.objects.filter(quarter=quarter).exists():
        raise Http404("This quarter has no report to draft from yet.")
    revision = patterns_document.redraft(quarter=quarter, user=request.user)
    messages.success(
        request, f"Replaced the document with a fresh draft (revision {revision.number})."
    )
    return redirect(reverse("review_quarter", args=[quarter]) + "#patterns")


def _document_or_404(quarter: str) -> PatternsDocument:
    return get_object_or_404(PatternsDocument, quarter=_quarter_or_404(quarter))


@require_GET
def patterns_history(request, quarter):
    _require_reader(request)
    document = _document_or_404(quarter)
    return render(
        request,
        "analytics/patterns_history.html",
        {
            "document": document,
            "revisions": document.revisions.select_related("author"),
            "can_edit": is_reviewer(request.user),
        },
    )


@require_GET
def patterns_revision(request, quarter, number):
    _require_reader(request)
    document = _document_or_404(quarter)
    revision = get_object_or_404(document.revisions, number=number)
    return render(
        request,
        "analytics/patterns_history.html",
        {
            "document": document,
            "revision": revision,
            "differs": revision.text != document.text,
            "can_edit": is_reviewer(request.user),
        },
    )


@require_POST
def patterns_restore(request, quarter, number):
    _require_reviewer(request)
    document = _document_or_404(quarter)
    revision = get_object_or_404(document.revisions, number=number)
    restored = patterns_document.restore(revision=revision, user=request.user)
    messages.success(request, f"Restored revision {number} as revision {restored.number}.")
    return redirect(reverse("review_quarter", args=[document.quarter]) + "#patterns")


@require_GET
def patterns_export(request, quarter):
    _require_reader(request)
    document = _document_or_404(quarter)
    response = HttpResponse(document.text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="patterns-we-are-seeing-{document.quarter}.md"'
    )
    return response


@require_POST
def review_correct(request, quarter):
    """One reviewer correction: move (or split off), not a pattern, merge, rename."""
    _require_reviewer(request)
    quarter = _quarter_or_404(quarter)
    data = request.POST
    action, dimension = data.get("action", ""), data.get("dimension", "")
    try:
        if action == "move" and data.get("to", "") == NOT_A_PATTERN:
            slugs = data.getlist("slug")
            for slug in slugs:
                review_corrections.not_a_pattern(
                    period=quarter, dimension=dimension, slug=slug, user=request.user
                )
            done = f"Marked {len(slugs)} postmortem(s) as not part of a pattern."
        elif action == "move":
            slugs = data.getlist("slug")
            name = review_corrections.move(
                period=quarter,
                dimension=dimension,
                slugs=slugs,
                to_key=data.get("to", ""),
                new_name=data.get("new_name", ""),
                user=request.user,
            )
            done = f"Moved {len(slugs)} postmortem(s) to “{name}”."
        elif action == "merge":
            name = review_corrections.merge(
                period=quarter,
                dimension=dimension,
                from_key=data.get("pattern", ""),
                into_key=data.get("into", ""),
                user=request.user,
            )
            done = f"Merged into “{name}”."
        elif action == "rename":
            name = review_corrections.rename(
                period=quarter,
                dimension=dimension,
                key=data.get("pattern", ""),
                name=data.get("name", ""),
                user=request.user,
            )
            done = f"Renamed to “{name}”."
        else:
            raise review_corrections.CorrectionError("Unknown correction.")
    except review_corrections.CorrectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done + " Later reviews keep it.")
    return redirect(reverse("review_quarter", args=[quarter]) + f"#{dimension}")
