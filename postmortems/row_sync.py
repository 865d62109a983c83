"""Writing a postmortem's rows in a fixed number of queries, whatever their number."""

from __future__ import annotations

from django.db import connections, models
from django.utils import timezone

from .content import PostmortemContent
from .models import Change, Commitment, Lag, Postmortem, TimelineEntry
from .snapshot import ROW_FIELDS

ROW_MODELS = {
    "timeline": TimelineEntry,
    "lags": Lag,
    "changes": Change,
    "commitments": Commitment,
}


def write_rows(postmortem: Postmortem, content: PostmortemContent) -> None:
    """Update the rows that stay, create the new ones, delete the rest: a fixed number of
    queries per row set. Commitments keep their identity (events, reminders) where they can."""
    write_rows_many([(postmortem, content)])


def write_rows_many(pairs: list[tuple[Postmortem, PostmortemContent]]) -> None:
    """``write_rows`` for many (postmortem, content) pairs of distinct postmortems, each one's
    rows written as ``write_rows`` writes them, in the same number of queries as for one."""
    now = timezone.now()
    pks = [postmortem.pk for postmortem, _ in pairs]
    existing = {prefix: {pk: {} for pk in pks} for prefix in ROW_MODELS}
    for prefix, model in ROW_MODELS.items():
        rows = model.objects.filter(postmortem_id__in=pks)
        if prefix != "commitments" and not any(
            row.id is not None for _, content in pairs for row in getattr(content, prefix)
        ):
            # No row names one to keep (an import): every one is deleted, so ids will do.
            for pk, postmortem_id in rows.values_list("pk", "postmortem_id"):
                existing[prefix][postmortem_id][pk] = None
            continue
        # In the model's order (position, id), per postmortem, as write_rows read them.
        for obj in rows:
            existing[prefix][obj.postmortem_id][obj.pk] = obj
    saved_changes = _sync_many(
        "changes",
        [(pm, content.changes, existing["changes"][pm.pk], None) for pm, content in pairs],
        now,
    )
    for prefix in ("timeline", "lags"):
        _sync_many(
            prefix,
            [
                (pm, getattr(content, prefix), existing[prefix][pm.pk], None)
                for pm, content in pairs
            ],
            now,
        )
    plans = []
    for (pm, content), saved in zip(pairs, saved_changes, strict=True):
        by_reference = {c.reference.lower(): c for c in saved if c.reference}
        plans.append(
            (
                pm,
                content.commitments,
                existing["commitments"][pm.pk],
                lambda row, saved=saved, by_reference=by_reference: _linked_change(
                    row, saved, by_reference
                ),
            )
        )
    _sync_many("commitments", plans, now)


def _linked_change(row, changes, by_reference):
    """A commitment refers to the change it names by reference, or whose text it repeats."""
    if row.change_reference:
        return by_reference.get(row.change_reference.lower())
    text = row.text.lower()
    return next((c for c in changes if c.reference and c.reference.lower() in text), None) or next(
        (c for c in changes if c.text.strip().lower() == row.text.strip().lower()), None
    )


def create_rows(written: list[tuple[Postmortem, PostmortemContent]]) -> None:
    """The rows of postmortems just inserted, for many postmortems at once: one INSERT per
    row kind for the whole set, the commitments linked to their changes as ``write_rows``
    links them."""
    for prefix in ("timeline", "lags"):  # nothing refers to these rows by id
        insert_values(
            ROW_MODELS[prefix],
            [
                {**_values(prefix, row, position), "postmortem_id": postmortem.pk}
                for postmortem, content in written
                for position, row in enumerate(getattr(content, prefix))
            ],
        )
    # Commitments link to the changes: the changes' ids come back.
    changes = {
        postmortem.pk: [
            _new_row(postmortem, "changes", _values("changes", row, position))
            for position, row in enumerate(content.changes)
        ]
        for postmortem, content in written
    }
    Change.objects.bulk_create([obj for objs in changes.values() for obj in objs])
    commitments = []
    for postmortem, content in written:
        saved = changes[postmortem.pk]
        by_reference = {c.reference.lower(): c for c in saved if c.reference}
        commitments += [
            _new_row(
                postmortem,
                "commitments",
                _values(
                    "commitments",
                    row,
                    position,
                    lambda row, saved=saved, by_reference=by_reference: _linked_change(
                        row, saved, by_reference
                    ),
                ),
            )
            for position, row in enumerate(content.commitments)
        ]
    Commitment.objects.bulk_create(commitments)


