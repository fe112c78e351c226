"""Every body at every level (issue 16): level, review unit and decision-body flag; the five
districts and counties' 司法局, three or more townships or streets each with its 司法所."""
import django.db.models.deletion
from django.db import migrations, models

from core.reference_data import HUZHOU_BODIES, body_attributes


def load(apps, schema_editor):
    Department = apps.get_model("core", "Department")
    by_code = {}
    for order, (code, name, short, kind, parent) in enumerate(HUZHOU_BODIES):
        by_code[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "kind": kind, "parent": by_code.get(parent),
                                 "sort_order": order})
    for code, body in by_code.items():
        attributes = body_attributes(code, body.kind)
        body.level = attributes["level"]
        body.is_decision_body = attributes["is_decision_body"] or body.is_decision_body
        body.review_unit = by_code.get(attributes["review_unit"]) if attributes["review_unit"] else None
        body.save(update_fields=["level", "is_decision_body", "review_unit"])


class Migration(migrations.Migration):
    dependencies = [("core", "0007_audit_checkpoints_idempotency")]

    operations = [
        # adding a deferred foreign key to a table with rows queues trigger events, which would
        # block the index built after it in the same transaction
        migrations.RunSQL("SET CONSTRAINTS ALL IMMEDIATE", migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="department", name="kind",
            field=models.CharField(choices=[("city", "市"), ("district", "区县"), ("township", "乡镇（街道）"),
                                            ("department", "政府部门"), ("justice_office", "司法所")],
                                   max_length=20, verbose_name="类型")),
        migrations.AddField(
            model_name="department", name="level",
            field=models.CharField(choices=[("city", "市级"), ("county", "区县级"), ("township", "乡镇（街道）级")],
                                   default="city", max_length=20, verbose_name="层级")),
        migrations.AddField(
            model_name="department", name="is_decision_body",
            field=models.BooleanField(default=False, help_text="各级人民政府，以及自行编制年度重大行政决策事项目录的部门。",
                                      verbose_name="决策机关")),
        migrations.AddField(
            model_name="department", name="review_unit",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="reviewed_bodies", to="core.department", verbose_name="合法性审查机构",
                                    help_text="市政府及市级部门为市司法局，区县政府及其部门为区县司法局，乡镇（街道）为司法所。")),
        migrations.AddIndex(
            model_name="department",
            index=models.Index(fields=["level", "is_decision_body"], name="department_level_idx")),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
