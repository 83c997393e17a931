"""Police areas the country can maintain: the admin for national administrators, a CSV
command, and a löfte that names its police partner before the area exists."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from pledges.groups import NATIONAL_ADMIN_GROUP, ensure_staff_groups
from pledges.models import Municipality, PoliceArea
from tests.factories import PledgeFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

CSV = """namn,polisområde,polisregion,kommunkoder
Lokalpolisområde Södertälje,Syd,Stockholm,0181 0140
Lokalpolisområde Nacka,Syd,Stockholm,0182
"""


def write(tmp_path, text):
    path = tmp_path / "lpo.csv"
    path.write_text(text, encoding="utf-8")
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("load_police_areas", str(path), *args, stdout=out)
    return out.getvalue()


def test_loads_areas_idempotently(reference_data, tmp_path):
    path = write(tmp_path, CSV)
    assert "2 created" in run(path)
    area = PoliceArea.objects.get(slug="lokalpolisomrade-sodertalje")
    assert area.region.name == "Stockholm"
    assert area.police_district == "Syd"
    assert set(area.municipalities.values_list("name", flat=True)) == {"Södertälje", "Nykvarn"}
    assert "2 unchanged" in run(path)
    assert PoliceArea.objects.count() == 2

    changed = CSV.replace("0181 0140", "0181")
    assert "1 updated, 1 unchanged" in run(write(tmp_path, changed))
    assert list(area.municipalities.values_list("name", flat=True)) == ["Södertälje"]


def test_dry_run_saves_nothing(reference_data, tmp_path):
    output = run(write(tmp_path, CSV), "--dry-run")
    assert output.startswith("Dry run, nothing saved: 2 lokalpolisområden read; 2 created")
    assert not PoliceArea.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("namn,polisregion\nX,Väst\n", "Kolumner saknas: polisområde, kommunkoder"),
        (CSV + "Lokalpolisområde X,Syd,Atlantis,0181\n", "Rad 4: okänd polisregion"),
        (CSV + "Lokalpolisområde X,Syd,Stockholm,9999\n", "Rad 4: okända kommunkoder: 9999"),
        (CSV + ",Syd,Stockholm,0181\n", "Rad 4: namn saknas"),
    ],
)
def test_a_bad_row_saves_nothing(reference_data, tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        run(write(tmp_path, text))
    assert not PoliceArea.objects.exists()


def test_national_admin_creates_a_police_area_in_the_admin(login_as, reference_data):
    national = UserFactory(username="nationell.grupp")
    national.groups.add(ensure_staff_groups()[NATIONAL_ADMIN_GROUP])
    client = login_as(national)
    sodertalje = Municipality.objects.get(code="0181")
    response = client.post(
        reverse("admin:pledges_policearea_add"),
        {
            "name": "Lokalpolisområde Södertälje",
            "slug": "sodertalje",
            "police_district": "Syd",
            "region": sodertalje.county.police_region.pk,
            "municipalities": [sodertalje.pk],
        },
    )
    assert response.status_code == 302
    assert PoliceArea.objects.get(slug="sodertalje").municipalities.get() == sodertalje


def test_staff_may_not_create_police_areas(login_as, staff_world, personas):
    client = login_as(personas["coordinator"])
    assert client.get(reverse("admin:pledges_policearea_add")).status_code == 403


def test_a_loefte_names_its_police_partner_before_the_area_exists(client, staff_world, personas):
    pledge = PledgeFactory(
        municipality=staff_world.trollhattan,
        police_area=None,
        police_partner_name="Lokalpolisområde Trollhättan-Vänersborg",
    )
    text = client.get(pledge.get_absolute_url()).text
    assert "Lokalpolisområde Trollhättan-Vänersborg" in text
    assert pledge.police_partner == "Lokalpolisområde Trollhättan-Vänersborg"
    # Once a national administrator has created the area, the coordinator can link it.
    form = login_as_coordinator_form(client, personas, pledge)
    assert staff_world.police_area_east in form.fields["police_area"].queryset
    assert staff_world.police_area not in form.fields["police_area"].queryset


def login_as_coordinator_form(client, personas, pledge):
    coordinator = personas["coordinator"]
    coordinator.refresh_from_db()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk]))
    return response.context["adminform"].form
