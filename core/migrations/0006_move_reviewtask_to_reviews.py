"""The review queue's model now lives in ``reviews`` (see ``reviews.0001_initial``): it leaves
core's state only; its table, rows, indexes and constraints stay where they are."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_disclosure_record'),
        ('reviews', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ReviewTask')],
            database_operations=[],
        ),
    ]
