"""No lost updates: the second of two concurrent saves is refused and says what changed."""

import pytest
from django.test import Client
from django.urls import reverse

from pledges.models import Commitment, Pledge
from tests.test_history import _commitment_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def _client(user):
    client = Client()
    user.refresh_from_db()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_second_save_of_a_commitment_is_refused(staff_world, personas):
    commitment = staff_world.ours["commitment"]
    url = reverse("admin:pledges_commitment_change", args=[commitment.pk])
    first, second = _client(personas["police"]), _client(personas["superuser"])
    first_data = _commitment_form(commitment, first, target_quantity=15)
    second_data = _commitment_form(commitment, second, text="Ny text")
    assert first.post(url, first_data).status_code == 302
    response = second.post(url, second_data)
    assert response.status_code == 200
    text = response.text
    assert "Någon annan har sparat ändringar" in text
    assert "målvärde" in text
    assert "”20” → ”15”" in text
    commitment.refresh_from_db()
    assert commitment.target_quantity == 15
    assert commitment.text != "Ny text"


def _pledge_data(pledge, client):
    page = client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk]))
    assert page.status_code == 200
    data = {}
    for name, field in page.context["adminform"].form.fields.items():
        value = page.context["adminform"].form.initial.get(name, field.initial)
        if value is None or name == "document":
            continue
        if isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if name == "published_at":
            continue
        data[name] = value
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for key in management.fields:
            data[f"{formset.formset.prefix}-{key}"] = management.initial.get(key, 0) or 0
        for form in formset.formset.initial_forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is None:
                    continue
                if isinstance(value, list):
                    value = [getattr(v, "pk", v) for v in value]
                elif hasattr(value, "pk"):
                    value = value.pk
                if isinstance(value, bool):
                    if value:
                        data[form.add_prefix(name)] = "on"
                    continue
                data[form.add_prefix(name)] = value
    return data


def test_second_save_of_a_pledge_is_refused(staff_world, personas):
    pledge = staff_world.ours["pledge"]
    url = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    first, second = _client(personas["police"]), _client(personas["superuser"])
    first_data = _pledge_data(pledge, first)
    second_data = _pledge_data(pledge, second)
    first_data["title"] = "Först sparad rubrik"
    second_data["title"] = "Andra rubriken"
    response = first.post(url, first_data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    response = second.post(url, second_data)
    assert response.status_code == 200
    assert "Någon annan har sparat ändringar" in response.text
    assert "Först sparad rubrik" in response.text
    assert Pledge.objects.get(pk=pledge.pk).title == "Först sparad rubrik"


def test_a_save_without_conflict_passes(staff_world, personas):
    commitment = staff_world.ours["commitment"]
    client = _client(personas["police"])
    data = _commitment_form(commitment, client, target_quantity=25)
    url = reverse("admin:pledges_commitment_change", args=[commitment.pk])
    assert client.post(url, data).status_code == 302
    assert Commitment.objects.get(pk=commitment.pk).target_quantity == 25
