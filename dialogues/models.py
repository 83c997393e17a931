"""What residents say and what came of it: synpunkter, trygghetsvandringar and their
findings, medborgardialoger; plus the small tables behind the public forms' abuse
protection (attempt log, used form tokens) and the yearly reference-number counter.

Personal data (names, e-mail addresses, phone numbers, IP hashes) lives only in
`Feedback` and `WalkSignup`, is kept out of history tables, and is blanked by
`manage.py purge_personal_data` after the kommun's retention period.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, F, Q, Sum, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from pagecache.versions import PublicContentMixin, PublicContentQuerySet
from pledges.models import Activity, Commitment, FocusArea, Municipality

PERSONAL_FIELDS = ["name", "email", "phone", "ip_hash"]


class Organisation(models.TextChoices):
    MUNICIPALITY = "municipality", _("Kommunen")
    POLICE = "police", _("Polisen")
    PROPERTY_OWNER = "property_owner", _("Fastighetsägare")
    TRAFIKVERKET = "trafikverket", _("Trafikverket")
    OTHER = "other", _("Annan")


# --- Synpunkter -------------------------------------------------------------------------


class FeedbackCategoryQuerySet(PublicContentQuerySet):
    def active(self):
        return self.filter(is_active=True)


class FeedbackCategory(PublicContentMixin, models.Model):
    content_scope = ("reference", None)

    name = models.CharField(_("namn"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_active = models.BooleanField(
        _("används"), default=True, help_text=_("Avmarkera för att ta bort den ur formuläret.")
    )

    objects = FeedbackCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori för synpunkter")
        verbose_name_plural = _("kategorier för synpunkter")

    def __str__(self):
        return self.name


class FeedbackQuerySet(PublicContentQuerySet):
    def published(self):
        return self.filter(is_published=True).exclude(public_text="")

    def public_list(self, municipality):
        """The published, anonymised synpunkter of a kommun: one query."""
        return (
            self.published()
            .filter(municipality=municipality)
            .select_related("category")
            .only("reference", "created_at", "category__name", "public_text", "public_reply")
            .order_by("-created_at")
        )


class Feedback(PublicContentMixin, models.Model):
    """A synpunkt: what a resident says makes them feel unsafe, and how staff handled it."""

    content_scope = ("municipality", "municipality")

    class Status(models.TextChoices):
        NEW = "new", _("Ny")
        IN_PROGRESS = "in_progress", _("Under behandling")
        FORWARDED_POLICE = "forwarded_police", _("Vidarebefordrad till polisen")
        FORWARDED_MUNICIPALITY = "forwarded_municipality", _("Vidarebefordrad till kommunen")
        CLOSED = "closed", _("Avslutad")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="feedback"
    )
    category = models.ForeignKey(
        FeedbackCategory,
        verbose_name=_("kategori"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    place = models.CharField(_("plats"), max_length=200)
    when_happens = models.CharField(_("när det händer"), max_length=200, blank=True)
    text = models.TextField(_("synpunkt"), max_length=5000)
    name = models.CharField(_("namn"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=50, blank=True)
    consent = models.BooleanField(_("samtycke till personuppgifter"), default=False)
    reference = models.CharField(_("referensnummer"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=25, choices=Status.choices, default=Status.NEW
    )
    routed_to = models.CharField(
        _("ansvarig organisation"), max_length=20, choices=Organisation.choices, blank=True
    )
    internal_notes = models.TextField(
        _("interna anteckningar"), blank=True, help_text=_("Visas aldrig för allmänheten.")
    )
    reply = models.TextField(_("svar till invånaren"), blank=True, max_length=5000)
    replied_at = models.DateTimeField(_("svar skickat"), null=True, blank=True, editable=False)
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("åtagande"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        help_text=_("Åtagande i löftet som synpunkten gäller eller ledde till."),
    )
    is_published = models.BooleanField(
        _("publicerad"),
        default=False,
        help_text=_("Visa den redigerade texten och svaret på kommunens sida."),
    )
    public_text = models.TextField(
        _("publicerad text"),
        blank=True,
        max_length=2000,
        help_text=_(
            "Redigerad och avidentifierad: inga namn, adresser eller annat som pekar ut någon."
        ),
    )
    public_reply = models.TextField(_("publicerat svar"), blank=True, max_length=2000)
    ip_hash = models.CharField(_("kontrollsumma av IP-adress"), max_length=64, blank=True)
    personal_data_purged_at = models.DateTimeField(
        _("personuppgifter gallrade"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("inkommen"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(excluded_fields=[*PERSONAL_FIELDS, "updated_at"])
    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("synpunkt")
        verbose_name_plural = _("synpunkter")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | ~Q(public_text=""),
                name="feedback_published_has_public_text",
                violation_error_message=_(
                    "Skriv en redigerad, avidentifierad text innan synpunkten publiceras."
                ),
            ),
            models.CheckConstraint(
                condition=Q(name="", email="", phone="") | Q(consent=True),
                name="feedback_contact_needs_consent",
                violation_error_message=_("Kontaktuppgifter får bara sparas med samtycke."),
            ),
        ]
        indexes = [models.Index(fields=["municipality", "-created_at"])]

    def __str__(self):
        return self.reference

    def clean(self):
        if (
            self.commitment_id
            and self.municipality_id
            and self.commitment.pledge.municipality_id != self.municipality_id
        ):
            raise ValidationError({"commitment": _("Åtagandet hör till en annan kommuns löfte.")})

    @property
    def has_contact(self):
        return bool(self.email or self.phone)


class ReferenceCounter(models.Model):
    """The last SYN- number handed out in a year; updated under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("referensräknare")
        verbose_name_plural = _("referensräknare")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


