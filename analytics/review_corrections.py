"""Reviewers' corrections of a review: move, merge, split, rename, "not a pattern".

Each is stored as confirmed tags (who, when) on the postmortems it concerns, then applied to the
period's stored report at once; every later review of any period holding those postmortems
applies them again, after the model, and uses their sentences as confirmed examples.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from postmortems.models import Postmortem

from .clustering import pattern_key
from .models import Dimension, PatternTag, QuarterReview
from .periods import period_name
from .report_storage import reapply_corrections


class CorrectionError(ValueError):
    """The correction names something the stored report does not hold."""


def _pattern(report, dimension: str, key: str):
    for pattern in getattr(report, dimension).patterns:
        if pattern.key == key:
            return pattern
    raise CorrectionError(f"No pattern {key!r} in this review.")


def _report(period: str, dimension: str):
    if dimension not in Dimension.values:
        raise CorrectionError(f"Unknown dimension {dimension!r}.")
    review = QuarterReview.objects.filter(quarter=period).first()
    if review is None:
        raise CorrectionError(f"{period} has no review to correct yet.")
    return review.corpus_report()


def _evidence(report, dimension: str, slug: str) -> tuple[str, str]:
    for pattern in getattr(report, dimension).patterns:
        if slug in pattern.members:
            return pattern.evidence.get(slug, ""), pattern.anchors.get(slug, "")
    return "", ""


def _tag(*, report, dimension, slug, key="", name="", not_pattern=False, user) -> None:
    postmortem = Postmortem.objects.filter(slug=slug).first()
    if postmortem is None:
        raise CorrectionError(f"No postmortem {slug!r}.")
    sentence, anchor = _evidence(report, dimension, slug)
    PatternTag.objects.update_or_create(
        postmortem=postmortem,
        dimension=dimension,
        defaults={
            "key": "" if not_pattern else key,
            "name": "" if not_pattern else name,
            "not_pattern": not_pattern,
            "sentence": sentence,
            "anchor": anchor,
            "tagged_by": user if getattr(user, "is_authenticated", False) else None,
            "tagged_at": timezone.now(),
        },
    )


def _target(report, dimension: str, to_key: str, new_name: str) -> tuple[str, str]:
    """(key, name) of the pattern to move into: an existing one, or a new one by name."""
    if new_name.strip():
        return pattern_key(new_name), new_name.strip()[:200]
    if not to_key:
        raise CorrectionError("Choose a pattern to move to, or name a new one.")
    return to_key, _pattern(report, dimension, to_key).label


@transaction.atomic
def move(
    *, period: str, dimension: str, slugs: list[str], to_key: str = "", new_name: str = "", user
) -> str:
    """Move postmortems into another pattern (or a new one named ``new_name``: a split)."""
    period = period_name(period)
    report = _report(period, dimension)
    if not slugs:
        raise CorrectionError("Choose at least one postmortem.")
    key, name = _target(report, dimension, to_key, new_name)
    for slug in slugs:
        _tag(report=report, dimension=dimension, slug=slug, key=key, name=name, user=user)
    reapply_corrections(quarter=period)
    return name


@transaction.atomic
def not_a_pattern(*, period: str, dimension: str, slug: str, user) -> None:
    period = period_name(period)
    report = _report(period, dimension)
    _tag(report=report, dimension=dimension, slug=slug, not_pattern=True, user=user)
    reapply_corrections(quarter=period)


@transaction.atomic
def merge(*, period: str, dimension: str, from_key: str, into_key: str, user) -> str:
    """Every member of ``from_key`` joins ``into_key``."""
    period = period_name(period)
    report = _report(period, dimension)
    if from_key == into_key:
        raise CorrectionError("Choose two different patterns to merge.")
    source = _pattern(report, dimension, from_key)
    target = _pattern(report, dimension, into_key)
    for slug in source.members:
        _tag(
            report=report,
            dimension=dimension,
            slug=slug,
            key=into_key,
            name=target.label,
            user=user,
        )
    reapply_corrections(quarter=period)
    return target.label


@transaction.atomic
def rename(*, period: str, dimension: str, key: str, name: str, user) -> str:
    """Call the pattern ``name`` from now on (its members are confirmed in it)."""
    period = period_name(period)
    report = _report(period, dimension)
    name = name.strip()[:200]
    if not name:
        raise CorrectionError("Write the pattern's new name.")
    pattern = _pattern(report, dimension, key)
    for slug in pattern.members:
        _tag(report=report, dimension=dimension, slug=slug, key=key, name=name, user=user)
    reapply_corrections(quarter=period)
    return name
