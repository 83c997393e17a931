import io

import pytest
from django.core.management import call_command

from pledges.models import County, Municipality, PoliceRegion


def run(*args):
    out = io.StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_loads_all_reference_data():
    output = run()
    assert Municipality.objects.count() == 290
    assert County.objects.count() == 21
    assert PoliceRegion.objects.count() == 7
    assert "318 created" in output
    kungalv = Municipality.objects.get(code="1482")
    assert kungalv.name == "Kungälv"
    assert kungalv.slug == "kungalv"
    assert kungalv.county.code == "14"
    assert kungalv.county.police_region.name == "Väst"
    assert Municipality.objects.get(code="0114").code == "0114"  # leading zero kept


@pytest.mark.django_db
def test_is_idempotent_and_keeps_slugs():
    run()
    Municipality.objects.filter(code="1482").update(slug="kungalv-custom", name="Fel namn")
    output = run()
    assert "1 updated" in output
    assert Municipality.objects.count() == 290
    kungalv = Municipality.objects.get(code="1482")
    assert kungalv.name == "Kungälv"
    assert kungalv.slug == "kungalv-custom"


@pytest.mark.django_db
def test_dry_run_saves_nothing():
    output = run("--dry-run")
    assert "Dry run" in output
    assert "318 created" in output
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
def test_colliding_slugs_are_unique():
    run()
    assert Municipality.objects.get(name="Habo").slug == "habo"
    assert Municipality.objects.get(name="Håbo").slug == "habo-0305"
    assert Municipality.objects.values("slug").distinct().count() == 290
