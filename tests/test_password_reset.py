"""'Glömt lösenordet?' on the staff login, and 'Skicka länken igen' for those who onboard."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import PasswordResetRequest
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

URL = "/konto/losenord/glomt/"
RESEND_URL = "/admin/pledges/membership/skicka-lanken-igen/"


def _visible(html):
    """The page without its CSRF token, which differs between any two responses."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_admin_login_links_the_forgotten_password_page(client):
    page = client.get("/admin/login/?next=/admin/")
    assert f'href="{URL}"' in page.text
    assert "Glömt lösenordet?" in page.text
    assert reverse("accounts:password_reset") == URL


def test_a_reset_mail_reaches_staff_and_an_unknown_address_gets_the_same_answer(client):
    user = UserFactory(username="kim.polis", email="kim.polis@polisen.se", first_name="Kim")
    page = client.get(URL)
    assert page.status_code == 200
    assert "Glömt lösenordet?" in page.text

    known = client.post(URL, {"email": "Kim.Polis@polisen.se"}, follow=True)
    unknown = client.post(URL, {"email": "ingen@polisen.se"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert _visible(known.text) == _visible(unknown.text)
    assert "Kontrollera din e-post" in known.text

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kim.polis@polisen.se"]
    assert message.subject == "Nytt lösenord i Medborgarlöfte"
    assert "Hej Kim" in message.body and "Välj ditt lösenord här" in message.body
    link = re.search(r"http://testserver(/konto/losenord/\S+/)", message.body).group(1)
    anonymous = client.__class__()
    form = anonymous.get(link, follow=True)
    assert "Välj lösenord" in form.text
    done = anonymous.post(
        form.redirect_chain[-1][0],
        {"new_password1": "ett-nytt-langt-losenord", "new_password2": "ett-nytt-langt-losenord"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ett-nytt-langt-losenord")


def test_a_new_member_whose_first_link_expired_gets_a_link(client):
    user = UserFactory(username="ny@kungalv.se", email="ny@kungalv.se")
    user.set_unusable_password()
    user.save()
    client.post(URL, {"email": "ny@kungalv.se"})
    assert [message.to for message in mail.outbox] == [["ny@kungalv.se"]]


def test_no_mail_for_accounts_without_staff_access(client):
    UserFactory(username="tidigare", email="tidigare@kungalv.se", is_staff=False)
    UserFactory(username="inaktiv", email="inaktiv@kungalv.se", is_active=False)
    client.post(URL, {"email": "tidigare@kungalv.se"})
    client.post(URL, {"email": "inaktiv@kungalv.se"})
    assert mail.outbox == []


def test_bad_input_is_a_swedish_400_that_keeps_the_input(client):
    response = client.post(URL, {"email": "inte-en-adress"})
    assert response.status_code == 400
    assert "Skriv en hel e-postadress" in response.text
    assert 'value="inte-en-adress"' in response.text
    assert PasswordResetRequest.objects.count() == 0


def test_requests_are_limited_per_address(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = (3, 100, 3600)
    UserFactory(username="kim", email="kim@polisen.se")
    statuses = [client.post(URL, {"email": "kim@polisen.se"}).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    refused = client.post(URL, {"email": "kim@polisen.se"})
    assert "Du har bett om många länkar på kort tid" in refused.text
    assert 'value="kim@polisen.se"' in refused.text
    # Another address from the same client is still answered.
    assert client.post(URL, {"email": "annan@polisen.se"}).status_code == 302


def test_requests_are_limited_per_client_whatever_the_address(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = (3, 4, 3600)
    statuses = [client.post(URL, {"email": f"person{n}@polisen.se"}).status_code for n in range(6)]
    assert statuses == [302] * 4 + [429] * 2
    other_client = client.post(URL, {"email": "person9@polisen.se"}, REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 302


def test_a_coordinator_resends_a_colleagues_link(login_as, staff_world, personas):
    colleague = UserFactory(username="kollega@trollhattan.se", email="kollega@trollhattan.se")
    colleague.set_unusable_password()
    colleague.save()
    MembershipFactory(user=colleague, municipality=staff_world.trollhattan)
    client = login_as(personas["coordinator"])
    page = client.get(RESEND_URL)
    assert page.status_code == 200
    assert "kollega@trollhattan.se" in page.text
    assert "har inte valt lösenord än" in page.text
    # A kommunpolis in another area is not theirs to onboard.
    assert personas["police"].email not in page.text

    refused = client.post(RESEND_URL, {"user": personas["police"].pk})
    assert refused.status_code == 400
    assert "Välj en person i listan" in refused.text
    assert mail.outbox == []

    sent = client.post(RESEND_URL, {"user": colleague.pk})
    assert sent.status_code == 302
    assert [message.to for message in mail.outbox] == [["kollega@trollhattan.se"]]
    assert "/konto/losenord/" in mail.outbox[0].body


def test_a_kommunpolis_may_not_resend_links(login_as, staff_world, personas):
    assert login_as(personas["police"]).get(RESEND_URL).status_code == 403


def test_national_admins_resend_from_the_membership_list(login_as, staff_world, personas):
    membership = personas["police"].memberships.get()
    client = login_as(personas["superuser"])
    response = client.post(
        reverse("admin:pledges_membership_changelist"),
        {"action": "resend_link", "_selected_action": [membership.pk]},
    )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[personas["police"].email]]


def test_the_mail_is_swedish_even_from_the_english_page(client, settings):
    UserFactory(username="kim", email="kim@polisen.se")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(URL)
    assert "Forgotten your password?" in page.text
    client.post(URL, {"email": "kim@polisen.se"})
    assert mail.outbox[0].subject == "Nytt lösenord i Medborgarlöfte"
    assert "Välj ditt lösenord här" in mail.outbox[0].body


def test_the_daily_purge_removes_old_requests(client):
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    client.post(URL, {"email": "kim@polisen.se"})
    old = PasswordResetRequest.objects.create(
        email_hash="x", created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    call_command("purge_signin_audit", stdout=io.StringIO())
    assert PasswordResetRequest.objects.count() == 1
    assert not PasswordResetRequest.objects.filter(pk=old.pk).exists()
