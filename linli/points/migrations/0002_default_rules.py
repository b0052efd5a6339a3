from django.db import migrations

from linli.points.choices import DEFAULT_RULES


def create(apps, schema_editor):
    Rule = apps.get_model("points", "Rule")
    for code, fields in DEFAULT_RULES.items():
        Rule.objects.get_or_create(unit=None, code=code, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