def _values(prefix, row, position, link=None) -> dict:
    values = {name: getattr(row, name) for name in ROW_FIELDS[prefix]}
    values["position"] = position
    if link is not None:
        change = link(row)
        values["change_id"] = change.pk if change is not None else None
    return values


def _new_row(postmortem, prefix, values):
    obj = ROW_MODELS[prefix](postmortem=postmortem, **values)
    if prefix == "commitments":
        obj.first_due = obj.due
    return obj


def _sync_many(prefix, plans, now) -> list[list]:
    """Each (postmortem, rows, existing rows by pk, link) planned as ``_plan`` says, then one
    DELETE, one bulk UPDATE and one INSERT for all of them. The kept rows of each, in order."""
    model = ROW_MODELS[prefix]
    kept_all, deleted, changed, created = [], [], [], []
    for postmortem, rows, existing, link in plans:
        kept, new, moved, unclaimed = _plan(postmortem, prefix, rows, existing, link)
        kept_all.append(kept)
        created += new
        changed += moved
        deleted += unclaimed
    if deleted:
        model.objects.filter(pk__in=deleted).delete()
    if changed:
        fields = list(ROW_FIELDS[prefix]) + ["position"]
        if prefix == "commitments":
            fields += ["change", "first_due", "due_moves", "updated_at"]
            for obj in changed:
                obj.updated_at = now
        update_each(model, changed, fields)
    if created:
        if prefix in ("timeline", "lags"):  # nothing refers to these rows by id
            insert_each(model, created)
        else:
            model.objects.bulk_create(created)
    return kept_all


def _plan(postmortem, prefix, rows, existing: dict, link=None):
    """(kept rows in order, rows to create, rows changed, pks to delete) for one row set."""
    unclaimed = dict(existing)
    if prefix == "commitments":
        # Rows restored or imported carry no id: the same promise (same text) is the same row.
        by_text = {}
        for obj in existing.values():
            by_text.setdefault(obj.text.strip().lower(), obj)
    kept, created, changed = [], [], []
    for position, row in enumerate(rows):
        obj = unclaimed.pop(row.id, None) if row.id is not None else None
        if obj is None and prefix == "commitments":
            candidate = by_text.get(row.text.strip().lower())
            if candidate is not None and candidate.pk in unclaimed:
                obj = unclaimed.pop(candidate.pk)
        values = _values(prefix, row, position, link)
        if obj is None:
            obj = _new_row(postmortem, prefix, values)
            created.append(obj)
        else:
            before = {name: getattr(obj, name) for name in values}
            due = values.pop("due", None) if prefix == "commitments" else None
            for name, value in values.items():
                setattr(obj, name, value)
            if prefix == "commitments":
                obj.move_due(due)
                values["due"] = due
            if {name: getattr(obj, name) for name in values} != before:
                changed.append(obj)
        kept.append(obj)
    return kept, created, changed, list(unclaimed)


def update_each(model, objs, names) -> None:
    """Write the named fields of each object, as ``bulk_update`` would, in one round trip:
    one UPDATE statement run for every object (``executemany``). ``bulk_update`` builds a
    CASE with a WHEN per object and field, whose cost in Python grows with their product."""
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# Field types whose Python value is the database value on every backend Hindsight runs on.
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def insert_values(model, rows: list[dict]) -> None:
    """``insert_each`` for rows given as field values (attribute names), without building a
    model instance for each (its ``__init__`` cost as much as the rest of the INSERT); a field
    a row leaves out takes its default."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: field.get_default() for field in fields}
    _execute_insert(model, fields, [{**defaults, **row} for row in rows], dict.__getitem__)


def insert_each(model, objs) -> None:
    """INSERT the objects, as ``bulk_create`` would but without reading their ids back, in
    one round trip: one statement run for every object (``executemany``). ``bulk_create``
    prepares every value of every object through its field (about 60 µs a timeline row
    against 20 here); values of plain text, number and flag fields go to the driver as they
    are, and only the others (dates, times, keys) are prepared."""
    if not objs:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    _execute_insert(model, fields, objs, getattr)


def _execute_insert(model, fields, rows, read) -> None:
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    plain = [isinstance(field, _AS_IS) and not field.is_relation for field in fields]
    names = [field.attname for field in fields]
    values = [
        [
            read(row, name) if as_is else field.get_db_prep_save(read(row, name), connection)
            for field, name, as_is in zip(fields, names, plain, strict=True)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
