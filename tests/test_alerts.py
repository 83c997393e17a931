"""Bevaka löftet: subscribe by e-mail with double opt-in, digests by send_alerts,
one-click unsubscribe, and the page on how to follow a löfte."""

import datetime
import io
import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from alerts import digest, services
from alerts.models import AlertSend, ConfirmationMail, Subscription
from dialogues import protection
from dialogues.models import Finding, FormAttempt
from pledges.models import Pledge
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/kommun/trollhattan/bevaka/"
SUBSCRIBE_PAGE_QUERIES = 1  # the kommun
FOLLOW_PAGE_QUERIES = 1  # the kommun
CONFIRM_PAGE_QUERIES = 1  # the subscription with its kommun
UNSUBSCRIBE_PAGE_QUERIES = 1  # the subscription with its kommun


@pytest.fixture(autouse=True)
def no_minimum_wait(settings):
    # The time trap is tested on its own; other tests post at once.
    settings.SYNPUNKT_MIN_SECONDS = 0
    settings.SITE_URL = "https://medborgarlofte.example"


@pytest.fixture
def trollhattan():
    municipality = f.MunicipalityFactory(name="Trollhättan", slug="trollhattan", code="1488")
    pledge = f.PledgeFactory(municipality=municipality, title="Tryggare Trollhättan")
    commitment = f.CommitmentFactory(
        pledge=pledge,
        text="Minst 200 fotpatrulleringar i centrum.",
        target_quantity=200,
        target_unit="fotpatrulleringar",
    )
    return municipality, pledge, commitment


def form(**overrides):
    data = {
        "email": "anna@example.se",
        "frequency": "weekly",
        protection.TOKEN_FIELD: protection.new_token(),
        protection.HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def confirm_url_from(message):
    return re.search(r"https://medborgarlofte\.example(/bevaka/bekrafta/[^/\s]+/)", message.body)[1]


def subscribe_and_confirm(client, capture, **overrides):
    with capture(execute=True):
        response = client.post(URL, form(**overrides))
    assert response.status_code == 302
    url = confirm_url_from(mail.outbox[-1])
    assert client.post(url).status_code == 200
    return Subscription.objects.get(email=overrides.get("email", "anna@example.se").lower())


def send_alerts():
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


# --- The whole story -------------------------------------------------------------------


def test_subscribe_confirm_digest_once_then_nothing(
    client, trollhattan, django_capture_on_commit_callbacks
):
    municipality, pledge, commitment = trollhattan
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form())
    assert response.status_code == 302
    assert response["Location"] == "/kommun/trollhattan/bevaka/skickat/"
    subscription = Subscription.objects.get()
    assert subscription.email == "anna@example.se" and not subscription.is_confirmed
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["anna@example.se"]
    assert "Trollhättan" in confirmation.subject

    # Nothing is sent before the address is confirmed.
    f.ActivityFactory(commitment=commitment, quantity=3)
    assert "0 subscriptions due" in send_alerts()
    assert len(mail.outbox) == 1

    url = confirm_url_from(confirmation)
    page = client.get(url)
    assert page.status_code == 200 and 'id="confirm"' in page.text
    subscription.refresh_from_db()
    assert not subscription.is_confirmed  # GET only shows the button
    assert "Du bevakar nu" in client.post(url).text
    subscription.refresh_from_db()
    assert subscription.is_confirmed

    f.ActivityFactory(commitment=commitment, quantity=5)
    f.ActivityFactory(commitment=commitment, quantity=7)
    f.FollowUpFactory(pledge=pledge, title="Uppföljning hösten 2026")
    assert "sent 1 digests" in send_alerts()
    assert len(mail.outbox) == 2
    digest_mail = mail.outbox[1]
    assert digest_mail.to == ["anna@example.se"]
    assert digest_mail.subject == "Nytt om medborgarlöftet i Trollhättan"
    # The activities logged before the confirmation are not in it.
    assert "12 nya fotpatrulleringar: Minst 200 fotpatrulleringar i centrum." in digest_mail.body
    assert "15 nya" not in digest_mail.body
    assert "Ny uppföljning: Uppföljning hösten 2026" in digest_mail.body
    unsubscribe_url = f"https://medborgarlofte.example/bevaka/avsluta/{subscription.token}/"
    assert unsubscribe_url in digest_mail.body
    assert digest_mail.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert digest_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert AlertSend.objects.get().changes == 2

    # A second run, at once or later, sends nothing: the changes were sent.
    assert "sent 0 digests" in send_alerts()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + _days(8)):
        send_alerts()
    assert len(mail.outbox) == 2

    # Unsubscribed, the resident gets nothing more and the address is gone.
    assert client.post(f"/bevaka/avsluta/{subscription.token}/").status_code == 200
    assert not Subscription.objects.exists()
    f.ActivityFactory(commitment=commitment, quantity=2)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + _days(8)):
        send_alerts()
    assert len(mail.outbox) == 2


