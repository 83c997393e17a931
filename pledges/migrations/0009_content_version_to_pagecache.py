# ContentVersion moved to the pagecache app, which took over its table: state only.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('pledges', '0008_followup_latest_index'),
        ('pagecache', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ContentVersion')],
            database_operations=[],
        ),
    ]
