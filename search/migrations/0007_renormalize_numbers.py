# 文号 in normal form now also folds full-width digits and letters (NFKC) and two more bracket
# styles (normative_docs.workflow.normalize_number): rewrite the stored forms that change.

from django.db import migrations


def renormalize(apps, schema_editor):
    from normative_docs.workflow import normalize_number

    for model in (apps.get_model("search", "SearchEntry"), apps.get_model("normative_docs", "NormativeDocument")):
        changed = []
        for row in model.objects.exclude(number="").only("pk", "number", "number_normalized").iterator(chunk_size=2000):
            normal = normalize_number(row.number)[:60]
            if normal != row.number_normalized:
                row.number_normalized = normal
                changed.append(row)
        model.objects.bulk_update(changed, ["number_normalized"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0006_number_query_indexes"),
        ("normative_docs", "0002_policies_and_number_formats"),
    ]

    operations = [migrations.RunPython(renormalize, migrations.RunPython.noop)]
