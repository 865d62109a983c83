"""The editor's pages: write a new postmortem, edit one, and everything they post back.

Thin: read the form into a Submission, call the one write service, render what came back.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from . import checking, services
from .forms import FORMSETS, PostmortemEditor
from .models import Postmortem, RevisionKind, Severity
from .permissions import can_write
from .snapshot import readable, snapshot
from .timeline_paste import paste_timeline
from .utc import format_utc
from .views import _get_postmortem_for_user, _require_reader
from .writing import validate_content


def _editor_page(request, editor, postmortem=None, *, status=200, cache_fields=False, **extra):
    context = {
        "editor": editor,
        "postmortem": postmortem,
        "form_action": _form_action(postmortem),
        "severities": Severity.choices,
        "library": checking.library(),
        **extra,
    }
    if cache_fields:
        context["editor_fields_html"] = _stored_fields_html(context)
    return render(request, "postmortems/edit.html", context, status=status)


EDITOR_FIELDS_SECONDS = 24 * 3600
# What the fields' HTML is written by: a deploy that changes any of it changes every key.
_FIELDS_SOURCES = (
    Path(__file__).with_name("forms.py"),
    Path(__file__).with_name("form_rendering.py"),
    Path(__file__).parent / "templatetags" / "editor_rows.py",
    *(
        Path(settings.BASE_DIR) / "templates" / "postmortems" / name
        for name in ("edit.html", "_field.html", "_rows.html")
    ),
)
_FIELDS_CODE = hashlib.sha256(b"".join(p.read_bytes() for p in _FIELDS_SOURCES)).hexdigest()[:12]


def _stored_fields_html(context: dict) -> str:
    """The editor's fields for a postmortem as stored (a plain GET, nothing pending), rendered
    once per version and cached: building the row forms and their widgets was most of the
    edit page's time. Exact: every write of a postmortem or its rows adds one to ``version``
    (its optimistic lock) and saves ``updated_at``, the fields show nothing but stored values
    and fixed choices, and the CSRF token sits outside them."""
    postmortem = context["postmortem"]
    # created_at too: SQLite may give a deleted postmortem's id to the next one.
    key = (
        f"editor-fields:{postmortem.pk}:{postmortem.version}:"
        f"{postmortem.created_at.isoformat()}:{postmortem.updated_at.isoformat()}:{_FIELDS_CODE}"
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "postmortems/edit.html#editor-fields", {**context, "form": context["editor"].form}
        )
        cache.set(key, html, timeout=EDITOR_FIELDS_SECONDS)
    return html


def _form_action(postmortem) -> str:
    """Every editor page (new, edit, a restored or conflicting revision) saves to here."""
    if postmortem is not None and postmortem.pk:
        return reverse("postmortem_edit", args=[postmortem.slug])
    return reverse("postmortem_new")


def _row_count(value) -> int:
    """A row set's submitted TOTAL_FORMS; a tampered one counts as no rows (the formset then
    reports the broken management form next to the rows)."""
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


def _row_action(request, postmortem):
    """Add a row or turn pasted timeline text into rows; re-render that part, save nothing."""
    action = request.POST.get("action", "")
    data = request.POST.copy()
    extra = {}
    if action.startswith("add:") and action[4:] in FORMSETS:
        region = action[4:]
        key = f"{region}-TOTAL_FORMS"
        data[key] = str(_row_count(data.get(key)) + 1)
    elif action == "paste_timeline":
        region = "timeline"
        outcome = paste_timeline(data)
        data = outcome.data
        extra = {"paste_errors": outcome.errors, "paste_leftover": outcome.leftover}
    else:
        return None
    editor = PostmortemEditor(data, instance=postmortem or Postmortem()).quiet()
    if request.htmx:
        response = render(
            request,
            f"postmortems/edit.html#rows-{region}",
            {
                "editor": editor,
                "postmortem": postmortem,
                "prefix": region,
                "form_action": _form_action(postmortem),
                **extra,
            },
        )
        if action == "paste_timeline":
            trigger_client_event(response, "rows-changed")  # the live check reads new rows
        return response
    return _editor_page(request, editor, postmortem, **extra)


def _version(request):
    try:
        return int(request.POST.get("version") or "")
    except ValueError:
        return None


def _save(request, postmortem):
    action = request.POST.get("action") or "save"
    if action not in ("save", "autosave"):
        response = _row_action(request, postmortem)
        if response is not None:
            return response
    editor = PostmortemEditor(request.POST, instance=postmortem or Postmortem())
    submission = editor.submission()
    autosave = action == "autosave"
    outcome = services.save_submission(
        submission=submission,
        postmortem=postmortem,
        user=request.user,
        base_version=_version(request),
        kind=RevisionKind.AUTOSAVE if autosave else RevisionKind.SAVE,
    )
    if autosave:
        return JsonResponse(
            {
                "revision": outcome.revision.number,
                "edit_url": _form_action(outcome.postmortem),
                "saved_at": format_utc(outcome.revision.created_at) + " UTC",
            }
        )
    if outcome.conflict:
        return _conflict_page(request, editor, outcome)
    if not outcome.applied:
        service_errors = outcome.errors[len(submission.problems) :]
        editor.show(service_errors, submission.row_index)
        if postmortem is None:
            messages.warning(
                request,
                f"Saved as a draft with errors (revision {outcome.revision.number}): "
                "fix the fields marked below.",
            )
            url = _form_action(outcome.postmortem)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        return _editor_page(request, editor, outcome.postmortem, kept_revision=outcome.revision)
    messages.success(request, f"Saved (revision {outcome.revision.number}).")
    if request.htmx:
        return HttpResponseClientRedirect(outcome.postmortem.get_absolute_url())
    return redirect(outcome.postmortem)


def _conflict_page(request, editor, conflict):
    current = conflict.postmortem
    theirs = dict(readable(snapshot(current)))
    yours = readable(editor.submitted)
    differences = [
        (label, theirs.get(label, ""), text)
        for label, text in yours
        if theirs.get(label, "") != text
    ]
    data = request.POST.copy()
    data["version"] = str(current.version)
    return _editor_page(
        request,
        PostmortemEditor(data, instance=current),
        current,
        status=409,
        conflict=conflict,
        differences=differences,
    )


@require_http_methods(["GET", "POST"])
def postmortem_new(request):
    _require_reader(request)
    if not can_write(request.user):
        raise PermissionDenied("Only authors and reviewers write postmortems.")
    if request.method == "POST":
        return _save(request, None)
    return _editor_page(request, PostmortemEditor())


def _pending_editor(postmortem, pending) -> PostmortemEditor:
    """The editor holding an unapplied revision's text, with the messages it earns."""
    data = dict(pending.data)
    data["version"] = str(postmortem.version)
    editor = PostmortemEditor(data, instance=postmortem)
    if pending.kind == RevisionKind.AUTOSAVE:
        return editor.quiet()
    submission = editor.submission()
    errors = validate_content(submission.content, postmortem=postmortem)
    editor.show(errors, submission.row_index)
    return editor


@require_http_methods(["GET", "POST"])
def postmortem_edit(request, slug):
    postmortem = _get_postmortem_for_user(request, slug, edit=True)
    if request.method == "POST":
        return _save(request, postmortem)
    pending = services.latest_unapplied(postmortem)
    if pending is not None:
        editor = _pending_editor(postmortem, pending)
        return _editor_page(request, editor, postmortem, pending=pending)
    return _editor_page(
        request, PostmortemEditor(instance=postmortem), postmortem, cache_fields=True
    )
