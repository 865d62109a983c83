"""Commitment workflows: change with a recorded event, calendar feeds, reminders, digest."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from postmortems.models import Commitment, ItemStatus, Postmortem
from postmortems.permissions import LEADERSHIP, can_read

from .models import (
    CommitmentEvent,
    DigestLog,
    FeedScope,
    FeedToken,
    ReminderKind,
    ReminderLog,
    hash_token,
)
from .summary import CommitmentFacts, QuarterTally, tally_by_quarter

log = logging.getLogger(__name__)

REMIND_DAYS_AHEAD = 7


# --- changing a commitment -------------------------------------------------------------


def _bump_postmortem_version(commitment: Commitment) -> None:
    """The commitment is part of its postmortem: an editor opened before this change must
    not save its old copy over it, so the change counts as a new version (a stale save is
    then a conflict shown to its author, and is kept as a revision)."""
    Postmortem.objects.filter(pk=commitment.postmortem_id).update(version=F("version") + 1)


def set_status(*, commitment: Commitment, status: str, user) -> CommitmentEvent | None:
    """Mark a commitment done, dropped or open again, and record who did it and when.

    None when it already had that status (a double click): nothing changes, nothing recorded."""
    if status not in ItemStatus.values:
        raise ValueError(f"unknown status {status!r}")
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if locked.status == status:
            return None
        event = CommitmentEvent.objects.create(
            commitment=locked,
            actor=user,
            action=CommitmentEvent.Action.STATUS,
            old_value=locked.status,
            new_value=status,
        )
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        _bump_postmortem_version(locked)
    commitment.status, commitment.updated_at = locked.status, locked.updated_at
    return event


def move_due(*, commitment: Commitment, due: dt.date, user) -> CommitmentEvent | None:
    """Move a commitment's due date, and record who did it and when (None: already due then)."""
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if locked.due == due:
            return None
        event = CommitmentEvent.objects.create(
            commitment=locked,
            actor=user,
            action=CommitmentEvent.Action.MOVE,
            old_value=locked.due.isoformat() if locked.due else "",
            new_value=due.isoformat(),
        )
        locked.move_due(due)
        locked.save(update_fields=["due", "first_due", "due_moves", "updated_at"])
        _bump_postmortem_version(locked)
    commitment.due, commitment.updated_at = locked.due, locked.updated_at
    commitment.first_due, commitment.due_moves = locked.first_due, locked.due_moves
    return event


# --- calendar feeds --------------------------------------------------------------------


def issue_feed_token(*, user, scope: str) -> str:
    """A new secret for this person's feed; the previous one stops working at once."""
    if scope not in FeedScope.values:
        raise ValueError(f"unknown feed scope {scope!r}")
    token = secrets.token_urlsafe(32)
    FeedToken.objects.update_or_create(
        user=user,
        scope=scope,
        defaults={"token_hash": hash_token(token), "created_at": timezone.now()},
    )
    return token


def revoke_feed_token(*, user, scope: str) -> bool:
    deleted, _ = FeedToken.objects.filter(user=user, scope=scope).delete()
    return bool(deleted)


def feed_for_token(token: str) -> FeedToken | None:
    """The live feed a secret opens, or None: unknown, revoked, or its owner lost access."""
    digest = hash_token(token)
    feed = FeedToken.objects.select_related("user").filter(token_hash=digest).first()
    if feed is None or not secrets.compare_digest(feed.token_hash, digest):
        return None
    if not feed.user.is_active or not can_read(feed.user):
        return None
    return feed


def feed_commitments(feed: FeedToken):
    commitments = (
        Commitment.objects.open()
        .filter(due__isnull=False)
        .select_related("postmortem")
        .order_by("due", "pk")
    )
    if feed.scope == FeedScope.MINE:
        commitments = commitments.filter(owner=feed.user.get_username())
    return commitments


# --- the leadership summary ------------------------------------------------------------


def with_done_at(commitments):
    """Annotate `done_at`: when it was last marked done, or its last update if never marked
    through Hindsight's calendar (edited in the postmortem form, imported)."""
    marked = CommitmentEvent.objects.filter(
        commitment=OuterRef("pk"),
        action=CommitmentEvent.Action.STATUS,
        new_value=ItemStatus.DONE,
    ).order_by("-at")
    return commitments.annotate(
        done_at=Coalesce(Subquery(marked.values("at")[:1]), F("updated_at"))
    )


def commitment_facts(commitments) -> list[CommitmentFacts]:
    rows = with_done_at(commitments).values_list(
        "postmortem__quarter", "status", "due", "done_at", "first_due", "due_moves"
    )
    return [
        CommitmentFacts(
            quarter=quarter,
            status=status,
            due=due,
            done_on=done_at.astimezone(dt.UTC).date() if status == ItemStatus.DONE else None,
            first_due=first_due,
            moves=moves,
        )
        for quarter, status, due, done_at, first_due, moves in rows
    ]


def quarter_tallies(*, today: dt.date, commitments=None) -> list[QuarterTally]:
    source = Commitment.objects.current() if commitments is None else commitments
    return tally_by_quarter(commitment_facts(source), today=today)


# --- reminders -------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.HINDSIGHT_BASE_URL.rstrip("/") + path


def due_reminders(*, today: dt.date) -> list[tuple[Commitment, str]]:
    """Open commitments due within the next 7 days, and those overdue, with the reminder kind."""
    horizon = today + dt.timedelta(days=REMIND_DAYS_AHEAD)
    commitments = (
        Commitment.objects.open()
        .filter(due__isnull=False, due__lte=horizon)
        .exclude(owner="")
        .select_related("postmortem")
        .order_by("due", "pk")
    )
    return [
        (c, ReminderKind.OVERDUE if c.due < today else ReminderKind.DUE_SOON) for c in commitments
    ]


