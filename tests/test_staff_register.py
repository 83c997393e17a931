"""Fast logging at /personal/registrera/ and the CSV import at /personal/importera/."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pledges.models import Activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

REGISTER = "/personal/registrera/"
IMPORT = "/personal/importera/"


def test_register_requires_login(client, staff_world):
    response = client.get(REGISTER)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_register_page_offers_only_own_current_commitments(
    login_as, staff_world, personas, django_assert_num_queries
):
    client = login_as(personas["police"])
    response = client.get(REGISTER)
    assert response.status_code == 200
    choices = set(response.context["form"].fields["commitment"].queryset)
    assert choices == {staff_world.ours["commitment"]}
    assert 'name="commitment"' in response.text
    assert 'name="date"' in response.text
    assert 'name="quantity"' in response.text
    assert 'name="place"' in response.text
    assert 'name="description"' in response.text
    assert timezone.localdate().isoformat() in response.text
    assert "Åtagande Trollhättan" not in response.text


def test_register_page_query_count_does_not_grow(
    login_as, staff_world, personas, django_assert_max_num_queries
):
    from tests.factories import ActivityFactory

    client = login_as(personas["police"])
    client.get(REGISTER)
    with django_assert_max_num_queries(12) as first:
        client.get(REGISTER)
    for _ in range(15):
        ActivityFactory(commitment=staff_world.ours["commitment"], created_by=personas["police"])
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(REGISTER)
    assert len(response.context["entries"]) == 10


def test_register_saves_an_activity_on_an_own_commitment(login_as, staff_world, personas):
    client = login_as(personas["police"])
    response = client.post(
        REGISTER,
        {
            "commitment": staff_world.ours["commitment"].pk,
            "date": timezone.localdate().isoformat(),
            "quantity": 2,
            "place": "Nordmannatorget",
            "description": "Fotpatrullering kvällstid.",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(place="Nordmannatorget")
    assert activity.created_by == personas["police"]
    assert activity.quantity == 2
    page = client.get(REGISTER)
    assert "Nordmannatorget" in page.text
    assert "Sparat" in page.text
    # The next entry starts from the same commitment.
    assert page.context["form"]["commitment"].value() == staff_world.ours["commitment"].pk


def test_register_refuses_another_areas_commitment(login_as, staff_world, personas):
    client = login_as(personas["police"])
    before = Activity.objects.count()
    response = client.post(
        REGISTER,
        {
            "commitment": staff_world.theirs["commitment"].pk,
            "date": timezone.localdate().isoformat(),
            "quantity": 1,
            "place": "Resecentrum",
            "description": "",
        },
    )
    assert response.status_code == 400
    assert "hör till ett annat område" in response.text
    assert Activity.objects.count() == before


def test_register_refuses_a_future_date_and_zero_quantity(login_as, staff_world, personas):
    client = login_as(personas["police"])
    response = client.post(
        REGISTER,
        {
            "commitment": staff_world.ours["commitment"].pk,
            "date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "quantity": 0,
        },
    )
    assert response.status_code == 400
    assert "framtiden" in response.text
    assert "date" in response.context["form"].errors
    assert "quantity" in response.context["form"].errors


def test_staff_without_membership_has_nothing_to_log(login_as, staff_world, personas):
    response = login_as(personas["nomember"]).get(REGISTER)
    assert response.status_code == 200
    assert "inte kopplat" in response.text


def test_edit_and_undo_own_entry(login_as, staff_world, personas):
    client = login_as(personas["police"])
    activity = staff_world.ours["activity"]
    edit = reverse("staff:edit_activity", args=[activity.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "commitment": activity.commitment_id,
            "date": activity.date.isoformat(),
            "quantity": 3,
            "place": "Torget",
            "description": "Rättad.",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.quantity == 3
    assert client.get(reverse("staff:undo_activity", args=[activity.pk])).status_code == 405
    response = client.post(reverse("staff:undo_activity", args=[activity.pk]))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    # Kept in the history.
    assert Activity.history.filter(id=activity.pk, history_type="-").exists()


def test_edit_and_undo_another_areas_entry_is_404(login_as, staff_world, personas):
    client = login_as(personas["police"])
    activity = staff_world.theirs["activity"]
    assert client.get(reverse("staff:edit_activity", args=[activity.pk])).status_code == 404
    assert client.post(reverse("staff:undo_activity", args=[activity.pk])).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def _csv(text):
    return SimpleUploadedFile("logg.csv", text.encode("utf-8"), content_type="text/csv")


def test_import_preview_then_confirm(login_as, staff_world, personas):
    client = login_as(personas["police"])
    today = timezone.localdate().isoformat()
    own = staff_world.ours["commitment"].pk
    text = (
        "datum;åtagande;antal;plats;beskrivning\n"
        f"{today};{own};2;Torget;Kväll\n{today};{own};1;Hamnen;\n"
    )
    before = Activity.objects.count()
    response = client.post(IMPORT, {"file": _csv(text), "preview": "1"})
    assert response.status_code == 200
    assert response.context["all_valid"]
    assert "Alla 2 rader är korrekta" in response.text
    assert Activity.objects.count() == before
    response = client.post(IMPORT, {"data": text, "confirm": "1"})
    assert response.status_code == 302
    assert Activity.objects.count() == before + 2
    assert Activity.objects.filter(place="Hamnen", created_by=personas["police"]).exists()


def test_import_with_one_bad_row_saves_nothing(login_as, staff_world, personas):
    client = login_as(personas["police"])
    today = timezone.localdate().isoformat()
    own, theirs = staff_world.ours["commitment"].pk, staff_world.theirs["commitment"].pk
    text = (
        "datum;åtagande;antal;plats;beskrivning\n"
        f"{today};{own};2;Torget;Kväll\n"
        f"{today};{theirs};1;Resecentrum;\n"
        f"inte-ett-datum;{own};0;Hamnen;\n"
    )
    before = Activity.objects.count()
    response = client.post(IMPORT, {"file": _csv(text), "preview": "1"})
    assert response.status_code == 400
    assert response.context["invalid_count"] == 2
    assert "2 rader har fel" in response.text
    assert "hör till ett annat område" in response.text
    # A forged confirmation is validated again and refused.
    response = client.post(IMPORT, {"data": text, "confirm": "1"})
    assert response.status_code == 400
    assert Activity.objects.count() == before


def test_import_rejects_a_file_without_header(login_as, staff_world, personas):
    client = login_as(personas["police"])
    response = client.post(IMPORT, {"file": _csv("hej;hopp\n1;2\n"), "preview": "1"})
    assert response.status_code == 400
    assert "kolumnnamnen" in response.text


def test_import_page_lists_own_commitment_numbers(login_as, staff_world, personas):
    response = login_as(personas["police"]).get(IMPORT)
    assert response.status_code == 200
    assert "Åtagande Kungälv" in response.text
    assert "Åtagande Trollhättan" not in response.text


def test_staff_without_the_permission_get_a_swedish_403(login_as, staff_world):
    from tests.factories import UserFactory

    response = login_as(UserFactory(username="utan.grupp")).get(REGISTER)
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.text


def test_import_without_a_sniffable_dialect_leaves_the_csv_module_alone(
    staff_world, personas, monkeypatch
):
    """When csv.Sniffer gives up, the import guesses the delimiter for its own reader only:
    every other CSV reader and writer in the process keeps Excel's comma."""
    import csv

    from pledges.staff_forms import parse_activity_csv

    def give_up(self, sample, delimiters=None):
        raise csv.Error("Could not determine delimiter")

    monkeypatch.setattr(csv.Sniffer, "sniff", give_up)
    today = timezone.localdate().isoformat()
    own = staff_world.ours["commitment"].pk
    text = f"datum;åtagande;antal;plats;beskrivning\n{today};{own};2;Torget;Kväll\n"
    rows, problems = parse_activity_csv(text, personas["police"])
    assert problems == []
    assert [row.form.cleaned_data["place"] for row in rows if row.valid] == ["Torget"]
    assert csv.excel.delimiter == ","
    assert list(csv.reader(["a,b"])) == [["a", "b"]]
