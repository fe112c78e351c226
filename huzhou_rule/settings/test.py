"""Test settings: only speed-ups on top of base; nothing eager."""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-uploads"  # noqa: F405
WHITENOISE_USE_FINDERS = True
# A fixed signing key for tests (pytest-django turns DEBUG off, which refuses the development key).
HUZHOU_SIGNING_KEY = "8tLzwXJgabr/JmxXcBUpMocuXW770TBPnmOD4dmMbEI="
# A second alias on the same server, as a read replica would be; routed to only in the replica tests.
DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})  # noqa: F405
HUZHOU_READ_REPLICA = False
HUZHOU_PAGE_CACHE = False  # data made in a test is never committed: the cache tests turn it on
HUZHOU_AUDIT_CHECKPOINT_FILE = ""  # tests that need the file point it at their tmp_path
# Accounts policy (core/accounts.py): off unless a test turns it on with the settings fixture, so
# time-travelling tests and two clients of one user keep working. Lockout (django-axes) stays on.
HUZHOU_REQUIRE_2FA = False
HUZHOU_SESSION_IDLE_MINUTES = 0
HUZHOU_SINGLE_SESSION = False
HUZHOU_PASSWORD_MAX_AGE_DAYS = 0
HUZHOU_TOKEN_HOURS = 24 * 365 * 100  # tests travel in time with one token; expiry tests set 8
# Fixed keys of the personal numbers at rest (core/pii_crypto.py); tests of rotation add their own.
HUZHOU_PII_KEYS = "t1:dGVzdC1vbmx5LXBpaS1rZXktMzItYnl0ZXMtbG9uZyE="
HUZHOU_PII_INDEX_KEY = "dGVzdC1vbmx5LWJsaW5kLWluZGV4LWtleS0zMmJ5dGU="
