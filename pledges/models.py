"""The domain of medborgarlöften: where they apply, what they promise, and what was done.

Names in code are English; labels are Swedish through gettext (see docs/product.md).
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxLengthValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pagecache.versions import PublicContentMixin, PublicContentQuerySet
from pledges import progress
from pledges.dates import add_months
from pledges.sorting import swedish_sorted
from pledges.text import shorten
from pledges.validators import validate_pdf_content, validate_pdf_size


def same_text(a, b):
    """Whether two non-empty texts are the same apart from whitespace and line endings (a
    browser posts a textarea with CRLF)."""
    a, b = " ".join((a or "").split()), " ".join((b or "").split())
    return bool(a) and a == b


def lines(text):
    """The non-empty lines of a free-text list field ("one per line")."""
    return [line.strip(" •-\t") for line in (text or "").splitlines() if line.strip(" •-\t")]


# --- Reference data ---------------------------------------------------------------------


class PoliceRegionQuerySet(PublicContentQuerySet):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class PoliceRegion(PublicContentMixin, models.Model):
    """One of the Police Authority's seven regions (polisregion)."""

    content_scope = ("reference", None)

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=100, unique=True)

    objects = PoliceRegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("polisregion")
        verbose_name_plural = _("polisregioner")

    def __str__(self):
        return f"Polisregion {self.name}"

    def natural_key(self):
        return (self.name,)


class CountyQuerySet(PublicContentQuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def with_municipalities(self):
        """Län with their kommuner, for the home page: two queries."""
        return self.prefetch_related(
            models.Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
        )


class County(PublicContentMixin, models.Model):
    """A län, with its two-digit SCB code."""

    content_scope = ("reference", None)

    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    police_region = models.ForeignKey(
        PoliceRegion,
        verbose_name=_("polisregion"),
        on_delete=models.PROTECT,
        related_name="counties",
        null=True,
        blank=True,
    )

    objects = CountyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class MunicipalityQuerySet(PublicContentQuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def search(self, query):
        """Kommuner matching what a resident typed, forgiving missing å, ä and ö:
        "kungalv" finds Kungälv because slugs are ASCII."""
        folded = slugify(query)
        condition = Q(name__icontains=query)
        if folded:
            condition |= Q(slug__contains=folded)
        return self.filter(condition).select_related("county").order_by("name")

    def with_pledge_state(self, today=None):
        """Kommuner with what the national map shows of them (`pledge_state`): whether
        they have a published löfte running today, one still to come, only ended ones, or
        none. One query, whatever the number of kommuner and löften."""
        today = today or timezone.localdate()
        # The demo's invented next löften (`is_example`) are no kommun's löfte on the map.
        published = Pledge.objects.public().filter(
            municipality=models.OuterRef("pk"), is_example=False
        )
        return self.annotate(
            has_current_pledge=models.Exists(published.current(today)),
            has_upcoming_pledge=models.Exists(published.filter(start_date__gt=today)),
            has_ended_pledge=models.Exists(published.ended(today)),
        )

    def with_county_standing(self, today=None):
        """Kommuner with `county_current` and `county_total` (`county_standing()`) and their
        län, in the same query: the kommun page's line among its län's kommuner."""
        return self.select_related("county").annotate(**county_standing("county", today))

    def national_picture(self, today=None, states_of=None):
        """The kommuner as /nationellt/ counts them (pledges.national sums them per län,
        region and country): every kommun with its län and police region
        (`county.police_region`) and

        - `has_current_pledge`: a public löfte runs on `today`;
        - `has_recent_pledge`: a public löfte ended in the twelve months before `today`;
        - `has_demo_pledge`: one of those is demo data;
        - `kind_counts` and `state_counts`: the public commitments of its current löften
          counted by `Commitment.Kind` and by state on `today`.

        Three queries (kommuner, commitments by kind, current löften) and the states:
        `states_of` as for `Pledge.objects.national_summary()` (pledges.figures keeps each
        kommun's under its own version), by default one query over their activities.
        """
        today = today or timezone.localdate()
        since = add_months(today, -12)
        # The demo's invented next löften (`is_example`) are no kommun's löfte here either.
        published = Pledge.objects.public().filter(
            municipality=models.OuterRef("pk"), is_example=False
        )
        municipalities = list(
            self.select_related("county__police_region")
            .annotate(
                has_current_pledge=models.Exists(published.current(today)),
                has_recent_pledge=models.Exists(
                    published.filter(end_date__lt=today, end_date__gte=since)
                ),
                has_demo_pledge=models.Exists(
                    published.filter(is_demo=True, start_date__lte=today, end_date__gte=since)
                ),
            )
            .order_by("name")
        )
        kinds = {}
        for municipality_id, kind, count in (
            Commitment.objects.public()
            .filter(
                pledge__start_date__lte=today,
                pledge__end_date__gte=today,
                pledge__is_example=False,
            )
            .order_by()
            .values_list("pledge__municipality_id", "kind")
            .annotate(n=models.Count("pk"))
        ):
            kinds.setdefault(municipality_id, {})[kind] = count
        pledges_by_kommun = {}
        for pk, slug in (
            Pledge.objects.public()
            .current(today)
            .filter(is_example=False)
            .values_list("pk", "municipality__slug")
        ):
            pledges_by_kommun.setdefault(slug, []).append(pk)
        if states_of is None:
            states = Pledge.objects.states_by_municipality(pledges_by_kommun, today)
        else:
            states = states_of(pledges_by_kommun)
        for municipality in municipalities:
            municipality.kind_counts = kinds.get(municipality.pk, {})
            municipality.state_counts = states.get(municipality.slug, {})
        return municipalities


class PledgeState(models.TextChoices):
    """A kommun's state on the map; the labels complete "Kungälv: aktuellt löfte"."""

    CURRENT = "current", _("aktuellt löfte")
    UPCOMING = "upcoming", _("kommande löfte")
    ENDED = "ended", _("löftet har gått ut, inget nytt")
    NONE = "none", _("inget löfte i portalen")


class Municipality(PublicContentMixin, models.Model):
    """A kommun, with its four-digit SCB code (kommunkod)."""

    content_scope = ("reference", None)

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=100, unique=True)
    county = models.ForeignKey(
        County, verbose_name=_("län"), on_delete=models.PROTECT, related_name="municipalities"
    )
    personal_data_retention_months = models.PositiveSmallIntegerField(
        _("gallringstid för personuppgifter (månader)"),
        default=12,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Namn, e-postadresser och telefonnummer i synpunkter och anmälningar tas bort "
            "när de är äldre än så här. Kommunens arkivregler avgör tiden."
        ),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pledges:municipality", args=[self.slug])

    @property
    def pledge_state(self):
        """A PledgeState; needs `Municipality.objects.with_pledge_state()`."""
        if self.has_current_pledge:
            return PledgeState.CURRENT
        if self.has_upcoming_pledge:
            return PledgeState.UPCOMING
        if self.has_ended_pledge:
            return PledgeState.ENDED
        return PledgeState.NONE

    def natural_key(self):
        return (self.code,)


class PoliceAreaQuerySet(PublicContentQuerySet):
    def get_public_page(self, today=None, states_of=None, **lookup):
        """One police area for its public page: the area with its kommuner, and on each
        kommun `current_pledge` (its current published löfte or None) and `summary` (the
        state of that löfte's commitments). Four queries, whatever the size and even when
        no kommun has a löfte. Raises PoliceArea.DoesNotExist.

        `states_of` as for `Pledge.objects.national_summary()` (pledges.figures keeps each
        kommun's counts under its own version)."""
        today = today or timezone.localdate()
        area = (
            self.select_related("region")
            .prefetch_related(
                models.Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
            )
            .get(**lookup)
        )
        current = (
            Pledge.objects.public()
            .current(today)
            .filter(municipality__police_areas=area, is_example=False)
        )
        pledges = {}
        for pledge in current.for_listing().order_by("-start_date"):
            pledges.setdefault(pledge.municipality_id, pledge)
        # Each kommun's page shows its latest current löfte; so does the area's.
        shown = {pledge.municipality.slug: [pledge.pk] for pledge in pledges.values()}
        states = (states_of or Pledge.objects.states_by_municipality)(shown)
        for municipality in area.municipalities.all():
            municipality.current_pledge = pledges.get(municipality.pk)
            municipality.summary = None
            if municipality.current_pledge:
                municipality.summary = progress.Summary(states=states.get(municipality.slug, {}))
        return area

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PoliceArea(PublicContentMixin, models.Model):
    """A lokalpolisområde (LPO). It covers one or several kommuner."""

    content_scope = ("reference", None)

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=100, unique=True)
    police_district = models.CharField(
        _("polisområde"), max_length=100, blank=True, help_text=_("Till exempel Fyrbodal.")
    )
    region = models.ForeignKey(
        PoliceRegion, verbose_name=_("polisregion"), on_delete=models.PROTECT, related_name="areas"
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("kommuner"), related_name="police_areas", blank=True
    )

    objects = PoliceAreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("lokalpolisområde")
        verbose_name_plural = _("lokalpolisområden")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pledges:police_area", args=[self.slug])

    @property
    def short_name(self):
        """The name without a leading "Lokalpolisområde" ("Kungälv/Ale"), for sentences
        that say "lokalpolisområde" themselves."""
        prefix = "lokalpolisområde "
        if self.name.lower().startswith(prefix):
            return self.name[len(prefix) :].strip() or self.name
        return self.name

    def natural_key(self):
        return (self.slug,)


