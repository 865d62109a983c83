"""The filter menus of the list pages (postmortems, commitments): bounded and cheap.

A menu is built on every page view, so it must not read every row, nor list every service.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, When

from .models import Commitment, Postmortem, Service, Status

SERVICE_SUGGESTIONS = 20


def known_quarters(*, reviewable: bool = False) -> list[str]:
    """Every quarter some postmortem (removed ones included) falls in, newest first; with
    ``reviewable``, only quarters holding a postmortem the quarterly review reads.

    A loose index scan: one probe of the quarter index per quarter, instead of reading every
    row to find the few dozen distinct values (a filter menu on every list and calendar page).
    """
    table = connection.ops.quote_name(Postmortem._meta.db_table)
    where, params = "quarter <> ''", []
    if reviewable:
        where += " AND removed_at IS NULL AND status IN (%s, %s)"
        params = [Status.PUBLISHED, Status.IN_REVIEW]
    sql = f"""
        WITH RECURSIVE q(quarter) AS (
            SELECT MAX(quarter) FROM {table} WHERE {where}
            UNION ALL
            SELECT (SELECT MAX(quarter) FROM {table} WHERE {where} AND quarter < q.quarter)
            FROM q WHERE q.quarter IS NOT NULL
        )
        SELECT quarter FROM q WHERE quarter IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 2)
        return [row[0] for row in cursor.fetchall()]


def commitment_owners() -> list[str]:
    """Every owner some commitment names, in order: the calendar's owner menu.

    A loose index scan of the owner index, one probe per owner (a team has a few dozen),
    instead of reading every commitment (tens of thousands) to find them.
    """
    table = connection.ops.quote_name(Commitment._meta.db_table)
    sql = f"""
        WITH RECURSIVE o(owner) AS (
            SELECT MIN(owner) FROM {table} WHERE owner > ''
            UNION ALL
            SELECT (SELECT MIN(owner) FROM {table} WHERE owner > o.owner)
            FROM o WHERE o.owner IS NOT NULL
        )
        SELECT owner FROM o WHERE owner IS NOT NULL ORDER BY owner
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def service_suggestions(typed: str) -> list[str]:
    """At most SERVICE_SUGGESTIONS service names containing ``typed``, those starting with it
    first: a filter menu of every service (1,800 of them) was most of the list page."""
    typed = typed.strip()
    services = Service.objects.order_by("name")
    if typed:
        services = services.filter(name__icontains=typed).order_by(
            Case(When(name__istartswith=typed, then=0), default=1), "name"
        )
    return list(services.values_list("name", flat=True)[:SERVICE_SUGGESTIONS])
