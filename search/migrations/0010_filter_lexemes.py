# The GIN index now holds each entry's kind, year (年度), department and status as lexemes
# (search.text.filter_lexemes), so that a search's filters are asked of the index with the term
# instead of read from every matching row. Existing entries get them here; the index code writes
# them from now on.

from django.db import migrations

FILTERS = ("array_remove(ARRAY['@k' || kind, '@n' || year::text, '@u' || department_id::text, "
           "CASE WHEN status <> '' THEN '@s' || status END], NULL)")


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0009_visible_until'),
    ]

    operations = [
        migrations.RunSQL(
            f"UPDATE search_searchentry SET document = document || array_to_tsvector({FILTERS})",
            f"UPDATE search_searchentry SET document = ts_delete(document, {FILTERS})",
        ),
    ]
