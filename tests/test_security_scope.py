"""Staff scope, replayed attacks: national tables changed by local staff, and existence
oracles (/admin/r/ view on site, reports answering 403 for out of scope and 404 for missing)."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from dialogues.models import FeedbackCategory
from pledges.groups import NATIONAL_ADMIN_GROUP, ensure_staff_groups
from pledges.models import County, Municipality, Partner, Pledge, PoliceArea, PoliceRegion
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture
def national(personas):
    user = UserFactory(username="nationell.admin")
    user.groups.add(Group.objects.get(name=NATIONAL_ADMIN_GROUP))
    return user


@pytest.fixture
def category():
    return FeedbackCategory.objects.create(name="Testkategori", order=1)


# --- National tables --------------------------------------------------------------------


def test_setup_staff_groups_creates_the_national_group_and_keeps_local_staff_off(db):
    call_command("setup_staff_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    national = Group.objects.get(name=NATIONAL_ADMIN_GROUP)
    assert national.permissions.filter(codename="change_feedbackcategory").exists()
    assert national.permissions.filter(codename="delete_municipality").exists()
    for group in ensure_staff_groups().values():
        codenames = set(group.permissions.values_list("codename", flat=True))
        if group.name == NATIONAL_ADMIN_GROUP:
            continue
        assert "view_feedbackcategory" in codenames
        for action in ("add", "change", "delete"):
            assert f"{action}_feedbackcategory" not in codenames
            assert f"{action}_municipality" not in codenames
        # Internal tables are for nobody.
        assert not {"add_formattempt", "change_referencecounter"} & codenames


def test_local_staff_cannot_add_rename_or_delete_synpunkt_categories(login_as, personas, category):
    """The attack: a kommunpolis added, renamed and deleted the categories every kommun's
    synpunkt form uses."""
    client = login_as(personas["police"])
    base = "/admin/dialogues/feedbackcategory/"
    assert client.get(base).status_code == 200  # read-only list
    assert client.get(f"{base}add/").status_code == 403
    client.post(f"{base}add/", {"name": "Påhittad", "order": 9, "is_active": "on"})
    assert not FeedbackCategory.objects.filter(name="Påhittad").exists()
    client.post(f"{base}{category.pk}/change/", {"name": "Omdöpt", "order": 1})
    category.refresh_from_db()
    assert category.name == "Testkategori"
    assert client.post(f"{base}{category.pk}/delete/", {"post": "yes"}).status_code == 403
    assert FeedbackCategory.objects.filter(pk=category.pk).exists()
    # The change list's inline editing is off for them too.
    changelist = client.post(
        base,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": category.pk,
            "form-0-order": "99",
            "form-0-is_active": "",
            "_save": "Spara",
        },
    )
    assert changelist.status_code in (200, 302, 403)
    category.refresh_from_db()
    assert (category.order, category.is_active) == (1, True)


def test_national_admin_changes_categories(login_as, national, category):
    client = login_as(national)
    base = "/admin/dialogues/feedbackcategory/"
    response = client.post(f"{base}{category.pk}/change/", {"name": "Gatuljus", "order": 2})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Gatuljus"
    assert client.post(f"{base}add/", {"name": "Klottertest", "order": 3}).status_code == 302
    assert client.post(f"{base}{category.pk}/delete/", {"post": "yes"}).status_code == 302
    assert FeedbackCategory.objects.filter(name="Klottertest").exists()
    assert not FeedbackCategory.objects.filter(pk=category.pk).exists()


NATIONAL_TABLES = {
    "county": County,
    "policeregion": PoliceRegion,
    "municipality": Municipality,
    "policearea": PoliceArea,
    "partner": Partner,
}


@pytest.mark.parametrize("model", list(NATIONAL_TABLES))
@pytest.mark.parametrize("persona", ["police", "coordinator"])
def test_local_staff_only_read_national_tables(login_as, staff_world, personas, persona, model):
    Partner.objects.create(name="Kriminalvården")
    client = login_as(personas[persona])
    obj = NATIONAL_TABLES[model].objects.order_by("pk").first()
    if model in ("municipality", "policearea"):
        obj = staff_world.ours[model] if persona == "police" else staff_world.theirs[model]
    change = f"/admin/pledges/{model}/{obj.pk}/change/"
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # read-only view
    assert client.post(f"/admin/pledges/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code in (
        403,
    )
    assert NATIONAL_TABLES[model].objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", list(NATIONAL_TABLES))
def test_national_admin_edits_every_national_table_of_every_area(
    login_as, staff_world, national, model
):
    Partner.objects.create(name="Kriminalvården")
    client = login_as(national)
    obj = NATIONAL_TABLES[model].objects.order_by("pk").last()
    if model in ("municipality", "policearea"):
        obj = staff_world.theirs[model]
    page = client.get(f"/admin/pledges/{model}/{obj.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' in page.text
    assert client.get(f"/admin/pledges/{model}/add/").status_code == 200


def test_national_admin_chooses_among_every_kommun_for_a_police_area(
    login_as, staff_world, national
):
    page = login_as(national).get(f"/admin/pledges/policearea/{staff_world.police_area.pk}/change/")
    choices = set(page.context["adminform"].form.fields["municipalities"].queryset)
    assert {staff_world.kungalv, staff_world.ale, staff_world.trollhattan} <= choices


def test_national_admin_manages_memberships_but_not_local_data(login_as, staff_world, national):
    # National administrators onboard staff anywhere (memberships), and edit no löfte
    # unless they also have a local group and membership.
    client = login_as(national)
    response = client.get("/admin/pledges/pledge/")
    assert response.status_code == 403
    assert client.get("/admin/pledges/membership/").status_code == 200


# --- Existence oracles -------------------------------------------------------------------


def view_on_site(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return f"/admin/r/{content_type.pk}/{obj.pk}/"


def test_view_on_site_is_404_out_of_scope_like_missing(login_as, staff_world, personas):
    """The attack: a kommunpolis learnt the kommun and slug of another area's draft."""
    draft = staff_world.theirs["pledge"]
    Pledge.objects.filter(pk=draft.pk).update(status=Pledge.Status.DRAFT)
    client = login_as(personas["police"])
    response = client.get(view_on_site(draft))
    assert response.status_code == 404
    assert "trollhattan" not in response.get("Location", "")
    missing = f"/admin/r/{ContentType.objects.get_for_model(Pledge).pk}/999999/"
    assert client.get(missing).status_code == 404
    # Unknown content types, malformed ids and models without an admin: 404 too.
    assert client.get("/admin/r/999999/1/").status_code == 404
    pledge_type = ContentType.objects.get_for_model(Pledge).pk
    assert client.get(f"/admin/r/{pledge_type}/abc/").status_code == 404
    group_type = ContentType.objects.get_for_model(Group)
    assert client.get(f"/admin/r/{group_type.pk}/1/").status_code == 404
    # Their own löfte still opens on the site.
    own = client.get(view_on_site(staff_world.ours["pledge"]))
    assert own.status_code == 302
    assert own["Location"].endswith(staff_world.ours["pledge"].get_absolute_url())


