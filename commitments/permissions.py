"""Who may change a commitment: reviewers; while its postmortem is unpublished, also the
postmortem's authors and the commitment's owner, if they hold the author role. Leadership reads."""

from __future__ import annotations

from django.db.models import Q

from postmortems.models import Postmortem, Status
from postmortems.permissions import AUTHOR, is_reviewer, roles_of


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
    """Reviewers change any commitment. An author changes the commitments they own or whose
    postmortem they wrote, until that postmortem is published (then a reviewer does, as with
    the postmortem itself). Leadership reads, as the README says, even what it owns."""
    if not user.is_authenticated:
        return False
    if is_reviewer(user):
        return True
    if AUTHOR not in roles_of(user) or commitment.postmortem.status == Status.PUBLISHED:
        return False
    if commitment.owner and commitment.owner == user.get_username():
        return True
    if authored_ids is None:
        authored_ids = authored_postmortem_ids(user, [commitment.postmortem_id])
    return commitment.postmortem_id in authored_ids
