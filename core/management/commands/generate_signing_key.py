"""Print a new Ed25519 signing key for HUZHOU_SIGNING_KEY and its public key.

Keep the private key in the environment of the web servers and Celery workers (systemd
EnvironmentFile readable only by the service user, or the secret store), never in the database
or the repository. Publish the public key (the transparency page shows it) and, when rotating,
add the old public key to HUZHOU_SIGNING_PUBLIC_KEYS so older checkpoints still verify.
"""
from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand

from core.signing import key_id_of, new_private_key_text, public_key_text


class Command(BaseCommand):
    help = "生成新的 Ed25519 签名密钥（HUZHOU_SIGNING_KEY）及其公钥。"
    requires_system_checks: list[str] = []

    def handle(self, *args, **options) -> None:
        private = new_private_key_text()
        public = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private)).public_key()
        self.stdout.write(f"HUZHOU_SIGNING_KEY={private}")
        self.stdout.write(f"# public key (publish; add to HUZHOU_SIGNING_PUBLIC_KEYS when this key is retired): "
                          f"{public_key_text(public)}")
        self.stdout.write(f"# key id: {key_id_of(public)}")
