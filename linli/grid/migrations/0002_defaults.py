from django.db import migrations


def create(apps, schema_editor):
    from linli.grid.calendar import default_table
    from linli.grid.choices import DEFAULT_CARE_GROUPS, DEFAULT_CATEGORIES, DEFAULT_LIMITS

    Category = apps.get_model("grid", "Category")
    TimeLimit = apps.get_model("grid", "TimeLimit")
    CareGroup = apps.get_model("grid", "CareGroup")
    Holiday = apps.get_model("grid", "Holiday")
    for n, (code, name) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": n})
    for urgency, amount, unit in DEFAULT_LIMITS:
        TimeLimit.objects.get_or_create(
            urgency=urgency, category=None, defaults={"amount": amount, "unit": unit}
        )
    for code, name in DEFAULT_CARE_GROUPS:
        CareGroup.objects.get_or_create(code=code, defaults={"name": name})
    for day, kind, name in default_table():
        Holiday.objects.get_or_create(day=day, defaults={"kind": kind, "name": name})


class Migration(migrations.Migration):
    dependencies = [("grid", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
