from io import StringIO

import pytest
import time_machine
from django.db.backends.postgresql.operations import (
    DatabaseOperations as PostgresOperations,
)
from django.db.models.signals import post_migrate

from tests import factories


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def staff_user(db):
    return factories.staff("hz-drc", username="staff_drc")


@pytest.fixture
def other_staff_user(db):
    return factories.staff("hz-nrp", username="staff_nrp")


@pytest.fixture
def reviewer_user(db):
    return factories.reviewer(username="reviewer1")


@pytest.fixture
def second_reviewer(db):
    return factories.reviewer(username="reviewer2")


@pytest.fixture
def office_user(db):
    return factories.office(username="office1")


@pytest.fixture
def supervisor_user(db):
    return factories.supervisor(username="supervisor1")


APPEND_ONLY_TABLES = ("core_auditevent", "core_auditcheckpoint")


#: A copy of every table the migrations left rows in, in a schema of its own that a flush leaves
#: alone (tests/conftest.py django_db_setup); what a transactional test's flush empties comes back from
#: it in one INSERT a table, with the same ids, instead of through the migrations' loaders row by row.
STASH_SCHEMA = "test_migrated_rows"
_stashed_tables: list[str] = []


def _stash_migrated_rows() -> None:
    from django.db import connection, transaction

    _stashed_tables.clear()
    name = connection.settings_dict["NAME"]
    if not (name.startswith("test_") or name == connection.settings_dict.get("TEST", {}).get("NAME")):
        return  # no test needed the database, so none was set up: never touch the real one
    _restore_reference_rows()  # a reused database may have been left flushed
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote(STASH_SCHEMA)} CASCADE")
        cursor.execute(f"CREATE SCHEMA {quote(STASH_SCHEMA)}")
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
            if cursor.fetchone()[0]:
                cursor.execute(f"CREATE TABLE {quote(STASH_SCHEMA)}.{quote(table)} AS TABLE {quote(table)}")
                _stashed_tables.append(table)


def _put_back_from_stash(tables, *, replace=False, using="default") -> None:
    """The stashed rows of ``tables`` that are empty (``replace``: whatever they hold is replaced)."""
    from django.db import connections, transaction

    connection = connections[using]
    quote = connection.ops.quote_name
    tables = [table for table in tables if table in _stashed_tables]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if replace:
            for table in reversed(tables):
                cursor.execute(f"DELETE FROM {quote(table)}")
        for table in tables:
            cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(STASH_SCHEMA)}.{quote(table)} "
                           f"WHERE NOT EXISTS (SELECT 1 FROM {quote(table)})")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then the stash of the rows the migrations left."""
    with django_db_blocker.unblock():
        _stash_migrated_rows()


def _content_types_as_serialized(sender, using="default", **kwargs) -> None:
    """After a plain transactional test, Django's flush recreates content types and permissions
    with new ids (sequences are not reset); a serialized-rollback test after it would then restore
    its snapshot on top of them and fail on (app_label, model). So once the last app's
    post_migrate has run, put back exactly the rows of the snapshot taken when the test database
    was created."""
    from django.apps import apps
    from django.db import connections

    connection = connections[using]
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    if _stashed_tables:  # the same rows, put back in two statements a table
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        _put_back_from_stash([ContentType._meta.db_table, Permission._meta.db_table], replace=True, using=using)
        ContentType.objects.clear_cache()
        return
    if not hasattr(connection, "_test_serialized_contents"):
        return
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from django.db import transaction

    rows = [row for row in serializers.deserialize("json", connection._test_serialized_contents, using=using)
            if isinstance(row.object, (ContentType, Permission))]
    with transaction.atomic(using=using):
        Permission.objects.using(using).all().delete()
        ContentType.objects.using(using).all().delete()
        for row in sorted(rows, key=lambda row: not isinstance(row.object, ContentType)):
            row.save(using=using)
    ContentType.objects.clear_cache()


post_migrate.connect(_content_types_as_serialized, dispatch_uid="tests.content_types_as_serialized")


def _flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """A transactional test's teardown flush as one DELETE per table in one transaction (the foreign
    keys are all deferred, so the order does not matter) rather than a TRUNCATE of every table: as
    empty afterwards, sequences kept as TRUNCATE without RESTART IDENTITY keeps them, and about ten
    times quicker on tables holding a test's few rows (0.06 s against 0.7 s here)."""
    if reset_sequences or allow_cascade or not tables:
        return _truncate_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    return [f"DELETE FROM {self.quote_name(table)};" for table in tables]


