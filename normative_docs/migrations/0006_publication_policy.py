# Issue 12: the policy row of rule N11 (a document is made public within 20 working days of its
# formation, 政府信息公开条例 Art. 26).

import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from normative_docs.policy_data import POLICIES

    DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
    for code, name, length, unit, kind, warn_before, source, effective_from in POLICIES:
        DeadlinePolicy.objects.get_or_create(
            code=code, effective_from=dt.date.fromisoformat(effective_from),
            defaults={"name": name, "length": length, "unit": unit, "kind": kind, "warn_before": warn_before,
                      "source": source})


class Migration(migrations.Migration):

    dependencies = [("normative_docs", "0005_filing_late_reason"), ("deadlines", "0003_outbox_headers")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
