# ANALYZE lists the 10,000 most common lexemes of the vector (not 1,000): the search sizes its
# date windows from their shares (search.selectors.index_statistics), and a rarer term is then
# known to be rare instead of guessed as common as the least listed one.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0003_date_lexemes'),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE search_searchentry ALTER COLUMN document SET STATISTICS 1000",
            "ALTER TABLE search_searchentry ALTER COLUMN document SET STATISTICS -1",
        ),
    ]
