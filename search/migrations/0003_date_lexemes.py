# The GIN index now holds each entry's publication day, month and year (search.text.date_lexemes),
# so that the search reads only the matches of its window. Existing entries get them here; the
# re-index writes them from now on.

from django.db import migrations

DATES = ("ARRAY['@d' || to_char(published_on, 'YYYYMMDD'), '@m' || to_char(published_on, 'YYYYMM'), "
         "'@y' || to_char(published_on, 'YYYY')]")


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0002_exact_runs_and_recency'),
    ]

    operations = [
        migrations.RunSQL(
            f"UPDATE search_searchentry SET document = document || array_to_tsvector({DATES}) "
            "WHERE published_on IS NOT NULL",
            f"UPDATE search_searchentry SET document = ts_delete(document, {DATES}) WHERE published_on IS NOT NULL",
        ),
    ]
