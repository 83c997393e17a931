"""Figures the national pages show, summed per kommun so that a write recounts one
kommun: home's figures and map, the kommuner's commitment states (home, police areas) and
the open data's totals. Each is kept by the page cache (pagecache.store) under the content
versions it is made from."""

import datetime
import hashlib

from django.db.models import Count
from django.utils import timezone

from pagecache.store import cached, kept, per_municipality, time_step
from pagecache.versions import (
    NATION,
    REFERENCE,
    municipality_text_scope,
    municipality_versions,
    versions,
)
from pledges import maps
from pledges.models import Municipality, Pledge
from pledges.progress import State

NO_OUTCOME = State.NO_OUTCOME


def municipality_states(pledges_by_municipality, today):
    """{kommun slug: {state: count}} for {kommun slug: [current pledge id, ...]}, each
    kommun's counts kept under its own version (`per_municipality`): after a write only that
    kommun's are counted again (a sum over its activities), not the nation's. One query for
    the versions (every kommun's: a quarter of the time of naming 290 in the query), one
    cache round trip, one query for the kommuner counted again."""
    reference, found = municipality_versions()
    # Bulk loads move the reference version only. The löften are in the stamp: a scheduled
    # publication makes another one public without a write, and only that kommun is counted
    # again (the time step is not in the key: it would recount the nation every five
    # minutes, in every process).
    stamps = {
        slug: (found.get(slug, 0), tuple(sorted(pks)))
        for slug, pks in pledges_by_municipality.items()
    }
    return per_municipality(
        f"municipality-states:{reference}:{today}",
        stamps,
        lambda slugs: Pledge.objects.states_by_municipality(
            {slug: pledges_by_municipality[slug] for slug in slugs}, today
        ),
    )


def states_on(today):
    """`states_of` for `Pledge.objects.national_summary` and the police area page: each
    kommun's states on `today`, kept under its version (`municipality_states`)."""
    return lambda pledges_by_municipality: municipality_states(pledges_by_municipality, today)


# How far back a kommun's publications are looked at again when counts kept in the cache
# are read (seconds): the rows were selected a moment before the counts were made, so a
# löfte that came due in between is counted again rather than missed.
PUBLICATION_MARGIN = 60


def count_by_municipality(queryset, path, name, *, count_all=None):
    """The number of rows of `queryset` (public rows: none outside a public löfte), summed
    over kommuner (`path` leads from a row to its kommun's slug), each kommun's count kept
    in the cache under its version (`name` says what `queryset` selects). After a write only
    that kommun's rows are counted again, not a million; so are those of a kommun where a
    löfte scheduled for publication has come due since the counts were made.

    One query for the versions (a few hundred small rows), one cache round trip, one for
    the publications that came due, and one grouped count of the kommuner counted again
    (none when no kommun changed). When nothing is kept, every kommun is counted: by
    `count_all()` ({slug: count}) when given, else by grouping `queryset`.
    """
    now = timezone.now()
    reference, versions_now = municipality_versions()
    # Hashed: `name` may hold anything a cache key may not (spaces, a long filter).
    key = f"count:{hashlib.sha256(name.encode()).hexdigest()[:32]}:{reference}"

    def counted(rows):
        return dict(rows.order_by().values_list(path).annotate(n=Count("pk")))

    known = kept.get(key)
    if known is None:
        counts = count_all() if count_all else counted(queryset)
    else:
        counts = known["counts"]
        since = known["at"] - datetime.timedelta(seconds=PUBLICATION_MARGIN)
        due = Pledge.objects.public(now).filter(published_at__gt=since)
        # A kommun with no version row: 0 (`municipality_versions`).
        again = {
            slug
            for slug in versions_now.keys() | known["versions"].keys()
            if versions_now.get(slug, 0) != known["versions"].get(slug, 0)
        }
        again.update(due.values_list("municipality__slug", flat=True))
        if not again:
            return sum(counts.values())
        counts = {slug: n for slug, n in counts.items() if slug not in again}
        counts.update(counted(queryset.filter(**{f"{path}__in": again})))
    kept.set(key, {"at": now, "versions": versions_now, "counts": counts})
    return sum(counts.values())


def map_places(today):
    """`maps.places()` of every kommun, cached under the reference version and every kommun's
    text version (a logged activity, the most common write, leaves the map as it was), the
    date and the time step (a löfte scheduled for publication): one small query when
    cached, two when not."""
    reference, found = municipality_versions(municipality_text_scope)
    digest = hashlib.sha256(repr((reference, sorted(found.items()))).encode()).hexdigest()[:32]
    key = f"map-places:{digest}:{today}:{time_step()}"
    return cached(key, lambda: maps.places(today=today))


def home_summary(content_versions=None):
    """The home page's figures: the kommuner with a current löfte and the state of their
    commitments (a progress.Summary), the number of kommuner and each kommun's place on the
    map (`map_places`). On a miss: the current löften, the states (`municipality_states`:
    two queries, one when no kommun's counts moved), the number of kommuner and the map
    (one query, two when a löfte's text, dates or publication moved); none on a hit (plus
    one to read the versions when the caller has not).

    Keyed by the national and reference versions, which every write moves, and by the date
    and time step, because "current", "by today" and scheduled publications change with
    time: every worker and host agrees at once after a write.
    """
    found = content_versions or versions([NATION, REFERENCE])
    today = timezone.localdate()
    key = f"national-figures:{found[NATION]}:{found[REFERENCE]}:{today}:{time_step()}"

    def figures():
        summary = Pledge.objects.national_summary(today, states_of=states_on(today))
        return {
            "summary": summary,
            "municipality_total": Municipality.objects.count(),
            "map_places": map_places(today),
            # Home is never empty: with no current löfte anywhere, the latest ones.
            "recent": [] if summary.municipalities else recent_pledges(today),
        }

    return cached(key, figures)


RECENT_PLEDGES = 10


def recent_pledges(today):
    """The most recently started public löfte of each kommun (at most `RECENT_PLEDGES`), as
    home lists them when no löfte is current: title, kommun, period and where it stands
    (to come, or ended with its outcome or none reported). One query."""
    rows = []
    for pledge in Pledge.objects.latest_per_municipality(RECENT_PLEDGES):
        outcome = pledge.outcome_summary(today)
        rows.append(
            {
                "title": pledge.title,
                "url": pledge.get_absolute_url(),
                "municipality": pledge.municipality.name,
                "start": pledge.start_date,
                "end": pledge.end_date,
                "period_stated": pledge.period_stated,
                "upcoming": not pledge.has_started(today),
                "ended": pledge.has_ended(today),
                # The outcomes reported; none when every one is still to be reported.
                "outcome_rows": [
                    row for row in (outcome.rows() if outcome else []) if row[0] != NO_OUTCOME
                ],
                "is_demo": pledge.is_demo,
                "is_example": pledge.is_example,
            }
        )
    return rows
