"""Row counts of every table, for the backup round-trip test (also run in a subprocess)."""

import json

from django.apps import apps
from django.db import connection


def table_counts():
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def print_table_counts():
    print(json.dumps(table_counts()))
