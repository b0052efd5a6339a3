from django.db import migrations

from linli.sharing.choices import DEFAULT_KINDS


def create(apps, schema_editor):
    Kind = apps.get_model("sharing", "Kind")
    for code, name in DEFAULT_KINDS:
        Kind.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
