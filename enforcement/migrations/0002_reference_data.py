import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from enforcement.policy_data import AUDIO_VIDEO_RULES, BODY_PROFILES, POLICIES

    DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
    for code, name, length, unit, kind, warn_before, source, effective_from in POLICIES:
        DeadlinePolicy.objects.get_or_create(
            code=code, effective_from=dt.date.fromisoformat(effective_from),
            defaults={"name": name, "length": length, "unit": unit, "kind": kind, "warn_before": warn_before,
                      "source": source})
    AudioVideoRule = apps.get_model("enforcement", "AudioVideoRule")
    for kind, source in AUDIO_VIDEO_RULES:
        AudioVideoRule.objects.get_or_create(kind=kind, defaults={"source": source})
    Department = apps.get_model("core", "Department")
    BodyProfile = apps.get_model("enforcement", "BodyProfile")
    Power = apps.get_model("enforcement", "Power")
    for code, (procedures, remedies, inspection_list, powers) in BODY_PROFILES.items():
        body = Department.objects.filter(code=code).first()
        if body is None:
            continue
        BodyProfile.objects.get_or_create(body=body, defaults={"procedures": procedures, "remedies": remedies,
                                                               "inspection_list": inspection_list})
        for name, basis in powers:
            Power.objects.get_or_create(body=body, name=name, defaults={"legal_basis": basis})


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial"), ("deadlines", "0002_initial_policies"),
                    ("core", "0003_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
