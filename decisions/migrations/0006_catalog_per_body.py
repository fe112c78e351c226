"""A catalog per decision body per year (issue 16): each catalog names its body; the catalogs
before were all 湖州市人民政府's (or the body their 决策机关 column names)."""
import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    Department = apps.get_model("core", "Department")
    Catalog = apps.get_model("decisions", "Catalog")
    city = Department.objects.filter(kind="city").order_by("sort_order", "id").first()
    for catalog in Catalog.objects.all():
        catalog.body = Department.objects.filter(name=catalog.decision_body).first() or city
        catalog.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("decisions", "0005_late_publication_reason"), ("core", "0008_body_levels_and_review_units")]

    operations = [
        migrations.RunSQL("SET CONSTRAINTS ALL IMMEDIATE", migrations.RunSQL.noop),
        migrations.AddField(
            model_name="catalog", name="body",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="catalogs",
                                    to="core.department", verbose_name="决策机关")),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="catalog", name="body",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="catalogs",
                                    to="core.department", verbose_name="决策机关")),
        migrations.AlterField(
            model_name="catalog", name="year", field=models.PositiveSmallIntegerField(verbose_name="年度")),
        migrations.AlterField(
            model_name="catalog", name="decision_body",
            field=models.CharField(default="湖州市人民政府", max_length=100, verbose_name="决策机关名称")),
        migrations.AlterModelOptions(
            name="catalog", options={"ordering": ["-year", "body_id"], "verbose_name": "年度决策事项目录",
                                     "verbose_name_plural": "年度决策事项目录"}),
        migrations.AddConstraint(
            model_name="catalog",
            constraint=models.UniqueConstraint(fields=("body", "year"), name="one_catalog_per_body_year")),
    ]
