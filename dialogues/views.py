"""Public pages: send a synpunkt, follow the walks and dialogues of a kommun."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.clientip import client_ip, hash_ip
from core.siteurl import site_url
from dialogues import protection, selectors, services
from dialogues.forms import FeedbackForm, WalkSignupForm
from dialogues.models import Dialogue, Feedback, Finding, SafetyWalk, WalkSignup
from pagecache.pages import municipality_scopes, public_page
from pledges.models import Municipality

FEEDBACK_ACTION = "synpunkt"
SIGNUP_ACTION = "anmalan"
# The summary page shows the latest published synpunkter, not the whole archive.
PUBLISHED_LIMIT = 50


_protected_post = protection.protected_post


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_form(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    status, message = 200, ""
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        ok, message, status = _protected_post(request, FEEDBACK_ACTION, form)
        if ok:
            feedback = services.submit_feedback(
                form=form, municipality=municipality, ip_hash=hash_ip(client_ip(request))
            )
            url = reverse(
                "dialogues:feedback_receipt",
                kwargs={"slug": municipality.slug, "token": services.receipt_token(feedback)},
            )
            # The page says a receipt was sent even when the address was not stored.
            return redirect(url + ("?kvitto=1" if form.cleaned_data.get("email") else ""))
    else:
        form = FeedbackForm()
    return render(
        request,
        "dialogues/feedback_form.html",
        {
            "municipality": municipality,
            "form": form,
            "form_message": message,
            "token": protection.new_token(),
            "honeypot": protection.HONEYPOT_FIELD,
        },
        status=status,
    )


@never_cache
@require_safe
def feedback_receipt(request, slug, token):
    pk = services.feedback_from_receipt_token(token)
    if pk is None:
        raise Http404
    feedback = get_object_or_404(
        Feedback.objects.select_related("municipality", "category").only(
            "reference",
            "email",
            "place",
            "created_at",
            "municipality__name",
            "municipality__slug",
            "category__name",
        ),
        pk=pk,
        municipality__slug=slug,
    )
    return render(
        request,
        "dialogues/feedback_receipt.html",
        {"feedback": feedback, "receipt_sent": request.GET.get("kvitto") == "1"},
    )


@public_page(municipality_scopes)
@require_safe
def feedback_summary(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    counts = selectors.feedback_counts(municipality)
    return render(
        request,
        "dialogues/feedback_summary.html",
        {
            "municipality": municipality,
            "counts": counts,
            "total": sum(c.count for c in counts),
            "published": list(Feedback.objects.public_list(municipality)[:PUBLISHED_LIMIT]),
        },
    )


@public_page(municipality_scopes)
@require_safe
def walk_list(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    walks = list(SafetyWalk.objects.for_municipality_page(municipality))
    now = timezone.now()
    upcoming = [w for w in walks if w.status == SafetyWalk.Status.PLANNED and w.starts_at >= now]
    held = [w for w in walks if w.status == SafetyWalk.Status.HELD]
    held.reverse()
    return render(
        request,
        "dialogues/walk_list.html",
        {
            "municipality": municipality,
            "upcoming": upcoming,
            "held": held,
            "has_examples": any(w.is_example for w in walks),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def walk_detail(request, pk):
    walk = get_object_or_404(SafetyWalk.objects.for_detail(), pk=pk)
    findings = list(walk.findings.all()) if walk.status == SafetyWalk.Status.HELD else []
    places_left = walk.places_left(walk.people_signed_up)
    can_sign_up = walk.is_upcoming and places_left != 0
    status, message = 200, ""
    form = None
    if can_sign_up:
        if request.method == "POST":
            form = WalkSignupForm(request.POST)
            ok, message, status = _protected_post(request, SIGNUP_ACTION, form)
            if ok:
                try:
                    signup = services.sign_up(
                        form=form,
                        walk=walk,
                        ip_hash=hash_ip(client_ip(request)),
                        base_url=site_url(""),
                    )
                except services.WalkFull as full:
                    status = 409
                    message = _(
                        "Det finns bara %(count)s platser kvar. Minska antalet personer."
                    ) % {"count": full.places_left}
                else:
                    return redirect(services.signup_manage_path(signup) + "?ny=1")
        else:
            form = WalkSignupForm()
    elif request.method == "POST":
        message, status = _("Det går inte längre att anmäla sig till den här vandringen."), 400
    return render(
        request,
        "dialogues/walk_detail.html",
        {
            "walk": walk,
            "municipality": walk.municipality,
            "findings": findings,
            "fixed_count": sum(1 for f in findings if f.status == Finding.Status.FIXED),
            "open_count": sum(1 for f in findings if f.status == Finding.Status.OPEN),
            "declined_count": sum(1 for f in findings if f.status == Finding.Status.DECLINED),
            "places_left": places_left,
            "form": form,
            "form_message": message,
            "token": protection.new_token(),
            "honeypot": protection.HONEYPOT_FIELD,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup_manage(request, token):
    pk = services.signup_from_token(token)
    if pk is None:
        raise Http404
    signup = get_object_or_404(WalkSignup.objects.select_related("walk__municipality"), pk=pk)
    if request.method == "POST" and signup.cancelled_at is None:
        services.cancel_signup(signup=signup)
        return redirect(request.path)
    return render(
        request,
        "dialogues/signup_manage.html",
        {
            "signup": signup,
            "walk": signup.walk,
            "is_new": request.GET.get("ny") == "1" and signup.cancelled_at is None,
        },
    )


@public_page(municipality_scopes)
@require_safe
def dialogue_list(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    dialogues = list(Dialogue.objects.for_municipality_page(municipality))
    today = timezone.localdate()
    return render(
        request,
        "dialogues/dialogue_list.html",
        {
            "municipality": municipality,
            "planned": [d for d in reversed(dialogues) if d.is_upcoming],
            "held": [d for d in dialogues if d.status == Dialogue.Status.HELD or d.date < today],
            "has_examples": any(d.is_example for d in dialogues),
        },
    )
