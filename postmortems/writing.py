"""The one write path: every writer hands a PostmortemContent to ``write_postmortem``.

It validates the content, claims the version, writes the postmortem with one UPDATE (or
INSERT), writes the rows and records the revision, in one transaction and a number of
queries that does not grow with the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from . import checking, limits
from .content import FieldError, PostmortemContent
from .content_limits import limit_errors, storable
from .models import (
    Postmortem,
    Revision,
    RevisionKind,
    Service,
    Severity,
    Status,
    quarter_of,
)
from .rendering import render_markdown
from .row_sync import ROW_MODELS, write_rows
from .slugs import RESERVED_SLUGS, slug_from
from .snapshot import ROW_FIELDS, content_data, section_inputs

UNTITLED_SLUG = "untitled-draft"
_ROW_MESSAGES = {
    "timeline": "Say what happened.",
    "lags": "Name what kept it broken.",
    "changes": "Describe the change.",
    "commitments": "Say what is promised.",
}


@dataclass(frozen=True)
class WriteOutcome:
    """What a write did. ``applied`` False: the text is kept as ``revision`` (unless the
    writer asked for nothing to be kept) and ``errors`` say why it is not on the postmortem,
    or ``conflict`` says someone else saved first."""

    postmortem: Postmortem | None
    revision: Revision | None
    errors: tuple[FieldError, ...] = ()
    conflict: bool = False

    @property
    def applied(self) -> bool:
        return self.revision is not None and self.revision.applied


def write_postmortem(
    *,
    content: PostmortemContent,
    user=None,
    postmortem: Postmortem | None = None,
    base_version: int | None = None,
    kind: str = RevisionKind.SAVE,
    note: str = "",
    problems: tuple[FieldError, ...] = (),
    typed: dict | None = None,
    keep_unapplied: bool = True,
    create_missing_authors: bool = False,
    imported: bool | None = None,
) -> WriteOutcome:
    """Validate ``content`` and make it the postmortem's state, with a revision.

    ``postmortem`` None creates one. ``base_version`` is the version the writer started from:
    when someone saved since, nothing is applied and the submission is kept as an unapplied
    revision (``conflict``). None skips that check (an importer replacing a document).
    ``problems`` are what the writer could not read into ``content``; with those or with
    validation errors nothing is applied, and ``typed`` (or the content) is kept as an
    unapplied revision, creating a draft if needed, unless ``keep_unapplied`` is False.
    ``kind`` AUTOSAVE never applies: it only keeps the text.
    """
    with transaction.atomic():
        users = _users(content.authors, create=False)
        if create_missing_authors:
            users = {**{name: None for name in content.authors}, **users}
        errors = list(problems) + validate_content(content, postmortem=postmortem, users=users)
        if errors or kind == RevisionKind.AUTOSAVE:
            if not keep_unapplied:
                return WriteOutcome(postmortem, None, tuple(errors))
            target = postmortem or _new_draft(content, user)
            revision = _record(
                target,
                data=typed if typed is not None else content_data(content),
                user=user,
                kind=kind,
                valid=not errors,
                applied=False,
                base_version=base_version,
                note=note or _kept_note(len(errors), kind),
            )
            return WriteOutcome(target, revision, tuple(errors))
        if create_missing_authors and None in users.values():
            users = _users(content.authors, create=True)
        data = content_data(content)
        derived = _derived(content, data)
        if postmortem is None or postmortem.pk is None:
            postmortem = _insert(content, derived, user=user, imported=imported)
        elif not _claim(postmortem, content, derived, base_version, imported=imported):
            current = Postmortem.objects.select_for_update().get(pk=postmortem.pk)
            revision = _record(
                current,
                data=typed if typed is not None else data,
                user=user,
                kind=kind,
                valid=True,
                applied=False,
                base_version=base_version,
                note=f"Not applied: conflicted with version {current.version}",
            )
            return WriteOutcome(current, revision, conflict=True)
        _set_services(postmortem, content.services)
        authors = [users[name] for name in content.authors]
        if not authors and getattr(user, "is_authenticated", False):
            authors = [user]
        postmortem.authors.set(authors)
        write_rows(postmortem, content)
        data["slug"] = postmortem.slug
        data["version"] = str(postmortem.version)
        revision = _record(
            postmortem,
            data=data,
            user=user,
            kind=kind,
            valid=True,
            applied=True,
            base_version=base_version,
            note=note or RevisionKind(kind).label,
        )
        return WriteOutcome(postmortem, revision)


def validate_content(
    content: PostmortemContent,
    *,
    postmortem: Postmortem | None = None,
    users=None,
    taken_slugs: set[str] | None = None,
) -> list[FieldError]:
    """What the content must satisfy, whoever wrote it; each message names its field.
    ``taken_slugs``, when given, are the slugs in use (instead of asking the database)."""
    errors = []
    if content.slug:
        if content.slug != slugify(content.slug):
            errors.append(FieldError("slug", "Use lowercase letters, digits and hyphens."))
        elif content.slug in RESERVED_SLUGS:
            errors.append(FieldError("slug", f'"{content.slug}" is reserved; choose another.'))
        elif (
            content.slug in taken_slugs
            if taken_slugs is not None
            else Postmortem.objects.filter(slug=content.slug)
            .exclude(pk=getattr(postmortem, "pk", None))
            .exists()
        ):
            errors.append(
                FieldError("slug", f'Another postmortem already uses the slug "{content.slug}".')
            )
    if content.severity not in Severity.values:
        errors.append(FieldError("severity", f"Severity is one of {', '.join(Severity.values)}."))
    start, end = content.incident_start, content.incident_end
    if start and end and end < start:
        errors.append(FieldError("incident_end", "The incident cannot end before it starts."))
    currency = content.impact_currency
    if len(currency) != 3 or not currency.isalpha():
        errors.append(
            FieldError("impact_currency", "Use a three-letter currency code such as USD or EUR.")
        )
    users = _users(content.authors, create=False) if users is None else users
    unknown = [name for name in content.authors if name not in users]
    if unknown:
        errors.append(FieldError("authors_text", f"No user named {', '.join(unknown)}."))
    if any(len(name) > 150 for name in content.authors):
        errors.append(FieldError("authors_text", "A username has at most 150 characters."))
    errors += _length_errors(Postmortem, content, ("title", "slug", "impact_currency"))
    errors += limit_errors(content)
    for prefix, model in ROW_MODELS.items():
        for index, row in enumerate(getattr(content, prefix)):
            if not row.text.strip():
                errors.append(FieldError(f"{prefix}-{index}-text", _ROW_MESSAGES[prefix]))
            errors += [
                FieldError(f"{prefix}-{index}-{e.field}", e.message)
                for e in _length_errors(model, row, ROW_FIELDS[prefix])
            ]
    return errors


def _length_errors(model, value, names) -> list[FieldError]:
    errors = []
    for name in names:
        limit = getattr(model._meta.get_field(name), "max_length", None)
        text = getattr(value, name)
        if limit and isinstance(text, str) and len(text) > limit:
            errors.append(FieldError(name, f"At most {limit} characters (this has {len(text)})."))
    return errors


def _kept_note(errors: int, kind: str) -> str:
    if kind == RevisionKind.AUTOSAVE:
        return "Autosaved"
    return f"Draft kept with {errors} error{'s' if errors != 1 else ''} to fix"


def _users(names, *, create: bool) -> dict:
    User = get_user_model()
    found = {u.username: u for u in User.objects.filter(username__in=list(names))} if names else {}
    if create:
        for name in names:
            if name not in found:
                # Authors of old documents may have left: accounts that cannot log in.
                user = User(username=name, is_active=False)
                user.set_unusable_password()
                user.save()
                found[name] = user
    return found


def unique_slug(text: str, *, exclude_pk=None) -> str:
    base = slug_from(text, max_length=180) if (text or "").strip() else UNTITLED_SLUG
    taken = set(
        Postmortem.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _new_draft(content: PostmortemContent, user) -> Postmortem:
    """A draft to hold a first save that has errors: its title as typed, a slug that stays."""
    signed_in = getattr(user, "is_authenticated", False)
    postmortem = _create_with_free_slug(
        content.slug or content.title,
        title=limits.replace_control_characters(content.title)[: limits.TITLE],
        status=Status.DRAFT,
        created_by=user if signed_in else None,
    )
    if signed_in:
        postmortem.authors.add(user)
    return postmortem


def _derived(content: PostmortemContent, data: dict) -> dict:
    """Markdown rendered once, the search text and the checker's verdict, from the content."""
    inputs = section_inputs(data)
    # section_texts(data), without building every row's line a second time.
    texts = {key: "\n".join(v) if isinstance(v, list) else v for key, v in inputs.items()}
    return {
        "impact_summary_html": render_markdown(content.impact_summary),
        "what_broke_html": render_markdown(content.what_broke),
        "why_html": render_markdown(content.why),
        "search_text": "\n".join(
            [content.title, ", ".join(content.services), ", ".join(content.authors)]
            + list(texts.values())
        ),
        "verdict": checking.verdict_of(inputs),
    }


