"""Big input cannot stall the server: the live check is capped per request, search reads a
stored index, and request bodies are bounded."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse

from postmortems import limits
from postmortems.models import Postmortem
from postmortems.services import refresh_derived
from postmortems.specificity import check_section
from tests.factories import PostmortemFactory

pytestmark = pytest.mark.django_db


def test_text_over_the_cap_gets_a_message_not_a_check(author_client):
    body = {"what_broke": "x" * (limits.CHECK_MAX_CHARS + 1)}
    page = author_client.post(reverse("postmortem_check"), body)
    assert page.status_code == 413
    assert "Too long to check live" in page.content.decode()
    editor = author_client.post(reverse("postmortem_check"), body, HTTP_HX_REQUEST="true")
    assert editor.status_code == 200  # htmx swaps only 2xx: the editor must show the message
    assert 'id="check-too-long"' in editor.content.decode()


def test_text_up_to_the_cap_is_checked(author_client):
    why = ("Step A. " * (limits.CHECK_MAX_CHARS // 8))[: limits.CHECK_MAX_CHARS]
    response = author_client.post(reverse("postmortem_check"), {"why": why})
    assert response.status_code == 200
    assert 'id="overall-verdict"' in response.content.decode()


def test_skipped_sentence_ends_still_split_the_same():
    # "A." is an initial, not a sentence end: the window that keeps splitting linear must not
    # change where phrases end.
    result = check_section("what_broke", "Step A. Then B. Rolled back v5. Latency fell to 180 ms.")
    assert [p.text for p in result.phrases] == [
        "Step A. Then B. Rolled back v5.",
        "Latency fell to 180 ms.",
    ]


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(author_client, settings):
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = author_client.post(
        reverse("postmortem_check"),
        "why=" + "x" * size,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the stored search vector is PostgreSQL's; SQLite searches with icontains")


def test_the_stored_search_vector_follows_every_save(postgres):
    postmortem = PostmortemFactory(slug="vector", why="The certificate expired at 03:12 UTC.")
    refresh_derived(postmortem)  # saves with .update(), which the trigger sees too
    found = Postmortem.objects.filter(search_vector=SearchQuery("certificate", config="english"))
    assert list(found.values_list("slug", flat=True)) == ["vector"]
    postmortem.why = "The DNS record was deleted by terraform apply."
    refresh_derived(postmortem)
    assert not found.exists()
    assert list(Postmortem.objects.search("terraform").values_list("slug", flat=True)) == ["vector"]


def test_search_uses_the_gin_index(postgres):
    PostmortemFactory(slug="indexed")
    query = Postmortem.objects.search("refund")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "postmortem_search_vector_gin" in plan
