"""Shared fixtures: the catalogue, a few jurisdictions, users of every role and their clients."""

from __future__ import annotations

import os
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from indicators.models import Indicator
from indicators.services import catalogue_load
from tracker.models import Jurisdiction, Level
from tracker.services import jurisdiction_create


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database without the reference rows its migrations load: tests build theirs."""
    with django_db_blocker.unblock():
        # A parent is protected while it has children: unlink them first.
        Jurisdiction.objects.update(parent=None)
        Jurisdiction.objects.all().delete()
        Indicator.objects.all().delete()


@pytest.fixture
def catalogue(db):
    """The indicator catalogue from seeds/indicators.yaml."""
    catalogue_load()


@pytest.fixture
def zhejiang(db):
    return jurisdiction_create(
        name_zh="浙江省", name_en="Zhejiang", code="330000", level=Level.PROVINCE
    )


@pytest.fixture
def shaoxing(zhejiang):
    return jurisdiction_create(
        name_zh="绍兴市", name_en="Shaoxing", code="330600", level=Level.PREFECTURE, parent=zhejiang
    )


@pytest.fixture
def wuhan(db):
    return jurisdiction_create(
        name_zh="武汉市", name_en="Wuhan", code="420100", level=Level.PREFECTURE
    )


def _user(username: str, *, group: str | None = None, staff: bool = False) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, is_staff=staff, is_superuser=staff
    )
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def reader(db):
    return _user("auditor", group="reader")


@pytest.fixture
def editor(db):
    return _user("editor", group="editor")


@pytest.fixture
def admin_user(db):
    return _user("boss", staff=True)


@pytest.fixture
def nobody(db):
    """An authenticated user without any role."""
    return _user("nobody")


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def reader_client(reader):
    return _client(reader)


@pytest.fixture
def editor_client(editor):
    return _client(editor)


@pytest.fixture
def admin_client_api(admin_user):
    return _client(admin_user)


@pytest.fixture
def role_clients(anon_client, nobody, reader, editor, admin_user):
    """A client per role, keyed anonymous / nobody / reader / editor / admin."""
    return {
        "anonymous": anon_client,
        "nobody": _client(nobody),
        "reader": _client(reader),
        "editor": _client(editor),
        "admin": _client(admin_user),
    }


@pytest.fixture(autouse=True)
def _no_throttle_state(settings):
    """Throttle counters and list counts live in caches; start every test with clean ones."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a user; the tests check roles, not password strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests read English unless they ask for Chinese (the `chinese` fixture) or send a language.

    The deployed default is Chinese (LANGUAGE_CODE zh-hans); most tests assert English text.
    """
    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def chinese(settings, _english_by_default):
    """The deployed default: a request that names no language is answered in Chinese."""
    settings.LANGUAGE_CODE = "zh-hans"
    translation.activate("zh-hans")
    yield
    translation.activate("en")


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """A threaded test server that runs one request's application (body included) at a time.

    SQLite's in-memory test database is one connection, which the live server's request
    threads share. Two requests at once (a click's navigation still running when the test
    opens the next page) can then deadlock inside SQLite; a lock around the application
    keeps them apart, while idle browser connections still get their own thread.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    # A streamed response reads the database while it is sent.
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(one_at_a_time)


class OneRequestAtATimeLiveServerThread(LiveServerThread):
    server_class = OneRequestAtATimeServer


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, answering one request at a time (OneRequestAtATimeServer)."""
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    default = server.thread
    server.thread = OneRequestAtATimeLiveServerThread(
        default.host,
        static_handler=default.static_handler,
        connections_override=default.connections_override,
        port=default.port,
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()