def _fields(content: PostmortemContent, derived: dict) -> dict:
    start = content.incident_start
    fields = {
        "title": content.title,
        "severity": content.severity,
        "incident_start": start,
        "incident_end": content.incident_end,
        "quarter": quarter_of(start) if start else "",
        "impact_users": content.impact_users,
        "impact_minutes": content.impact_minutes,
        "impact_money": content.impact_money,
        "impact_currency": content.impact_currency,
        "impact_summary": content.impact_summary,
        "what_broke": content.what_broke,
        "why": content.why,
        **derived,
    }
    if content.status is not None:
        fields["status"] = content.status
    if content.metadata is not None:
        fields["metadata"] = dict(content.metadata)
    if content.extra_sections is not None:
        # Rendered once here, like the other sections' HTML.
        fields["extra_sections"] = [
            {**part, "html": render_markdown(part["text"])} for part in content.extra_sections
        ]
    return fields


def _insert(content, derived, *, user, imported) -> Postmortem:
    fields = {**_fields(content, derived), **_published_at(content)}
    return _create_with_free_slug(
        content.slug or content.title,
        exact=bool(content.slug),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        imported=bool(imported),
        **fields,
    )


def _published_at(content) -> dict:
    if content.status == Status.PUBLISHED:
        return {"published_at": content.incident_start or timezone.now()}
    return {}


