"""The application's database role (``manage.py setup_app_role``): it reads and writes the
application's tables, but on the audit trail and its checkpoints it can only INSERT and SELECT,
and it owns nothing, so it cannot drop or disable their triggers."""
from __future__ import annotations

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg2 import errors, sql

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "app-role-test-password"


@pytest.fixture
def app_role(monkeypatch):
    """The role, named after the test database (roles are shared by the whole server)."""
    role = f"{connection.settings_dict['NAME']}_app"[:63]
    monkeypatch.setenv("TEST_APP_DB_PASSWORD", PASSWORD)
    call_command("setup_app_role", "--role", role, "--password-env", "TEST_APP_DB_PASSWORD", stdout=None)
    params = connection.get_connection_params()
    app = psycopg2.connect(dbname=params["dbname"] if "dbname" in params else params["database"],
                           host=params.get("host") or "127.0.0.1", port=params.get("port") or 5432,
                           user=role, password=PASSWORD)
    app.autocommit = True
    yield app
    app.close()
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def _run(app, statement: str, params=()):
    with app.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def _audit_row(seq: int) -> tuple:
    return (seq, "2026-05-11T02:00:00Z", "system", "", "", "", "test", "core.auditevent", "", "", "test", "",
            "", "", "", "{}", "", "0" * 64, "f" * 64)


INSERT = ("INSERT INTO core_auditevent (seq, occurred_at, actor_username, actor_name, actor_roles, actor_department, "
          "event_type, object_type, object_id, object_label, action, action_label, source_state, target_state, "
          "reason, details, request_id, prev_hash, row_hash) VALUES (%s)" % ", ".join(["%s"] * 19))


def test_the_app_role_can_insert_and_read_audit_rows(app_role):
    _run(app_role, INSERT, _audit_row(1))

    assert _run(app_role, "SELECT seq FROM core_auditevent") == [(1,)]


@pytest.mark.parametrize("statement", [
    "UPDATE core_auditevent SET reason = 'x'",
    "DELETE FROM core_auditevent",
    "TRUNCATE core_auditevent",
    "UPDATE core_auditcheckpoint SET seq = 0",
    "DELETE FROM core_auditcheckpoint",
    "TRUNCATE core_auditcheckpoint",
], ids=["update", "delete", "truncate", "update-checkpoint", "delete-checkpoint", "truncate-checkpoint"])
def test_the_app_role_cannot_change_the_audit_tables(app_role, statement):
    _run(app_role, INSERT, _audit_row(1))

    with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
        _run(app_role, statement)
    assert _run(app_role, "SELECT count(*) FROM core_auditevent") == [(1,)]


@pytest.mark.parametrize("statement", [
    "ALTER TABLE core_auditevent DISABLE TRIGGER USER",
    "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete",
    "DROP TRIGGER core_auditevent_no_update_delete ON core_auditevent",
    "ALTER TABLE core_auditcheckpoint DISABLE TRIGGER ALL",
    "DROP TABLE core_auditevent",
], ids=["disable-user-triggers", "disable-one-trigger", "drop-trigger", "disable-checkpoint-triggers", "drop-table"])
def test_the_app_role_cannot_disable_or_drop_the_audit_triggers(app_role, statement):
    with pytest.raises(errors.InsufficientPrivilege, match="must be owner"):
        _run(app_role, statement)


def test_the_app_role_cannot_switch_triggers_off_for_its_session(app_role):
    with pytest.raises(errors.InsufficientPrivilege):
        _run(app_role, "SET session_replication_role = replica")


def test_the_app_role_may_still_update_ordinary_tables(app_role):
    _run(app_role, "UPDATE core_department SET sort_order = sort_order WHERE false")
    _run(app_role, "DELETE FROM django_session WHERE false")


def test_the_app_role_owns_nothing_and_cannot_create_tables(app_role):
    role = _run(app_role, "SELECT current_user")[0][0]
    assert _run(app_role, "SELECT count(*) FROM pg_tables WHERE tableowner = %s", [role]) == [(0,)]
    with pytest.raises(errors.InsufficientPrivilege):
        _run(app_role, "CREATE TABLE intruder (id int)")


def test_the_command_refuses_to_run_as_the_app_role_itself():
    from django.core.management.base import CommandError

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="请以属主角色运行本命令"):
        call_command("setup_app_role", "--role", me)
