"""The domain of medborgarlöften: where they apply, what they promise, and what was done.

Names in code are English; labels are Swedish through gettext (see PRODUCT.md).
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pledges import progress
from pledges.freshness import PublicContentMixin, PublicContentQuerySet
from pledges.validators import validate_pdf_content, validate_pdf_size


def lines(text):
    """The non-empty lines of a free-text list field ("one per line")."""
    return [line.strip(" •-\t") for line in (text or "").splitlines() if line.strip(" •-\t")]


# --- Content versions -------------------------------------------------------------------


class ContentVersion(models.Model):
    """How many writes a scope of public content has had (see pledges/freshness.py).

    Cached pages are keyed by these numbers; every write moves them in its own transaction.
    """

    # "nation", "reference", "municipality:<slug>" or "police_area:<slug>".
    scope = models.CharField(_("omfattning"), max_length=120, unique=True)
    version = models.BigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("ändrad"), default=timezone.now)

    class Meta:
        verbose_name = _("innehållsversion")
        verbose_name_plural = _("innehållsversioner")

    def __str__(self):
        return f"{self.scope}: {self.version}"


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

    def natural_key(self):
        return (self.code,)


class PoliceAreaQuerySet(PublicContentQuerySet):
    def get_public_page(self, today=None, **lookup):
        """One police area for its public page: the area with its kommuner, and on each
        kommun `current_pledge` (its current published löfte or None) and `summary` (the
        state of that löfte's commitments). Four queries, whatever the size and even when
        no kommun has a löfte. Raises PoliceArea.DoesNotExist."""
        today = today or timezone.localdate()
        area = (
            self.select_related("region")
            .prefetch_related(
                models.Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
            )
            .get(**lookup)
        )
        current = Pledge.objects.published().current(today).filter(municipality__police_areas=area)
        pledges = {}
        for pledge in current.for_listing().order_by("-start_date"):
            pledges.setdefault(pledge.municipality_id, pledge)
        # Archived commitments have left the public pages; they leave these figures too.
        summaries = (
            Commitment.objects.active()
            .filter(pledge__in=current.values("pk"))
            .state_summaries(today)
        )
        for municipality in area.municipalities.all():
            municipality.current_pledge = pledges.get(municipality.pk)
            municipality.summary = None
            if municipality.current_pledge:
                municipality.summary = summaries.get(
                    municipality.current_pledge.pk, progress.Summary(states={})
                )
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


class PledgeQuerySet(PublicContentQuerySet):
    def published(self, now=None):
        """Löften the public sees: published, due, and not archived."""
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

    def for_listing(self):
        """Light rows for lists of löften ("tidigare löften"), newest first: no texts, no
        prefetches."""
        return (
            self.select_related("municipality")
            .order_by("-start_date", "-id")
            .only(
                "id",
                "title",
                "slug",
                "start_date",
                "end_date",
                "is_demo",
                "municipality__slug",
                "municipality__name",
            )
        )

    def for_public_page(self):
        """The shape of a löfte's public page: the löfte with its kommun and police area,
        then one query per list that hangs directly under it (focus areas, commitments with
        `achieved`, partners, signatories, contacts, extensions, follow-ups).

        Use `get_public_page()` to get one löfte with the nested lists attached too.
        """
        commitments = Commitment.objects.active().with_achieved()
        follow_ups = FollowUp.objects.order_by("-date", "-id")
        return self.select_related("municipality", "police_area").prefetch_related(
            models.Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "id")),
            models.Prefetch("commitments", queryset=commitments),
            models.Prefetch("partners", queryset=Partner.objects.order_by("name")),
            "signatories",
            "contacts",
            models.Prefetch("extensions", queryset=PledgeExtension.objects.order_by("created_at")),
            models.Prefetch("follow_ups", queryset=follow_ups),
        )

    def get_public_page(self, **lookup):
        """One löfte for its public page (`for_public_page()`), with the two nested lists
        attached: each commitment's responsible partners (`partner_list`) and each
        follow-up's notes (`note_list`). They are fetched with one query each, even when a
        löfte has no commitments or follow-ups (a nested prefetch would then be skipped), so
        every löfte's page runs the same number of queries. Raises Pledge.DoesNotExist.

        The latest activities come from `Activity.objects.latest_public_for(pledge)`.
        """
        pledge = self.for_public_page().get(**lookup)
        commitments = {commitment.pk: commitment for commitment in pledge.commitments.all()}

        partners = {}
        links = (
            Commitment.responsible_partners.through.objects.filter(commitment__pledge=pledge)
            .select_related("partner")
            .order_by("partner__name")
        )
        for link in links:
            partners.setdefault(link.commitment_id, []).append(link.partner)
        for pk, commitment in commitments.items():
            commitment.partner_list = partners.get(pk, [])

        notes = {}
        for note in FollowUpNote.objects.filter(follow_up__pledge=pledge).order_by("id"):
            if note.commitment_id in commitments:
                note.commitment = commitments[note.commitment_id]
                notes.setdefault(note.follow_up_id, []).append(note)
        for follow_up in pledge.follow_ups.all():
            follow_up.note_list = sorted(
                notes.get(follow_up.pk, []), key=lambda n: (n.commitment.order, n.pk)
            )
        return pledge

    def national_summary(self, today=None):
        """Figures for the home page: kommuner with a current published löfte and the state
        of their commitments. Two queries; states come from the pure progress functions."""
        today = today or timezone.localdate()
        current = self.published().current(today)
        counts = current.aggregate(
            municipalities=models.Count("municipality", distinct=True),
            demo=models.Count("pk", filter=Q(is_demo=True)),
        )
        states = {}
        # Archived commitments have left the public pages; they leave these figures too.
        summaries = (
            Commitment.objects.active()
            .filter(pledge__in=current.values("pk"))
            .state_summaries(today)
        )
        for summary in summaries.values():
            for state, count in summary.states.items():
                states[state] = states.get(state, 0) + count
        return progress.Summary(
            municipalities=counts["municipalities"], states=states, demo=bool(counts["demo"])
        )


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

    def get_absolute_url(self):
        return reverse("pledges:pledge", args=[self.municipality.slug, self.slug])

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

    def state_counts(self, today=None):
        """Counts of prefetched commitments per progress state."""
        today = today or timezone.localdate()
        counts = {}
        for commitment in self.commitments.all():
            state = commitment.progress(today=today).state
            counts[state] = counts.get(state, 0) + 1
        return progress.Summary(states=counts)


class PledgeExtension(PublicContentMixin, models.Model):
    """A recorded extension of a löfte's period (the same löfte kept for another year)."""

    content_scope = ("pledge", "pledge")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="extensions"
    )
    previous_end_date = models.DateField(_("tidigare slutdatum"))
    new_end_date = models.DateField(_("nytt slutdatum"))
    reason = models.TextField(_("motivering"), blank=True)
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
        ordering = ["pledge", "created_at"]
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


