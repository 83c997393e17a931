"""Publishing, preview, extension and the next löfte from the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pledges.models import Commitment, FocusArea, Pledge, PledgeExtension
from pledges.services import copy_pledge_for_next_period, extend_pledge

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture
def draft(staff_world):
    pledge = staff_world.ours["pledge"]
    Pledge.objects.filter(pk=pledge.pk).update(status=Pledge.Status.DRAFT, published_at=None)
    pledge.refresh_from_db()
    return pledge


def test_publish_action_publishes_now(login_as, personas, draft):
    client = login_as(personas["police"])
    response = client.post(
        reverse("admin:pledges_pledge_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published


def test_publish_at_a_future_time(login_as, personas, draft):
    client = login_as(personas["police"])
    url = reverse("admin:pledges_pledge_publish", args=[draft.pk])
    assert client.get(url).status_code == 200
    when = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(url, {"published_at": when.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Pledge.Status.PUBLISHED
    assert not draft.is_published
    assert draft not in Pledge.objects.public()


def test_publish_page_of_another_area_is_404(login_as, staff_world, personas):
    client = login_as(personas["police"])
    for name in ("publish", "extend", "next"):
        url = reverse(f"admin:pledges_pledge_{name}", args=[staff_world.theirs["pledge"].pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404


def test_preview_shows_a_draft_to_staff_only(client, login_as, staff_world, personas, draft):
    url = reverse("staff:preview", args=[draft.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    staff = login_as(personas["police"])
    response = staff.get(url)
    assert response.status_code == 200
    assert draft.title in response.text
    assert "Förhandsgranskning" in response.text
    assert "Ändringar i löftet" in response.text
    assert response["X-Robots-Tag"].startswith("noindex")
    other = reverse("staff:preview", args=[staff_world.theirs["pledge"].pk])
    assert staff.get(other).status_code == 404


def test_change_form_links_to_the_tools(login_as, staff_world, personas):
    response = login_as(personas["police"]).get(
        reverse("admin:pledges_pledge_change", args=[staff_world.ours["pledge"].pk])
    )
    for name in ("publish", "extend", "next"):
        assert reverse(f"admin:pledges_pledge_{name}", args=[staff_world.ours["pledge"].pk]) in (
            response.text
        )
    assert reverse("staff:preview", args=[staff_world.ours["pledge"].pk]) in response.text


def test_extend_the_period(login_as, staff_world, personas):
    pledge = staff_world.ours["pledge"]
    old_end = pledge.end_date
    client = login_as(personas["police"])
    url = reverse("admin:pledges_pledge_extend", args=[pledge.pk])
    assert client.get(url).status_code == 200
    new_end = old_end + datetime.timedelta(days=365)
    response = client.post(url, {"new_end_date": new_end.isoformat(), "reason": "Ett år till."})
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.end_date == new_end
    extension = PledgeExtension.objects.get(pledge=pledge, reason="Ett år till.")
    assert extension.previous_end_date == old_end
    assert extension.created_by == personas["police"]


def test_extend_refuses_an_earlier_date(login_as, staff_world, personas):
    pledge = staff_world.ours["pledge"]
    client = login_as(personas["police"])
    response = client.post(
        reverse("admin:pledges_pledge_extend", args=[pledge.pk]),
        {"new_end_date": pledge.start_date.isoformat(), "reason": "x"},
    )
    assert response.status_code == 400
    assert "måste vara efter" in response.text
    with pytest.raises(ValidationError):
        extend_pledge(pledge=pledge, new_end_date=pledge.end_date, reason="", user=None)


def test_next_pledge_copies_focus_areas_and_commitments_into_a_draft(
    login_as, staff_world, personas
):
    pledge = staff_world.ours["pledge"]
    client = login_as(personas["police"])
    url = reverse("admin:pledges_pledge_next", args=[pledge.pk])
    page = client.get(url)
    assert page.status_code == 200
    start = pledge.end_date + datetime.timedelta(days=1)
    end = start + datetime.timedelta(days=364)
    response = client.post(
        url,
        {
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "title": page.context["form"].initial["title"],
            "introduction": "Ny inledning för nästa period.",
        },
    )
    assert response.status_code == 302
    new = Pledge.objects.exclude(pk=pledge.pk).get(municipality=staff_world.kungalv)
    assert new.status == Pledge.Status.DRAFT
    assert (new.start_date, new.end_date) == (start, end)
    assert list(FocusArea.objects.filter(pledge=new).values_list("title", flat=True)) == [
        "Fokus Kungälv"
    ]
    copy = Commitment.objects.get(pledge=new)
    assert copy.text == "Åtagande Kungälv"
    assert copy.focus_area.pledge == new
    assert copy.target_quantity == 20
    assert not copy.activities.exists()
    assert response["Location"] == reverse("admin:pledges_pledge_change", args=[new.pk])


def test_copy_twice_gets_unique_slugs(staff_world, personas):
    pledge = staff_world.ours["pledge"]
    start = pledge.end_date + datetime.timedelta(days=1)
    end = start + datetime.timedelta(days=30)
    first = copy_pledge_for_next_period(pledge=pledge, start_date=start, end_date=end, user=None)
    second = copy_pledge_for_next_period(pledge=pledge, start_date=start, end_date=end, user=None)
    assert first.slug != second.slug


def test_next_pledge_refuses_a_period_that_ends_before_it_starts(login_as, staff_world, personas):
    pledge = staff_world.ours["pledge"]
    client = login_as(personas["police"])
    response = client.post(
        reverse("admin:pledges_pledge_next", args=[pledge.pk]),
        {
            "start_date": "2031-01-01",
            "end_date": "2030-12-31",
            "title": "Nästa löfte",
            "introduction": "Ny inledning.",
        },
    )
    assert response.status_code == 400
    assert "Perioden måste börja innan den slutar." in response.text
    # What was typed is still in the form.
    assert "Ny inledning." in response.text
    assert (
        not Pledge.objects.exclude(pk=pledge.pk).filter(municipality=pledge.municipality).exists()
    )
