"""Wrong passwords are throttled: a locked-out login is refused with a clear message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_login_and_the_right_one_is_refused_too(
    client, settings, password
):
    UserFactory(username="alice", role="author")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "alice", "wrong-guess").status_code == 200
    locked = attempt(client, "alice", "wrong-guess")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    refused = attempt(client, "alice", password)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_count(client, settings, password):
    UserFactory(username="alice", role="author")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "alice", "wrong-guess")
    assert attempt(client, "alice", password).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "alice", "wrong-guess").status_code == 200
    assert attempt(client, "alice", password).status_code == 302


def test_after_the_cool_off_the_right_password_works_again(client, settings, password):
    from axes.models import AccessAttempt
    from django.utils import timezone

    UserFactory(username="alice", role="author")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", "wrong-guess")
    assert attempt(client, "alice", password).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert attempt(client, "alice", password).status_code == 302


def test_another_users_lockout_does_not_lock_me(client, settings, password):
    UserFactory(username="alice", role="author")
    UserFactory(username="bob", role="author")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "alice", "wrong-guess")
    assert attempt(client, "bob", password).status_code == 302
