"""Public pages of "Bevaka löftet" and the page on how to follow a löfte."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from alerts import services
from alerts.forms import SubscribeForm
from alerts.models import CONFIRMATION_HOURS, Subscription
from core.siteurl import site_url
from dialogues import protection
from pledges.models import Municipality

SUBSCRIBE_ACTION = "bevaka"


@require_safe
def follow(request, slug):
    municipality = get_object_or_404(Municipality.objects.only("name", "slug"), slug=slug)
    feed_url = site_url(reverse("reports:municipality_feed", args=[municipality.slug]))
    return render(
        request, "alerts/follow.html", {"municipality": municipality, "feed_url": feed_url}
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request, slug):
    municipality = get_object_or_404(Municipality.objects.only("name", "slug"), slug=slug)
    status, message = 200, ""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        ok, message, status = protection.protected_post(request, SUBSCRIBE_ACTION, form)
        if ok:
            try:
                services.subscribe(
                    email=form.cleaned_data["email"],
                    municipality=municipality,
                    frequency=form.cleaned_data["frequency"],
                )
            except services.ConfirmationLimited:
                status = 429
                message = _(
                    "Vi har redan skickat flera bekräftelser till den adressen i dag. Leta efter "
                    "dem i din inkorg (och skräpposten), eller försök igen i morgon."
                )
            else:
                return redirect("alerts:subscribe_sent", slug=municipality.slug)
    else:
        form = SubscribeForm()
    return render(
        request,
        "alerts/subscribe.html",
        {
            "municipality": municipality,
            "form": form,
            "form_message": message,
            "token": protection.new_token(),
            "honeypot": protection.HONEYPOT_FIELD,
        },
        status=status,
    )


@require_safe
def subscribe_sent(request, slug):
    municipality = get_object_or_404(Municipality.objects.only("name", "slug"), slug=slug)
    return render(
        request,
        "alerts/subscribe_sent.html",
        {"municipality": municipality, "hours": CONFIRMATION_HOURS},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button and POST confirms, so that a mail scanner that opens links does
    not confirm an address on its owner's behalf."""
    subscription, reason = services.subscription_from_confirmation(token)
    if subscription is None:
        message = {
            "expired": _(
                "Länken har gått ut: den gäller i %(hours)s timmar. Anmäl dig igen från "
                "kommunens sida, så får du en ny länk."
            )
            % {"hours": CONFIRMATION_HOURS},
            "invalid": _(
                "Länken fungerar inte. Kontrollera att du fick med hela länken från e-posten, "
                "eller anmäl dig igen från kommunens sida."
            ),
        }[reason]
        return render(
            request,
            "alerts/link_problem.html",
            {"message": message},
            status=410 if reason == "expired" else 400,
        )
    confirmed = False
    if request.method == "POST":
        services.confirm(subscription=subscription)
        confirmed = True
    return render(
        request,
        "alerts/confirm.html",
        {
            "subscription": subscription,
            "municipality": subscription.municipality,
            "confirmed": confirmed or subscription.is_confirmed,
        },
    )


# The token in the address is the credential. Mail clients post here without a CSRF token
# for one-click unsubscribe (RFC 8058).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscription = (
        Subscription.objects.select_related("municipality")
        .only("token", "municipality__name", "municipality__slug")
        .filter(token=token)
        .first()
    )
    if request.method == "POST":
        municipality = subscription.municipality if subscription else None
        services.unsubscribe(token=token)
        return render(request, "alerts/unsubscribed.html", {"municipality": municipality})
    if subscription is None:
        return render(
            request,
            "alerts/link_problem.html",
            {
                "message": _(
                    "Bevakningen finns inte. Du kan redan ha avslutat den; då får du inga fler "
                    "e-postmeddelanden från oss."
                )
            },
            status=404,
        )
    return render(
        request,
        "alerts/unsubscribe.html",
        {"subscription": subscription, "municipality": subscription.municipality},
    )
