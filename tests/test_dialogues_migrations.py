"""The migration that made stored choice codes English moves existing rows both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import MunicipalityFactory

BEFORE = [("dialogues", "0003_finding_updated_at")]
AFTER = [("dialogues", "0004_english_choice_values")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_choice_codes_move_to_english_and_back():
    municipality = MunicipalityFactory()  # pledges stays migrated; only dialogues steps back
    apps = migrate(BEFORE)
    walk = apps.get_model("dialogues", "SafetyWalk").objects.create(
        municipality_id=municipality.pk, area="Ytterby", starts_at="2026-01-01T18:00Z"
    )
    Finding = apps.get_model("dialogues", "Finding")
    finding = Finding.objects.create(walk=walk, category="belysning", responsible="fastighetsagare")
    category = apps.get_model("dialogues", "FeedbackCategory").objects.create(
        name="Prov-kategori-migrering"
    )
    feedback = apps.get_model("dialogues", "Feedback").objects.create(
        municipality_id=municipality.pk, category=category, text="Mörkt.", routed_to="polisen"
    )

    apps = migrate(AFTER)
    finding = apps.get_model("dialogues", "Finding").objects.get(pk=finding.pk)
    assert (finding.category, finding.responsible) == ("lighting", "property_owner")
    assert apps.get_model("dialogues", "Feedback").objects.get(pk=feedback.pk).routed_to == "police"

    apps = migrate(BEFORE)
    finding = apps.get_model("dialogues", "Finding").objects.get(pk=finding.pk)
    assert (finding.category, finding.responsible) == ("belysning", "fastighetsagare")
    assert (
        apps.get_model("dialogues", "Feedback").objects.get(pk=feedback.pk).routed_to == "polisen"
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