class PartnerQuerySet(PublicContentQuerySet):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Partner(PublicContentMixin, models.Model):
    """An organisation beyond the police and the kommun that takes part (e.g. Kriminalvården)."""

    content_scope = ("reference", None)

    name = models.CharField(_("namn"), max_length=200, unique=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("samverkanspart")
        verbose_name_plural = _("samverkansparter")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


# --- Pledges --------------------------------------------------------------------------


# A commitment's stored outcome values, "" for none reported (Commitment.Outcome).
OUTCOME_VALUES = ("fulfilled", "partly", "not_fulfilled", "")


class PledgeQuerySet(PublicContentQuerySet):
    def public(self, now=None):
        """Löften the public sees: published, due, and not archived. The one visibility
        rule: `Commitment.objects.public()` and `Activity.objects.public()` build on it, and
        every public output (pages, API, CSV, feeds, walk pages) reads through them."""
        now = now or timezone.now()
        return self.active().filter(status=Pledge.Status.PUBLISHED, published_at__lte=now)

    def active(self):
        """Not archived. Published löften are archived instead of deleted (nothing lost)."""
        return self.filter(archived_at__isnull=True)

    def current(self, today=None):
        """Löften whose period includes today."""
        today = today or timezone.localdate()
        return self.filter(start_date__lte=today, end_date__gte=today)

    def ended(self, today=None):
        today = today or timezone.localdate()
        return self.filter(end_date__lt=today)

    @staticmethod
    def _outcome_counts():
        active = Q(commitments__archived_at__isnull=True)
        return {
            f"outcome_count_{value or 'none'}": models.Count(
                "commitments", filter=active & Q(commitments__outcome=value)
            )
            for value in OUTCOME_VALUES
        }

    def for_listing(self):
        """Light rows for lists of löften ("tidigare löften"), newest first: no texts, no
        prefetches; each annotated with its commitments counted by outcome
        (`outcome_summary()`), in the same query."""
        return (
            self.select_related("municipality")
            .annotate(**self._outcome_counts())
            .order_by("-start_date", "-id")
            .only(
                "id",
                "title",
                "slug",
                "start_date",
                "end_date",
                "period_stated",
                "is_demo",
                "is_example",
                "municipality__slug",
                "municipality__name",
            )
        )

    def with_county_standing(self, today=None):
        """Löften with their kommun's län, `county_current` and `county_total`
        (`county_standing()`), in the same query."""
        return self.select_related("municipality__county").annotate(
            **county_standing("municipality__county", today)
        )

    def latest_per_municipality(self, limit=10, now=None):
        """The most recently started public löfte of each kommun, newest first, at most
        `limit` (`for_listing()` rows, counted by outcome): what home lists when no löfte
        is current anywhere. One query."""
        latest = (
            Pledge.objects.public(now)
            .filter(municipality=models.OuterRef("municipality"), is_example=False)
            .order_by("-start_date", "-id")
            .values("pk")[:1]
        )
        return self.public(now).filter(pk=models.Subquery(latest)).for_listing()[:limit]

    def for_municipality_page(self):
        """A kommun's löften for its page, newest first, in one query: whole rows with their
        kommun and police area, counted by outcome like `for_listing()`. The page shows one
        of them in full (`prefetch_page()` adds its lists) and lists the others."""
        return (
            self.select_related("municipality", "police_area")
            .annotate(**self._outcome_counts())
            .order_by("-start_date", "-id")
        )

    @staticmethod
    def _page_lists():
        return (
            models.Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "id")),
            models.Prefetch("commitments", queryset=Commitment.objects.public().with_achieved()),
        )

    def for_public_page(self):
        """The shape of a löfte's public page: the löfte with its kommun and police area,
        its focus areas and its commitments with `achieved` (three queries). What no
        activity changes (partners, signatories, contacts, extensions, decisions, follow-ups
        with their notes) is read by `prefetch_about()`, only for a page part that is not
        in the cache (pledges.templatetags.fragments)."""
        return self.select_related("municipality", "police_area").prefetch_related(
            *self._page_lists()
        )

    def prefetch_page(self, pledge):
        """Adds `for_public_page()`'s lists to a löfte read otherwise, the commitments with
        `achieved` as now (two queries). The page caches them under its kommun's text
        version, which no activity moves: a copy read from the cache gets
        `attach_achieved()` instead, which sets every commitment's sums afresh. The löfte's
        problems and their indicators come with them (`attach_problems()`, five queries)."""
        models.prefetch_related_objects([pledge], *self._page_lists())
        attach_problems(pledge)
        return pledge

    def attach_achieved(self, pledge):
        """Sets `achieved` and `last_activity_date` (as `Commitment.objects.with_achieved()`
        would) on the prefetched commitments of `pledge`: one query, also for none."""
        commitments = list(pledge.commitments.all())
        totals = {
            row["commitment"]: row
            for row in Activity.objects.filter(commitment__pledge=pledge)
            .order_by()
            .values("commitment")
            .annotate(achieved=models.Sum("quantity"), last=models.Max("date"))
        }
        for commitment in commitments:
            row = totals.get(commitment.pk, {})
            commitment.achieved = row.get("achieved") or 0
            commitment.last_activity_date = row.get("last")
        return pledge

    def get_public_page(self, **lookup):
        """One löfte for its public page (`for_public_page()`). Raises Pledge.DoesNotExist.
        The latest activities come from `Activity.objects.latest_public_for(pledge)`."""
        return self.for_public_page().get(**lookup)

    @staticmethod
    def prefetch_about(pledge):
        """Attaches the rest of a public page's löfte (from `get_public_page()`): one query
        per list (partners, signatories, contacts, extensions, decisions), and its
        follow-ups as `follow_up_list`, newest first, each with its notes as `note_list`
        with their commitments, in one more query (follow-ups joined to their notes), so
        every löfte's page runs the same number."""
        models.prefetch_related_objects(
            [pledge],
            models.Prefetch("partners", queryset=Partner.objects.order_by("name")),
            # Ordered without the models' leading "pledge", which joins the löfte and kommun.
            models.Prefetch("signatories", queryset=Signatory.objects.order_by("order", "id")),
            models.Prefetch("contacts", queryset=Contact.objects.order_by("order", "id")),
            models.Prefetch("extensions", queryset=PledgeExtension.objects.order_by("created_at")),
            models.Prefetch("decisions", queryset=PledgeDecision.objects.order_by("created_at")),
        )
        commitments = {commitment.pk: commitment for commitment in pledge.commitments.all()}
        # One row per follow-up and note, one with no note for a follow-up without any.
        rows = (
            FollowUp.objects.approved()
            .filter(pledge=pledge)
            .annotate(
                note_pk=models.F("notes__id"),
                note_commitment_id=models.F("notes__commitment_id"),
                note_text=models.F("notes__note"),
            )
            .order_by("-date", "-id")
        )
        follow_ups = {}
        for row in rows:
            if row.pk not in follow_ups:
                row.note_list = []
                follow_ups[row.pk] = row
            follow_up = follow_ups[row.pk]
            if row.note_commitment_id in commitments:
                note = FollowUpNote(
                    id=row.note_pk,
                    follow_up=follow_up,
                    commitment=commitments[row.note_commitment_id],
                    note=row.note_text,
                )
                follow_up.note_list.append(note)
        for follow_up in follow_ups.values():
            follow_up.note_list.sort(key=lambda n: (n.commitment.order, n.pk))
        pledge.follow_up_list = list(follow_ups.values())
        return pledge

    def national_summary(self, today=None, states_of=None):
        """Figures for the home page: kommuner with a current published löfte (counted and
        named) and the state of their commitments, summed over the kommuner.

        `states_of(pledges_by_municipality)` gives {kommun slug: {state: count}} for
        {kommun slug: [pledge id, ...]} (pledges.figures keeps each kommun's counts under its
        own version); by default one query counts them all. States come from the pure
        progress functions."""
        today = today or timezone.localdate()
        rows = list(
            self.public()
            .current(today)
            .filter(is_example=False)  # the demo's invented next löften are no kommun's
            .values_list("pk", "municipality__name", "municipality__slug", "is_demo")
        )
        named = {(name, slug) for _pk, name, slug, _demo in rows}
        pledges_by_municipality = {}
        for pk, _name, slug, _demo in rows:
            pledges_by_municipality.setdefault(slug, []).append(pk)
        states = {}
        for counts in (states_of or self.states_by_municipality)(pledges_by_municipality).values():
            for state, count in counts.items():
                states[state] = states.get(state, 0) + count
        return progress.Summary(
            municipalities=len(named),
            states=states,
            demo=any(demo for *_rest, demo in rows),
            named=tuple(swedish_sorted(named, key=lambda pair: pair[0])),
        )

    def states_by_municipality(self, pledges_by_municipality, today=None):
        """{kommun slug: {state: count}} over the public commitments of the löften in
        {kommun slug: [pledge id, ...]}: one query (none for no löften)."""
        municipality_of = {pk: slug for slug, pks in pledges_by_municipality.items() for pk in pks}
        counts = {slug: {} for slug in pledges_by_municipality}
        if not municipality_of:
            return counts
        summaries = (
            Commitment.objects.public()
            .filter(pledge__in=list(municipality_of))
            .state_summaries(today)
        )
        for pledge_id, summary in summaries.items():
            mine = counts[municipality_of[pledge_id]]
            for state, count in summary.states.items():
                mine[state] = mine.get(state, 0) + count
        return counts


