import base64
import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new key for HUZHOU_PII_KEYS (<key id>:<base64>) and one for HUZHOU_PII_INDEX_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--key-id", default="", help="the key's id (default: k<yyyymmdd>)")

    def handle(self, *args, key_id: str, **options):
        from django.utils import timezone

        key_id = key_id or f"k{timezone.localdate():%Y%m%d}"
        self.stdout.write(f"HUZHOU_PII_KEYS={key_id}:{base64.b64encode(os.urandom(32)).decode()}")
        self.stdout.write(f"HUZHOU_PII_INDEX_KEY={base64.b64encode(os.urandom(32)).decode()}")
