"""A legality review's clock is charged to the review unit that must conclude it (its reviewer once
claimed), no longer to the submitting department: open review clocks move to their task's unit."""
from django.db import migrations


def charge_review_unit(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LegalClock = apps.get_model("deadlines", "LegalClock")
    ReviewTask = apps.get_model("reviews", "ReviewTask")
    content_type = ContentType.objects.filter(app_label="reviews", model="reviewtask").first()
    if content_type is None:
        return
    units = dict(ReviewTask.objects.exclude(review_unit_id=None).values_list("pk", "review_unit_id"))
    for clock in LegalClock.objects.filter(content_type=content_type, status__in=["running", "paused"]):
        unit = units.get(int(clock.object_id))
        if unit and clock.department_id != unit:
            LegalClock.objects.filter(pk=clock.pk).update(department_id=unit)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0006_list_order_indexes"), ("deadlines", "0004_reminder_parking")]

    operations = [migrations.RunPython(charge_review_unit, migrations.RunPython.noop)]
