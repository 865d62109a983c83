"""Who may do what: a table of role × action, checked against the real views."""

from __future__ import annotations

import pytest
from django.urls import reverse

from postmortems.models import Commitment
from postmortems.snapshot import snapshot
from tests.factories import PostmortemFactory, UserFactory

pytestmark = pytest.mark.django_db

# role -> (read list, read detail, open new form, edit own draft, edit other's draft, publish,
#          mark done a commitment they own, move a commitment of a published postmortem they wrote)
EXPECTED = {
    "author": (200, 200, 200, 302, 403, 403, 302, 403),
    "reviewer": (200, 200, 200, 302, 302, 302, 302, 302),
    "leadership": (200, 200, 403, 403, 403, 403, 403, 403),
    None: (403, 403, 403, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_can_do_exactly_its_actions(client, role):
    user = UserFactory(username=f"user-{role}", role=role)
    someone = UserFactory(username="someone", role="author")
    own = PostmortemFactory(slug="own", created_by=user)
    own.authors.add(user)
    others = PostmortemFactory(slug="others", created_by=someone)
    others.authors.add(someone)
    ready = PostmortemFactory(slug="ready", status="in_review", created_by=user)
    ready.authors.add(user)
    planned = PostmortemFactory(slug="planned", created_by=someone)
    owned = Commitment.objects.create(
        postmortem=planned, text="Alert on refund_amount > 2x order total", owner=user.username
    )
    published = PostmortemFactory(slug="published", status="published", created_by=user)
    published.authors.add(user)
    of_published = Commitment.objects.create(
        postmortem=published, text="Eval case for cents", owner=user.username
    )
    client.force_login(user)

    def edit(postmortem):
        data = dict(snapshot(postmortem), action="save")
        return client.post(reverse("postmortem_edit", args=[postmortem.slug]), data).status_code

    got = (
        client.get(reverse("postmortem_list")).status_code,
        client.get(reverse("postmortem_detail", args=["own"])).status_code,
        client.get(reverse("postmortem_new")).status_code,
        edit(own),
        edit(others),
        client.post(
            reverse("postmortem_status", args=["ready"]), {"status": "published"}
        ).status_code,
        client.post(reverse("commitment_status", args=[owned.pk]), {"status": "done"}).status_code,
        client.post(
            reverse("commitment_move", args=[of_published.pk]), {"due": "2031-01-01"}
        ).status_code,
    )
    assert got == EXPECTED[role]
    owned.refresh_from_db()
    of_published.refresh_from_db()
    assert (owned.status == "done") == (EXPECTED[role][6] == 302)
    assert (str(of_published.due) == "2031-01-01") == (EXPECTED[role][7] == 302)


@pytest.mark.parametrize(
    "url",
    [
        "/postmortems/",
        "/postmortems/new/",
        "/postmortems/x/",
        "/postmortems/x/edit/",
        "/postmortems/x/history/",
        "/postmortems/x/export.md",
    ],
)
def test_every_page_needs_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_author_cannot_edit_their_postmortem_once_published(client):
    user = UserFactory(username="pub-author", role="author")
    postmortem = PostmortemFactory(status="published", created_by=user)
    client.force_login(user)
    assert client.get(reverse("postmortem_edit", args=[postmortem.slug])).status_code == 403


def test_csrf_holds_for_htmx_requests(author):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post(
        reverse("postmortem_new"),
        {"action": "add:lags", "lags-TOTAL_FORMS": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    page = client.get(reverse("postmortem_new"))
    token = page.cookies["csrftoken"].value
    assert 'hx-headers=\'{"X-CSRFToken": "' in page.content.decode()
    response = client.post(
        reverse("postmortem_new"),
        {"action": "add:lags", "lags-TOTAL_FORMS": "0", "lags-INITIAL_FORMS": "0"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
