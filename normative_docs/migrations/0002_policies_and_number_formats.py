import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from normative_docs.policy_data import NUMBER_FORMATS, POLICIES

    DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
    for code, name, length, unit, kind, warn_before, source, effective_from in POLICIES:
        DeadlinePolicy.objects.get_or_create(
            code=code, effective_from=dt.date.fromisoformat(effective_from),
            defaults={"name": name, "length": length, "unit": unit, "kind": kind, "warn_before": warn_before,
                      "source": source})
    Department = apps.get_model("core", "Department")
    NumberingScheme = apps.get_model("normative_docs", "NumberingScheme")
    for code, (pattern, prefix) in NUMBER_FORMATS.items():
        department = Department.objects.filter(code=code).first()
        if department is not None:
            NumberingScheme.objects.get_or_create(issuer=department,
                                                  defaults={"pattern": pattern, "registration_prefix": prefix})


class Migration(migrations.Migration):
    dependencies = [("normative_docs", "0001_initial"), ("deadlines", "0002_initial_policies"),
                    ("core", "0003_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
