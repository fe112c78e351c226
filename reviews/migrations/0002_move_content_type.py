"""The content type of ``ReviewTask`` keeps its id and takes the new app label, so everything
that points at it by id still does: the legal clocks and reminders of a review
(``deadlines``, keyed by content type), and the model's permissions. Audit rows name the
model by its label (``core.reviewtask``) and are never rewritten; ``ReviewTask.audit_former_labels``
keeps them readable."""
from django.db import migrations


def move(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label=source, model="reviewtask").first()
    if old is None:  # a new database: the content type is created after migrating
        return
    # A content type made for the target label in the meantime (by a partial migrate) holds
    # nothing yet but its permissions; it gives way to the one everything points at.
    ContentType.objects.using(db).filter(app_label=target, model="reviewtask").delete()
    old.app_label = target
    old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    move(apps, schema_editor, "core", "reviews")


def backwards(apps, schema_editor):
    move(apps, schema_editor, "reviews", "core")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reviews', '0001_initial'),
        ('core', '0006_move_reviewtask_to_reviews'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
