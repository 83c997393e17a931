"""Pages for logged-in staff: log an activity in seconds, import a month's log, preview."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pledges import preview, services
from pledges.models import Activity, Pledge
from pledges.scoping import scope_queryset
from pledges.staff_forms import (
    ActivityForm,
    ImportUploadForm,
    current_commitments_for,
    parse_activity_csv,
    preselect_single_choice,
)

ACTIVITY_PATH = "commitment__pledge__municipality"


def _require_perm(user, codename):
    if not user.has_perm(f"pledges.{codename}"):
        raise PermissionDenied


def latest_entries_for(user, limit=10):
    """The user's own latest entries, for the list under the form: one query."""
    return (
        scope_queryset(Activity.objects.filter(created_by=user), user, ACTIVITY_PATH)
        .select_related("commitment__pledge__municipality")
        .order_by("-created_at", "-id")[:limit]
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def register(request):
    _require_perm(request.user, "add_activity")
    entries = list(latest_entries_for(request.user))
    # One tap for the usual case: the commitment of their latest entry comes preselected.
    initial = {"commitment": entries[0].commitment_id} if entries else {}
    form = ActivityForm(request.POST or None, user=request.user, initial=initial)
    # With a single commitment to log on, it comes chosen (the same query that tells
    # whether there is any).
    options = preselect_single_choice(form.fields["commitment"])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            activity = form.save(commit=False)
            activity.created_by = request.user
            activity.save()
            messages.success(
                request,
                _("Sparat: %(quantity)s × %(commitment)s den %(date)s.")
                % {
                    "quantity": activity.quantity,
                    "commitment": activity.commitment,
                    "date": date_format(activity.date, "j F Y"),
                },
            )
            return redirect("staff:register")
        status = 400
    return render(
        request,
        "pledges/staff/register.html",
        {
            "form": form,
            "entries": entries,
            "has_commitments": bool(options),
        },
        status=status,
    )


def _activity_in_scope(request, pk):
    queryset = scope_queryset(Activity.objects.all(), request.user, ACTIVITY_PATH)
    return get_object_or_404(queryset.select_related("commitment__pledge"), pk=pk)


@staff_member_required
@require_http_methods(["GET", "POST"])
def edit_activity(request, pk):
    _require_perm(request.user, "change_activity")
    activity = _activity_in_scope(request, pk)
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        user=request.user,
        submit_label=_("Spara ändringen"),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Ändringen är sparad."))
            return redirect("staff:register")
        status = 400
    return render(
        request,
        "pledges/staff/edit_activity.html",
        {"form": form, "activity": activity},
        status=status,
    )


@staff_member_required
@require_POST
def undo_activity(request, pk):
    _require_perm(request.user, "delete_activity")
    activity = _activity_in_scope(request, pk)
    # Deleted, not hidden: django-simple-history keeps the record of what was there.
    activity.delete()
    messages.success(request, _("Insatsen är borttagen."))
    return redirect("staff:register")


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_activities(request):
    _require_perm(request.user, "add_activity")
    rows, problems, csv_text, status = None, [], "", 200
    upload_form = ImportUploadForm()
    if request.method == "POST" and "confirm" in request.POST:
        csv_text = request.POST.get("data", "")
        rows, problems = parse_activity_csv(csv_text, request.user)
        if rows and not problems and all(row.valid for row in rows):
            with transaction.atomic():
                created = services.import_activities(
                    rows=[row.form.cleaned_data for row in rows], user=request.user
                )
            messages.success(request, _("%(n)s insatser importerades.") % {"n": len(created)})
            return redirect("staff:register")
        status = 400
    elif request.method == "POST":
        upload_form = ImportUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            csv_text = upload_form.cleaned_data["file"]
            rows, problems = parse_activity_csv(csv_text, request.user)
            if problems or not all(row.valid for row in rows):
                status = 400
        else:
            status = 400
    all_valid = bool(rows) and not problems and all(row.valid for row in rows)
    return render(
        request,
        "pledges/staff/import.html",
        {
            "upload_form": upload_form,
            "rows": rows,
            "problems": problems,
            "all_valid": all_valid,
            "invalid_count": sum(1 for row in rows or [] if not row.valid),
            "csv_text": csv_text,
            "commitments": current_commitments_for(request.user),
        },
        status=status,
    )


@staff_member_required
def preview_pledge(request, pledge_id):
    _require_perm(request.user, "view_pledge")
    queryset = scope_queryset(Pledge.objects.all(), request.user, "municipality")
    pledge = get_object_or_404(queryset.select_related("municipality", "police_area"), pk=pledge_id)
    return preview.render_pledge_page(request, pledge, preview=True)