_truncate_flush = PostgresOperations.sql_flush
PostgresOperations.sql_flush = _flush_by_delete


@pytest.fixture(autouse=True)
def _audit_triggers(request):
    """The audit table refuses TRUNCATE, but a transactional test's teardown
    flushes every table. Triggers are on during every test; after a
    transactional test they are switched off just for Django's flush."""
    marker = request.node.get_closest_marker("django_db")
    fixtures = set(request.fixturenames)
    transactional = bool({"transactional_db", "live_server"} & fixtures) or bool(
        marker and marker.kwargs.get("transaction"))
    if marker is None and not ({"db", "transactional_db", "live_server"} & fixtures):
        yield
        return
    from django.db import connection

    request.getfixturevalue("transactional_db" if transactional else "db")
    # A transactional test's teardown flush empties the reference rows for the tests after it (and
    # leaves the triggers off). Asked in one query: most tests find everything in place.
    if not _reference_rows_and_triggers_in_place():
        with connection.cursor() as cursor:
            for table in APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        _restore_reference_rows()
    _content_types_cached()
    yield
    if transactional:
        with connection.cursor() as cursor:
            for table in APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")


def _content_types_cached() -> None:
    """Every model's content type in the process's cache, as in a portal that has served its first pages:
    a query count a test pins is the steady one, whichever tests this process ran before (one query when
    the cache is empty, none after)."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    if len(ContentType.objects._cache.get("default", ())) < len(apps.get_models()):
        ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)


def _reference_rows_and_triggers_in_place() -> bool:
    """What _restore_reference_rows would find there already, and the audit triggers on."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from core.models import Department
    from deadlines.models import DeadlinePolicy
    from enforcement.models import AudioVideoRule
    from normative_docs.models import NumberingScheme

    tables = [model._meta.db_table for model in (ContentType, Department, DeadlinePolicy, NumberingScheme,
                                                 AudioVideoRule)]
    present = " AND ".join(f'EXISTS (SELECT 1 FROM "{table}")' for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {present} AND EXISTS (SELECT 1 FROM \"{DeadlinePolicy._meta.db_table}\" WHERE code LIKE 'contract.%%')"
            " AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'"
            " AND tgrelid = ANY (%s::regclass[]))", [list(APPEND_ONLY_TABLES)])
        return cursor.fetchone()[0]


def _restore_reference_rows() -> None:
    """A transactional test's flush also empties the reference rows that data
    migrations loaded (departments, the calendar); load them again (from the stash once it is made)."""
    if _stashed_tables:
        _put_back_from_stash(_stashed_tables)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        return
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal

    from core.models import Department

    # A serialized-rollback test's flush leaves no content types (the next serialized test brings
    # its own); a plain transactional test after it needs them back (with the snapshot's ids:
    # _content_types_as_serialized).
    if not ContentType.objects.exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        ContentType.objects.clear_cache()
    if not Department.objects.exists():
        migration = importlib.import_module("core.migrations.0003_reference_data")
        migration.load_departments(apps, None)
        migration.load_calendar(apps, None)
        importlib.import_module("core.migrations.0008_body_levels_and_review_units").load(apps, None)
    from deadlines.models import DeadlinePolicy

    if not DeadlinePolicy.objects.exists():
        importlib.import_module("deadlines.migrations.0002_initial_policies").load_policies(apps, None)
    if not DeadlinePolicy.objects.filter(code__startswith="contract.").exists():
        importlib.import_module("contracts.migrations.0002_policies").load(apps, None)
    from normative_docs.models import NumberingScheme

    if not NumberingScheme.objects.exists():
        importlib.import_module("normative_docs.migrations.0002_policies_and_number_formats").load(apps, None)
    from enforcement.models import AudioVideoRule

    if not AudioVideoRule.objects.exists():
        importlib.import_module("enforcement.migrations.0002_reference_data").load(apps, None)


#: The moment the demo data is loaded at in tests (the demo replays the dates before it).
DEMO_MOMENT = "2026-11-27 10:00 +0800"


class SharedDemo:
    """load_demo_data once for the tests that use it (the collection puts them next to each other),
    in a transaction opened before theirs and rolled back after the last of them: each test runs in
    a savepoint inside it, so what one test changes is gone for the next, as with its own load."""

    def __init__(self, blocker, media):
        self.blocker, self.media = blocker, media
        self.output = ""  # what the command printed
        self._atomic = None

    @property
    def loaded(self) -> bool:
        return self._atomic is not None

    def load(self) -> None:
        from django.db import connection, transaction

        if self.loaded:
            return
        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic._from_testcase = True  # like a test's own transaction: durable blocks may run inside
            atomic.__enter__()
            self._atomic = atomic
            try:
                _restore_reference_rows()  # a transactional test before may have flushed them
                self.output = load_demo_data(media=self.media)
                with connection.cursor() as cursor:
                    # The load's deferred foreign-key checks now, as at a commit (pending trigger events
                    # would block a test's ALTER TABLE); then deferred again, as every constraint is at first.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        from django.db import transaction

        if not self.loaded:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        self._atomic = None


def load_demo_data(*, media) -> str:
    """`manage.py load_demo_data` at DEMO_MOMENT with its attachments under ``media``; what it printed."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import override_settings

    out = StringIO()
    with time_machine.travel(DEMO_MOMENT, tick=False), override_settings(
            PRIVATE_MEDIA_ROOT=media, DEMO_PASSWORD="Huzhou#Demo2026"):
        cache.clear()  # the consultations demo posts public comments: a fresh hourly allowance
        call_command("load_demo_data", stdout=out)
    return out.getvalue()


_shared_demo: list[SharedDemo] = []


@pytest.fixture(scope="session")
def _demo_database(django_db_setup, django_db_blocker, tmp_path_factory):
    shared = SharedDemo(django_db_blocker, tmp_path_factory.mktemp("demo-uploads"))
    _shared_demo.append(shared)
    yield shared
    shared.close()


@pytest.fixture(scope="module")
def demo_database(_demo_database):
    """The shared demo data, loaded (again) if the tests before closed it; set up before any test's
    own transaction. For module fixtures; a test asks for ``demo``."""
    _demo_database.load()
    return _demo_database


@pytest.fixture
def demo(demo_database, db, settings):
    """The demo data as `make run` loads it, at DEMO_MOMENT; the test runs at that moment (time
    stands still) and gets what the command printed. Loaded once for the tests next to each other
    that use it; a test run away from them (picked out of order) loads it in its own transaction."""
    with time_machine.travel(DEMO_MOMENT, tick=False):
        if demo_database.loaded:
            settings.PRIVATE_MEDIA_ROOT = demo_database.media
            yield demo_database.output
        else:
            yield load_demo_data(media=settings.PRIVATE_MEDIA_ROOT)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests on the demo data next to each other (where the first of them is, after pytest-django
    put the database tests first), so it is loaded once."""
    on_demo = [item for item in items if "_demo_database" in getattr(item, "fixturenames", ())]
    if not on_demo:
        return
    first = items.index(on_demo[0])
    chosen = {id(item) for item in on_demo}
    rest = [item for item in items if id(item) not in chosen]
    items[:] = rest[:first] + on_demo + rest[first:]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last test of a run on the demo data, roll it back (before any other test starts)."""
    result = yield
    if _shared_demo and (nextitem is None or "_demo_database" not in getattr(nextitem, "fixturenames", ())):
        _shared_demo[0].close()
    return result


@pytest.fixture
def page_cache(settings):
    """The public page cache on (the test settings turn it off), empty before and after the test."""
    from django.core.cache import cache

    settings.HUZHOU_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language (Chinese): a test that left English
    active (a request with ?lang=en in the same thread) must not change another's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
