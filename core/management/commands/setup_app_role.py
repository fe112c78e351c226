"""Create or update the database role the application connects as.

Run it as the owner role (the one that runs migrations), after every ``migrate``::

    HUZHOU_APP_DB_PASSWORD=… DATABASE_URL=postgres://huzhou_owner:…@db/huzhou \\
        python manage.py setup_app_role --role huzhou_app --password-env HUZHOU_APP_DB_PASSWORD

then give the web servers and workers ``DATABASE_URL=postgres://huzhou_app:…@db/huzhou``.

The role owns nothing, so it cannot ALTER, DROP or disable triggers on any table. It may read and
write the application's tables, but on the append-only tables (the audit trail and its
checkpoints) only INSERT and SELECT: no UPDATE, DELETE, TRUNCATE, TRIGGER or REFERENCES.
Default privileges give it the same rights on tables that later migrations create; the command
is idempotent and revokes again what an append-only table must not allow.
"""
from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg2 import sql

#: Tables the application may only INSERT into and SELECT from.
APPEND_ONLY_TABLES = ("core_auditevent", "core_auditcheckpoint")


def grant_statements(role: str, owner: str, schema: str, database: str) -> list[sql.Composed]:
    r, o, s = sql.Identifier(role), sql.Identifier(owner), sql.Identifier(schema)
    statements = [
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(database), r),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r),
        sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(s, r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(s, r),
        sql.SQL("REVOKE TRUNCATE, TRIGGER, REFERENCES ON ALL TABLES IN SCHEMA {} FROM {}").format(s, r),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE "
                "ON TABLES TO {}").format(o, s, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}"
                ).format(o, s, r),
    ]
    for table in APPEND_ONLY_TABLES:
        statements.append(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {}.{} FROM {}").format(
            s, sql.Identifier(table), r))
    return statements


class Command(BaseCommand):
    help = ("创建或更新应用程序连接数据库所用的角色：不拥有任何表，审计表及其检查点表只可 INSERT 和 SELECT。"
            "以属主角色（执行迁移的角色）在每次 migrate 之后运行。")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--role", default="huzhou_app", help="应用角色名（默认 huzhou_app）")
        parser.add_argument("--password-env", metavar="VAR",
                            help="从该环境变量读取应用角色的口令（不给则不设置口令，例如使用证书或 peer 认证）")

    def handle(self, *args, **options) -> None:
        role = options["role"]
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(f"环境变量 {options['password_env']} 未设置")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_schema(), current_database()")
            owner, schema, database = cursor.fetchone()
            if owner == role:
                raise CommandError("请以属主角色运行本命令，而不是以应用角色运行")
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
                                       ).format(sql.Identifier(role)))
            if password is not None:
                cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD %s").format(sql.Identifier(role)), [password])
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s AND tableowner = %s", [schema, role])
            if cursor.fetchone()[0]:
                raise CommandError(f"角色 {role} 仍拥有表；先以超级用户执行 REASSIGN OWNED BY {role} TO {owner}")
            for statement in grant_statements(role, owner, schema, database):
                cursor.execute(statement)
        self.stdout.write(f"角色 {role} 已就绪：属主 {owner}；{', '.join(APPEND_ONLY_TABLES)} 仅可 INSERT、SELECT")
