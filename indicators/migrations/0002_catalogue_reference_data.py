"""A fresh database gets the indicator catalogue (seeds/indicators.yaml, shipped with the code)."""

from django.db import migrations


def load_catalogue(apps, schema_editor):
    # The same reading as `manage.py load_catalogue`, written through the historical model:
    # the file is trusted and tested, and later migrations may change the live model.
    from indicators.services import catalogue_entries

    Indicator = apps.get_model("indicators", "Indicator")
    for code, fields in catalogue_entries():
        Indicator.objects.update_or_create(code=code, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop, elidable=False)]