def _days(n):
    return datetime.timedelta(days=n)


# --- Subscribing -----------------------------------------------------------------------


def test_subscribe_sent_page(client, trollhattan, django_assert_num_queries):
    with django_assert_num_queries(SUBSCRIBE_PAGE_QUERIES):
        response = client.get("/kommun/trollhattan/bevaka/skickat/")
    assert response.status_code == 200
    assert "Kolla din e-post" in response.text and "48 timmar" in response.text


def test_bad_link_pages_run_no_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/bevaka/bekrafta/nonsens/").status_code == 400


def test_subscribe_page(client, trollhattan, django_assert_num_queries):
    with django_assert_num_queries(SUBSCRIBE_PAGE_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    text = response.text
    assert "Bevaka medborgarlöftet i Trollhättan" in text
    assert 'name="email"' in text and 'value="weekly"' in text and 'value="daily"' in text
    assert f'name="{protection.HONEYPOT_FIELD}"' in text and 'name="ts"' in text
    assert 'href="/personuppgifter/"' in text


def test_unknown_kommun_is_404(client, db):
    assert client.get("/kommun/finns-inte/bevaka/").status_code == 404
    assert client.get("/kommun/finns-inte/folj/").status_code == 404


@pytest.mark.parametrize("email", ["", "inte-en-adress", "a@", "x" * 250 + "@example.se"])
def test_invalid_email_is_a_swedish_400_and_saves_nothing(client, trollhattan, email):
    response = client.post(URL, form(email=email))
    assert response.status_code == 400
    assert "Formuläret kunde inte skickas" in response.text
    assert re.search("Skriv (din|en giltig) e-postadress|254 tecken", response.text)
    assert not Subscription.objects.exists() and not mail.outbox


def test_unknown_frequency_is_refused(client, trollhattan):
    response = client.post(URL, form(frequency="hourly"))
    assert response.status_code == 400
    assert "Välj en gång i veckan eller en gång om dagen." in response.text
    assert not Subscription.objects.exists()


def test_honeypot_and_time_trap_save_nothing(client, trollhattan, settings):
    response = client.post(URL, form(**{protection.HONEYPOT_FIELD: "http://spam"}))
    assert response.status_code == 400
    settings.SYNPUNKT_MIN_SECONDS = 60
    response = client.post(URL, form())
    assert response.status_code == 400
    assert "väldigt snabbt" in response.text
    assert not Subscription.objects.exists() and not mail.outbox


def test_a_token_works_once(client, trollhattan):
    data = form()
    assert client.post(URL, data).status_code == 302
    response = client.post(URL, {**data, "email": "bo@example.se"})
    assert response.status_code == 400
    assert Subscription.objects.count() == 1


def test_a_flood_from_one_address_is_rate_limited(client, trollhattan, settings):
    settings.FORM_RATE_LIMIT = (3, 3600)
    for n in range(3):
        assert client.post(URL, form(email=f"person{n}@example.se")).status_code == 302
    response = client.post(URL, form(email="fjarde@example.se"))
    assert response.status_code == 429
    assert "många formulär på kort tid" in response.text
    assert Subscription.objects.count() == 3
    assert FormAttempt.objects.filter(action="bevaka").count() == 3


def test_confirmation_mails_to_one_address_are_limited(
    client, trollhattan, settings, django_capture_on_commit_callbacks
):
    settings.FORM_RATE_LIMIT = (100, 3600)
    others = [f.MunicipalityFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for municipality in others:
            url = f"/kommun/{municipality.slug}/bevaka/"
            assert client.post(url, form(email="Anna@Example.se")).status_code == 302
        response = client.post(URL, form(email="anna@example.se"))
    assert response.status_code == 429
    assert "redan skickat flera bekräftelser" in response.text
    assert len(mail.outbox) == 3
    assert not Subscription.objects.filter(municipality=trollhattan[0]).exists()


def test_the_limit_answers_alike_for_kommuner_the_address_follows_and_others(
    client, trollhattan, settings, django_capture_on_commit_callbacks
):
    """Who follows what must not leak: past the limit, a kommun the address already
    follows answers as any other (it was 302 there and 429 elsewhere)."""
    settings.FORM_RATE_LIMIT = (100, 3600)
    subscribe_and_confirm(client, django_capture_on_commit_callbacks)
    others = [f.MunicipalityFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for municipality in others[:2]:
            url = f"/kommun/{municipality.slug}/bevaka/"
            assert client.post(url, form(email="anna@example.se")).status_code == 302
        followed = client.post(URL, form(email="anna@example.se"))
        other = client.post(f"/kommun/{others[2].slug}/bevaka/", form(email="anna@example.se"))
    assert followed.status_code == other.status_code == 429
    for response in (followed, other):
        assert "redan skickat flera bekräftelser" in response.text
    # Under the limit, a followed kommun answers as a new one and sends nothing.
    settings.ALERT_CONFIRMATION_LIMIT = (10, 24 * 60 * 60)
    outbox = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, form(email="anna@example.se")).status_code == 302
    assert len(mail.outbox) == outbox


def test_one_subscription_per_address_and_kommun(
    client, trollhattan, django_capture_on_commit_callbacks
):
    subscription = subscribe_and_confirm(client, django_capture_on_commit_callbacks)
    # Again, in other letters: the same subscriber, no new mail, the same answer.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(email="ANNA@example.se", frequency="daily"))
    assert response.status_code == 302
    assert Subscription.objects.get() == subscription
    assert len(mail.outbox) == 1


def test_database_refuses_a_second_subscription(trollhattan):
    from django.db import IntegrityError

    Subscription.objects.create(email="a@example.se", municipality=trollhattan[0])
    with pytest.raises(IntegrityError):
        Subscription.objects.create(email="a@example.se", municipality=trollhattan[0])


# --- Confirmation links ----------------------------------------------------------------


def test_confirm_page_query_count(client, trollhattan, django_assert_num_queries):
    subscription = Subscription.objects.create(email="a@example.se", municipality=trollhattan[0])
    url = f"/bevaka/bekrafta/{services.confirmation_token(subscription)}/"
    with django_assert_num_queries(CONFIRM_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert "a@example.se" in response.text


def test_tampered_link_is_a_swedish_400(client, trollhattan):
    subscription = Subscription.objects.create(email="a@example.se", municipality=trollhattan[0])
    token = services.confirmation_token(subscription)
    for bad in (token[:-2] + "xx", "nonsens", signing.TimestampSigner().sign(subscription.token)):
        response = client.post(f"/bevaka/bekrafta/{bad}/")
        assert response.status_code == 400
        assert "Länken fungerar inte" in response.text
    subscription.refresh_from_db()
    assert not subscription.is_confirmed


def test_expired_link_is_a_swedish_410(client, trollhattan):
    subscription = Subscription.objects.create(email="a@example.se", municipality=trollhattan[0])
    token = services.confirmation_token(subscription)
    later = time.time() + 49 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(f"/bevaka/bekrafta/{token}/")
    assert response.status_code == 410
    assert "Länken har gått ut" in response.text
    subscription.refresh_from_db()
    assert not subscription.is_confirmed


def test_link_of_a_deleted_subscription_does_not_work(client, trollhattan):
    subscription = Subscription.objects.create(email="a@example.se", municipality=trollhattan[0])
    token = services.confirmation_token(subscription)
    subscription.delete()
    assert client.post(f"/bevaka/bekrafta/{token}/").status_code == 400


# --- Unsubscribing ---------------------------------------------------------------------


def test_unsubscribe_get_asks_and_post_deletes(client, trollhattan, django_assert_num_queries):
    subscription = Subscription.objects.create(email="a@example.se", municipality=trollhattan[0])
    url = f"/bevaka/avsluta/{subscription.token}/"
    with django_assert_num_queries(UNSUBSCRIBE_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200 and 'id="unsubscribe"' in response.text
    assert Subscription.objects.exists()
    response = client.post(url)
    assert response.status_code == 200
    assert "Din adress är borttagen" in response.text
    assert not Subscription.objects.exists()
    # The link again: nothing there, said in Swedish.
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 200


def test_one_click_unsubscribe_needs_no_csrf_token(trollhattan):
    subscription = Subscription.objects.create(email="a@example.se", municipality=trollhattan[0])
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/bevaka/avsluta/{subscription.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_unknown_unsubscribe_token_is_404(client, db):
    assert client.get("/bevaka/avsluta/finns-inte/").status_code == 404


# --- Sending ---------------------------------------------------------------------------


def confirmed(municipality, *, frequency="weekly", at=None, email="a@example.se"):
    at = at or timezone.now()
    return Subscription.objects.create(
        email=email,
        municipality=municipality,
        frequency=frequency,
        confirmed_at=at,
        sent_until=at,
    )


def test_weekly_and_daily_subscribers_are_due_at_their_pace(trollhattan):
    municipality = trollhattan[0]
    now = timezone.now()
    never = confirmed(municipality, email="ny@example.se")
    weekly = confirmed(municipality, email="vecka@example.se")
    daily = confirmed(municipality, frequency="daily", email="dag@example.se")
    Subscription.objects.filter(pk__in=[weekly.pk, daily.pk]).update(last_sent_at=now - _days(2))
    Subscription.objects.create(email="obekraftad@example.se", municipality=municipality)
    assert set(Subscription.objects.due(now)) == {never, daily}
    assert weekly in Subscription.objects.due(now + _days(5))


def test_dry_run_sends_and_changes_nothing(trollhattan):
    municipality, pledge, commitment = trollhattan
    subscription = confirmed(municipality, at=timezone.now() - _days(1))
    f.ActivityFactory(commitment=commitment)
    out = io.StringIO()
    call_command("send_alerts", "--dry-run", stdout=out)
    assert "would send 1 digests" in out.getvalue()
    assert not mail.outbox and not AlertSend.objects.exists()
    assert Subscription.objects.get().sent_until == subscription.sent_until


def test_send_alerts_has_help():
    from alerts.management.commands.send_alerts import Command

    assert "Idempotent" in Command.help
    assert "--dry-run" in Command().create_parser("manage.py", "send_alerts").format_help()


def test_a_failed_send_keeps_the_changes_for_the_next_run(trollhattan):
    municipality, pledge, commitment = trollhattan
    subscription = confirmed(municipality, at=timezone.now() - _days(1))
    f.ActivityFactory(commitment=commitment, quantity=4)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("SMTP down")):
        out = io.StringIO()
        call_command("send_alerts", stdout=out, stderr=io.StringIO())
    assert "1 failed" in out.getvalue()
    assert not AlertSend.objects.exists()
    assert Subscription.objects.get().sent_until == subscription.sent_until
    send_alerts()
    assert len(mail.outbox) == 1 and "4 nya trafikkontroller" not in mail.outbox[0].body
    assert "4 nya fotpatrulleringar" in mail.outbox[0].body


def test_two_runs_at_once_cannot_send_one_window_twice(trollhattan):
    municipality, pledge, commitment = trollhattan
    subscription = confirmed(municipality, at=timezone.now() - _days(1))
    f.ActivityFactory(commitment=commitment)
    stale = Subscription.objects.get(pk=subscription.pk)
    assert services.send_digest(subscription=subscription) == 1
    # A second run that read the subscription before the first moved its watermark.
    assert services.send_digest(subscription=stale) == 0
    assert len(mail.outbox) == 1 and AlertSend.objects.count() == 1


def test_example_activities_are_not_mailed(trollhattan):
    municipality, pledge, commitment = trollhattan
    confirmed(municipality, at=timezone.now() - _days(1))
    f.ActivityFactory(commitment=commitment, is_example=True)
    send_alerts()
    assert not mail.outbox


def test_other_kommuners_changes_are_not_mailed(trollhattan):
    confirmed(trollhattan[0], at=timezone.now() - _days(1))
    f.ActivityFactory()  # another kommun's löfte
    send_alerts()
    assert not mail.outbox


# --- What a digest says ----------------------------------------------------------------


def window(municipality, since):
    return [line.text for line in digest.changes(municipality, since, timezone.now())]


def test_digest_names_a_single_activity_and_ones_without_unit(trollhattan):
    municipality, pledge, commitment = trollhattan
    since = timezone.now() - _days(1)
    qualitative = f.CommitmentFactory(
        pledge=pledge,
        target_kind="qualitative",
        target_quantity=None,
        target_unit="",
        short_text="Nattvandring",
    )
    f.ActivityFactory(commitment=commitment)
    f.ActivityFactory(commitment=qualitative, quantity=2)
    lines = window(municipality, since)
    assert "1 ny insats: Minst 200 fotpatrulleringar i centrum." in lines
    assert "2 nya insatser: Nattvandring" in lines


def test_digest_names_target_changes_and_extensions(trollhattan):
    from pledges import services as pledge_services

    municipality, pledge, commitment = trollhattan
    since = timezone.now()
    commitment.target_quantity = 150
    commitment.save()
    pledge_services.extend_pledge(
        pledge=pledge, new_end_date=pledge.end_date + _days(180), reason="", user=None
    )
    text = "\n".join(window(municipality, since))
    assert "Målet sänktes från minst 200 fotpatrulleringar till minst 150" in text
    assert "Perioden förlängdes" in text


def test_digest_names_walks_announced_and_findings_fixed(trollhattan):
    municipality = trollhattan[0]
    held = f.SafetyWalkFactory(municipality=municipality, status="held", area="Centrum")
    finding = f.FindingFactory(walk=held, place="Gångtunneln vid stationen")
    since = timezone.now()
    f.SafetyWalkFactory(municipality=municipality, area="Kronogården")
    f.SafetyWalkFactory(municipality=municipality, area="Inställd", status="cancelled")
    finding.status = Finding.Status.FIXED
    finding.fixed_on = timezone.localdate()
    finding.save()
    lines = window(municipality, since)
    assert any(line.startswith("Trygghetsvandring i Kronogården") for line in lines)
    assert not any("Inställd" in line for line in lines)
    assert "Åtgärdat efter trygghetsvandringen i Centrum: Gångtunneln vid stationen" in lines
    # Edited again later, a fixed finding is not news again.
    later = timezone.now()
    finding.description = "Ny lampa"
    finding.save()
    assert window(municipality, later) == []


def test_digest_names_a_new_pledge_and_an_ended_one_with_outcomes(trollhattan):
    municipality, pledge, commitment = trollhattan
    today = timezone.localdate()
    Pledge.objects.filter(pk=pledge.pk).update(
        start_date=today - _days(400), end_date=today - _days(1)
    )
    commitment.outcome = "fulfilled"
    commitment.save()
    f.CommitmentFactory(pledge=pledge)
    new = f.PledgeFactory(municipality=municipality, title="Trygghetslöfte 2027", start_date=today)
    since = timezone.now() - _days(2)
    lines = window(municipality, since)
    assert (
        "Löftet Tryggare Trollhättan har gått ut. Utfall: Uppfyllt 1, Utfall ej redovisat 1."
        in lines
    )
    assert any(line.startswith("Nytt medborgarlöfte: Trygghetslöfte 2027") for line in lines)
    assert new.title
    # A window that starts after the end does not announce it again.
    assert not any("har gått ut" in line for line in window(municipality, timezone.now()))


def test_drafts_are_never_mailed(trollhattan):
    municipality = trollhattan[0]
    since = timezone.now()
    draft = f.PledgeFactory(municipality=municipality, status="draft", published_at=None)
    f.FollowUpFactory(pledge=draft)
    f.ActivityFactory(commitment=f.CommitmentFactory(pledge=draft))
    assert window(municipality, since) == []


# --- Purging ---------------------------------------------------------------------------


def test_purge_deletes_unconfirmed_after_48_hours(trollhattan):
    municipality = trollhattan[0]
    now = timezone.now()
    old = Subscription.objects.create(
        email="gammal@example.se", municipality=municipality, created_at=now - _days(3)
    )
    young = Subscription.objects.create(
        email="ny@example.se", municipality=municipality, created_at=now - _days(1)
    )
    kept = confirmed(municipality, at=now - _days(30), email="kvar@example.se")
    Subscription.objects.filter(pk=kept.pk).update(created_at=now - _days(30))
    ConfirmationMail.objects.create(address_hash="x", created_at=now - _days(2))
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "would delete 1 unconfirmed alert subscriptions" in out.getvalue()
    assert Subscription.objects.count() == 3
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "deleted 1 unconfirmed alert subscriptions and 1 confirmation-mail" in out.getvalue()
    assert set(Subscription.objects.all()) == {young, kept}
    assert not Subscription.objects.filter(pk=old.pk).exists()


# --- Following a löfte -----------------------------------------------------------------


def test_follow_page_explains_email_and_feed(client, trollhattan, django_assert_num_queries):
    with django_assert_num_queries(FOLLOW_PAGE_QUERIES):
        response = client.get("/kommun/trollhattan/folj/")
    assert response.status_code == 200
    text = response.text
    assert 'href="/kommun/trollhattan/bevaka/"' in text
    # The site's address (SITE_URL), not the request's Host.
    assert "https://medborgarlofte.example/kommun/trollhattan/flode/" in text
    assert 'type="application/atom+xml"' in text


def test_kommun_page_links_to_alerts_and_the_follow_page(client, trollhattan):
    text = client.get("/kommun/trollhattan/").text
    feed_link = text.split('class="feed-link"')[1].split("</p>")[0]
    assert 'href="/kommun/trollhattan/bevaka/"' in feed_link
    assert 'href="/kommun/trollhattan/folj/"' in feed_link


def test_kommun_page_without_pledge_links_to_alerts(client, db):
    f.MunicipalityFactory(slug="tom")
    text = client.get("/kommun/tom/").text
    # Alerts tell when a löfte is published; there is no löfte to follow in a feed yet.
    assert 'href="/kommun/tom/bevaka/"' in text and 'href="/kommun/tom/folj/"' not in text


def test_privacy_page_describes_alerts(client, db):
    text = client.get("/personuppgifter/").text
    assert "Bevaka löftet" in text
    assert "48 timmar" in text


def test_lower_layers_do_not_import_alerts():
    from pathlib import Path

    from django.conf import settings

    base = Path(settings.BASE_DIR)
    for app in ("pledges", "dialogues", "reports", "accounts"):
        for path in (base / app).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert "from alerts" not in source and "import alerts" not in source, path


def test_deploy_check_wants_a_public_site_url(settings):
    from alerts.checks import site_url_is_set

    settings.SITE_URL = "http://localhost:8000"
    assert [w.id for w in site_url_is_set()] == ["alerts.W001"]
    settings.SITE_URL = "https://trygghet.example.se"
    assert site_url_is_set() == []


# --- Admin -----------------------------------------------------------------------------


def test_admin_lists_subscriptions_to_superusers_only(client, trollhattan, settings):
    from django.contrib.auth.models import Permission

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    subscription = confirmed(trollhattan[0], email="anna@example.se")
    superuser = f.UserFactory(username="admin", is_superuser=True)
    superuser.save()
    client.force_login(superuser)
    response = client.get("/admin/alerts/subscription/", {"q": "anna"})
    assert response.status_code == 200
    assert "anna@example.se" in response.text
    detail = client.get(f"/admin/alerts/subscription/{subscription.pk}/change/")
    assert detail.status_code == 200
    assert 'name="email"' not in detail.text  # read-only
    assert client.get("/admin/alerts/subscription/add/").status_code == 403
    response = client.post(f"/admin/alerts/subscription/{subscription.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Subscription.objects.exists()

    staff = f.UserFactory(username="samordnare", is_staff=True)
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="alerts"))
    client.force_login(staff)
    assert client.get("/admin/alerts/subscription/").status_code == 403
    assert "Bevakningar" not in client.get("/admin/").text


def test_a_quiet_kommun_costs_the_same_queries_for_one_subscriber_or_many(trollhattan):
    municipality = trollhattan[0]
    confirmed(municipality, at=timezone.now() - _days(1), email="a@example.se")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        services.send_alerts()
    for n in range(5):
        confirmed(municipality, at=timezone.now() - _days(1), email=f"p{n}@example.se")
    with CaptureQueriesContext(connection) as many:
        services.send_alerts()
    assert len(many.captured_queries) == len(one.captured_queries)
    assert not mail.outbox


def test_resubscribing_before_confirming_keeps_the_new_frequency(client, trollhattan):
    assert client.post(URL, form(frequency="weekly")).status_code == 302
    assert client.post(URL, form(frequency="daily")).status_code == 302
    assert Subscription.objects.get().frequency == "daily"
