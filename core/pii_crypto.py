"""Personal numbers encrypted at rest, with a keyed blind index (issue 13, point 2; 等保 数据保密性).

* ``EncryptedTextField`` stores ``v1:<key id>:<base64(nonce ‖ AES-256-GCM ciphertext)>`` and gives
  the clear value back when a row is read. The column cannot be searched: every lookup except
  ``isnull`` is refused, so nobody compares a ciphertext by mistake. Searches for "the same
  person" use the blind index instead.
* ``blind_index(value)`` is HMAC-SHA256 of the normalised value under a separate key: equal
  numbers give equal indexes, and without the key nobody can test a guess against the table.
* Keys come from the environment, never the database: ``HUZHOU_PII_KEYS`` is a comma-separated
  list of ``<key id>:<base64 of 32 bytes>``, the first one encrypting, all of them decrypting;
  ``HUZHOU_PII_INDEX_KEY`` keys the index. ``manage.py rotate_pii_key`` re-encrypts every row under
  the first key (and recomputes the indexes). ``manage.py generate_pii_key`` makes a key.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "v1"
#: Development only (DEBUG); tests set their own. Production must set both variables.
DEVELOPMENT_KEYS = "dev:" + base64.b64encode(b"huzhou-rule-development-pii-key!").decode()
DEVELOPMENT_INDEX_KEY = base64.b64encode(b"huzhou-rule-development-index-k!").decode()


def _keys() -> list[tuple[str, bytes]]:
    raw = settings.HUZHOU_PII_KEYS or (DEVELOPMENT_KEYS if settings.DEBUG else "")
    if not raw:
        raise ImproperlyConfigured("HUZHOU_PII_KEYS is not set: personal numbers cannot be encrypted.")
    keys = []
    for item in raw.split(","):
        key_id, _sep, encoded = item.strip().partition(":")
        key = base64.b64decode(encoded)
        if not key_id or len(key) != 32:
            raise ImproperlyConfigured("HUZHOU_PII_KEYS: each entry is <key id>:<base64 of 32 bytes>.")
        keys.append((key_id, key))
    return keys


def current_key_id() -> str:
    return _keys()[0][0]


def encrypt(value: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key_id, key = _keys()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, value.encode("utf-8"), key_id.encode())
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(stored: str) -> str:
    parts = (stored or "").split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else ""


def decrypt(stored: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not stored or not stored.startswith(PREFIX + ":"):
        return stored or ""  # not encrypted (written before the migration ran)
    _prefix, key_id, encoded = stored.split(":", 2)
    key = dict(_keys()).get(key_id)
    if key is None:
        raise ImproperlyConfigured(f"HUZHOU_PII_KEYS has no key {key_id!r}: keep retired keys until rotate_pii_key ran.")
    blob = base64.b64decode(encoded)
    return AESGCM(key).decrypt(blob[:12], blob[12:], key_id.encode()).decode("utf-8")


def blind_index(value: str) -> str:
    raw = settings.HUZHOU_PII_INDEX_KEY or (DEVELOPMENT_INDEX_KEY if settings.DEBUG else "")
    if not raw:
        raise ImproperlyConfigured("HUZHOU_PII_INDEX_KEY is not set: the same-party checks cannot run.")
    normalised = "".join((value or "").split()).upper()
    return hmac.new(base64.b64decode(raw), normalised.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Clear text in Python, ciphertext in the database (see the module's docstring)."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value or value.startswith(PREFIX + ":"):
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None  # a ciphertext cannot be compared: use the blind index
        return super().get_lookup(lookup_name)