# --- Trygghetsvandringar ------------------------------------------------------------------


class SafetyWalkQuerySet(PublicContentQuerySet):
    def upcoming(self, now=None):
        return self.filter(status=SafetyWalk.Status.PLANNED, starts_at__gte=now or timezone.now())

    def held(self):
        return self.filter(status=SafetyWalk.Status.HELD)

    def with_counts(self):
        """Annotates finding counts and signed-up people; one query, no N+1."""
        return self.annotate(
            findings_total=Count("findings", distinct=True),
            findings_fixed=Count(
                "findings", filter=Q(findings__status=Finding.Status.FIXED), distinct=True
            ),
            findings_open=Count(
                "findings", filter=Q(findings__status=Finding.Status.OPEN), distinct=True
            ),
            findings_declined=Count(
                "findings", filter=Q(findings__status=Finding.Status.DECLINED), distinct=True
            ),
        )

    def for_municipality_page(self, municipality):
        return (
            self.filter(municipality=municipality)
            .exclude(status=SafetyWalk.Status.CANCELLED)
            .with_counts()
            .order_by("starts_at")
        )

    def with_public_commitment(self):
        """Annotates `public_commitment_id`: the walk's commitment only when the public may
        see it (`Commitment.objects.public()`), else None; a draft's or an archived
        commitment's id is not public."""
        return self.annotate(
            public_commitment_id=Case(
                When(
                    commitment__in=Commitment.objects.public().values("pk"), then=F("commitment_id")
                ),
                default=None,
                output_field=models.BigIntegerField(),
            )
        )

    def for_detail(self):
        return (
            self.select_related("municipality", "commitment__pledge__municipality")
            .with_public_commitment()
            .annotate(
                people_signed_up=models.functions.Coalesce(
                    Sum("signups__people", filter=Q(signups__cancelled_at__isnull=True)), 0
                )
            )
        )


