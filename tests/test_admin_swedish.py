"""The whole admin in Swedish: no English string on any admin page a staff user can open.

Django's own Swedish catalogue lacks a few newer strings, and django-axes and django-otp
ship no Swedish: the project's `locale/sv` translates their msgids and
`accounts/third_party_apps.py` names their apps. The pages are rendered with Swedish
active, as in production."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import override

from tests.factories import ActivityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

# Strings of Django's admin and of the third-party apps as they read untranslated. Words
# are matched whole and case-sensitively in the visible text (scripts and tags removed).
ENGLISH = [
    "Select an option", "Filter by", "Filter", "Show counts", "Clear all filters",
    "Save and add another", "Save and continue editing", "Save as new", "Save",
    "Delete", "History", "Home", "Add", "Change", "View site", "Log out", "Welcome",
    "Show all", "Search", "Action", "Go", "Yes", "No", "Unknown", "Any date", "Today",
    "Past 7 days", "This month", "This year", "Recent actions", "My actions",
    "None available", "Access attempts", "Access attempt", "Access failures",
    "Access logs", "Static devices", "Static device", "TOTP devices", "TOTP device",
    "Static tokens", "Otp_Static", "Otp_Totp", "Django_Otp", "Axes", "Simple_History",
    "Identity", "Timestamps", "Configuration", "Throttling", "Confirmed", "Attempt Time",
    "Locked Out", "Failures", "IP Address", "User Agent", "Username", "Created at",
    "Last used at", "Name", "User", "Key", "Step", "Digits", "Tolerance", "Drift",
    "Authentication and Authorization", "Groups", "Users", "Pagination", "Toggle theme",
    "Skip to main content", "Model name", "Add link", "Change or view list link",
]  # fmt: skip
PATTERN = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # The permission pickers of the user and group pages (superusers only) list the names
    # Django stored in the database when each model was migrated ("Can add TOTP device"):
    # data, not translatable text.
    html = re.sub(r'<select[^>]*name="(user_)?permissions".*?</select>', " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(html.split())


def english_on(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return sorted(set(PATTERN.findall(visible_text(response.text))))


def admin_pages(client):
    """Every admin page the signed-in user can reach from the start page: app index,
    change lists, add forms, and the change and history pages of a listed object."""
    index = client.get(reverse("admin:index"))
    urls = [reverse("admin:index")]
    for app in index.context["app_list"]:
        urls.append(app["app_url"])
        for model in app["models"]:
            if model.get("admin_url"):
                urls.append(model["admin_url"])
                listing = client.get(model["admin_url"]).text
                link = re.search(r'<th class="field-[^"]*"><a href="([^"]+/change/)"', listing)
                if link:
                    urls += [link.group(1), link.group(1).replace("/change/", "/history/")]
            if model.get("add_url"):
                urls.append(model["add_url"])
    return urls


@pytest.mark.parametrize("persona", ["police", "coordinator", "superuser"])
def test_no_english_on_any_admin_page(login_as, staff_world, personas, persona):
    ActivityFactory(commitment=staff_world.ours["commitment"])
    client = login_as(personas[persona])
    pledge = (
        staff_world.ours["pledge"] if persona != "coordinator" else staff_world.theirs["pledge"]
    )
    extra = [
        reverse(f"admin:pledges_pledge_{name}", args=[pledge.pk])
        for name in ("publish", "extend", "close", "next")
    ]
    if persona != "police":
        extra.append(reverse("admin:pledges_membership_new_staff"))
        extra.append(reverse("admin:pledges_membership_resend_link"))
    found = {}
    with override("sv"):
        for url in admin_pages(client) + extra:
            english = english_on(client, url)
            if english:
                found[url] = english
    assert found == {}


def test_the_admin_index_lists_the_seasons_tasks(login_as, staff_world, personas):
    text = visible_text(login_as(personas["police"]).get(reverse("admin:index")).text)
    for task in ("Logga insatser", "Gör uppföljning", "Avsluta löftet", "Nästa löfte"):
        assert task in text


def test_the_start_page_links_straight_to_closing_and_renewing(login_as, staff_world, personas):
    import datetime

    from django.utils import timezone

    from pledges.models import Pledge

    ended = timezone.localdate() - datetime.timedelta(days=10)
    pledge = staff_world.ours["pledge"]
    Pledge.objects.filter(pk__in=[pledge.pk, staff_world.theirs["pledge"].pk]).update(
        start_date=ended - datetime.timedelta(days=364), end_date=ended
    )
    text = login_as(personas["police"]).get(reverse("admin:index")).text
    assert reverse("admin:pledges_pledge_close", args=[pledge.pk]) in text
    assert reverse("admin:pledges_pledge_next", args=[pledge.pk]) in text
    # Trollhättan's löfte has ended too, but is not the police area's: no link to it.
    assert reverse("admin:pledges_pledge_close", args=[staff_world.theirs["pledge"].pk]) not in text


def test_no_english_alt_texts_or_history_titles(login_as, staff_world, personas):
    """Alt texts are read aloud: the search icon and the boolean icons of a list."""
    from accounts.models import AuthenticatorApp

    AuthenticatorApp.objects.create(user=personas["superuser"], name="Telefon", confirmed=True)
    client = login_as(personas["superuser"])
    alts = set()
    with override("sv"):
        for url in admin_pages(client):
            alts |= set(re.findall(r'<img [^>]*alt="([^"]*)"', client.get(url).text))
        pledge = staff_world.ours["pledge"]
        history = client.get(reverse("admin:pledges_pledge_history", args=[pledge.pk])).text
    assert alts & {"True", "False", "None", "Search"} == set()
    assert {"Ja", "Sök"} <= alts
    assert "Ändringshistorik" in history and "Ändra historik" not in history


def test_the_date_and_time_widgets_speak_swedish(login_as, staff_world, personas):
    import json

    client = login_as(personas["police"])
    with override("sv"):
        script = client.get("/admin/jsi18n/").text
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert catalog["Today"] == "I dag" and catalog["Yesterday"] == "I går"
    assert catalog["6 p.m."] == "18:00"
    assert catalog["Today (%(date)s)"] == "I dag (%(date)s)"
    note = catalog[
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)"
    ]
    assert note[0].startswith("Obs! Ange tider i")
