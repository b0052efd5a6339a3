from django.db import migrations

from linli.timebank.choices import DEFAULT_CATEGORIES


def create(apps, schema_editor):
    Category = apps.get_model("timebank", "Category")
    for code, name, weight in DEFAULT_CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "weight": weight})


class Migration(migrations.Migration):
    dependencies = [("timebank", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
