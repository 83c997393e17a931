"""The kind of a commitment: suggested from its text in the admin, shown on its page,
filterable in the API and the CSV (`typ`), described in the OpenAPI document."""

import csv
import io

import pytest
from django.urls import reverse

from pledges.kinds import suggest_kind
from pledges.models import Commitment
from pledges.staff_forms import CommitmentAdminForm
from tests import factories as f


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Minst 20 trafikkontroller med fokus på hastighet.", "traffic"),
        ("Hastighetskontroller vid skolorna", "traffic"),
        ("Två trygghetsvandringar ska genomföras i området.", "safety_walks"),
        ("Polisen ska Hotspot-patrullera otrygga platser.", "presence"),
        ("Kommunen ska tillhandahålla god gatubelysning och renhållning.", "environment"),
        ("Sommarlovsaktiviteter för unga", "youth"),
        ("Medborgardialog", "dialogue"),
        ("Styrgruppen för det brottsförebyggande arbetet sammankallas", "cooperation"),
        ("Narkotikainsatser genomförs utifrån lägesbild", "targeted"),
        ("Trygghetsmätning 2022", "other"),
        ("", "other"),
    ],
)
def test_suggest_kind(text, kind):
    assert suggest_kind(text) == kind
    assert kind in Commitment.Kind.values


def test_a_new_commitment_left_without_a_kind_gets_the_suggested_one(db):
    pledge = f.PledgeFactory()
    form = CommitmentAdminForm(
        data={
            "pledge": pledge.pk,
            "order": 0,
            "text": "Minst 20 trafikkontroller under året.",
            "target_kind": "qualitative",
            "status": "not_started",
            "kind": "",
        }
    )
    assert form.fields["kind"].required is False
    assert form.is_valid(), form.errors
    assert form.save().kind == Commitment.Kind.TRAFFIC


def test_an_existing_unclassified_commitment_is_offered_the_suggestion(db):
    commitment = f.CommitmentFactory(text="Två trygghetsvandringar i Ytterby.", kind="other")
    form = CommitmentAdminForm(instance=commitment)
    assert form.initial["kind"] == Commitment.Kind.SAFETY_WALKS
    chosen = f.CommitmentFactory(text="Två trygghetsvandringar.", kind="dialogue")
    assert CommitmentAdminForm(instance=chosen).initial["kind"] == "dialogue"


def test_commitment_page_shows_the_kind(client, db):
    commitment = f.CommitmentFactory(kind=Commitment.Kind.TRAFFIC)
    pledge = commitment.pledge
    response = client.get(
        reverse("pledges:commitment", args=[pledge.municipality.slug, pledge.slug, commitment.pk])
    )
    html = response.content.decode()
    assert "Typ av åtagande" in html
    assert "Trafikkontroller" in html


@pytest.fixture
def kinds(db):
    pledge = f.PledgeFactory()
    traffic = f.CommitmentFactory(pledge=pledge, kind=Commitment.Kind.TRAFFIC)
    walk = f.CommitmentFactory(pledge=pledge, kind=Commitment.Kind.SAFETY_WALKS)
    return traffic, walk


def test_api_filters_commitments_by_kind(client, kinds):
    traffic, walk = kinds
    data = client.get("/api/v1/ataganden/", {"typ": "traffic"}).json()
    assert [row["id"] for row in data["results"]] == [traffic.pk]
    assert data["results"][0]["kind"] == "traffic"
    assert data["results"][0]["kind_label"] == "Trafikkontroller"
    data = client.get("/api/v1/ataganden/").json()
    assert {row["id"] for row in data["results"]} == {traffic.pk, walk.pk}


def test_api_refuses_an_unknown_kind(client, kinds):
    response = client.get("/api/v1/ataganden/", {"typ": "nonsense"})
    assert response.status_code == 400
    assert "typ ska vara en av" in response.json()["error"]


def test_csv_filters_commitments_by_kind(client, kinds):
    traffic, _walk = kinds
    response = client.get("/oppna-data/ataganden.csv", {"typ": "traffic"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["id"] for row in rows] == [str(traffic.pk)]
    assert rows[0]["typ"] == "traffic"
    assert rows[0]["typ_namn"] == "Trafikkontroller"


def test_openapi_documents_the_kind_filter_for_commitments_only(client, db):
    document = client.get(reverse("reports:openapi")).json()
    commitments = document["paths"]["/api/v1/ataganden/"]["get"]["parameters"]
    typ = next(p for p in commitments if p["name"] == "typ")
    assert set(typ["schema"]["enum"]) == set(Commitment.Kind.values)
    activities = document["paths"]["/api/v1/aktiviteter/"]["get"]["parameters"]
    assert "typ" not in {p["name"] for p in activities}
    schema = document["components"]["schemas"]["Commitments"]["properties"]["kind"]
    assert "traffic = Trafikkontroller" in schema["description"]