def county_standing(county_path, today=None):
    """Annotations placing a row's kommun among its län's kommuner (`county_path` leads to
    the län): `county_current`, how many of the län's kommuner have a public löfte running
    on `today`, and `county_total`, how many kommuner the län has. Two subqueries."""
    today = today or timezone.localdate()
    in_county = (
        Municipality.objects.filter(county=models.OuterRef(county_path)).order_by().values("county")
    )
    current = (
        Pledge.objects.public()
        .current(today)
        .filter(municipality=models.OuterRef("pk"), is_example=False)
    )
    count = models.Count("pk")
    return {
        "county_current": models.functions.Coalesce(
            models.Subquery(in_county.filter(models.Exists(current)).annotate(n=count).values("n")),
            0,
        ),
        "county_total": models.functions.Coalesce(
            models.Subquery(in_county.annotate(n=count).values("n")), 0
        ),
    }


class Pledge(PublicContentMixin, models.Model):
    """A medborgarlöfte: what the police and a kommun promise residents for a period."""

    content_scope = ("pledge", "")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerat")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="pledges"
    )
    police_area = models.ForeignKey(
        PoliceArea,
        verbose_name=_("lokalpolisområde"),
        on_delete=models.PROTECT,
        related_name="pledges",
        null=True,
        blank=True,
    )
    police_partner_name = models.CharField(
        _("polisens part (text)"),
        max_length=200,
        blank=True,
        help_text=_(
            "Om lokalpolisområdet ännu inte finns i portalen: skriv dess namn här, till "
            "exempel ”Lokalpolisområde Södertälje”. Koppla området när det finns."
        ),
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("föregående löfte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_pledges",
        editable=False,
        help_text=_("Löftet som detta skapades från med ”Nästa löfte från detta”."),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    slug = models.SlugField(
        _("kortnamn i adressen"),
        max_length=100,
        help_text=_("Unikt inom kommunen, till exempel 2025-2026."),
    )
    start_date = models.DateField(_("gäller från"))
    end_date = models.DateField(
        _("gäller till och med"), help_text=_("Förläng perioden med åtgärden i listan.")
    )
    period_stated = models.BooleanField(
        _("perioden anges i källan"),
        default=True,
        help_text=_(
            "Kryssa ur om det publicerade löftet inte anger någon period. Sidan skriver då "
            "”Perioden anges inte i källan” i stället för datumen, som bara används för "
            "ordningen."
        ),
    )
    introduction = models.TextField(
        _("inledning"), blank=True, help_text=_("Visas överst på löftets sida.")
    )
    background = models.TextField(
        _("lägesbild och problembild"),
        blank=True,
        help_text=_("Vad löftet bygger på: trygghetsmätningar, medborgardialoger, polisens bild."),
    )
    goals = models.TextField(_("mål"), blank=True, help_text=_("Ett mål per rad."))
    focus_places = models.TextField(
        _("fokusplatser"),
        blank=True,
        help_text=_("En plats per rad, till exempel Nordmannatorget."),
    )
    partners = models.ManyToManyField(
        Partner,
        verbose_name=_("samverkansparter"),
        blank=True,
        related_name="pledges",
        help_text=_("Organisationer utöver polisen och kommunen som deltar i arbetet."),
    )
    follow_up_schedule = models.CharField(
        _("uppföljning"),
        max_length=200,
        blank=True,
        help_text=_("Hur ofta löftet följs upp, till exempel ”två gånger per år”."),
    )
    follow_up_description = models.TextField(
        _("om uppföljningen"), blank=True, help_text=_("Hur uppföljningen går till och redovisas.")
    )
    document = models.FileField(
        _("dokument (PDF)"),
        upload_to="lofte/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf_size, validate_pdf_content],
        help_text=_("Det undertecknade löftet som PDF, högst 20 MB."),
    )
    source_url = models.URLField(
        _("källa"), blank=True, help_text=_("Var löftet publicerades ursprungligen.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publiceras"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt för att publicera direkt, eller välj en tid i framtiden."),
    )
    is_demo = models.BooleanField(
        _("exempeldata"),
        default=False,
        help_text=_("Löftet är demonstrationsdata; sidan visar det tydligt."),
    )
    is_example = models.BooleanField(
        _("påhittat exempellöfte"),
        default=False,
        help_text=_(
            "Hela löftet är ett påhittat exempel (demonstrationens nästa löfte), inte ett "
            "publicerat medborgarlöfte. Sidor, rapporter och API säger det."
        ),
    )
    archived_at = models.DateTimeField(
        _("arkiverat"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Ett publicerat löfte tas inte bort utan arkiveras och visas inte längre."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "-start_date"]
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="pledge_slug_unique_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("end_date")),
                name="pledge_start_before_end",
                violation_error_message=_("Perioden måste börja innan den slutar."),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "start_date", "end_date"]),
        ]

    def __str__(self):
        return f"{self.municipality.name}: {self.title}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        stored = getattr(self, "_stored_document", None)
        if stored and stored != self.document.name:
            remove_document_file(stored, keep_pk=self.pk)
        self._stored_document = self.document.name

    def get_absolute_url(self):
        return reverse("pledges:pledge", args=[self.municipality.slug, self.slug])

    def delete(self, *args, **kwargs):
        name = self.document.name
        result = super().delete(*args, **kwargs)
        if name:
            remove_document_file(name, keep_pk=None)
        return result

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # The stored document's name, so that a replaced file can be removed on save.
        instance._stored_document = dict(zip(field_names, values, strict=False)).get("document")
        return instance

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def has_ended(self, today=None):
        return self.end_date < (today or timezone.localdate())

    def has_started(self, today=None):
        return self.start_date <= (today or timezone.localdate())

    def goal_list(self):
        return lines(self.goals)

    # The introduction shows its first paragraphs up to about this many characters (a few
    # lines on a phone, so the commitments stay on its first screens); the
    # rest is folded under "Läs hela inledningen".
    INTRODUCTION_LEAD_CHARS = 250

    def introduction_parts(self):
        """(lead, rest): the introduction's paragraphs shown at the top of the page, and
        those folded after them (none for a short introduction). At least one is shown."""
        text = (self.introduction or "").replace("\r\n", "\n")
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        shown, length = [], 0
        for paragraph in paragraphs:
            if shown and length + len(paragraph) > self.INTRODUCTION_LEAD_CHARS:
                break
            shown.append(paragraph)
            length += len(paragraph)
        return shown, paragraphs[len(shown) :]

    @property
    def source_domain(self):
        """The host of `source_url` without "www.", for "Hela löftet finns hos …"."""
        from urllib.parse import urlsplit

        host = urlsplit(self.source_url or "").hostname or ""
        return host.removeprefix("www.")

    @property
    def police_partner(self):
        """The police partner as the public reads it: the linked area, else the text."""
        return str(self.police_area) if self.police_area_id else self.police_partner_name

    def introduction_is_copied(self):
        """Whether the introduction is still word for word the previous löfte's, which a
        renewal must not publish unnoticed."""
        if not self.previous_id:
            return False
        return same_text(self.introduction, self.previous.introduction)

    def focus_place_list(self):
        return lines(self.focus_places)

    def is_running(self, today=None):
        return self.has_started(today) and not self.has_ended(today)

    def sections(self):
        """(focus area, its commitments) in order, from prefetched focus areas and commitments;
        commitments without a focus area come last under None."""
        by_area = {}
        for commitment in self.commitments.all():
            by_area.setdefault(commitment.focus_area_id, []).append(commitment)
        sections = [(area, by_area.pop(area.pk, [])) for area in self.focus_areas.all()]
        loose = [c for commitments in by_area.values() for c in commitments]
        if loose:
            sections.append((None, loose))
        return sections

    def outcome_summary(self, today=None):
        """Once the löfte has ended, its commitments counted by their one state (the outcome
        or "Utfall ej redovisat"), from `for_listing()`'s annotations; None before."""
        if not self.has_ended(today):
            return None
        return progress.Summary(
            states={
                progress.ended_state(value): count
                for value in OUTCOME_VALUES
                if (count := getattr(self, f"outcome_count_{value or 'none'}"))
            }
        )

    def state_counts(self, today=None):
        """Counts of prefetched commitments per progress state."""
        today = today or timezone.localdate()
        return progress.count_states(c.state(today) for c in self.commitments.all())


def remove_document_file(name, *, keep_pk):
    """Deletes a löfte's replaced or orphaned PDF from storage once the transaction commits
    (a rolled-back save keeps its file), unless another löfte still points at it."""

    def remove():
        if Pledge.objects.filter(document=name).exclude(pk=keep_pk).exists():
            return
        storage = Pledge._meta.get_field("document").storage
        storage.delete(name)

    transaction.on_commit(remove)


class RecordedDecision(PublicContentMixin, models.Model):
    """A change of a löfte recorded with the decision behind it: the public reads the
    decision's date and body ("Kommunstyrelsen 2018-11-20"), not the day it was entered."""

    content_scope = ("pledge", "pledge")

    decided_on = models.DateField(
        _("beslutsdatum"), null=True, blank=True, help_text=_("När beslutet togs.")
    )
    decided_by = models.CharField(
        _("beslutat av"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel Kommunstyrelsen eller samverkansgruppen."),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["pledge", "created_at"]


class PledgeExtension(RecordedDecision):
    """A recorded extension of a löfte's period (the same löfte kept for another year)."""

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="extensions"
    )
    previous_end_date = models.DateField(_("tidigare slutdatum"))
    new_end_date = models.DateField(_("nytt slutdatum"))
    reason = models.TextField(_("motivering"), blank=True)

    class Meta(RecordedDecision.Meta):
        verbose_name = _("förlängning")
        verbose_name_plural = _("förlängningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_end_date__gt=models.F("previous_end_date")),
                name="extension_moves_end_later",
                violation_error_message=_("En förlängning måste flytta slutdatumet framåt."),
            ),
        ]

    def __str__(self):
        return f"{self.pledge}: {self.previous_end_date} → {self.new_end_date}"


class PledgeDecision(RecordedDecision):
    """A recorded change of a löfte that is not a target change or an extension, such as
    closing it with its outcomes; listed under "Ändringar i löftet" with its decision's
    date."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Löftet avslutat")
        OTHER = "other", _("Annan ändring")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("beskrivning"))

    class Meta(RecordedDecision.Meta):
        verbose_name = _("beslut om löftet")
        verbose_name_plural = _("beslut om löften")

    def __str__(self):
        return f"{self.pledge}: {self.get_kind_display()}"


class PledgePart(PublicContentMixin, models.Model):
    """A part of a löfte's text shown in order on its page: its signatories, contacts and
    focus areas. Each names its `pledge` with its own related name."""

    content_scope = ("pledge", "pledge")

    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["pledge", "order", "id"]


class Signatory(PledgePart):
    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta(PledgePart.Meta):
        verbose_name = _("undertecknare")
        verbose_name_plural = _("undertecknare")

    def __str__(self):
        return self.name


class Contact(PledgePart):
    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(
        _("roll"), max_length=200, blank=True, help_text=_("T.ex. kommunpolis.")
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=50, blank=True)
    email = models.EmailField(_("e-post"), blank=True)

    class Meta(PledgePart.Meta):
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")

    def __str__(self):
        return self.name


class FocusArea(PledgePart):
    """A fokusområde / insatsområde: a heading that groups commitments."""

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)

    history = HistoricalRecords()

    class Meta(PledgePart.Meta):
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")

    def __str__(self):
        return self.title


# Residents must read why a commitment was kept only in part or not at all: the one rule,
# held by a check constraint (and so by every model form, the admin's included) and by the
# staff forms through `Commitment.explanation_missing`.
OUTCOMES_NEEDING_EXPLANATION = ("partly", "not_fulfilled")
EXPLANATION_REQUIRED = _(
    "Skriv en förklaring till allmänheten när ett åtagande bara delvis eller inte uppfylldes."
)


class CommitmentQuerySet(PublicContentQuerySet):
    def active(self):
        """Not archived, in a löfte that is not archived."""
        return self.filter(archived_at__isnull=True, pledge__archived_at__isnull=True)

    def public(self, now=None):
        """Commitments the public sees: not archived, in a public löfte
        (`Pledge.objects.public()`)."""
        return self.filter(
            archived_at__isnull=True, pledge__in=Pledge.objects.public(now).values("pk")
        )

    def with_achieved(self):
        """Annotates `achieved` (sum of activity quantities) and `last_activity_date`."""
        return self.annotate(
            achieved=models.functions.Coalesce(models.Sum("activities__quantity"), 0),
            last_activity_date=models.Max("activities__date"),
        )

    def state_summaries(self, today=None):
        """{pledge id: progress.Summary} for these commitments, in one query: `achieved` is
        summed in the database, the state comes from the pure progress functions."""
        today = today or timezone.localdate()
        rows = (
            self.with_achieved()
            .order_by()
            .values_list(
                "pledge_id",
                "target_kind",
                "target_quantity",
                "interval",
                "status",
                "completed_on",
                "outcome",
                "final_quantity",
                "pledge__start_date",
                "pledge__end_date",
                "achieved",
            )
        )
        states_by_pledge = {}
        for pledge_id, kind, quantity, interval, status, completed_on, outcome, *rest in rows:
            final, start, end, achieved = rest
            state = progress.compute(
                kind=kind,
                quantity=quantity,
                interval=interval,
                start=start,
                end=end,
                achieved=achieved,
                status=status,
                completed=completed_on is not None,
                outcome=outcome,
                final=final,
                today=today,
            ).state
            states_by_pledge.setdefault(pledge_id, []).append(state)
        return {
            pledge_id: progress.count_states(states)
            for pledge_id, states in states_by_pledge.items()
        }

    def for_public_page(self):
        """One commitment's public page: the commitment with `achieved`, its löfte, kommun,
        police area and focus area, responsible partners and follow-up notes."""
        notes = (
            FollowUpNote.objects.filter(follow_up__in=FollowUp.objects.approved().values("pk"))
            .select_related("follow_up")
            .order_by("-follow_up__date", "-follow_up_id")
        )
        return (
            self.public()
            .with_achieved()
            .select_related("pledge__municipality", "pledge__police_area", "focus_area")
            .prefetch_related(
                models.Prefetch("responsible_partners", queryset=Partner.objects.order_by("name")),
                models.Prefetch("follow_up_notes", queryset=notes),
            )
        )


class Commitment(PublicContentMixin, models.Model):
    """An åtagande: one concrete promise in a löfte, with a target of one of four kinds."""

    content_scope = ("pledge", "pledge")

    class TargetKind(models.TextChoices):
        COUNT = "count", _("Antal (t.ex. minst 200 fotpatrulleringar)")
        RECURRING = "recurring", _("Återkommande (t.ex. minst en dag i veckan)")
        MILESTONE = "milestone", _("Milstolpe (görs en gång)")
        QUALITATIVE = "qualitative", _("Löpande arbete (status och beskrivning)")

    class Interval(models.TextChoices):
        WEEK = "week", _("i veckan")
        MONTH = "month", _("i månaden")
        QUARTER = "quarter", _("i kvartalet")
        YEAR = "year", _("om året")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Ej påbörjad")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Genomförd")
        NOT_DONE = "not_done", _("Ej genomförd")

    class Outcome(models.TextChoices):
        FULFILLED = "fulfilled", _("Uppfyllt")
        PARTLY = "partly", _("Delvis uppfyllt")
        NOT_FULFILLED = "not_fulfilled", _("Ej uppfyllt")

    class Kind(models.TextChoices):
        """What kind of work a commitment promises, for the national picture."""

        PRESENCE = "presence", _("Närvaro och patrullering")
        TRAFFIC = "traffic", _("Trafikkontroller")
        SAFETY_WALKS = "safety_walks", _("Trygghetsvandringar")
        DIALOGUE = "dialogue", _("Dialog och information")
        YOUTH = "youth", _("Insatser för unga")
        ENVIRONMENT = "environment", _("Fysisk miljö (belysning, klotter, röjning)")
        TARGETED = "targeted", _("Riktade insatser mot brott")
        COOPERATION = "cooperation", _("Samverkan och samordning")
        OTHER = "other", _("Annat")

    OUTCOMES_NEEDING_EXPLANATION = OUTCOMES_NEEDING_EXPLANATION
    EXPLANATION_REQUIRED = EXPLANATION_REQUIRED

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="commitments"
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("fokusområde"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    text = models.TextField(_("åtagande"), help_text=_("Som det står i löftet."))
    short_text = models.CharField(
        _("kort rubrik"),
        max_length=200,
        blank=True,
        help_text=_("Valfri kort form för listor och rapporter."),
    )
    responsible_police = models.BooleanField(_("ansvarig: Polisen"), default=False)
    responsible_municipality = models.BooleanField(_("ansvarig: Kommunen"), default=False)
    responsible_partners = models.ManyToManyField(
        Partner,
        verbose_name=_("ansvariga samverkansparter"),
        blank=True,
        related_name="commitments",
    )
    responsible_note = models.CharField(
        _("om ansvaret"),
        max_length=200,
        blank=True,
        help_text=_("Visas efter de ansvariga, till exempel ”med flera”."),
    )
    places = models.TextField(_("platser"), blank=True, help_text=_("En plats per rad."))
    kind = models.CharField(
        _("typ av åtagande"),
        max_length=12,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_("Vilket slags arbete åtagandet gäller; används i den nationella bilden."),
    )
    target_kind = models.CharField(
        _("typ av mål"),
        max_length=12,
        choices=TargetKind.choices,
        default=TargetKind.QUALITATIVE,
        help_text=_(
            "Antal: ett antal tillfällen under perioden. Återkommande: ett antal gånger per "
            "vecka eller månad – förväntat antal räknas fram ur perioden. Milstolpe: görs en "
            "gång. Löpande arbete: följs upp med status och text."
        ),
    )
    target_quantity = models.PositiveIntegerField(
        _("målvärde"),
        null=True,
        blank=True,
        help_text=_("För antal: hela periodens mål. För återkommande: antal per intervall."),
    )
    target_unit = models.CharField(
        _("enhet"),
        max_length=100,
        blank=True,
        help_text=_("I plural, till exempel fotpatrulleringar."),
    )
    target_unit_singular = models.CharField(
        _("enhet i singular"),
        max_length=100,
        blank=True,
        help_text=_("Till exempel fotpatrullering, för ”1 fotpatrullering”."),
    )
    interval = models.CharField(_("intervall"), max_length=10, choices=Interval.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    completed_on = models.DateField(
        _("genomförd datum"), null=True, blank=True, help_text=_("För milstolpar.")
    )
    outcome = models.CharField(
        _("utfall"),
        max_length=14,
        choices=Outcome.choices,
        blank=True,
        help_text=_("Anges när löftet har gått ut."),
    )
    outcome_explanation = models.TextField(
        _("förklaring av utfallet"),
        blank=True,
        help_text=_(
            "Krävs när åtagandet bara delvis eller inte uppfylldes. Visas för allmänheten."
        ),
    )
    final_quantity = models.PositiveIntegerField(
        _("utfört under perioden"),
        null=True,
        blank=True,
        help_text=_(
            "Slutsiffran som angavs när löftet avslutades, när den skiljer sig från de "
            "registrerade insatserna. Tom: de registrerade insatserna gäller."
        ),
    )
    final_quantity_source = models.CharField(
        _("källa till slutsiffran"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel ”Enligt polisens sammanställning 2019-10-02”."),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    archived_at = models.DateTimeField(
        _("arkiverat"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Ett åtagande i ett publicerat löfte tas inte bort utan arkiveras."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[responsible_partners])
    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["pledge", "focus_area__order", "order", "id"]
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_kind="count")
                | Q(target_quantity__isnull=False, target_quantity__gt=0),
                name="commitment_count_has_target",
                violation_error_message=_("Ett mål av typen antal behöver ett målvärde."),
            ),
            models.CheckConstraint(
                condition=~Q(target_kind="recurring")
                | (Q(target_quantity__isnull=False, target_quantity__gt=0) & ~Q(interval="")),
                name="commitment_recurring_has_frequency",
                violation_error_message=_(
                    "Ett återkommande mål behöver ett antal och ett intervall."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=OUTCOMES_NEEDING_EXPLANATION) | ~Q(outcome_explanation=""),
                name="commitment_shortfall_explained",
                violation_error_message=EXPLANATION_REQUIRED,
            ),
            models.CheckConstraint(
                condition=Q(final_quantity__isnull=False) | Q(final_quantity_source=""),
                name="commitment_final_source_needs_figure",
                violation_error_message=_("En källa hör till en slutsiffra."),
            ),
        ]

    def __str__(self):
        return self.short_label

    def get_absolute_url(self):
        return reverse(
            "pledges:commitment",
            args=[self.pledge.municipality.slug, self.pledge.slug, self.pk],
        )

    @classmethod
    def explanation_missing(cls, outcome: str | None, explanation: str | None) -> bool:
        return outcome in OUTCOMES_NEEDING_EXPLANATION and not (explanation or "").strip()

    @property
    def short_label(self):
        """The label for lists, staff pages and exports: the short title staff set, else the
        text's first sentence cut at a word boundary with "…"."""
        return self.short_text or shorten(self.text)

    def place_list(self):
        return lines(self.places)

    def unit_for(self, number):
        """The unit in the form that agrees with `number`: "1 trafikkontroll",
        "7 trafikkontroller". Without a singular form, a plural in -ingar (the one regular
        Swedish ending) gives its own ("1 trygghetsvandring"); any other the plural."""
        if number == 1:
            if self.target_unit_singular:
                return self.target_unit_singular
            if self.target_unit.endswith("ingar"):
                return self.target_unit[:-2]
        return self.target_unit

    def responsible_names(self):
        """Names of the responsible parties, in the order the public reads them (prefetch
        `responsible_partners` for a list of commitments)."""
        names = []
        if self.responsible_police:
            names.append(str(_("Polisen")))
        if self.responsible_municipality:
            names.append(str(_("Kommunen")))
        names.extend(partner.name for partner in self.responsible_partners.all())
        return names

    @property
    def is_measurable(self):
        return self.target_kind in (self.TargetKind.COUNT, self.TargetKind.RECURRING)

    def target_total(self):
        """The number of activities the whole period asks for, or None."""
        return progress.target_total(
            kind=self.target_kind,
            quantity=self.target_quantity,
            interval=self.interval,
            start=self.pledge.start_date,
            end=self.pledge.end_date,
        )

    def final_progress(self):
        """Where the commitment stood by the logged activities when its löfte ended, before
        any outcome or final figure was set: what staff judge the outcome from."""
        return self.progress(today=self.pledge.end_date, outcome="", final=None)

    def progress(self, achieved=None, today=None, outcome=None, final=...):
        """A Progress for this commitment; pass `achieved` from `with_achieved()`. The final
        figure entered at closing (`final_quantity`) counts instead of the logged sum unless
        `final` is given (None: the logged sum)."""
        if achieved is None:
            achieved = getattr(self, "achieved", None)
        if achieved is None:
            achieved = self.activities.aggregate(total=models.Sum("quantity"))["total"] or 0
        return progress.compute(
            kind=self.target_kind,
            quantity=self.target_quantity,
            interval=self.interval,
            start=self.pledge.start_date,
            end=self.pledge.end_date,
            achieved=achieved,
            status=self.status,
            completed=self.completed_on is not None,
            outcome=self.outcome if outcome is None else outcome,
            final=self.final_quantity if final is ... else final,
            today=today or timezone.localdate(),
        )

    def state(self, today=None, achieved=None):
        """This commitment's one state (a `progress.State` value) on `today`."""
        return self.progress(achieved=achieved, today=today).state


class ActivityQuerySet(PublicContentQuerySet):
    def public(self, now=None):
        """Activities the public sees: those of a public commitment. Same shape as
        `Commitment.objects.public()` (a join to the commitment, the löfte rule as a
        subquery), so the feeds and exports can still walk the `activity_latest` indexes."""
        return self.filter(
            commitment__archived_at__isnull=True,
            commitment__pledge__in=Pledge.objects.public(now).values("pk"),
        )

    def public_fields(self):
        """Only `Activity.PUBLIC_FIELDS` are loaded: the internal note and who logged the
        activity never leave the database for a public page."""
        return self.only(*Activity.PUBLIC_FIELDS)

    def for_public_list(self):
        """Activities as the public sees them, newest first."""
        return self.public_fields().order_by("-date", "-id")

    def latest_public_for(self, pledge, limit=10):
        """The latest activities of a löfte, bounded: one query with LIMIT.

        Bounded by the löfte's latest activity date too, where its commitments carry
        `last_activity_date` (`with_achieved()`, `Pledge.objects.attach_achieved()`):
        PostgreSQL serves the order from the national `activity_latest` index, and without
        the bound it walked from the newest activity in the country back to this löfte's
        (half a second for a löfte that ended years ago, at a million activities)."""
        commitments = list(pledge.commitments.all())
        queryset = self.public().filter(commitment__pledge=pledge)
        if commitments and all(hasattr(c, "last_activity_date") for c in commitments):
            dates = [c.last_activity_date for c in commitments if c.last_activity_date]
            # None logged yet: any bound finds none, in the same one query.
            queryset = queryset.filter(date__lte=max(dates, default=pledge.start_date))
        return (
            queryset.select_related("commitment")
            .order_by("-date", "-id")
            .only(
                *Activity.PUBLIC_FIELDS,
                "commitment__id",
                "commitment__text",
                "commitment__short_text",
            )[:limit]
        )

    def monthly_totals(self):
        """(month, quantity, example rows) per calendar month, oldest first: one query."""
        return (
            self.annotate(month=models.functions.TruncMonth("date"))
            .order_by()
            .values("month")
            .annotate(
                total=models.Sum("quantity"),
                examples=models.Count("id", filter=Q(is_example=True)),
            )
            .order_by("month")
        )


class Activity(PublicContentMixin, models.Model):
    """A genomförd insats: something done under a commitment, on a date."""

    content_scope = ("pledge", "commitment__pledge")
    activity_log = True

    # What a resident may see of an activity, the one list that pages, the API, the CSV
    # downloads and the feeds select from. Not `internal_note`, not `created_by`.
    PUBLIC_FIELDS = (
        "id",
        "commitment",
        "date",
        "quantity",
        "place",
        "description",
        "is_example",
        "created_at",
        "updated_at",
    )

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("åtagande"), on_delete=models.CASCADE, related_name="activities"
    )
    date = models.DateField(_("datum"), default=timezone.localdate)
    quantity = models.PositiveIntegerField(_("antal"), default=1, validators=[MinValueValidator(1)])
    place = models.CharField(_("plats"), max_length=200, blank=True)
    description = models.TextField(
        _("beskrivning"), blank=True, max_length=2000, help_text=_("Visas för allmänheten.")
    )
    internal_note = models.TextField(
        _("intern anteckning"), blank=True, help_text=_("Visas aldrig för allmänheten.")
    )
    is_example = models.BooleanField(
        _("exempel"),
        default=False,
        help_text=_("Påhittad demonstrationsdata; sidor som visar den säger det."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("genomförd insats")
        verbose_name_plural = _("genomförda insatser")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="activity_quantity_positive",
                violation_error_message=_("Antalet måste vara minst 1."),
            ),
        ]
        indexes = [
            models.Index(fields=["commitment", "-date"]),
            models.Index(fields=["created_by", "-created_at"]),
            # The latest activities across the country (national feed, API, exports that
            # stream in this order): an index scan instead of sorting a million rows.
            models.Index(fields=["-date", "-id"], name="activity_latest"),
            # The Atom feeds list activities in the order they were logged: without this
            # the national feed sorted a million rows per request (820 ms, bench/run.py).
            models.Index(fields=["-created_at", "-id"], name="activity_logged_latest"),
        ]

    def __str__(self):
        return f"{self.date}: {self.commitment}"


class FollowUpQuerySet(PublicContentQuerySet):
    def approved(self):
        """Rounds both parties have approved: the only ones the public sees (pages, feeds,
        alerts). A round waits as a draft until a kommunpolis of the löfte's police area
        and a coordinator of its kommun have approved it (`pledges.services.approve_follow_up`)."""
        return self.filter(police_approved_at__isnull=False, municipality_approved_at__isnull=False)

    def awaiting_approval_by(self, user):
        """Rounds of active löften that wait for `user`'s approval: their party's approval
        is missing and `user` may give it (a police membership of the löfte's police area
        or a coordinator membership of its kommun), not having given the other one."""
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        police = Q(police_approved_at__isnull=True) & (
            Q(pledge__police_area__memberships__user=user)
            | Q(
                pledge__police_area__isnull=True,
                pledge__municipality__police_areas__memberships__user=user,
            )
        )
        municipality = Q(municipality_approved_at__isnull=True) & Q(
            pledge__municipality__memberships__user=user
        )
        pending = self.filter(pledge__archived_at__isnull=True).filter(police | municipality)
        return self.filter(pk__in=pending.values("pk")).exclude(
            Q(police_approved_by=user) | Q(municipality_approved_by=user)
        )


class FollowUp(PublicContentMixin, models.Model):
    """An uppföljning: the written report of a follow-up round. Published once both
    parties have approved it (`FollowUp.objects.approved()`)."""

    content_scope = ("pledge", "pledge")

    class Party(models.TextChoices):
        POLICE = "police", _("polisen")
        MUNICIPALITY = "municipality", _("kommunen")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    date = models.DateField(_("datum"))
    title = models.CharField(_("rubrik"), max_length=200)
    summary = models.TextField(_("sammanfattning"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    police_approved_at = models.DateTimeField(
        _("godkänd av polisen"), null=True, blank=True, editable=False
    )
    police_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av (polisen)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    municipality_approved_at = models.DateTimeField(
        _("godkänd av kommunen"), null=True, blank=True, editable=False
    )
    municipality_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av (kommunen)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["pledge", "-date"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        indexes = [
            # The national feed's latest follow-ups (reports.selectors.public_follow_ups):
            # without it PostgreSQL joined and sorted every follow-up per feed (16 ms).
            models.Index(fields=["-date", "-id"], name="followup_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(police_approved_by__isnull=True) | Q(police_approved_at__isnull=False),
                name="followup_police_approval_dated",
            ),
            models.CheckConstraint(
                condition=Q(municipality_approved_by__isnull=True)
                | Q(municipality_approved_at__isnull=False),
                name="followup_municipality_approval_dated",
            ),
            models.CheckConstraint(
                condition=~Q(police_approved_by=models.F("municipality_approved_by")),
                name="followup_approved_by_two_people",
                violation_error_message=_(
                    "Polisen och kommunen godkänner uppföljningen var för sig, av två olika "
                    "personer."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date})"

    @property
    def is_approved(self):
        """Approved by both parties, so published."""
        return self.police_approved_at is not None and self.municipality_approved_at is not None

    @property
    def has_approval(self):
        return self.police_approved_at is not None or self.municipality_approved_at is not None

    def approved_at(self, party):
        return getattr(self, f"{party}_approved_at")

    def approved_on(self, party):
        """The local date `party` approved the round, or None."""
        moment = self.approved_at(party)
        return timezone.localdate(moment) if moment else None

    @property
    def police_approved_on(self):
        return self.approved_on(self.Party.POLICE)

    @property
    def municipality_approved_on(self):
        return self.approved_on(self.Party.MUNICIPALITY)


class FollowUpNote(PublicContentMixin, models.Model):
    content_scope = ("pledge", "follow_up__pledge")

    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("uppföljning"), on_delete=models.CASCADE, related_name="notes"
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("åtagande"),
        on_delete=models.CASCADE,
        related_name="follow_up_notes",
    )
    note = models.TextField(_("kommentar"))

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["follow_up", "commitment__order", "id"]
        verbose_name = _("kommentar per åtagande")
        verbose_name_plural = _("kommentarer per åtagande")
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "commitment"], name="one_note_per_commitment_and_follow_up"
            ),
        ]

    def __str__(self):
        return shorten(self.note)


# --- Who may edit what ----------------------------------------------------------------


class Membership(models.Model):
    """A staff user's membership of an organisation: a police area or a kommun.

    Django groups carry the model permissions; the membership carries the scope.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    police_area = models.ForeignKey(
        PoliceArea,
        verbose_name=_("lokalpolisområde"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.CheckConstraint(
                condition=Q(police_area__isnull=False, municipality__isnull=True)
                | Q(police_area__isnull=True, municipality__isnull=False),
                name="membership_exactly_one_organisation",
                violation_error_message=_("Välj antingen ett lokalpolisområde eller en kommun."),
            ),
            models.UniqueConstraint(
                fields=["user", "police_area"], name="membership_unique_police_area"
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"], name="membership_unique_municipality"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.police_area or self.municipality}"

    @property
    def organisation_name(self):
        if self.police_area_id:
            return str(self.police_area)
        return str(self.municipality)


# --- The problem picture and its effect indicators (pledges/problems.py) -----------------


class ProblemQuerySet(PublicContentQuerySet):
    def public(self, now=None):
        """Problems of public löften (`Pledge.objects.public()`)."""
        return self.filter(pledge__in=Pledge.objects.public(now).values("pk"))


class Problem(PublicContentMixin, models.Model):
    """One problem in a löfte's problem picture: what the löfte is meant to reduce."""

    content_scope = ("pledge", "pledge")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="problems"
    )
    title = models.CharField(
        _("problem"), max_length=200, help_text=_("Kort, till exempel ”Narkotika i centrum”.")
    )
    description = models.TextField(_("beskrivning"), blank=True)
    places = models.TextField(_("platser"), blank=True, help_text=_("En plats per rad."))
    sources = models.TextField(
        _("källor"),
        blank=True,
        validators=[MaxLengthValidator(4000)],
        help_text=_(
            "En källa per rad, till exempel ”Polisens trygghetsmätning 2024” eller ”Brås "
            "statistik över anmälda brott”."
        ),
    )
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("åtaganden som svarar på problemet"),
        blank=True,
        related_name="problems",
    )
    focus_areas = models.ManyToManyField(
        FocusArea,
        verbose_name=_("fokusområden som svarar på problemet"),
        blank=True,
        related_name="problems",
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("fört över från"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_("Samma problem i det föregående löftet."),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["pledge", "order", "id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problem")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="problem_has_title",
                violation_error_message=_("Ett problem behöver en rubrik."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def place_list(self):
        return lines(self.places)

    @property
    def source_list(self):
        return lines(self.sources)


class IndicatorQuerySet(PublicContentQuerySet):
    def public(self, now=None):
        """Indicators that measure a problem of a public löfte."""
        return self.filter(
            pk__in=Indicator.problems.through.objects.filter(
                problem__pledge__in=Pledge.objects.public(now).values("pk")
            ).values("indicator_id")
        )

    def get_by_name(self, municipality, name):
        """The kommun's indicator named `name` (case and surrounding spaces ignored)."""
        return self.get(municipality=municipality, name__iexact=name.strip())


class Indicator(PublicContentMixin, models.Model):
    """An effect indicator: a figure a kommun follows to see whether a problem shrinks."""

    content_scope = ("municipality", "municipality")

    class Direction(models.TextChoices):
        LOWER = "lower", _("Lägre är bättre")
        HIGHER = "higher", _("Högre är bättre")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.CASCADE, related_name="indicators"
    )
    place = models.CharField(
        _("plats"), max_length=200, blank=True, help_text=_("Tomt för hela kommunen.")
    )
    name = models.CharField(
        _("namn"),
        max_length=200,
        help_text=_(
            "Till exempel ”Andel som känner sig otrygga i centrum kvällstid”. Unikt inom "
            "kommunen: inläsningen av värden hittar indikatorn på namnet."
        ),
    )
    unit = models.CharField(
        _("enhet"),
        max_length=50,
        blank=True,
        help_text=_("Till exempel procent eller per 1 000 invånare."),
    )
    direction = models.CharField(
        _("bättre är"), max_length=6, choices=Direction.choices, default=Direction.LOWER
    )
    source = models.CharField(
        _("källa"),
        max_length=300,
        blank=True,
        help_text=_("Var siffrorna kommer ifrån, till exempel Polisens trygghetsmätning."),
    )
    source_url = models.URLField(_("länk till källan"), blank=True)
    baseline_period = models.DateField(
        _("utgångsläge, period"), null=True, blank=True, help_text=_("Året eller dagen.")
    )
    baseline_value = models.DecimalField(
        _("utgångsläge, värde"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("målvärde"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    target_period = models.DateField(
        _("målet gäller"), null=True, blank=True, help_text=_("När målvärdet ska vara nått.")
    )
    problems = models.ManyToManyField(
        Problem, verbose_name=_("mäter problemen"), blank=True, related_name="indicators"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="indicator_name_unique_per_municipality",
                violation_error_message=_("Kommunen har redan en indikator med det namnet."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_period__isnull=True, baseline_value__isnull=True)
                | Q(baseline_period__isnull=False, baseline_value__isnull=False),
                name="indicator_baseline_whole",
                violation_error_message=_("Ange både period och värde för utgångsläget."),
            ),
            models.CheckConstraint(
                condition=Q(target_period__isnull=True) | Q(target_value__isnull=False),
                name="indicator_target_period_has_value",
                violation_error_message=_("Ange ett målvärde när målet har en period."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.place})" if self.place else self.name

    @property
    def label(self):
        """The name with its unit: "Andel otrygga (%)" (the place is said separately)."""
        return f"{self.name} ({self.unit})" if self.unit else self.name


class IndicatorValue(PublicContentMixin, models.Model):
    """One measured value of an indicator for a period (a year, or a day)."""

    content_scope = ("municipality", "indicator__municipality")

    class Granularity(models.TextChoices):
        YEAR = "year", _("år")
        DAY = "day", _("dag")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="values"
    )
    period = models.DateField(
        _("period"), help_text=_("För ett helt år: årets första dag, med ”år” som period.")
    )
    granularity = models.CharField(
        _("periodens längd"), max_length=4, choices=Granularity.choices, default=Granularity.YEAR
    )
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=3)
    source = models.CharField(
        _("källa"), max_length=500, blank=True, help_text=_("En länk eller ett namn.")
    )
    note = models.TextField(_("kommentar"), blank=True)
    is_example = models.BooleanField(
        _("exempel"),
        default=False,
        help_text=_("Ett påhittat värde för demonstration; sidorna visar det som exempel."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="indicator_value_unique_period",
                violation_error_message=_("Indikatorn har redan ett värde för perioden."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.period_label} {self.value}"

    def save(self, *args, **kwargs):
        if self.granularity == self.Granularity.YEAR and self.period:
            self.period = self.period.replace(month=1, day=1)
        super().save(*args, **kwargs)

    @property
    def period_label(self):
        return period_label(self.period, self.granularity)

    @property
    def source_is_link(self):
        return self.source.startswith(("https://", "http://"))


def period_label(day, granularity):
    if day is None:
        return ""
    if granularity == IndicatorValue.Granularity.YEAR:
        return str(day.year)
    return day.isoformat()


def attach_problems(pledge):
    """Sets `problem_list` on `pledge`: its problems in order, each with `commitment_ids`,
    `focus_area_ids` and `indicator_list` (its indicators, each with `value_list`, oldest
    first). Five queries whatever the number of problems, indicators and values, also for
    none, so every löfte's page runs the same number. Plain values, kept with the löfte in
    the page cache; `problem_sections()` joins them to the page's commitments."""
    problems = list(Problem.objects.filter(pledge=pledge).order_by("order", "id"))
    by_pk = {problem.pk: problem for problem in problems}
    for problem in problems:
        problem.commitment_ids, problem.focus_area_ids, problem.indicator_list = [], [], []
    links = Problem.commitments.through.objects.filter(problem__pledge=pledge).order_by("id")
    for problem_id, commitment_id in links.values_list("problem_id", "commitment_id"):
        by_pk[problem_id].commitment_ids.append(commitment_id)
    for problem in problems:
        problem.focus_area_titles = []
    links = Problem.focus_areas.through.objects.filter(problem__pledge=pledge).order_by(
        "focusarea__order", "focusarea_id"
    )
    for problem_id, area_id, title in links.values_list(
        "problem_id", "focusarea_id", "focusarea__title"
    ):
        by_pk[problem_id].focus_area_ids.append(area_id)
        by_pk[problem_id].focus_area_titles.append(title)
    measured = (
        Indicator.problems.through.objects.filter(problem__pledge=pledge)
        .select_related("indicator")
        .order_by("indicator__name", "id")
    )
    indicators = {}
    for link in measured:
        indicator = indicators.setdefault(link.indicator_id, link.indicator)
        indicator.value_list = []
        by_pk[link.problem_id].indicator_list.append(indicator)
    values = IndicatorValue.objects.filter(
        indicator__in=Indicator.problems.through.objects.filter(problem__pledge=pledge).values(
            "indicator_id"
        )
    ).order_by("indicator_id", "period")
    for value in values:
        indicators[value.indicator_id].value_list.append(value)
    pledge.problem_list = problems
    return pledge
