"""Ed25519 signatures for what the portal vouches for outside its database: audit checkpoints,
archive-package manifests and restore markers.

The private key comes from the environment (``HUZHOU_SIGNING_KEY``), never from the database,
so whoever can rewrite the database (a DBA, a restored backup, an SQL injection) cannot sign a
rewritten history. Verifiers trust the current key's public half plus the retired public keys in
``HUZHOU_SIGNING_PUBLIC_KEYS``; a signature by any other key, even one embedded in the signed
document, is rejected.

Generate a key with ``manage.py generate_signing_key`` (it prints the private key for the
environment and its public key for the transparency page and offline verifiers).
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "Ed25519"
#: Only for development and tests (DEBUG): a fixed key anyone can read in this file.
_DEVELOPMENT_SEED = hashlib.sha256(b"huzhou-rule development signing key - never in production").digest()


def canonical_json(value: Any) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8 (the audit chain's convention)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def public_key_text(public_key: Ed25519PublicKey) -> str:
    return _b64(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """A short name of a public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    return hashlib.sha256(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def new_private_key_text() -> str:
    return _b64(Ed25519PrivateKey.generate().private_bytes_raw())


def _private_key() -> Ed25519PrivateKey:
    text = settings.HUZHOU_SIGNING_KEY
    if not text:
        if settings.DEBUG:
            return Ed25519PrivateKey.from_private_bytes(_DEVELOPMENT_SEED)
        raise ImproperlyConfigured("HUZHOU_SIGNING_KEY is not set (generate one with manage.py generate_signing_key)")
    try:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except ValueError as error:
        raise ImproperlyConfigured("HUZHOU_SIGNING_KEY is not a base64 Ed25519 private key (32 bytes)") from error


def signing_public_key() -> Ed25519PublicKey:
    return _private_key().public_key()


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """key id -> public key: the current key and the retired ones named in the settings."""
    keys = {}
    try:
        current = signing_public_key()
        keys[key_id_of(current)] = current
    except ImproperlyConfigured:
        pass  # a verifier without the private key (offline) relies on the configured public keys
    for text in settings.HUZHOU_SIGNING_PUBLIC_KEYS:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text))
        keys[key_id_of(key)] = key
    return keys


@dataclass(frozen=True)
class Signature:
    algorithm: str
    key_id: str
    value: str

    def as_dict(self) -> dict[str, str]:
        return {"algorithm": self.algorithm, "key_id": self.key_id, "value": self.value}


def sign(document: dict) -> Signature:
    key = _private_key()
    return Signature(ALGORITHM, key_id_of(key.public_key()), _b64(key.sign(canonical_json(document))))


def verify(document: dict, signature: dict, *, keys: dict[str, Ed25519PublicKey] | None = None) -> str | None:
    """None when ``signature`` (as produced by ``Signature.as_dict``) is a valid signature of
    ``document`` by a trusted key; otherwise a Chinese reason."""
    keys = trusted_public_keys() if keys is None else keys
    if not isinstance(signature, dict) or signature.get("algorithm") != ALGORITHM:
        return "签名缺失或算法不是 Ed25519"
    key = keys.get(signature.get("key_id", ""))
    if key is None:
        return f"签名密钥 {signature.get('key_id')} 不在受信任的公钥中"
    try:
        key.verify(base64.b64decode(signature.get("value", "")), canonical_json(document))
    except (InvalidSignature, ValueError):
        return "签名无效（内容被改动，或不是用该密钥签署的）"
    return None
