# Issue 12 (gates at the moment of action): the facts of a 首违不罚 decision, the reasons for
# acting after a statutory deadline, and the policy row of the first-violation period.

from django.db import migrations, models


def load(apps, schema_editor):
    import datetime as dt

    from enforcement.policy_data import POLICIES

    DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
    for code, name, length, unit, kind, warn_before, source, effective_from in POLICIES:
        DeadlinePolicy.objects.get_or_create(
            code=code, effective_from=dt.date.fromisoformat(effective_from),
            defaults={"name": name, "length": length, "unit": unit, "kind": kind, "warn_before": warn_before,
                      "source": source})


class Migration(migrations.Migration):

    dependencies = [
        ("enforcement", "0003_case_number_sequence"),
    ]

    operations = [
        migrations.AddField(
            model_name="case", name="no_penalty_facts",
            field=models.JSONField(blank=True, default=dict, help_text="首违不罚：危害后果轻微、及时改正的说明，证据（全过程记录）和初次违法的核查结果。",
                                   verbose_name="不予处罚的事实和证据"),
        ),
        migrations.AddField(
            model_name="case", name="late_decision_reason",
            field=models.TextField(blank=True, verbose_name="超过办理期限作出决定的理由"),
        ),
        migrations.AddField(
            model_name="case", name="late_service_reason",
            field=models.TextField(blank=True, verbose_name="逾期送达的理由"),
        ),
        migrations.AddField(
            model_name="publicnotice", name="late_reason",
            field=models.TextField(blank=True, verbose_name="逾期公开的理由"),
        ),
        migrations.AddField(
            model_name="publicnotice", name="late_withdrawal_reason",
            field=models.TextField(blank=True, verbose_name="逾期撤回的理由"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
