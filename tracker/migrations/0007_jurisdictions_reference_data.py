"""A fresh database gets China's provinces, prefectures and counties (GB/T 2260, from cpca)."""

from django.db import migrations


def load_jurisdictions(apps, schema_editor):
    # The same division table as `manage.py load_jurisdictions`; rows already present (by
    # code) are left as they are, so running it on a database that has them changes nothing.
    from tracker.divisions import read_divisions

    Jurisdiction = apps.get_model("tracker", "Jurisdiction")
    divisions = list(read_divisions())
    for level in ("province", "prefecture", "county"):  # parents before their children
        known = dict(Jurisdiction.objects.exclude(code=None).values_list("code", "pk"))
        Jurisdiction.objects.bulk_create(
            [
                Jurisdiction(
                    code=division.code,
                    name_zh=division.name_zh,
                    name_en=division.name_en,
                    level=division.level,
                    parent_id=known.get(division.parent_code),
                )
                for division in divisions
                if division.level == level and division.code not in known
            ],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0006_fact_origin_and_published")]

    operations = [
        migrations.RunPython(load_jurisdictions, migrations.RunPython.noop, elidable=False)
    ]