class SafetyWalk(PublicContentMixin, models.Model):
    """A trygghetsvandring: residents, kommun and police walk an area and note what feels
    unsafe. Held under a commitment, it counts as one activity on it (see services)."""

    content_scope = ("municipality", "municipality")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        HELD = "held", _("Genomförd")
        CANCELLED = "cancelled", _("Inställd")

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="safety_walks",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("åtagande"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="safety_walks",
        help_text=_("En genomförd vandring räknas som en insats på åtagandet."),
    )
    area = models.CharField(_("område"), max_length=200)
    meeting_point = models.CharField(_("samlingsplats"), max_length=200)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("slut"), null=True, blank=True)
    organisers = models.CharField(
        _("arrangörer"), max_length=300, blank=True, help_text=_("T.ex. kommunen och polisen.")
    )
    accessibility = models.TextField(
        _("tillgänglighet"),
        blank=True,
        max_length=2000,
        help_text=_("Hur rutten är: backar, trappor, underlag, längd, möjlighet att vila."),
    )
    description = models.TextField(_("beskrivning"), blank=True, max_length=5000)
    capacity = models.PositiveSmallIntegerField(
        _("max antal deltagare"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Lämna tomt om det inte finns någon gräns."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    participants = models.PositiveSmallIntegerField(_("antal deltagare"), null=True, blank=True)
    report = models.TextField(
        _("rapport"),
        blank=True,
        help_text=_("Vad vandringen kom fram till. Visas för allmänheten."),
    )
    is_example = models.BooleanField(
        _("exempel"),
        default=False,
        help_text=_("Påhittad demonstrationsdata; sidor som visar den säger det."),
    )
    activity = models.OneToOneField(
        Activity,
        verbose_name=_("insats på åtagandet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="safety_walk",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SafetyWalkQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("trygghetsvandring")
        verbose_name_plural = _("trygghetsvandringar")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="safetywalk_capacity_positive",
                violation_error_message=_("Max antal deltagare måste vara minst 1."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="safetywalk_ends_after_start",
                violation_error_message=_("Vandringen måste sluta efter att den börjat."),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "starts_at"]),
            # The Atom feeds list the most recently changed walks first.
            models.Index(fields=["-updated_at"], name="safetywalk_updated_idx"),
        ]

    def __str__(self):
        return f"{self.area} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("dialogues:walk", args=[self.pk])

    def clean(self):
        if (
            self.commitment_id
            and self.municipality_id
            and self.commitment.pledge.municipality_id != self.municipality_id
        ):
            raise ValidationError({"commitment": _("Åtagandet hör till en annan kommuns löfte.")})

    @property
    def is_upcoming(self):
        return self.status == self.Status.PLANNED and self.starts_at >= timezone.now()

    def places_left(self, people_signed_up):
        if self.capacity is None:
            return None
        return max(0, self.capacity - people_signed_up)


class WalkSignup(PublicContentMixin, models.Model):
    """A resident's sign-up for a walk. Personal data; never in a history table."""

    content_scope = ("municipality", "walk__municipality")

    walk = models.ForeignKey(
        SafetyWalk, verbose_name=_("vandring"), on_delete=models.CASCADE, related_name="signups"
    )
    name = models.CharField(_("namn"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=50, blank=True)
    people = models.PositiveSmallIntegerField(
        _("antal personer"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    ip_hash = models.CharField(_("kontrollsumma av IP-adress"), max_length=64, blank=True)
    cancelled_at = models.DateTimeField(_("avanmäld"), null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(
        _("personuppgifter gallrade"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["walk", "created_at"]
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone="") | Q(personal_data_purged_at__isnull=False),
                name="walksignup_has_contact",
                violation_error_message=_("Ange e-post eller telefonnummer."),
            ),
            models.CheckConstraint(
                condition=Q(people__gte=1, people__lte=10),
                name="walksignup_people_range",
                violation_error_message=_("Antal personer måste vara mellan 1 och 10."),
            ),
        ]

    def __str__(self):
        return self.name or str(_("Anmälan %(id)s") % {"id": self.pk})


class FindingQuerySet(PublicContentQuerySet):
    def counts(self):
        return self.aggregate(
            total=Count("id"),
            fixed=Count("id", filter=Q(status=Finding.Status.FIXED)),
            open=Count("id", filter=Q(status=Finding.Status.OPEN)),
            declined=Count("id", filter=Q(status=Finding.Status.DECLINED)),
        )


class Finding(PublicContentMixin, models.Model):
    """An iakttagelse from a walk: something to fix, who should fix it, and whether they did."""

    content_scope = ("municipality", "walk__municipality")

    class Category(models.TextChoices):
        LIGHTING = "lighting", _("Belysning")
        VEGETATION = "vegetation", _("Vegetation")
        LITTER = "litter", _("Nedskräpning")
        VANDALISM = "vandalism", _("Skadegörelse")
        TRAFFIC = "traffic", _("Trafik")
        OTHER = "other", _("Annat")

    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        FIXED = "fixed", _("Åtgärdad")
        DECLINED = "declined", _("Avböjd")

    walk = models.ForeignKey(
        SafetyWalk, verbose_name=_("vandring"), on_delete=models.CASCADE, related_name="findings"
    )
    place = models.CharField(_("plats"), max_length=200)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    description = models.CharField(_("iakttagelse"), max_length=500, blank=True)
    responsible = models.CharField(
        _("ansvarig"),
        max_length=20,
        choices=Organisation.choices,
        default=Organisation.MUNICIPALITY,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    declined_reason = models.CharField(
        _("skäl till avböjd"), max_length=500, blank=True, help_text=_("Krävs när avböjd.")
    )
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    fixed_on = models.DateField(_("åtgärdad datum"), null=True, blank=True)
    # For the open-data API's Last-Modified: a finding's status changes without its walk.
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["walk", "id"]
        verbose_name = _("iakttagelse")
        verbose_name_plural = _("iakttagelser")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(declined_reason=""),
                name="finding_declined_has_reason",
                violation_error_message=_("Skriv ett skäl när en iakttagelse avböjs."),
            ),
        ]

    def __str__(self):
        return f"{self.place}: {self.get_category_display()}"

    def clean(self):
        # Staff record findings quickly: a fixed finding without a date is fixed today.
        if self.status == self.Status.FIXED and self.fixed_on is None:
            self.fixed_on = timezone.localdate()
        if self.status != self.Status.FIXED:
            self.fixed_on = None

    @property
    def is_overdue(self):
        return (
            self.status == self.Status.OPEN
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


# --- Medborgardialoger ------------------------------------------------------------------


class DialogueQuerySet(PublicContentQuerySet):
    def for_municipality_page(self, municipality):
        return (
            self.filter(municipality=municipality)
            .prefetch_related(
                models.Prefetch(
                    "commitments",
                    queryset=Commitment.objects.public().select_related("pledge__municipality"),
                    to_attr="public_commitments",
                )
            )
            .order_by("-date")
        )


class Dialogue(PublicContentMixin, models.Model):
    """A medborgardialog or survey, held or planned, and what came out of it."""

    content_scope = ("municipality", "municipality")

    class Format(models.TextChoices):
        MEETING = "meeting", _("Möte")
        SURVEY = "survey", _("Enkät")
        DIGITAL = "digital", _("Digital")
        SAFETY_SURVEY = "safety_survey", _("Trygghetsmätning")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        HELD = "held", _("Genomförd")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="dialogues"
    )

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Dag")
        MONTH = "month", _("Bara månad")

    title = models.CharField(_("rubrik"), max_length=200)
    date = models.DateField(
        _("datum"),
        help_text=_("Vet ni bara månaden? Välj en dag i månaden och ”Bara månad” nedan."),
    )
    date_precision = models.CharField(
        _("datumets precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("”Bara månad” visar ”oktober 2015” i stället för en dag."),
    )
    place = models.CharField(_("plats"), max_length=200, blank=True)
    format = models.CharField(_("form"), max_length=15, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    participants = models.PositiveIntegerField(_("deltagare eller svarande"), null=True, blank=True)
    description = models.TextField(_("beskrivning"), blank=True, max_length=5000)
    outcome = models.TextField(_("vad den ledde till"), blank=True, max_length=5000)
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("åtaganden den ledde till"),
        blank=True,
        related_name="dialogues",
    )
    focus_areas = models.ManyToManyField(
        FocusArea,
        verbose_name=_("fokusområden den ledde till"),
        blank=True,
        related_name="dialogues",
    )
    problems = models.ManyToManyField(
        "pledges.Problem",
        verbose_name=_("problem som dialogen lyfte fram"),
        blank=True,
        related_name="dialogues",
        help_text=_("Visas som källa till problemet på löftets sida."),
    )
    is_example = models.BooleanField(
        _("exempel"),
        default=False,
        help_text=_("Påhittad demonstrationsdata; sidor som visar den säger det."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = DialogueQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("medborgardialog")
        verbose_name_plural = _("medborgardialoger")
        indexes = [models.Index(fields=["municipality", "date"])]

    def __str__(self):
        return f"{self.title} ({self.display_date})"

    def save(self, *args, **kwargs):
        # A month is stored as its first day, so that sorting and filtering by date work.
        if self.date_precision == self.DatePrecision.MONTH and self.date:
            self.date = self.date.replace(day=1)
        super().save(*args, **kwargs)

    @property
    def display_date(self):
        """ "12 oktober 2015", or "oktober 2015" when only the month is known."""
        if self.date_precision == self.DatePrecision.MONTH:
            return date_format(self.date, "F Y")
        return date_format(self.date, "j F Y")

    @property
    def built_on_label(self):
        """How a löfte or commitment names the dialogue it builds on: "Invånardialog
        oktober 2015, 900 deltagare"."""
        label = f"{self.title} {self.display_date}"
        if self.participants:
            label += ", " + ngettext("%(n)s deltagare", "%(n)s deltagare", self.participants) % {
                "n": self.participants
            }
        return label

    @property
    def is_upcoming(self):
        return self.status == self.Status.PLANNED and self.date >= timezone.localdate()


# --- Abuse protection -----------------------------------------------------------------


class FormAttempt(models.Model):
    """One accepted (or bot-caught) post of a public form, for the per-IP rate limit.

    Holds a salted hash of the IP address, never the address; rows older than a day are
    deleted by `purge_personal_data`.
    """

    action = models.CharField(max_length=30)
    ip_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("formulärförsök")
        verbose_name_plural = _("formulärförsök")
        indexes = [models.Index(fields=["action", "ip_hash", "created_at"])]

    def __str__(self):
        return f"{self.action} {self.created_at}"


class UsedFormToken(models.Model):
    """The hash of a form's signed timestamp once used, so a post cannot be replayed."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("använd formulärnyckel")
        verbose_name_plural = _("använda formulärnycklar")

    def __str__(self):
        return self.token_hash[:12]
