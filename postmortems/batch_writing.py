"""Writing many postmortems at once: what ``write_postmortem`` does to each, in a number of
queries that grows with the number of postmortems only where it must (one UPDATE each).

An importer hands a chunk of documents here. When the database refuses anything of a chunk,
nothing of it is written and the error is raised, so the caller can write the chunk's items
one by one through ``write_postmortem`` to find the one at fault.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from .content import FieldError, PostmortemContent
from .content_limits import storable
from .models import Postmortem, Revision, RevisionKind, Service
from .row_sync import create_rows, write_rows_many
from .snapshot import content_data
from .writing import (
    WriteOutcome,
    _claim,
    _derived,
    _fields,
    _published_at,
    _users,
    validate_content,
)


def create_postmortems(
    *,
    items: list[tuple[PostmortemContent, str]],
    user=None,
    kind: str = RevisionKind.IMPORT,
    create_missing_authors: bool = False,
    imported: bool | None = None,
) -> list[WriteOutcome]:
    """Create many new postmortems at once, each as ``write_postmortem`` would create it with
    no base version and ``keep_unapplied`` False: validated, Markdown rendered, the checker's
    verdict, rows, services, authors and an applied revision (``note`` from its item).

    One outcome per item, in order: a content with errors gets them and writes nothing. The
    others are written with one INSERT per table for the whole set, in one transaction: when
    the database refuses any of it, nothing of the set is written and the error is raised,
    so a caller can write the items one by one to find the file at fault. Each content needs
    a slug; one already in use (or repeated in the set) is a validation error."""
    with transaction.atomic():
        slugs = [content.slug for content, _ in items]
        taken = set(Postmortem.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        names = list(dict.fromkeys(name for content, _ in items for name in content.authors))
        users = _users(names, create=False)
        if create_missing_authors:
            users = {**{name: None for name in names}, **users}
        outcomes: list[WriteOutcome | None] = []
        valid = []
        for content, note in items:
            errors = validate_content(content, users=users, taken_slugs=taken)
            if not content.slug:
                errors.append(FieldError("slug", "A postmortem created in a set needs a slug."))
            taken.add(content.slug)
            if errors:
                outcomes.append(WriteOutcome(None, None, tuple(errors)))
                continue
            outcomes.append(None)
            data = content_data(content)
            valid.append((len(outcomes) - 1, content, note, data, _derived(content, data)))
        if create_missing_authors and None in users.values():
            # Only the authors of contents that are written get accounts.
            wanted = {name for _, content, _, _, _ in valid for name in content.authors}
            users = {**users, **_users([n for n in names if n in wanted], create=True)}
        created_by = user if getattr(user, "is_authenticated", False) else None
        postmortems = Postmortem.objects.bulk_create(
            [
                Postmortem(
                    slug=content.slug,
                    created_by=created_by,
                    imported=bool(imported),
                    **_fields(content, derived),
                    **_published_at(content),
                )
                for _, content, _, _, derived in valid
            ]
        )
        written = [(pm, item[1]) for pm, item in zip(postmortems, valid, strict=True)]
        _add_services(written)
        Through = Postmortem.authors.through
        Through.objects.bulk_create(
            Through(postmortem_id=pm.pk, user_id=author.pk)
            for pm, content in written
            for author in [users[name] for name in content.authors] or [created_by]
            if author is not None
        )
        create_rows(written)
        revisions = Revision.objects.bulk_create(
            Revision(
                postmortem=pm,
                number=1,
                author=created_by,
                data=storable({**data, "slug": pm.slug, "version": str(pm.version)}),
                valid=True,
                applied=True,
                kind=kind,
                note=(note or RevisionKind(kind).label)[:200],
            )
            for pm, (_, _, note, data, _) in zip(postmortems, valid, strict=True)
        )
        for pm, revision, (index, *_) in zip(postmortems, revisions, valid, strict=True):
            outcomes[index] = WriteOutcome(pm, revision)
        return outcomes


def _add_services(written) -> None:
    """``_set_services`` for many postmortems just inserted: one lookup, one INSERT."""
    names = list(dict.fromkeys(name for _, content in written for name in content.services))
    if not names:
        return
    found = _service_ids(names)
    Through = Postmortem.services.through
    Through.objects.bulk_create(
        Through(postmortem_id=pm.pk, service_id=found[name])
        for pm, content in written
        for name in dict.fromkeys(content.services)
    )


def update_postmortems(
    *,
    items: list[tuple[Postmortem, PostmortemContent, str]],
    user=None,
    kind: str = RevisionKind.IMPORT,
    create_missing_authors: bool = False,
    imported: bool | None = None,
) -> list[WriteOutcome]:
    """Replace the content of many existing postmortems (distinct ones), each as
    ``write_postmortem`` would with no base version and ``keep_unapplied`` False: validated,
    claimed with one UPDATE (version + 1), services, authors and rows set, an applied revision
    appended (``note`` from its item), so every one can be opened and restored as before.

    One outcome per item, in order: a content with errors gets them and writes nothing. The
    rest is written in one transaction; when the database refuses any of it (or a postmortem
    was deleted meanwhile) nothing of the set is written and the error is raised."""
    if len({pm.pk for pm, _, _ in items}) != len(items):
        raise ValueError("update_postmortems takes each postmortem once")
    with transaction.atomic():
        names = list(dict.fromkeys(name for _, content, _ in items for name in content.authors))
        users = _users(names, create=False)
        if create_missing_authors:
            users = {**{name: None for name in names}, **users}
        wanted = {content.slug for _, content, _ in items if content.slug}
        owner = dict(
            Postmortem.objects.filter(
                slug__in=wanted | {pm.slug for pm, _, _ in items}
            ).values_list("slug", "pk")
        )
        outcomes: list[WriteOutcome | None] = []
        valid = []
        for postmortem, content, note in items:
            # Whose the slug is once the items before this one are written, as one by one.
            holder = owner.get(content.slug, postmortem.pk)
            taken = {content.slug} if content.slug and holder != postmortem.pk else set()
            errors = validate_content(
                content, postmortem=postmortem, users=users, taken_slugs=taken
            )
            if errors:
                outcomes.append(WriteOutcome(postmortem, None, tuple(errors)))
                continue
            if content.slug and content.slug != postmortem.slug:
                if owner.get(postmortem.slug) == postmortem.pk:
                    del owner[postmortem.slug]
                owner[content.slug] = postmortem.pk
            outcomes.append(None)
            data = content_data(content)
            valid.append((len(outcomes) - 1, postmortem, content, note, data))
        if create_missing_authors and None in users.values():
            # Only the authors of contents that are written get accounts.
            wanted_names = {name for _, _, content, _, _ in valid for name in content.authors}
            users = {**users, **_users([n for n in names if n in wanted_names], create=True)}
        for _, postmortem, content, _, data in valid:
            derived = _derived(content, data)
            if not _claim(postmortem, content, derived, None, imported=imported, refresh=False):
                raise Postmortem.DoesNotExist(f"postmortem {postmortem.pk} was deleted")
        claimed = {
            pk: (version, published_at)
            for pk, version, published_at in Postmortem.objects.filter(
                pk__in=[pm.pk for _, pm, _, _, _ in valid]
            ).values_list("pk", "version", "published_at")
        }
        for _, postmortem, _, _, _ in valid:
            postmortem.version, postmortem.published_at = claimed[postmortem.pk]
        _set_services_many([(pm, content.services) for _, pm, content, _, _ in valid])
        signed_in = getattr(user, "is_authenticated", False)
        _set_authors_many(
            [
                (pm, [users[name] for name in content.authors] or ([user] if signed_in else []))
                for _, pm, content, _, _ in valid
            ]
        )
        write_rows_many([(pm, content) for _, pm, content, _, _ in valid])
        last = dict(
            Revision.objects.filter(postmortem__in=[pm for _, pm, _, _, _ in valid])
            .order_by()
            .values("postmortem")
            .annotate(n=Max("number"))
            .values_list("postmortem", "n")
        )
        revisions = Revision.objects.bulk_create(
            Revision(
                postmortem=pm,
                number=(last.get(pm.pk) or 0) + 1,
                author=user if signed_in else None,
                data=storable({**data, "slug": pm.slug, "version": str(pm.version)}),
                valid=True,
                applied=True,
                kind=kind,
                note=(note or RevisionKind(kind).label)[:200],
                base_version=None,
            )
            for _, pm, _, note, data in valid
        )
        for (index, pm, *_), revision in zip(valid, revisions, strict=True):
            outcomes[index] = WriteOutcome(pm, revision)
        return outcomes


def _service_ids(names: list[str]) -> dict[str, int]:
    """The id of each named service, creating the ones that do not exist yet."""
    found = {s.name: s.pk for s in Service.objects.filter(name__in=names)}
    missing = [Service(name=name) for name in names if name not in found]
    if missing:
        Service.objects.bulk_create(missing, ignore_conflicts=True)
        found = {s.name: s.pk for s in Service.objects.filter(name__in=names)}
    return found


def _set_services_many(pairs) -> None:
    """``_set_services`` for many postmortems: one lookup, one DELETE, one INSERT."""
    names = list(dict.fromkeys(name for _, wanted in pairs for name in wanted))
    found = _service_ids(names) if names else {}
    _set_many(
        Postmortem.services.through,
        "service_id",
        [(pm, [found[name] for name in dict.fromkeys(wanted)]) for pm, wanted in pairs],
    )


def _set_authors_many(pairs) -> None:
    _set_many(
        Postmortem.authors.through,
        "user_id",
        [(pm, [author.pk for author in authors]) for pm, authors in pairs],
    )


def _set_many(through, column: str, pairs) -> None:
    """What ``related_manager.set(objects)`` does for each (postmortem, target ids): the links
    not wanted removed, the missing ones added, in the order ``set`` adds them."""
    current: dict[int, dict[int, int]] = {pm.pk: {} for pm, _ in pairs}
    rows = through.objects.filter(postmortem_id__in=list(current)).values_list(
        "pk", "postmortem_id", column
    )
    for pk, postmortem_id, target in rows:
        current[postmortem_id][target] = pk
    removed, added = [], []
    for pm, targets in pairs:
        old = dict(current[pm.pk])
        new = []
        for target in targets:
            if target in old:
                del old[target]
            else:
                new.append(target)
        removed += old.values()
        # set() adds a set of ids, skipping those already linked
        added += [through(postmortem_id=pm.pk, **{column: target}) for target in set(new)]
    if removed:
        through.objects.filter(pk__in=removed).delete()
    if added:
        through.objects.bulk_create(added, ignore_conflicts=True)
