"""Public reads from a PostgreSQL read replica (decision record 0023).

When ``DATABASE_REPLICA_URL`` is set (alias ``replica``), an anonymous GET or HEAD of a public page or
the public API — no session, no ``Authorization``, the same requests the page cache serves — reads
from the replica. Writes, and everything a signed-in user or an API client does, stay on the
primary; so do background tasks and commands (no request). Code that opens its own cursor or
transaction for a read asks ``read_alias()`` (the search does)."""
from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
_public_read: ContextVar[bool] = ContextVar("huzhou_public_read", default=False)


def replica_enabled() -> bool:
    return REPLICA in settings.DATABASES and getattr(settings, "HUZHOU_READ_REPLICA", True)


def read_alias() -> str:
    return REPLICA if _public_read.get() and replica_enabled() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Marks an anonymous public read for the router, for the time of the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from core.pagecache import public_read

        if not replica_enabled() or not public_read(request):
            return self.get_response(request)
        token = _public_read.set(True)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)
