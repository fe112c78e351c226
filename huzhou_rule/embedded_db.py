"""Start the embedded PostgreSQL (pgserver) when no DATABASE_URL is given.

Settings never start processes: the entry points (manage.py, the pytest plugin,
wsgi for `make run`) call ``ensure_database_url()`` before Django reads settings.
The data lives in ``.pgdata/`` in the checkout (git-ignored), so every command
run in the checkout finds the same database.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"
DATABASE_NAME = "huzhou_rule"


def ensure_database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    import pgserver  # imported lazily: only needed without DATABASE_URL

    logging.getLogger("pgserver").setLevel(logging.WARNING)  # its exit-time log lines outlive pytest's streams

    # The embedded database is for a developer's checkout: run in debug mode
    # unless told otherwise, so `manage.py <command>` works without more set-up.
    os.environ.setdefault("DJANGO_DEBUG", "1")

    server = pgserver.get_server(DATA_DIR, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    url = server.get_uri(DATABASE_NAME)
    os.environ["DATABASE_URL"] = url
    return url


