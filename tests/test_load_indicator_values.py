"""`manage.py load_indicator_values` and the upload page on the indicators' admin list."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from pledges.models import IndicatorValue
from tests import factories as f
from tests.problem_factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

HEADER = "kommunkod,indikator,period,värde,källa,kommentar\n"


@pytest.fixture
def indicator():
    municipality = f.MunicipalityFactory(code="1488", name="Trollhättan", slug="trollhattan")
    return IndicatorFactory(municipality=municipality, name="Andel otrygga vid resecentrum")


def write(tmp_path, lines):
    path = tmp_path / "varden.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("load_indicator_values", str(path), *args, stdout=out)
    return out.getvalue()


GOOD = [
    '1488,Andel otrygga vid resecentrum,2023,"31,5",Trygghetsmätningen 2023,',
    "1488,andel otrygga vid resecentrum ,2024-05-31,28.25,https://example.se/matning,Ny fråga",
]


def test_dry_run_saves_nothing(tmp_path, indicator):
    out = run(write(tmp_path, GOOD), "--dry-run")
    assert "Provkörning, inget sparades" in out
    assert "2 nya värden" in out
    assert not IndicatorValue.objects.exists()


def test_a_run_adds_the_values_and_a_second_adds_nothing(tmp_path, indicator):
    path = write(tmp_path, GOOD)
    assert "2 nya värden, 0 ändrade, 0 oförändrade" in run(path)
    values = list(IndicatorValue.objects.order_by("period"))
    assert [(v.period, v.granularity, v.value) for v in values] == [
        (datetime.date(2023, 1, 1), "year", Decimal("31.5")),
        (datetime.date(2024, 5, 31), "day", Decimal("28.25")),
    ]
    assert values[0].source == "Trygghetsmätningen 2023"
    assert values[1].note == "Ny fråga"
    assert not any(v.is_example for v in values)
    assert "0 nya värden, 0 ändrade, 2 oförändrade" in run(path)
    assert IndicatorValue.objects.count() == 2


def test_a_changed_value_is_updated_not_added(tmp_path, indicator):
    IndicatorValueFactory(indicator=indicator, period=datetime.date(2023, 1, 1), value=40)
    assert "1 nya värden, 1 ändrade" in run(write(tmp_path, GOOD))
    assert IndicatorValue.objects.get(period=datetime.date(2023, 1, 1)).value == Decimal("31.5")


@pytest.mark.parametrize(
    "bad, message",
    [
        ("9999,Andel otrygga vid resecentrum,2024,3,,", "Rad 3: okänd kommunkod ”9999”."),
        ("1488,Okänd indikator,2024,3,,", "Rad 3: Trollhättan har ingen indikator som heter"),
        ("1488,Andel otrygga vid resecentrum,maj,3,,", "Rad 3: perioden ”maj”"),
        ("1488,Andel otrygga vid resecentrum,2024,tre,,", "Rad 3: värdet ”tre” är inte ett tal."),
        ("1488,Andel otrygga vid resecentrum,2024,23,5,,", "Rad 3: fler kolumner"),
    ],
)
def test_a_bad_line_names_its_number_and_nothing_is_saved(tmp_path, indicator, bad, message):
    path = write(tmp_path, [GOOD[0], bad])
    with pytest.raises(CommandError) as raised:
        run(path)
    assert "Inget sparades." in str(raised.value)
    assert message in str(raised.value)
    assert not IndicatorValue.objects.exists()


def test_the_same_period_twice_is_refused(tmp_path, indicator):
    with pytest.raises(CommandError, match="Rad 3: samma indikator och period som rad 2"):
        run(write(tmp_path, [GOOD[0], GOOD[0]]))


def test_a_wrong_header_is_refused(tmp_path, indicator):
    path = tmp_path / "fel.csv"
    path.write_text("kommun,namn\n1488,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Rad 1 måste vara rubrikraden"):
        run(path)


def test_the_command_has_help():
    from pledges.management.commands.load_indicator_values import Command

    assert "kommunkod,indikator,period,värde,källa,kommentar" in Command.help


# --- The upload page on the indicators' admin list ------------------------------------------


def upload(client, lines, dry_run=False):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = (HEADER + "".join(line + "\n" for line in lines)).encode()
    payload = {"file": SimpleUploadedFile("varden.csv", data, content_type="text/csv")}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(reverse("admin:pledges_indicator_upload"), payload)


@pytest.fixture
def police(login_as, staff_world, personas):
    return login_as(personas["police"])


def kungalv_line(staff_world, value="12,5"):
    return f'1482,{staff_world.ours["indicator"].name},2024,"{value}",SCB,'


def test_the_upload_page_is_linked_from_the_list(police, fast_password_hashing):
    from django.urls import reverse

    response = police.get(reverse("admin:pledges_indicator_changelist"))
    assert reverse("admin:pledges_indicator_upload") in response.text


def test_upload_dry_run_then_run(police, staff_world, fast_password_hashing):
    response = upload(police, [kungalv_line(staff_world)], dry_run=True)
    assert response.status_code == 200
    assert "Provkörning, inget sparades" in response.text
    assert not IndicatorValue.objects.exists()
    response = upload(police, [kungalv_line(staff_world)])
    assert response.status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("12.5")
    upload(police, [kungalv_line(staff_world)])
    assert IndicatorValue.objects.count() == 1


def test_upload_refuses_another_areas_kommun(police, staff_world, fast_password_hashing):
    theirs = f"1488,{staff_world.theirs['indicator'].name},2024,3,,"
    response = upload(police, [kungalv_line(staff_world), theirs])
    assert response.status_code == 400
    assert "Rad 3: kommunkoden ”1488” är okänd eller utanför ditt område." in response.text
    assert not IndicatorValue.objects.exists()


def test_upload_needs_the_permission(login_as, staff_world, fast_password_hashing):
    from django.urls import reverse

    client = login_as(f.UserFactory(username="utan.behorighet"))
    assert client.get(reverse("admin:pledges_indicator_upload")).status_code == 403
