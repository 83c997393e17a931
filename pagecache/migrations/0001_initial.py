# The model moved from `pledges` with its table (pledges_contentversion): state only.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The table is created there; this app takes it over.
        ('pledges', '0008_followup_latest_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ContentVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scope', models.CharField(max_length=120, unique=True, verbose_name='omfattning')),
                        ('version', models.BigIntegerField(default=0, verbose_name='version')),
                        ('changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ändrad')),
                    ],
                    options={
                        'verbose_name': 'innehållsversion',
                        'verbose_name_plural': 'innehållsversioner',
                        'db_table': 'pledges_contentversion',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
