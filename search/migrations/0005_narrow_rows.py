# The search reads, for each match in its window, the row's small columns (kind, date, title,
# 文号) and, for a run checked as a substring, the stored text. With the vector and the excerpt
# kept out of line (TOAST) a row is about half as wide, and a window's matches cost fewer page
# reads (decision record 0017). The small columns and the stored text stay in the row (compressed)
# when they fit. Rows take the new layout when they are next written (the re-index rewrites them
# every five minutes).

from django.db import migrations

INLINE = ("kind", "title", "number", "number_normalized", "department_name", "status", "status_label", "url",
          "content")


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0004_document_statistics'),
    ]

    operations = [
        migrations.RunSQL(
            ["ALTER TABLE search_searchentry SET (toast_tuple_target = 128)",
             "ALTER TABLE search_searchentry " + ", ".join(f"ALTER COLUMN {c} SET STORAGE MAIN" for c in INLINE)],
            ["ALTER TABLE search_searchentry RESET (toast_tuple_target)",
             "ALTER TABLE search_searchentry " + ", ".join(f"ALTER COLUMN {c} SET STORAGE EXTENDED" for c in INLINE)],
        ),
    ]
