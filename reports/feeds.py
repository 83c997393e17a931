"""Atom feeds: new activities, follow-ups and safety walks, per kommun and for the whole
country.

Only published löften; items carry public fields only (never internal notes, authors or
walk sign-ups). A walk is dated by its last change, so a planned walk returns to the top
of the feed when it has been held and its findings recorded.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core.siteurl import site_url
from dialogues.models import SafetyWalk
from pagecache.pages import municipality_scopes, nation_scopes, public_page
from pledges.models import Activity, FollowUp, Municipality
from reports import selectors


def feed_time(item):
    return item.updated_at if isinstance(item, SafetyWalk) else item.created_at


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
        return _(
            "Genomförda insatser, uppföljningar och trygghetsvandringar kring polisens och "
            "kommunens löften."
        )

    # Every link absolute on SITE_URL, so Django's Feed adds no request Host to them: a
    # feed is kept in the page cache and served to everyone (core/siteurl.py).

    def link(self, obj):
        return site_url(obj.get_absolute_url() if obj is not None else reverse("pledges:home"))

    def feed_url(self, obj):
        if obj is None:
            return site_url(reverse("reports:feed"))
        return site_url(reverse("reports:municipality_feed", args=[obj.slug]))

    def author_name(self, obj):
        return _("Polisen och kommunen")

    def items(self, obj):
        activities = list(selectors.feed_activities(obj, limit=self.limit))
        follow_ups = list(selectors.public_follow_ups(obj, limit=10))
        walks = list(selectors.feed_walks(obj, limit=10))
        return sorted(activities + follow_ups + walks, key=feed_time, reverse=True)[: self.limit]

    def walk_title(self, walk):
        values = {
            "prefix": _("Exempel: ") if walk.is_example else "",
            "area": walk.area,
            "date": timezone.localtime(walk.starts_at).date().isoformat(),
        }
        if walk.status == SafetyWalk.Status.HELD:
            return _("%(prefix)sTrygghetsvandring genomförd: %(area)s, %(date)s") % values
        return _("%(prefix)sTrygghetsvandring planerad: %(area)s, %(date)s") % values

    def walk_description(self, walk):
        start = timezone.localtime(walk.starts_at)
        parts = [_("Påhittat exempel för demonstration.") if walk.is_example else ""]
        if walk.status == SafetyWalk.Status.HELD:
            if walk.participants:
                parts.append(_("Deltagare: %(count)s") % {"count": walk.participants})
            parts.append(
                _("%(fixed)s av %(total)s iakttagelser åtgärdade.")
                % {"fixed": walk.findings_fixed, "total": walk.findings_total}
            )
            parts.append(walk.report)
        else:
            parts.append(
                _("Samling %(time)s vid %(place)s.")
                % {"time": start.strftime("%Y-%m-%d %H:%M"), "place": walk.meeting_point}
            )
            parts.append(walk.description)
        return "\n".join(part for part in parts if part)

    def item_title(self, item):
        if isinstance(item, SafetyWalk):
            return self.walk_title(item)
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
        if isinstance(item, SafetyWalk):
            return self.walk_description(item)
        if isinstance(item, FollowUp):
            return item.summary
        parts = [item.description, item.place and _("Plats: %(place)s") % {"place": item.place}]
        if item.is_example:
            parts.insert(0, _("Påhittat exempel för demonstration."))
        return "\n".join(part for part in parts if part)

    def item_link(self, item):
        if isinstance(item, SafetyWalk):
            return site_url(item.get_absolute_url())
        if isinstance(item, FollowUp):
            return site_url(item.pledge.get_absolute_url() + f"#uppfoljning-{item.pk}")
        commitment = item.commitment
        pledge = commitment.pledge
        return site_url(
            reverse(
                "pledges:commitment", args=[pledge.municipality.slug, pledge.slug, commitment.pk]
            )
        )

    def item_guid(self, item):
        if isinstance(item, SafetyWalk):
            kind = "trygghetsvandring"
        else:
            kind = "uppfoljning" if isinstance(item, FollowUp) else "insats"
        return f"tag:medborgarlofte,2026:{kind}/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        if isinstance(item, (Activity, SafetyWalk)):
            return item.updated_at
        return item.created_at

    def item_categories(self, item):
        if isinstance(item, SafetyWalk):
            return [_("Trygghetsvandring")]
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


# Public pages: validators from the content versions, the rendered feed cached per version.
country_feed = public_page(nation_scopes)(ActivityFeed())
municipality_feed = public_page(municipality_scopes)(ActivityFeed())