SLUG_ATTEMPTS = 20


def _create_with_free_slug(slug_text: str, *, exact: bool = False, **fields) -> Postmortem:
    """Insert a postmortem under the first free slug made from ``slug_text`` (as given, when
    ``exact``). Two people creating "Refund outage" at the same moment both look, both see
    the slug free, and one insert fails: that one takes the next free slug instead of losing
    the submission."""
    for attempt in range(SLUG_ATTEMPTS):
        slug = slug_text if exact and attempt == 0 else unique_slug(slug_text)
        try:
            with transaction.atomic():
                return Postmortem.objects.create(slug=slug, **fields)
        except IntegrityError:
            if not Postmortem.objects.filter(slug=slug).exists():
                raise  # another constraint: not ours to work around
    raise IntegrityError(f"no free slug for {slug_text!r} after {SLUG_ATTEMPTS} attempts")


def _claim(postmortem, content, derived, base_version, *, imported, refresh=True) -> bool:
    """The one UPDATE of the postmortem, claiming the version it was edited from. With no
    base version, the new version and publication time are read back unless ``refresh`` is
    False (a caller claiming many reads them back in one query)."""
    fields = _fields(content, derived)
    if content.slug:
        fields["slug"] = content.slug
    if imported is not None:
        fields["imported"] = imported
    now = timezone.now()
    update = dict(fields, updated_at=now, version=F("version") + 1)
    if fields.get("status") == Status.PUBLISHED:
        update["published_at"] = Coalesce(F("published_at"), content.incident_start or now)
    rows = Postmortem.objects.filter(pk=postmortem.pk)
    if base_version is not None:
        rows = rows.filter(version=base_version)
    if not rows.update(**update):
        return False
    for name, value in fields.items():
        setattr(postmortem, name, value)
    postmortem.updated_at = now
    if base_version is not None:
        postmortem.version = base_version + 1
    elif refresh:
        postmortem.refresh_from_db(fields=["version", "published_at"])
    return True


def _set_services(postmortem: Postmortem, names) -> None:
    names = list(dict.fromkeys(names))
    found = {s.name: s for s in Service.objects.filter(name__in=names)} if names else {}
    missing = [Service(name=name) for name in names if name not in found]
    if missing:
        Service.objects.bulk_create(missing, ignore_conflicts=True)
        found = {s.name: s for s in Service.objects.filter(name__in=names)}
    postmortem.services.set([found[name] for name in names])


def _record(postmortem, *, data, user, kind, valid, applied, base_version, note) -> Revision:
    """Append a revision; the number is taken under the postmortem's row lock."""
    if not applied:
        Postmortem.objects.select_for_update().filter(pk=postmortem.pk).first()
    last = postmortem.revisions.aggregate(n=Max("number"))["n"] or 0
    return Revision.objects.create(
        postmortem=postmortem,
        number=last + 1,
        author=user if getattr(user, "is_authenticated", False) else None,
        data=storable(data),
        valid=valid,
        applied=applied,
        kind=kind,
        note=note[:200],
        base_version=base_version,
    )
