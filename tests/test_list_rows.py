"""The list's rows, written in Python, are the HTML the template loop wrote."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from postmortems.list_rows import ROW_FIELDS, list_rows_html
from postmortems.models import Postmortem, Service
from tests.factories import PostmortemFactory

pytestmark = pytest.mark.django_db

# The loop list.html held before the rows were written in Python.
TEMPLATE_LOOP = Template(
    """{% for pm in postmortems %}
      <tr>
        <td>{% if pm.incident_start %}{{ pm.incident_start|date:"Y-m-d H:i" }} UTC<br><span class="muted">{{ pm.quarter }}</span>{% else %}<span class="muted">not set</span>{% endif %}</td>
        <td><a href="{{ pm.get_absolute_url }}">{{ pm.display_title }}</a></td>
        <td><span class="pill {{ pm.severity }}">{{ pm.severity }}</span></td>
        <td>{% for s in pm.services.all %}{{ s.name }}{% if not forloop.last %}, {% endif %}{% endfor %}</td>
        <td><span class="pill {{ pm.status }}">{{ pm.get_status_display }}</span></td>
        <td>{% if pm.verdict %}<span class="pill {{ pm.verdict|slugify }}">{{ pm.verdict }}</span>{% endif %}</td>
      </tr>
    {% empty %}
      <tr><td colspan="6" class="muted">No postmortem matches these filters.</td></tr>
    {% endfor %}"""
)


def _squeeze(html: str) -> str:
    return "".join(line.strip() for line in html.splitlines())


def test_rows_match_the_template_loop_for_every_kind_of_row():
    tricky = PostmortemFactory(
        title='Cache <key> & "quotes" in the title',
        severity="SEV1",
        status="published",
        incident_start=dt.datetime(2026, 3, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-2))),
    )
    tricky.services.set(
        [Service.objects.create(name="edge<cdn>"), Service.objects.create(name="billing")]
    )
    untitled = PostmortemFactory(title="", incident_start=None, incident_end=None)
    Postmortem.objects.filter(pk=untitled.pk).update(verdict="")
    rows = list(Postmortem.objects.prefetch_related("services").order_by("pk"))
    assert {pm.verdict for pm in rows} > {""}  # one with a verdict, one without
    expected = _squeeze(TEMPLATE_LOOP.render(Context({"postmortems": rows})))
    values = Postmortem.objects.order_by("pk").values(*ROW_FIELDS)
    assert _squeeze(list_rows_html(values)) == expected
    assert "2026Q2" in expected  # 23:59 at UTC-2 is 01:59 UTC on 1 April
    assert "Cache &lt;key&gt; &amp; &quot;quotes&quot;" in expected
    assert _squeeze(list_rows_html([])) == _squeeze(TEMPLATE_LOOP.render(Context({})))


def test_the_list_page_links_each_row_to_its_postmortem(reviewer_client):
    postmortem = PostmortemFactory(title="Queue backlog after broker failover")
    page = reviewer_client.get(reverse("postmortem_list")).content.decode()
    assert (
        f'<a href="/postmortems/{postmortem.slug}/">Queue backlog after broker failover</a>' in page
    )