def test_view_on_site_for_a_superuser_opens_any_area(login_as, staff_world, personas):
    client = login_as(personas["superuser"])
    assert client.get(view_on_site(staff_world.theirs["pledge"])).status_code == 302


def test_view_on_site_needs_staff(client, staff_world):
    response = client.get(view_on_site(staff_world.ours["pledge"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_pledge_report_answers_out_of_scope_like_missing(login_as, staff_world, personas):
    client = login_as(personas["police"])
    out_of_scope = client.get(f"/rapporter/lofte/{staff_world.theirs['pledge'].pk}/")
    missing = client.get("/rapporter/lofte/999999/")
    assert out_of_scope.status_code == missing.status_code == 404
    assert "Tryggare Trollhättan" not in out_of_scope.text


# --- The national role reads what it administers -----------------------------------------

REPORT_FORMATS = ["html", "pdf", "docx", "xlsx", "csv"]


def every_report_url(staff_world):
    """Every report of the world's kommuner and police areas, in every format: each löfte
    (one a draft) with and without its appendix and its follow-up round, and the overview
    of each kommun and police area."""
    draft = staff_world.theirs["pledge"]
    Pledge.objects.filter(pk=draft.pk).update(status=Pledge.Status.DRAFT)
    urls = []
    for objects in (staff_world.ours, staff_world.theirs):
        pledge, follow_up = objects["pledge"], objects["followup"]
        for fmt in REPORT_FORMATS:
            base = f"/rapporter/lofte/{pledge.pk}/?format={fmt}"
            urls += [base, base + "&bilaga=1", base + f"&uppfoljning={follow_up.pk}"]
    for level, idents in (
        ("kommun", ["kungalv", "ale", "trollhattan"]),
        ("lpo", ["kungalv-ale", "ostra-fyrbodal"]),
    ):
        for ident in idents:
            urls += [
                f"/rapporter/oversikt/?niva={level}&id={ident}&format={f}" for f in REPORT_FORMATS
            ]
    return urls


def test_national_admin_without_membership_gets_404_on_every_report(
    login_as, staff_world, national
):
    """The attack: a national administrator (staff, police areas, national tables) read
    every kommun's reports, drafts included, as `municipalities_for` gives that group every
    kommun. Reports need a local membership."""
    client = login_as(national)
    urls = every_report_url(staff_world)
    answers = {url: client.get(url) for url in urls}
    assert {url: r.status_code for url, r in answers.items() if r.status_code != 404} == {}
    for response in answers.values():
        assert b"Tryggare" not in response.content
    # The chooser offers none of them; national levels are for superusers.
    chooser = client.get("/rapporter/")
    assert chooser.status_code == 200
    assert "Tryggare" not in chooser.text
    for level in ("niva=lan&id=14", "niva=region&id=vast", "niva=land"):
        assert client.get(f"/rapporter/oversikt/?{level}").status_code == 403


def test_national_admin_with_a_membership_reads_that_kommun_only(login_as, staff_world, national):
    MembershipFactory(user=national, municipality=staff_world.kungalv)
    client = login_as(national)
    assert client.get(f"/rapporter/lofte/{staff_world.ours['pledge'].pk}/").status_code == 200
    assert client.get(f"/rapporter/lofte/{staff_world.theirs['pledge'].pk}/").status_code == 404
    overview = "/rapporter/oversikt/?niva=kommun&id={}&format=csv"
    assert client.get(overview.format("kungalv")).status_code == 200
    assert client.get(overview.format("trollhattan")).status_code == 404


def test_superuser_still_reads_every_report(login_as, staff_world, personas):
    client = login_as(personas["superuser"])
    assert client.get(f"/rapporter/lofte/{staff_world.theirs['pledge'].pk}/").status_code == 200
    assert client.get("/rapporter/oversikt/?niva=land&format=csv").status_code == 200
