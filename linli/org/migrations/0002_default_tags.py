from django.db import migrations

DEFAULT_TAGS = [
    ("elder_alone", "独居老人", True),
    ("empty_nest", "空巢老人", True),
    ("very_old", "高龄老人", True),
    ("disabled", "残疾人", True),
    ("low_income", "低保/特困", True),
    ("left_behind_child", "留守儿童", True),
    ("party_member", "党员", False),
    ("volunteer", "志愿者", False),
]


def add_tags(apps, schema_editor):
    Tag = apps.get_model("org", "Tag")
    for code, name, care in DEFAULT_TAGS:
        Tag.objects.get_or_create(code=code, defaults={"name": name, "is_care_group": care})


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(add_tags, migrations.RunPython.noop)]
