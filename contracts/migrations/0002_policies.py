"""The numbers of the contract lifecycle in the policy table, each marked as a local rule."""
import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from contracts.policy_data import POLICIES

    DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
    for code, name, length, unit, kind, warn_before, source, effective_from in POLICIES:
        DeadlinePolicy.objects.get_or_create(
            code=code, effective_from=dt.date.fromisoformat(effective_from),
            defaults={"name": name, "length": length, "unit": unit, "kind": kind, "warn_before": warn_before,
                      "source": source})


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial"), ("deadlines", "0003_outbox_headers")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
