"""Who may change a commitment: reviewers, the authors of its postmortem, and its owner."""

from __future__ import annotations

from django.db.models import Q

from postmortems.models import Postmortem
from postmortems.permissions import is_reviewer


def authored_postmortem_ids(user, postmortem_ids) -> set[int]:
    """Of these postmortems, the ones this person wrote: one query for a whole page of rows."""
    if not user.is_authenticated:
        return set()
    return set(
        Postmortem.objects.filter(Q(created_by=user) | Q(authors=user), pk__in=set(postmortem_ids))
        .values_list("pk", flat=True)
        .distinct()
    )


def can_change(user, commitment, *, authored_ids: set[int] | None = None) -> bool:
    """Leadership reads; it changes only the commitments it owns or wrote the postmortem of."""
    if not user.is_authenticated:
        return False
    if is_reviewer(user):
        return True
    if commitment.owner and commitment.owner == user.get_username():
        return True
    if authored_ids is None:
        authored_ids = authored_postmortem_ids(user, [commitment.postmortem_id])
    return commitment.postmortem_id in authored_ids
