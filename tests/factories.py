"""Factories with fixed defaults: the same test always builds the same data."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from postmortems.models import Change, Commitment, Lag, Postmortem, TimelineEntry

PASSWORD = "correct-horse-battery"
START = dt.datetime(2026, 8, 14, 14, 3, tzinfo=dt.UTC)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            group, _ = Group.objects.get_or_create(name=extracted)
            self.groups.add(group)
        self.save()


class PostmortemFactory(factory.django.DjangoModelFactory):
    """A complete postmortem in the house standard, specific enough to publish."""

    class Meta:
        model = Postmortem
        skip_postgeneration_save = True

    title = "Refund agent overcharged 8 customers by 100x"
    slug = factory.Sequence(lambda n: f"refund-overcharge-{n}")
    severity = "SEV2"
    status = "draft"
    incident_start = START
    incident_end = START + dt.timedelta(minutes=9)
    impact_users = 8
    impact_minutes = 9
    impact_money = "312.40"
    impact_currency = "USD"
    impact_summary = (
        "Eight refunds were overcharged totaling $312.40. Refunds were corrected by 18:00 UTC."
    )
    what_broke = (
        "lookup_order returned the amount in cents (4000) and the agent wrote $4000 instead of "
        "$40.00. 8 refunds were overcharged totaling $312.40 before rollback."
    )
    why = (
        "The schema for lookup_order.amount has no unit field, and the v5 prompt dropped the "
        "cents guard that v4 had."
    )

    @factory.post_generation
    def rows(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        # Phases are left to the suggestion from each entry's words.
        entries = [
            (0, "Bundle v5 reaches 100% of refund traffic", "deploy-bot"),
            (2, "PagerDuty pages on refund_amount > $1000 alert", "PagerDuty"),
            (3, "Acknowledged the page", "alice"),
            (5, "Rolled back to bundle v4", "alice"),
            (9, "All-clear: refund amounts back to normal", "alice"),
        ]
        for i, (minutes, text, actor) in enumerate(entries):
            TimelineEntry.objects.create(
                postmortem=self,
                position=i,
                at=START + dt.timedelta(minutes=minutes),
                text=text,
                actor=actor,
                phase="",
            )
        Lag.objects.create(
            postmortem=self,
            position=0,
            kind="detection",
            minutes=12,
            text="The eval suite had no cents/dollars case for lookup_order",
        )
        Lag.objects.create(
            postmortem=self,
            position=1,
            kind="response",
            minutes=4,
            text="The on-call hesitated on rollback because the last rollback drill was 5 months ago",
        )
        change = Change.objects.create(
            postmortem=self,
            position=0,
            kind="pr",
            text="Add a unit field to lookup_order.amount",
            reference="PR #2341",
            owner="alice",
            due=dt.date(2026, 8, 20),
        )
        Change.objects.create(
            postmortem=self,
            position=1,
            kind="eval",
            text="Eval case: 3 cents/dollars refund cases in the golden set (PR #2342)",
            reference="PR #2342",
            owner="bob",
            due=dt.date(2026, 8, 21),
        )
        Change.objects.create(
            postmortem=self,
            position=2,
            kind="alert",
            text="Alert when refund_amount > $1000 count exceeds 5 over a rolling 5-minute window, routes to #agent-on-call",
            reference="PR #2343",
            owner="bob",
            due=dt.date(2026, 8, 22),
        )
        Commitment.objects.create(
            postmortem=self,
            position=0,
            change=change,
            text="PR #2341 add unit field",
            owner="alice",
            due=dt.date(2026, 8, 20),
        )
        from postmortems.services import refresh_derived

        refresh_derived(self)
