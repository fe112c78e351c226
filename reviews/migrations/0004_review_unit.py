"""Each review goes to its body's review unit (issue 16); tasks opened before go to the unit of
their submitting unit's body (then always 市司法局, the only review unit there was)."""
import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    Department = apps.get_model("core", "Department")
    ReviewTask = apps.get_model("reviews", "ReviewTask")
    units = {}
    for body in Department.objects.all():
        units[body.pk] = body
    for department_id in ReviewTask.objects.values_list("department_id", flat=True).distinct():
        current = units.get(department_id)
        while current is not None and not current.review_unit_id:
            current = units.get(current.parent_id)
        if current is not None:
            ReviewTask.objects.filter(department_id=department_id).update(review_unit_id=current.review_unit_id)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_early_reason"), ("core", "0008_body_levels_and_review_units")]

    operations = [
        # adding a deferred foreign key to a table with rows queues trigger events, which would
        # block the index built after it in the same transaction
        migrations.RunSQL("SET CONSTRAINTS ALL IMMEDIATE", migrations.RunSQL.noop),
        migrations.AddField(
            model_name="reviewtask", name="review_unit",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="core.department", verbose_name="审查机构",
                                    help_text="报送单位所属决策机关的合法性审查机构：市司法局、区县司法局或司法所。")),
        migrations.AddIndex(
            model_name="reviewtask",
            index=models.Index(fields=["review_unit", "status", "due_on"], name="review_unit_queue_idx")),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
