"""Postmortem pages: list, write, read, history. Thin: validate, call one workflow, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from . import checking, limits, services
from .document import render_document
from .document_io import document_from_postmortem
from .filter_menus import SERVICE_SUGGESTIONS, known_quarters, service_suggestions
from .list_rows import ROW_FIELDS, list_rows_html
from .models import Postmortem, RevisionKind, Severity, Status
from .permissions import (
    allowed_transitions,
    can_bring_back,
    can_edit,
    can_read,
    can_remove,
    is_reviewer,
)
from .response import figures_for, minutes, phased_timeline, status_update, users_per_minute
from .snapshot import SECTION_TITLES, readable, section_inputs, snapshot

PAGE_SIZE = 25


def _require_reader(request):
    if not can_read(request.user):
        raise PermissionDenied("You have no role in Hindsight yet: ask an admin to add you to one.")


def _get_postmortem_for_user(request, slug, *, edit=False) -> Postmortem:
    """The one access helper: readers see every postmortem, editing follows the roles."""
    _require_reader(request)
    postmortem = get_object_or_404(Postmortem, slug=slug)
    if postmortem.removed_at is not None and not is_reviewer(request.user):
        raise Http404("No postmortem here: it was deleted or archived.")
    if edit and postmortem.removed_at is not None:
        raise PermissionDenied(
            f"This postmortem is {postmortem.removal_word}: bring it back first."
        )
    if edit and not can_edit(request.user, postmortem):
        raise PermissionDenied("You cannot edit this postmortem.")
    return postmortem


@require_GET
def postmortem_list(request):
    _require_reader(request)
    removed = request.GET.get("removed") == "1" and is_reviewer(request.user)
    postmortems = (
        Postmortem.objects.filter(removed_at__isnull=False)
        if removed
        else Postmortem.objects.current()
    )
    filters = {
        "quarter": request.GET.get("quarter", ""),
        "severity": request.GET.get("severity", ""),
        "status": request.GET.get("status", ""),
        "service": request.GET.get("service", ""),
        "q": request.GET.get("q", "").strip(),
    }
    if filters["quarter"]:
        postmortems = postmortems.in_quarter(filters["quarter"])
    if filters["severity"]:
        postmortems = postmortems.filter(severity=filters["severity"])
    if filters["status"]:
        postmortems = postmortems.filter(status=filters["status"])
    if filters["service"]:
        postmortems = postmortems.with_service(filters["service"])
    if filters["q"]:
        postmortems = postmortems.search(filters["q"])
    # A row shows the title and facts: read those alone, never each section's text and HTML.
    page = Paginator(postmortems.values(*ROW_FIELDS), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows_html": list_rows_html(page.object_list),
        "filters": filters,
        "query": query.urlencode(),
        "quarters": known_quarters(),
        "severities": Severity.choices,
        "statuses": Status.choices,
        "service_names": service_suggestions(""),
        "showing_removed": removed,
        "can_see_removed": is_reviewer(request.user),
    }
    template = "postmortems/list.html#results" if request.htmx else "postmortems/list.html"
    return render(request, template, context)


@require_GET
def service_names(request):
    """The service filter's suggestions as the person types; as a page, the matches as links."""
    _require_reader(request)
    typed = request.GET.get("service", "")
    context = {
        "typed": typed.strip(),
        "names": service_suggestions(typed),
        "limit": SERVICE_SUGGESTIONS,
    }
    template = "postmortems/services.html#options" if request.htmx else "postmortems/services.html"
    return render(request, template, context)


@require_GET
def postmortem_detail(request, slug):
    postmortem = _get_postmortem_for_user(request, slug)
    phased = phased_timeline(postmortem.timeline.all())
    figures = figures_for(postmortem, phased)
    context = {
        "postmortem": postmortem,
        "timeline": phased,
        "figures": {
            "ack": minutes(figures.time_to_ack),
            "stop_bleed": minutes(figures.time_to_stop_bleed),
            "resolve": minutes(figures.time_to_resolve),
            "investigate_first": figures.investigate_first,
            "damage": None if figures.damage_users is None else round(figures.damage_users),
            "rate": users_per_minute(postmortem),
        },
        "status_line": status_update(postmortem, phased),
        "lags": postmortem.lags.all(),
        "changes": postmortem.changes.all(),
        "commitments": postmortem.commitments.select_related("change"),
        "services": postmortem.services.all(),
        "authors": postmortem.authors.all(),
        "can_edit": can_edit(request.user, postmortem) and postmortem.removed_at is None,
        "can_remove": can_remove(request.user, postmortem),
        "can_bring_back": can_bring_back(request.user, postmortem),
        "transitions": [
            (s, Status(s).label)
            for s in allowed_transitions(request.user, postmortem)
            if postmortem.removed_at is None
        ],
    }
    return render(request, "postmortems/detail.html", context)


