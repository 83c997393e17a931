"""Atom feeds: new activities and follow-ups, per kommun and for the whole country.

Only published löften; items carry public fields only (never internal notes or authors).
Safety walks join when the dialogues app lands: add them to `items()`.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from pledges.models import Activity, FollowUp, Municipality
from reports import selectors


class ActivityFeed(Feed):
    feed_type = Atom1Feed
    limit = 30

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        return get_object_or_404(Municipality, slug=slug)

    def title(self, obj):
        if obj is None:
            return _("Medborgarlöften i hela landet")
        return _("Medborgarlöfte – %(kommun)s") % {"kommun": obj.name}

    def subtitle(self, obj):
        return _("Genomförda insatser och uppföljningar av polisens och kommunens löften.")

    def link(self, obj):
        return obj.get_absolute_url() if obj is not None else reverse("pledges:home")

    def feed_url(self, obj):
        if obj is None:
            return reverse("reports:feed")
        return reverse("reports:municipality_feed", args=[obj.slug])

    def author_name(self, obj):
        return _("Polisen och kommunen")

    def items(self, obj):
        activities = list(selectors.feed_activities(obj, limit=self.limit))
        follow_ups = list(selectors.public_follow_ups(obj, limit=10))
        return sorted(activities + follow_ups, key=lambda item: item.created_at, reverse=True)[
            : self.limit
        ]

    def item_title(self, item):
        if isinstance(item, FollowUp):
            return _("Uppföljning: %(title)s") % {"title": item.title}
        prefix = _("Exempel: ") if item.is_example else ""
        return _("%(prefix)s%(commitment)s – %(quantity)s st, %(date)s") % {
            "prefix": prefix,
            "commitment": str(item.commitment),
            "quantity": item.quantity,
            "date": item.date.isoformat(),
        }

    def item_description(self, item):
        if isinstance(item, FollowUp):
            return item.summary
        parts = [item.description, item.place and _("Plats: %(place)s") % {"place": item.place}]
        if item.is_example:
            parts.insert(0, _("Påhittat exempel för demonstration."))
        return "\n".join(part for part in parts if part)

    def item_link(self, item):
        if isinstance(item, FollowUp):
            return item.pledge.get_absolute_url() + f"#uppfoljning-{item.pk}"
        commitment = item.commitment
        pledge = commitment.pledge
        return reverse(
            "pledges:commitment", args=[pledge.municipality.slug, pledge.slug, commitment.pk]
        )

    def item_guid(self, item):
        kind = "uppfoljning" if isinstance(item, FollowUp) else "insats"
        return f"tag:medborgarlofte,2026:{kind}/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        if isinstance(item, Activity):
            return item.updated_at
        return item.created_at

    def item_categories(self, item):
        if isinstance(item, FollowUp):
            return [_("Uppföljning")]
        return [_("Genomförd insats")]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Atom requires a feed-level <updated>; an empty feed would otherwise say "now" at
        # every request, which defeats caching.
        if not feed.items:
            feed.feed["updateddate"] = timezone.make_aware(datetime.datetime(2017, 1, 1))
        return feed


country_feed = ActivityFeed()
municipality_feed = ActivityFeed()
