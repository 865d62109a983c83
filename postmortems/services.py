"""Workflows that touch several models: revisions, restore, status, delete and archive.

Writing content goes through one path, ``postmortems.writing.write_postmortem``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from . import checking
from .content import Submission
from .forms import PostmortemEditor
from .models import Postmortem, Revision, RevisionKind, Status
from .rendering import render_markdown
from .snapshot import section_inputs, section_texts, snapshot
from .writing import WriteOutcome, unique_slug, write_postmortem

__all__ = ["WriteOutcome", "unique_slug", "write_postmortem"]


class TransitionRefused(Exception):
    """A status change the postmortem is not ready for; messages say why."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@transaction.atomic
def record_revision(
    *,
    postmortem: Postmortem,
    data: dict,
    user=None,
    valid: bool = True,
    note: str = "",
    kind: str = RevisionKind.SAVE,
) -> Revision:
    """Append a revision. Numbers are taken under a row lock so two saves never share one."""
    Postmortem.objects.select_for_update().filter(pk=postmortem.pk).first()
    last = postmortem.revisions.aggregate(n=Max("number"))["n"] or 0
    return Revision.objects.create(
        postmortem=postmortem,
        number=last + 1,
        author=user if getattr(user, "is_authenticated", False) else None,
        data=data,
        valid=valid,
        applied=valid,
        kind=kind,
        note=note[:200],
        base_version=_int(data.get("version")),
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def refresh_derived(postmortem: Postmortem) -> dict:
    """Render Markdown once, rebuild the search text and the checker's verdict; return the
    snapshot. For rows written outside the editor (test factories, benchmarks)."""
    data = snapshot(postmortem)
    texts = section_texts(data)
    postmortem.impact_summary_html = render_markdown(postmortem.impact_summary)
    postmortem.what_broke_html = render_markdown(postmortem.what_broke)
    postmortem.why_html = render_markdown(postmortem.why)
    postmortem.search_text = "\n".join(
        [postmortem.title, data["services_text"], data["authors_text"], *texts.values()]
    )
    postmortem.verdict = checking.check_sections(section_inputs(data)).verdict
    Postmortem.objects.filter(pk=postmortem.pk).update(
        impact_summary_html=postmortem.impact_summary_html,
        what_broke_html=postmortem.what_broke_html,
        why_html=postmortem.why_html,
        search_text=postmortem.search_text,
        verdict=postmortem.verdict,
    )
    return data


def save_submission(
    *,
    submission: Submission,
    postmortem: Postmortem | None,
    user,
    base_version: int | None,
    kind: str = RevisionKind.SAVE,
    note: str = "",
) -> WriteOutcome:
    """The editor's save (or autosave) of what was typed."""
    return write_postmortem(
        content=submission.content,
        problems=submission.problems,
        typed=submission.typed,
        postmortem=postmortem,
        base_version=base_version if postmortem is not None else None,
        user=user,
        kind=kind,
        note=note,
    )


def latest_unapplied(postmortem: Postmortem) -> Revision | None:
    """The newest revision if it holds text that is not on the postmortem yet (errors, a
    conflict, an autosave)."""
    latest = postmortem.revisions.order_by("-number").first()
    if latest and not latest.applied:
        return latest
    return None


def without_row_ids(data: dict) -> dict:
    """Form data whose rows all count as new, so it applies whatever rows exist today."""
    data = {k: v for k, v in data.items() if not k.endswith(("-id", "-postmortem"))}
    for prefix in ("timeline", "lags", "changes", "commitments"):
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def restore_revision(*, revision: Revision, user) -> WriteOutcome:
    """Make a revision the current state again, as a new revision, through the one write path.

    A revision that does not validate (it was kept with errors) is kept again as the newest
    unapplied revision, which the editor opens for the person to fix.
    """
    postmortem = revision.postmortem
    data = without_row_ids(revision.data)
    editor = PostmortemEditor(data, instance=postmortem)
    submission = editor.submission()
    return write_postmortem(
        content=submission.content,
        problems=submission.problems,
        typed=data,
        postmortem=postmortem,
        base_version=postmortem.version,
        user=user,
        kind=RevisionKind.RESTORE,
        note=f"Restored revision {revision.number}",
    )


def missing_parts(postmortem: Postmortem) -> list[str]:
    """The parts of the house standard still empty."""
    from .snapshot import SECTION_TITLES

    missing = []
    if not postmortem.incident_start:
        missing.append("Incident start")
    inputs = section_inputs(snapshot(postmortem))
    missing += [
        SECTION_TITLES[key]
        for key, value in inputs.items()
        if not (value.strip() if isinstance(value, str) else any(r.strip() for r in value))
    ]
    return missing


@transaction.atomic
def change_status(*, postmortem: Postmortem, to: str, user) -> Postmortem:
    """Move a postmortem through draft → in review → published. Publishing is gated on the checker."""
    if to not in Status.values:
        raise TransitionRefused([f"Unknown status {to!r}."])
    if to in (Status.IN_REVIEW, Status.PUBLISHED):
        problems = [f"{part} is empty." for part in missing_parts(postmortem)]
        if to == Status.PUBLISHED:
            result = checking.check_sections(section_inputs(snapshot(postmortem)))
            problems += [
                f"{section} holds an anti-pattern: “{phrase}”"
                for section, phrase in checking.anti_patterns(result)
            ]
            problems = list(dict.fromkeys(problems))
        if problems:
            raise TransitionRefused(problems)
    Postmortem.objects.filter(pk=postmortem.pk).update(
        status=to,
        version=F("version") + 1,
        published_at=timezone.now() if to == Status.PUBLISHED else None,
    )
    postmortem.refresh_from_db()
    record_revision(
        postmortem=postmortem,
        data=snapshot(postmortem),
        user=user,
        note=f"Status: {Status(to).label}",
        kind=RevisionKind.STATUS,
    )
    return postmortem


@transaction.atomic
def remove_postmortem(*, postmortem: Postmortem, user) -> Postmortem:
    """Delete a draft or archive a published postmortem: hidden everywhere, its revisions kept,
    and a reviewer can bring it back."""
    word = postmortem.removal_word
    Postmortem.objects.filter(pk=postmortem.pk).update(
        removed_at=timezone.now(), removed_by=user, version=F("version") + 1
    )
    postmortem.refresh_from_db()
    record_revision(
        postmortem=postmortem,
        data=snapshot(postmortem),
        user=user,
        note=word.capitalize(),
        kind=RevisionKind.REMOVAL,
    )
    return postmortem


@transaction.atomic
def bring_back_postmortem(*, postmortem: Postmortem, user) -> Postmortem:
    """Undo a delete or an archive."""
    word = postmortem.removal_word
    Postmortem.objects.filter(pk=postmortem.pk).update(
        removed_at=None, removed_by=None, version=F("version") + 1
    )
    postmortem.refresh_from_db()
    record_revision(
        postmortem=postmortem,
        data=snapshot(postmortem),
        user=user,
        note=f"Brought back after being {word}",
        kind=RevisionKind.REMOVAL,
    )
    return postmortem