class Signatory(PublicContentMixin, models.Model):
    content_scope = ("pledge", "pledge")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["pledge", "order", "id"]
        verbose_name = _("undertecknare")
        verbose_name_plural = _("undertecknare")

    def __str__(self):
        return self.name


class Contact(PublicContentMixin, models.Model):
    content_scope = ("pledge", "pledge")

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
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["pledge", "order", "id"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")

    def __str__(self):
        return self.name


class FocusArea(PublicContentMixin, models.Model):
    """A fokusområde / insatsområde: a heading that groups commitments."""

    content_scope = ("pledge", "pledge")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["pledge", "order", "id"]
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")

    def __str__(self):
        return self.title


class CommitmentQuerySet(PublicContentQuerySet):
    def active(self):
        """Not archived, in a löfte that is not archived."""
        return self.filter(archived_at__isnull=True, pledge__archived_at__isnull=True)

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
                "pledge__start_date",
                "pledge__end_date",
                "achieved",
            )
        )
        counts = {}
        for pledge_id, kind, quantity, interval, status, completed_on, outcome, *rest in rows:
            start, end, achieved = rest
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
                today=today,
            ).state
            states = counts.setdefault(pledge_id, {})
            states[state] = states.get(state, 0) + 1
        return {pledge_id: progress.Summary(states=states) for pledge_id, states in counts.items()}

    def for_public_page(self):
        """One commitment's public page: the commitment with `achieved`, its löfte, kommun,
        police area and focus area, responsible partners and follow-up notes."""
        notes = FollowUpNote.objects.select_related("follow_up").order_by(
            "-follow_up__date", "-follow_up_id"
        )
        return (
            self.active()
            .filter(
                pledge__status=Pledge.Status.PUBLISHED,
                pledge__published_at__lte=timezone.now(),
            )
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
        _("enhet"), max_length=100, blank=True, help_text=_("Till exempel fotpatrulleringar.")
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
        help_text=_("Krävs när åtagandet inte uppfylldes. Visas för allmänheten."),
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
                condition=~Q(outcome="not_fulfilled") | ~Q(outcome_explanation=""),
                name="commitment_unfulfilled_explained",
                violation_error_message=_(
                    "Skriv en förklaring till allmänheten när ett åtagande inte uppfylldes."
                ),
            ),
        ]

    def __str__(self):
        return self.short_text or self.text[:80]

    def get_absolute_url(self):
        return reverse(
            "pledges:commitment",
            args=[self.pledge.municipality.slug, self.pledge.slug, self.pk],
        )

    def place_list(self):
        return lines(self.places)

    def responsible_names(self):
        """Names of the responsible parties, in the order the public reads them.

        Uses `partner_list` (see `Pledge.objects.get_public_page()`) or prefetched partners
        when the caller provided them.
        """
        names = []
        if self.responsible_police:
            names.append(str(_("Polisen")))
        if self.responsible_municipality:
            names.append(str(_("Kommunen")))
        partners = getattr(self, "partner_list", None)
        if partners is None:
            partners = self.responsible_partners.all()
        names.extend(partner.name for partner in partners)
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

    def progress(self, achieved=None, today=None):
        """A Progress for this commitment; pass `achieved` from `with_achieved()`."""
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
            outcome=self.outcome,
            today=today or timezone.localdate(),
        )


