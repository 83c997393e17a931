from django.db import migrations

CATEGORIES = [
    "Otrygg plats",
    "Trafik",
    "Narkotika",
    "Inbrott",
    "Ungdomar",
    "Skadegörelse och nedskräpning",
    "Belysning",
    "Annat",
]


def forward(apps, schema_editor):
    FeedbackCategory = apps.get_model("dialogues", "FeedbackCategory")
    for order, name in enumerate(CATEGORIES, start=1):
        FeedbackCategory.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
