"""Workflows that touch several models: save with revision, restore, change status."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from . import checking
from .forms import FORMSETS, PostmortemEditor
from .models import Commitment, Postmortem, Revision, Service, Status
from .rendering import render_markdown
from .slugs import slug_from
from .snapshot import section_texts, snapshot


class VersionConflict(Exception):
    """Someone else saved the postmortem after the editor loaded it."""

    def __init__(self, postmortem: Postmortem, revision: Revision):
        super().__init__(
            f"{postmortem.slug} was saved by someone else (version {postmortem.version})"
        )
        self.postmortem = postmortem
        self.revision = revision


class TransitionRefused(Exception):
    """A status change the postmortem is not ready for; messages say why."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class SaveOutcome:
    postmortem: Postmortem
    revision: Revision


@transaction.atomic
def record_revision(
    *, postmortem: Postmortem, data: dict, user=None, valid: bool = True, note: str = ""
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
        note=note[:200],
        base_version=_int(data.get("version")),
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def unique_slug(text: str, *, exclude_pk=None) -> str:
    base = slug_from(text, max_length=180)
    slug, n = base, 2
    while Postmortem.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def refresh_derived(postmortem: Postmortem) -> dict:
    """Render Markdown once, rebuild the search text and the checker's verdict; return the snapshot."""
    data = snapshot(postmortem)
    texts = section_texts(data)
    postmortem.impact_summary_html = render_markdown(postmortem.impact_summary)
    postmortem.what_broke_html = render_markdown(postmortem.what_broke)
    postmortem.why_html = render_markdown(postmortem.why)
    postmortem.search_text = "\n".join(
        [postmortem.title, data["services_text"], data["authors_text"], *texts.values()]
    )
    postmortem.verdict = checking.check_sections(texts).verdict
    Postmortem.objects.filter(pk=postmortem.pk).update(
        impact_summary_html=postmortem.impact_summary_html,
        what_broke_html=postmortem.what_broke_html,
        why_html=postmortem.why_html,
        search_text=postmortem.search_text,
        verdict=postmortem.verdict,
    )
    return data


def _save_rows(editor: PostmortemEditor, postmortem: Postmortem) -> None:
    for prefix in FORMSETS:
        formset = editor[prefix]
        kept = []
        forms = [
            form
            for form in formset.forms
            if (form.has_changed() or form.instance.pk)
            and not (formset.can_delete and formset._should_delete_form(form))
        ]
        if prefix == "timeline":
            # A timeline reads in time order, whichever order its lines were typed or pasted in.
            forms.sort(key=lambda form: form.cleaned_data["at"])
        for position, form in enumerate(forms):
            row = form.save(commit=False)
            row.postmortem = postmortem
            row.position = position
            row.save()
            kept.append(row.pk)
        formset.model.objects.filter(postmortem=postmortem).exclude(pk__in=kept).delete()
    link_commitments(postmortem)


def link_commitments(postmortem: Postmortem) -> None:
    """A commitment refers to the change whose reference (or text) it names."""
    changes = list(postmortem.changes.all())
    for commitment in postmortem.commitments.all():
        match = next(
            (c for c in changes if c.reference and c.reference.lower() in commitment.text.lower()),
            None,
        ) or next(
            (c for c in changes if c.text.strip().lower() == commitment.text.strip().lower()), None
        )
        if (match and match.pk) != commitment.change_id:
            Commitment.objects.filter(pk=commitment.pk).update(change=match)


def set_services(postmortem: Postmortem, names: list[str]) -> None:
    services = []
    for name in names:
        service, _ = Service.objects.get_or_create(name=name)
        services.append(service)
    postmortem.services.set(services)


class _Stale(Exception):
    pass


def save_postmortem(*, editor: PostmortemEditor, user, note: str = "Saved") -> SaveOutcome:
    """Save a valid editor, with a revision.

    When the postmortem changed since the editor loaded it, nothing is applied: the submission
    is kept as a revision of its own and VersionConflict says whose version won.
    """
    try:
        return _apply(editor=editor, user=user, note=note)
    except _Stale:
        current = Postmortem.objects.get(pk=editor.form.instance.pk)
        revision = record_revision(
            postmortem=current,
            data=editor.submitted,
            user=user,
            valid=True,
            note=f"Not applied: conflicted with version {current.version}",
        )
        raise VersionConflict(current, revision) from None


@transaction.atomic
def _apply(*, editor: PostmortemEditor, user, note: str) -> SaveOutcome:
    postmortem = editor.form.instance
    cleaned = editor.form.cleaned_data
    if postmortem.pk:
        base = cleaned.get("version")
        claimed = Postmortem.objects.filter(pk=postmortem.pk, version=base).update(
            version=F("version") + 1
        )
        if not claimed:
            raise _Stale
        postmortem.version = base + 1
    postmortem = editor.form.save(commit=False)
    if not postmortem.slug:
        postmortem.slug = unique_slug(postmortem.title, exclude_pk=postmortem.pk)
    if not postmortem.pk and getattr(user, "is_authenticated", False):
        postmortem.created_by = user
    postmortem.save()
    set_services(postmortem, cleaned.get("services_text") or [])
    authors = cleaned.get("authors_text") or []
    if not authors and getattr(user, "is_authenticated", False):
        authors = [user]
    postmortem.authors.set(authors)
    _save_rows(editor, postmortem)
    data = refresh_derived(postmortem)
    revision = record_revision(postmortem=postmortem, data=data, user=user, note=note)
    return SaveOutcome(postmortem, revision)


@transaction.atomic
def save_invalid_draft(
    *, postmortem: Postmortem | None, data: dict, user, errors: int
) -> SaveOutcome:
    """Keep what was typed, errors and all, as a revision of a draft; the page fields stay as they were."""
    if postmortem is None or postmortem.pk is None:
        title = (data.get("title") or "").strip()[:200] or "Untitled draft"
        postmortem = Postmortem.objects.create(
            title=title,
            slug=unique_slug(data.get("slug") or title),
            status=Status.DRAFT,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        if getattr(user, "is_authenticated", False):
            postmortem.authors.add(user)
        refresh_derived(postmortem)
    plural = "s" if errors != 1 else ""
    revision = record_revision(
        postmortem=postmortem,
        data=data,
        user=user,
        valid=False,
        note=f"Draft kept with {errors} error{plural} to fix",
    )
    return SaveOutcome(postmortem, revision)


def latest_unapplied(postmortem: Postmortem) -> Revision | None:
    """The newest revision if it holds text that is not on the postmortem yet (errors or a conflict)."""
    latest = postmortem.revisions.order_by("-number").first()
    if latest and (not latest.valid or latest.note.startswith("Not applied")):
        return latest
    return None


def missing_parts(postmortem: Postmortem) -> list[str]:
    """The parts of the house standard still empty."""
    from .snapshot import SECTION_TITLES

    missing = []
    if not postmortem.incident_start:
        missing.append("Incident start")
    texts = section_texts(snapshot(postmortem))
    missing += [SECTION_TITLES[key] for key, text in texts.items() if not text.strip()]
    return missing


@transaction.atomic
def change_status(*, postmortem: Postmortem, to: str, user) -> Postmortem:
    """Move a postmortem through draft → in review → published. Publishing is gated on the checker."""
    if to not in Status.values:
        raise TransitionRefused([f"Unknown status {to!r}."])
    if to in (Status.IN_REVIEW, Status.PUBLISHED):
        problems = [f"{part} is empty." for part in missing_parts(postmortem)]
        if to == Status.PUBLISHED:
            result = checking.check_sections(section_texts(snapshot(postmortem)))
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
    )
    return postmortem


def without_row_ids(data: dict) -> dict:
    """Form data whose rows all count as new, so it applies whatever rows exist today."""
    data = {k: v for k, v in data.items() if not k.endswith(("-id", "-postmortem"))}
    for prefix in FORMSETS:
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


@transaction.atomic
def restore_revision(*, revision: Revision, user) -> SaveOutcome | PostmortemEditor:
    """Make a revision the current state again, as a new revision.

    A revision that does not validate (it was kept with errors) comes back as a bound editor
    for the person to fix; nothing is changed until they save it.
    """
    postmortem = revision.postmortem
    data = without_row_ids(revision.data)
    data["version"] = str(postmortem.version)
    editor = PostmortemEditor(data, instance=postmortem)
    if not editor.is_valid():
        return editor
    return save_postmortem(editor=editor, user=user, note=f"Restored revision {revision.number}")
