"""Every public page type passes the Nu HTML Checker with 0 errors (axe's 0 violations are
checked page by page in the other browser tests). The pages are fetched with Django's test
client and checked in one java invocation: error and receipt states included."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from dialogues import protection
from dialogues.models import FeedbackCategory, SafetyWalk
from dialogues.services import signup_manage_path
from pledges.models import Commitment, Pledge, PoliceArea
from tests.browser.nu_checker import validate
from tests.factories import UserFactory, WalkSignupFactory

pytestmark = pytest.mark.django_db


def _post(client, url, **data):
    data |= {protection.TOKEN_FIELD: protection.new_token(), protection.HONEYPOT_FIELD: ""}
    return client.post(url, data)


def test_every_public_page_type_has_no_nu_checker_errors(settings):
    settings.SYNPUNKT_MIN_SECONDS = 0
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    client = Client()
    pledge = Pledge.objects.get(municipality__slug="kungalv", end_date__year=2019)
    measurable = Commitment.objects.filter(pledge=pledge, target_kind="count").first()
    walk = SafetyWalk.objects.filter(status="planned").first()
    held = SafetyWalk.objects.filter(status="held").first()
    signup = WalkSignupFactory(walk=walk)
    area = PoliceArea.objects.filter(municipalities__slug="kungalv").first()
    pages = {
        "home": "/",
        "search results": "/?q=köping",
        "about": "/om/",
        "accessibility": "/tillganglighet/",
        "privacy": "/personuppgifter/",
        "open data": "/oppna-data/",
        "kommun, running löfte": "/kommun/trollhattan/",
        "kommun, ended löfte": "/kommun/kungalv/",
        "kommun, many commitments": "/kommun/lysekil/",
        "kommun without löfte": "/kommun/stockholm/",
        "löfte": pledge.get_absolute_url(),
        "commitment with chart": measurable.get_absolute_url(),
        "commitment, page 2": measurable.get_absolute_url() + "?sida=2",
        "police area": area.get_absolute_url(),
        "national picture": "/nationellt/",
        "national picture, one län": "/nationellt/lan/14/",
        "synpunkt form": "/kommun/kungalv/synpunkt/",
        "synpunkter": "/kommun/kungalv/synpunkter/",
        "walks": "/kommun/kungalv/trygghetsvandringar/",
        "dialogues": "/kommun/kungalv/dialoger/",
        "walk with sign-up": walk.get_absolute_url(),
        "held walk": held.get_absolute_url(),
        "sign-up": signup_manage_path(signup),
        "not found": "/kommun/finns-inte/",
    }
    documents = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), name
        documents[name] = response.content.decode()

    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    documents["kommun in English"] = english.get("/kommun/trollhattan/").content.decode()

    form = _post(client, "/kommun/kungalv/synpunkt/", name="Eva", email="inte-en-adress")
    assert form.status_code == 400
    documents["synpunkt form with errors"] = form.content.decode()
    sent = _post(
        client,
        "/kommun/kungalv/synpunkt/",
        category=FeedbackCategory.objects.active().first().pk,
        place="Komarken",
        text="Mörkt i tunneln.",
        email="eva@example.se",
    )
    assert sent.status_code == 302
    documents["synpunkt receipt"] = client.get(sent.headers["Location"]).content.decode()
    signup_errors = _post(client, walk.get_absolute_url(), name="", people="0")
    assert signup_errors.status_code == 400
    documents["walk sign-up with errors"] = signup_errors.content.decode()

    documents["forgotten password"] = client.get("/konto/losenord/glomt/").content.decode()
    wrong = client.post("/konto/losenord/glomt/", {"email": "inte-en-adress"})
    assert wrong.status_code == 400
    documents["forgotten password with errors"] = wrong.content.decode()
    asked = client.post("/konto/losenord/glomt/", {"email": "ingen@example.se"}, follow=True)
    documents["forgotten password sent"] = asked.content.decode()

    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    documents["report chooser"] = staff.get("/rapporter/").content.decode()
    documents["staff register"] = staff.get("/personal/registrera/").content.decode()

    # The harness itself: a document with an error must be reported.
    documents["known bad"] = "<!DOCTYPE html><html lang=sv><title>t</title><p id=a id=a>"
    errors = validate(documents)
    assert errors.pop("known bad"), "the checker reported nothing for a broken document"
    failures = {name: messages for name, messages in errors.items() if messages}
    assert not failures, "\n".join(
        f"{name}: {'; '.join(messages[:5])}" for name, messages in failures.items()
    )
