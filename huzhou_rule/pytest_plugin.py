"""Loaded with ``-p huzhou_rule.pytest_plugin`` before pytest-django reads settings:
starts the embedded PostgreSQL when no DATABASE_URL is given."""
import os

from huzhou_rule.embedded_db import ensure_database_url

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
ensure_database_url()