class ActivityQuerySet(PublicContentQuerySet):
    def public(self):
        return self.filter(
            commitment__pledge__status=Pledge.Status.PUBLISHED,
            commitment__pledge__published_at__lte=timezone.now(),
            commitment__archived_at__isnull=True,
            commitment__pledge__archived_at__isnull=True,
        )

    def for_public_list(self):
        """Activities as the public sees them: the internal note is never even loaded."""
        return self.defer("internal_note", "created_by", "created_at", "updated_at").order_by(
            "-date", "-id"
        )

    def latest_public_for(self, pledge, limit=10):
        """The latest activities of a löfte, bounded: one query with LIMIT."""
        return (
            self.filter(commitment__pledge=pledge, commitment__archived_at__isnull=True)
            .select_related("commitment")
            .order_by("-date", "-id")
            .only(
                "id",
                "date",
                "quantity",
                "place",
                "description",
                "is_example",
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


class FollowUp(PublicContentMixin, models.Model):
    """An uppföljning: the written report of a follow-up round."""

    content_scope = ("pledge", "pledge")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    date = models.DateField(_("datum"))
    title = models.CharField(_("rubrik"), max_length=200)
    summary = models.TextField(_("sammanfattning"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["pledge", "-date"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")

    def __str__(self):
        return f"{self.title} ({self.date})"


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
        return self.note[:80]


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
