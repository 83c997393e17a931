import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage

from pledges.archive_admin import (
    ArchivedListFilter,
    ArchivingAdminMixin,
    archive_selected,
    restore_selected,
)
from pledges.models import Activity, Commitment, Pledge
from pledges.services_archive import archive_commitment, archive_pledge, restore_pledge
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return factories.UserFactory(is_superuser=True)


@pytest.fixture
def published():
    pledge = factories.PledgeFactory()
    commitment = factories.CommitmentFactory(pledge=pledge)
    factories.ActivityFactory(commitment=commitment)
    return pledge


def test_archiving_hides_a_published_pledge_but_keeps_everything(published, user):
    commitment = published.commitments.get()
    assert Pledge.objects.public().filter(pk=published.pk).exists()

    archive_pledge(pledge=published, user=user)

    assert not Pledge.objects.public().filter(pk=published.pk).exists()
    assert not Pledge.objects.active().filter(pk=published.pk).exists()
    assert not Commitment.objects.active().filter(pk=commitment.pk).exists()
    assert not Activity.objects.public().exists()
    # Nothing deleted: the löfte, its commitment and activity are still there.
    assert Pledge.objects.filter(pk=published.pk, archived_at__isnull=False).exists()
    assert Commitment.objects.filter(pk=commitment.pk, archived_at__isnull=False).exists()
    assert Activity.objects.filter(commitment=commitment).count() == 1
    # The archiving is in the history, with who did it.
    latest = published.history.latest()
    assert latest.archived_at is not None
    assert latest.history_user == user
    assert commitment.history.latest().archived_at is not None


def test_restore_undoes_archiving(published, user):
    archive_pledge(pledge=published, user=user)
    restore_pledge(pledge=published, user=user)
    assert Pledge.objects.public().filter(pk=published.pk).exists()
    assert Commitment.objects.active().count() == 1


def test_archiving_one_commitment(published, user):
    commitment = published.commitments.get()
    other = factories.CommitmentFactory(pledge=published)
    archive_commitment(commitment=commitment, user=user)
    assert list(Commitment.objects.active()) == [other]
    assert Activity.objects.public().count() == 0


def test_deleting_an_activity_is_kept_in_history(published):
    activity = Activity.objects.get()
    activity_id = activity.pk
    activity.delete()
    assert not Activity.objects.filter(pk=activity_id).exists()
    deleted = Activity.history.filter(id=activity_id).latest()
    assert deleted.history_type == "-"
    assert deleted.description == "Fotpatrullering kvällstid."
    assert deleted.quantity == 1


class PledgeAdmin(ArchivingAdminMixin, admin.ModelAdmin):
    list_filter = [ArchivedListFilter]


class CommitmentAdmin(ArchivingAdminMixin, admin.ModelAdmin):
    pass


def admin_request(rf, user):
    request = rf.post("/admin/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_admin_cannot_delete_published_pledge_only_archive(rf, published, user):
    model_admin = PledgeAdmin(Pledge, admin.site)
    request = admin_request(rf, user)
    assert model_admin.has_delete_permission(request, published) is False
    draft = factories.PledgeFactory(status=Pledge.Status.DRAFT)
    assert model_admin.has_delete_permission(request, draft) is True

    model_admin.delete_model(request, published)
    assert Pledge.objects.filter(pk=published.pk, archived_at__isnull=False).exists()

    model_admin.delete_model(request, draft)
    assert not Pledge.objects.filter(pk=draft.pk).exists()


def test_admin_bulk_delete_archives_published_and_deletes_drafts(rf, published, user):
    model_admin = PledgeAdmin(Pledge, admin.site)
    factories.PledgeFactory(status=Pledge.Status.DRAFT)
    model_admin.delete_queryset(admin_request(rf, user), Pledge.objects.all())
    assert list(Pledge.objects.values_list("pk", flat=True)) == [published.pk]
    assert Pledge.objects.get().archived_at is not None


def test_admin_archive_action_and_filter(rf, published, user):
    model_admin = PledgeAdmin(Pledge, admin.site)
    request = admin_request(rf, user)
    assert "archive_selected" in model_admin.get_actions(request)
    archive_selected(model_admin, request, Pledge.objects.all())
    assert Pledge.objects.get().archived_at is not None
    assert "arkiverades" in str(list(request._messages)[0])
    assert "archived_at" in model_admin.get_readonly_fields(request, published)


def test_commitment_of_published_pledge_is_archived_not_deleted(rf, published, user):
    model_admin = CommitmentAdmin(Commitment, admin.site)
    commitment = published.commitments.get()
    request = admin_request(rf, user)
    assert model_admin.has_delete_permission(request, commitment) is False
    model_admin.delete_model(request, commitment)
    assert Commitment.objects.get(pk=commitment.pk).archived_at is not None
    assert Activity.objects.filter(commitment=commitment).exists()


def test_admin_restore_action_brings_back_an_archived_pledge(rf, published, user):
    model_admin = admin.site.get_model_admin(Pledge)
    request = admin_request(rf, user)
    assert "restore_selected" in model_admin.get_actions(request)
    commitment = published.commitments.get()
    archive_pledge(pledge=published, user=user)

    restore_selected(model_admin, request, Pledge.objects.all())
    assert Pledge.objects.public().filter(pk=published.pk).exists()
    assert list(Commitment.objects.active()) == [commitment]
    assert "1 återställdes." in str(list(request._messages)[0])
    assert published.history.latest().history_user == user


def test_admin_restore_action_skips_pledges_out_of_reach(rf, published, user):
    archive_pledge(pledge=published, user=user)
    model_admin = PledgeAdmin(Pledge, admin.site)
    model_admin.has_change_permission = lambda request, obj=None: False
    request = admin_request(rf, user)
    restore_selected(model_admin, request, Pledge.objects.all())
    assert Pledge.objects.get().archived_at is not None
    assert "0 återställdes." in str(list(request._messages)[0])
