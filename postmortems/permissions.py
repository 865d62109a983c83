"""Roles: authors write drafts, reviewers also publish and run reviews, leadership reads."""

from __future__ import annotations

from .models import Status

AUTHOR, REVIEWER, LEADERSHIP = "author", "reviewer", "leadership"
ROLES = (AUTHOR, REVIEWER, LEADERSHIP)


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(ROLES)
    cached = getattr(user, "_hindsight_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._hindsight_roles = cached
    return cached


def can_read(user) -> bool:
    return bool(roles_of(user))


def can_write(user) -> bool:
    return bool(roles_of(user) & {AUTHOR, REVIEWER})


def is_reviewer(user) -> bool:
    return REVIEWER in roles_of(user)


def can_edit(user, postmortem) -> bool:
    """Reviewers edit any postmortem; authors edit their own until it is published."""
    if is_reviewer(user):
        return True
    if AUTHOR not in roles_of(user):
        return False
    return postmortem.status != Status.PUBLISHED and postmortem.is_author(user)


def allowed_transitions(user, postmortem) -> list[str]:
    """The statuses this person may move the postmortem to from where it is."""
    if not can_edit(user, postmortem):
        return []
    moves = {
        Status.DRAFT: [Status.IN_REVIEW],
        Status.IN_REVIEW: [Status.DRAFT],
        Status.PUBLISHED: [Status.DRAFT],
    }[Status(postmortem.status)]
    if is_reviewer(user) and postmortem.status != Status.PUBLISHED:
        moves = moves + [Status.PUBLISHED]
    if postmortem.status == Status.PUBLISHED and not is_reviewer(user):
        return []
    return moves


def can_remove(user, postmortem) -> bool:
    """Authors delete their own drafts; reviewers delete any draft and archive published ones."""
    if postmortem.removed_at is not None:
        return False
    if is_reviewer(user):
        return True
    return (
        AUTHOR in roles_of(user)
        and postmortem.status != Status.PUBLISHED
        and postmortem.is_author(user)
    )


def can_bring_back(user, postmortem) -> bool:
    return postmortem.removed_at is not None and is_reviewer(user)