def claim_reminder(*, commitment_id: int, day: dt.date, kind: str, recipient: str = "") -> bool:
    """True for exactly one caller per (commitment, day, kind), however many beats run."""
    try:
        with transaction.atomic():
            _, created = ReminderLog.objects.get_or_create(
                commitment_id=commitment_id, day=day, kind=kind, defaults={"recipient": recipient}
            )
    except IntegrityError:
        return False
    return created


def _reminder_mail(commitment: Commitment, kind: str, today: dt.date) -> tuple[str, str]:
    if kind == ReminderKind.OVERDUE:
        days = (today - commitment.due).days
        when = f"overdue by {days} day{'s' if days != 1 else ''} (was due {commitment.due})"
    else:
        days = (commitment.due - today).days
        when = "due today" if days == 0 else f"due in {days} day{'s' if days != 1 else ''}"
        when += f" ({commitment.due})"
    subject = f"[Hindsight] {when.split(' (')[0].capitalize()}: {commitment.text}"[:200]
    body = (
        f"Your improvement commitment is {when}:\n\n"
        f"  {commitment.text}\n\n"
        f"From the postmortem: {commitment.postmortem.title}\n"
        f"{_absolute(commitment.postmortem.get_absolute_url())}\n\n"
        "Mark it done or move its date on the commitments calendar:\n"
        f"{_absolute(reverse('commitment_detail', args=[commitment.pk]))}\n"
    )
    return subject, body


def send_commitment_reminders(*, today: dt.date) -> int:
    """Email each owner their commitments due within 7 days and overdue; once per day each.

    The claim and the send share one transaction: a failed send releases the claim so the
    next run retries, and a second beat process waits on the claim's unique row, then skips.
    """
    reminders = due_reminders(today=today)
    owners = {c.owner for c, _ in reminders}
    emails = dict(
        get_user_model()
        .objects.filter(username__in=owners, is_active=True)
        .exclude(email="")
        .values_list("username", "email")
    )
    sent = 0
    for commitment, kind in reminders:
        email = emails.get(commitment.owner)
        if not email:
            continue
        try:
            with transaction.atomic():
                if not claim_reminder(
                    commitment_id=commitment.pk, day=today, kind=kind, recipient=email
                ):
                    continue
                subject, body = _reminder_mail(commitment, kind, today)
                send_mail(subject, body, None, [email])
        except Exception:
            log.exception(
                "reminder for commitment %s not sent; retried on the next run", commitment.pk
            )
            continue
        sent += 1
    return sent


# --- the weekly leadership digest ------------------------------------------------------


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def claim_digest(*, week: dt.date, recipient_id: int) -> bool:
    try:
        with transaction.atomic():
            _, created = DigestLog.objects.get_or_create(week=week, recipient_id=recipient_id)
    except IntegrityError:
        return False
    return created


def digest_text(*, today: dt.date) -> str:
    tallies = {t.quarter: t for t in quarter_tallies(today=today)}
    overdue = list(
        Commitment.objects.overdue(today).select_related("postmortem").order_by("due", "pk")[:15]
    )
    overdue_count = Commitment.objects.overdue(today).count()
    due_soon = (
        Commitment.objects.open()
        .filter(due__gte=today, due__lte=today + dt.timedelta(days=REMIND_DAYS_AHEAD))
        .count()
    )
    lines = [f"Improvement commitments, week of {week_of(today)}", ""]
    lines.append("Is the team learning? Per quarter of the incident:")
    for quarter in sorted(tallies)[-4:]:
        t = tallies[quarter]
        share = f" ({t.kept_share}% on time)" if t.kept_share is not None else ""
        lines.append(
            f"  {quarter}: {t.made} made, {t.kept} kept on time, {t.late} late, "
            f"{t.dropped} dropped, {t.in_flight} in flight{share}"
        )
    lines += [
        "",
        f"Due in the next {REMIND_DAYS_AHEAD} days: {due_soon}",
        f"Overdue: {overdue_count}",
    ]
    for c in overdue:
        lines.append(f"  - {c.due} @{c.owner or 'no owner'}: {c.text} ({c.postmortem.title})")
    if overdue_count > len(overdue):
        lines.append(f"  … and {overdue_count - len(overdue)} more")
    lines += ["", f"Calendar: {_absolute(reverse('commitment_calendar'))}"]
    lines.append(f"Summary: {_absolute(reverse('commitment_summary'))}")
    return "\n".join(lines) + "\n"


def send_leadership_digest(*, today: dt.date) -> int:
    """The weekly digest to each member of the leadership group, once per week each."""
    week = week_of(today)
    leaders = (
        get_user_model()
        .objects.filter(groups__name=LEADERSHIP, is_active=True)
        .exclude(email="")
        .distinct()
    )
    body = None
    sent = 0
    for leader in leaders:
        try:
            with transaction.atomic():
                if not claim_digest(week=week, recipient_id=leader.pk):
                    continue
                body = body or digest_text(today=today)
                send_mail(
                    f"[Hindsight] Improvement commitments, week of {week}",
                    body,
                    None,
                    [leader.email],
                )
        except Exception:
            log.exception("digest for user %s not sent; retried on the next run", leader.pk)
            continue
        sent += 1
    return sent
