# Every Han character of an entry is now a lexeme of its own (search.text.tsvector_literal), so that
# a one-character query reads one posting list instead of a prefix merging those of every bigram the
# character starts. Existing entries get them here from their stored text (``content``: the title,
# 文号 and text the vector is built from), without positions, as the index code writes them.

from django.db import migrations

CHARACTERS = ("array_to_tsvector(ARRAY(SELECT DISTINCT found[1] FROM regexp_matches(content, "
              "'([\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff])', 'g') AS found))")


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0010_filter_lexemes'),
    ]

    operations = [
        migrations.RunSQL(
            f"UPDATE search_searchentry SET document = document || {CHARACTERS} WHERE content <> ''",
            migrations.RunSQL.noop,
        ),
    ]
