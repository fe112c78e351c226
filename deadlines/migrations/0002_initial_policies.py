import datetime as dt

from django.db import migrations


def load_policies(apps, schema_editor):
    from deadlines.policy_data import INITIAL_POLICIES

    DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
    for code, name, length, unit, kind, warn_before, source, effective_from in INITIAL_POLICIES:
        DeadlinePolicy.objects.get_or_create(
            code=code, effective_from=dt.date.fromisoformat(effective_from),
            defaults={"name": name, "length": length, "unit": unit, "kind": kind, "warn_before": warn_before,
                      "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(load_policies, migrations.RunPython.noop)]
