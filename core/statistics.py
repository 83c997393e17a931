"""Planner statistics after a bulk write.

PostgreSQL plans a query from statistics that ANALYZE gathers; autovacuum gathers them a
while after a table changes (minutes, or never where it is off). Until then a table filled
in one go looks empty or as it was before, and the planner may scan and sort it whole
instead of walking an index: the national feed took 127 ms per render instead of 0.2 ms
right after `generate_scale_data`. So every command that fills tables in bulk
(`generate_scale_data`, `load_demo`, `restore_backup`, `load_police_areas`) ends with
`analyze(...)` of what it filled. docs/production.md says when to run it by hand.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections


def tables(*labels):
    """The tables of the apps or models named ("pledges", "pledges.Activity"), with the
    tables of their many-to-many relations."""
    found = []
    for label in labels:
        if "." in label:
            models = [apps.get_model(label)]
        else:
            models = apps.get_app_config(label).get_models()
        for model in models:
            found.append(model._meta.db_table)
            found.extend(
                field.remote_field.through._meta.db_table
                for field in model._meta.local_many_to_many
                if field.remote_field.through._meta.auto_created
            )
    return list(dict.fromkeys(found))


def analyze(*labels, using=DEFAULT_DB_ALIAS):
    """ANALYZE of the tables of `labels` (`tables`), or of the whole database when none
    are named, on PostgreSQL (SQLite plans without such statistics). Returns the tables
    analysed ([] elsewhere, ["*"] for the whole database)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    names = tables(*labels)
    with connection.cursor() as cursor:
        if names:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(n) for n in names))
        else:
            cursor.execute("ANALYZE")
    return names or ["*"]
