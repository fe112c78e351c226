"""core.sessions reads a session as Django's database sessions do: its data while unexpired, else nothing."""
import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    return store.session_key


def test_the_project_uses_it():
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_saved_session_is_read_as_django_reads_it():
    key = saved(last_activity=1.5, _auth_user_id="7")
    assert SessionStore(key).load() == DjangoStore(key).load() == {"last_activity": 1.5, "_auth_user_id": "7"}


def test_an_expired_session_is_empty_and_its_key_forgotten():
    key = saved(_auth_user_id="7")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    store = SessionStore(key)
    assert store.load() == {} and store.session_key is None
    assert DjangoStore(key).load() == {}


def test_an_unknown_or_missing_key_is_an_empty_session():
    for key in ("no-such-session-key-0001", None):
        store = SessionStore(key)
        assert store.load() == {} and store.session_key is None


def test_a_signed_in_client_keeps_its_session(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/decisions/").status_code == 200
    client.logout()
    assert client.get("/decisions/").status_code == 302