@require_POST
def postmortem_status(request, slug):
    postmortem = _get_postmortem_for_user(request, slug, edit=True)
    target = request.POST.get("status", "")
    if target not in allowed_transitions(request.user, postmortem):
        raise PermissionDenied("You cannot make that change of status.")
    try:
        services.change_status(postmortem=postmortem, to=target, user=request.user)
    except services.TransitionRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Status is now {Status(target).label}.")
    return redirect(postmortem)


@require_POST
def postmortem_remove(request, slug):
    postmortem = _get_postmortem_for_user(request, slug)
    if not can_remove(request.user, postmortem):
        raise PermissionDenied("You cannot delete or archive this postmortem.")
    services.remove_postmortem(postmortem=postmortem, user=request.user)
    messages.success(
        request,
        f"“{postmortem.display_title}” is {postmortem.removal_word}; "
        "a reviewer can bring it back, with its history.",
    )
    return redirect("postmortem_list")


@require_POST
def postmortem_bring_back(request, slug):
    postmortem = _get_postmortem_for_user(request, slug)
    if not can_bring_back(request.user, postmortem):
        raise PermissionDenied("Only a reviewer brings back a deleted or archived postmortem.")
    services.bring_back_postmortem(postmortem=postmortem, user=request.user)
    messages.success(request, f"“{postmortem.display_title}” is back.")
    return redirect(postmortem)


@require_GET
def postmortem_history(request, slug):
    postmortem = _get_postmortem_for_user(request, slug)
    revisions = postmortem.revisions.select_related("author")
    return render(
        request,
        "postmortems/history.html",
        {
            "postmortem": postmortem,
            "entries": _fold_autosaves(revisions),
            "can_edit": can_edit(request.user, postmortem) and postmortem.removed_at is None,
        },
    )


def _fold_autosaves(revisions) -> list[tuple[str, list]]:
    """History entries: ("one", [revision]) or ("autosaves", [consecutive autosaves])."""
    entries: list[tuple[str, list]] = []
    for revision in revisions:
        if revision.kind == RevisionKind.AUTOSAVE:
            if entries and entries[-1][0] == "autosaves":
                entries[-1][1].append(revision)
                continue
            entries.append(("autosaves", [revision]))
        else:
            entries.append(("one", [revision]))
    return entries


@require_GET
def revision_detail(request, slug, number):
    postmortem = _get_postmortem_for_user(request, slug)
    revision = get_object_or_404(postmortem.revisions, number=number)
    current = dict(readable(snapshot(postmortem)))
    parts = [
        (label, text, current.get(label, "") != text) for label, text in readable(revision.data)
    ]
    return render(
        request,
        "postmortems/revision.html",
        {
            "postmortem": postmortem,
            "revision": revision,
            "parts": parts,
            "can_edit": can_edit(request.user, postmortem) and postmortem.removed_at is None,
        },
    )


@require_POST
def revision_restore(request, slug, number):
    postmortem = _get_postmortem_for_user(request, slug, edit=True)
    revision = get_object_or_404(postmortem.revisions, number=number)
    outcome = services.restore_revision(revision=revision, user=request.user)
    if not outcome.applied:
        messages.warning(
            request,
            f"Revision {number} has errors to fix before it can be saved; it is loaded below.",
        )
        return redirect("postmortem_edit", slug=postmortem.slug)
    messages.success(request, f"Restored revision {number} as revision {outcome.revision.number}.")
    return redirect(postmortem)


@require_GET
def postmortem_export(request, slug):
    postmortem = _get_postmortem_for_user(request, slug)
    text = render_document(document_from_postmortem(postmortem))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{postmortem.slug}.md"'
    return response


@require_GET
def home(request):
    return redirect(reverse("postmortem_list"))


@require_POST
def postmortem_check(request):
    """The live specificity check of the editor's current text; saves nothing."""
    _require_reader(request)
    texts = section_inputs(request.POST)
    size = sum(len(t) if isinstance(t, str) else sum(map(len, t)) for t in texts.values())
    if size > limits.CHECK_MAX_CHARS:
        # htmx swaps only 2xx answers: the editor shows the message; other clients get 413.
        message = (
            f"Too long to check live: {size:,} characters, at most {limits.CHECK_MAX_CHARS:,}. "
            "Saving still keeps every word; split the text or shorten it to see the check."
        )
        template = "postmortems/check.html#too_long" if request.htmx else "postmortems/check.html"
        context = {"too_long": message}
        return render(request, template, context, status=200 if request.htmx else 413)
    result = checking.check_sections(texts)
    context = {
        "result": result,
        "blocking": not result.can_publish,
        "oob": bool(request.htmx),
        "sections": [
            {
                "key": key,
                "title": SECTION_TITLES[key],
                "result": result.sections[key],
                "phrases_html": checking.phrases_html(result.sections[key]),
            }
            for key in SECTION_TITLES
        ],
    }
    template = "postmortems/check.html#results" if request.htmx else "postmortems/check.html"
    return render(request, template, context)
