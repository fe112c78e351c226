# A 文号 query matches that number only (normative_docs.workflow.number_query): the whole number
# by search_entry_number_idx; a number without its serial (湖政规〔2024〕) by its start, one without
# its issuer (〔2024〕3号) by its end — the start of the reversed number. (Django writes an
# operator class on an expression without the parentheses PostgreSQL needs, so the second
# index is plain SQL.)

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0005_narrow_rows"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(condition=models.Q(("number_normalized", ""), _negated=True), fields=["number_normalized"],
                               name="search_entry_number_start_idx", opclasses=["text_pattern_ops"]),
        ),
        migrations.RunSQL(
            "CREATE INDEX search_entry_number_end_idx ON search_searchentry "
            "((reverse(number_normalized)) text_pattern_ops) WHERE NOT (number_normalized = '')",
            "DROP INDEX search_entry_number_end_idx",
        ),
    ]
