"""Re-encrypt every encrypted personal number under the first key of HUZHOU_PII_KEYS and recompute
the blind indexes under HUZHOU_PII_INDEX_KEY (core/pii_crypto.py).

Rotation: put the new key first in HUZHOU_PII_KEYS, keep the old ones after it, restart, run this
command, then drop the old keys. A new index key: set HUZHOU_PII_INDEX_KEY, run this command before
the same-party checks are used again (until then they find no earlier case)."""
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core import pii_crypto

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt personal numbers under the current key and recompute their blind indexes."

    def handle(self, *args, **options):
        current = pii_crypto.current_key_id()
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, pii_crypto.EncryptedTextField)]
            if not fields:
                continue
            index_field = "party_key" if any(f.name == "party_key" for f in model._meta.concrete_fields) else None
            rewritten = 0
            pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), BATCH):
                with transaction.atomic():
                    for row in model._base_manager.filter(pk__in=pks[start:start + BATCH]).select_for_update():
                        values = {}
                        for field in fields:
                            clear = getattr(row, field.attname)
                            values[field.attname] = pii_crypto.encrypt(clear) if clear else clear
                        if index_field:
                            clear = getattr(row, fields[0].attname)
                            values[index_field] = pii_crypto.blind_index(clear) if clear else ""
                        model._base_manager.filter(pk=row.pk).update(**values)
                        rewritten += 1
            self.stdout.write(f"{model._meta.label}: {rewritten} rows re-encrypted under key {current!r}")
        self.stdout.write(self.style.SUCCESS("OK"))
