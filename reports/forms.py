"""The report chooser on /rapporter/: what to report on and for which period."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledges.models import County, FollowUp, Pledge, PoliceRegion
from pledges.scoping import local_municipalities_for, local_police_areas_for
from pledges.sorting import swedish_sorted
from reports import periods

FORMAT_CHOICES = [
    ("html", gettext_lazy("Webbsida (går att skriva ut)")),
    ("pdf", gettext_lazy("PDF")),
    ("docx", gettext_lazy("Word (DOCX), att redigera")),
    ("xlsx", gettext_lazy("Excel (XLSX)")),
    ("csv", gettext_lazy("CSV (semikolonseparerad)")),
]


def scope_choices(user):
    """The choices a user may report on, grouped; national levels only for superusers.
    Five queries for staff, seven for a superuser, whatever the data. Returns the groups,
    the löften by id and the follow-up rounds by id."""
    municipalities = local_municipalities_for(user)
    pledges = swedish_sorted(
        Pledge.objects.filter(municipality__in=municipalities.values("pk"))
        .select_related("municipality")
        .order_by("-start_date"),
        key=lambda p: f"{p.municipality.name} {9999 - p.start_date.year}",
    )
    by_pk = {p.pk: p for p in pledges}
    rounds = {
        f.pk: f
        for f in FollowUp.objects.filter(pledge_id__in=list(by_pk)).order_by(
            "pledge_id", "-date", "-id"
        )
    }
    rounds_of = {}
    for f in rounds.values():
        rounds_of.setdefault(f.pledge_id, []).append(f)
    groups = [
        (
            _("Ett löfte"),
            [
                (
                    f"lofte:{p.pk}",
                    f"{p.municipality.name}: {p.title} ({p.start_date.isoformat()} – "
                    f"{p.end_date.isoformat()})"
                    + ("" if p.status == Pledge.Status.PUBLISHED else f" [{_('utkast')}]"),
                )
                for p in pledges
            ],
        ),
        (
            _("En uppföljningsomgång"),
            [
                (
                    f"uppfoljning:{f.pk}",
                    f"{by_pk[f.pledge_id].municipality.name}: {by_pk[f.pledge_id].title} – "
                    f"{f.title} ({f.date.isoformat()})",
                )
                for p in pledges
                for f in rounds_of.get(p.pk, [])
            ],
        ),
        (
            _("En kommun"),
            [(f"kommun:{m.slug}", m.name) for m in swedish_sorted(municipalities)],
        ),
        (
            _("Ett lokalpolisområde"),
            [(f"lpo:{a.slug}", a.name) for a in swedish_sorted(local_police_areas_for(user))],
        ),
    ]
    if user.is_superuser:
        groups.append(
            (
                _("Ett län"),
                [(f"lan:{c.code}", c.name) for c in swedish_sorted(County.objects.all())],
            )
        )
        groups.append(
            (
                _("En polisregion"),
                [(f"region:{r.slug}", str(r)) for r in PoliceRegion.objects.all()],
            )
        )
        groups.append((_("Hela landet"), [("land", _("Hela landet"))]))
    return [group for group in groups if group[1]], by_pk, rounds


def period_choices(today):
    this_half = periods.half_year(today)
    last_half = periods.previous_half_year(today)
    choices = [
        ("standard", _("Löftets egen period (för ett område: innevarande halvår)")),
        ("halvar", _("Innevarande halvår (%(period)s)") % {"period": this_half}),
        ("forra-halvaret", _("Förra halvåret (%(period)s)") % {"period": last_half}),
        ("hela", _("Löftets hela period (bara för ett löfte)")),
    ]
    choices += [
        (f"ar-{year}", _("Kalenderåret %(year)s") % {"year": year})
        for year in range(today.year, today.year - 6, -1)
    ]
    choices.append(("egen", _("Egna datum (fyll i från och till)")))
    return choices


class ReportForm(forms.Form):
    # The names a user sees in the address stay Swedish (?omfattning=…&fran=…&till=…);
    # the fields and cleaned_data use English names. See add_prefix().
    PARAMETER_NAMES = {"scope": "omfattning", "start": "fran", "end": "till"}

    scope = forms.ChoiceField(label=gettext_lazy("Vad vill du rapportera om?"))
    period = forms.ChoiceField(label=gettext_lazy("Period"), initial="standard")
    start = forms.DateField(
        label=gettext_lazy("Från och med (ÅÅÅÅ-MM-DD)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("Till och med (ÅÅÅÅ-MM-DD)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMAT_CHOICES, initial="html")

    def __init__(self, *args, user, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        choices, self.pledges, self.rounds = scope_choices(user)
        self.fields["scope"].choices = choices
        self.fields["period"].choices = period_choices(self.today)

    def add_prefix(self, field_name):
        """The HTML name (and query parameter) of a field: Swedish, as users see it."""
        return super().add_prefix(self.PARAMETER_NAMES.get(field_name, field_name))

    def clean(self):
        data = super().clean()
        target, preset = data.get("scope"), data.get("period")
        if not target or not preset:
            return data
        pledge = None
        if target.startswith("lofte:"):
            pledge = self.pledges.get(int(target.split(":", 1)[1]))
        if target.startswith("uppfoljning:"):
            pledge = self.pledges.get(self.rounds[int(target.split(":", 1)[1])].pledge_id)
        try:
            if preset == "egen":
                if not data.get("start") or not data.get("end"):
                    raise periods.PeriodError(_("Fyll i både från och till för egna datum."))
                if data["start"] > data["end"]:
                    raise periods.PeriodError(_("Perioden måste börja innan den slutar."))
                data["resolved"] = periods.Period(data["start"], data["end"])
            elif preset == "standard" and target.startswith("uppfoljning:"):
                data["resolved"] = None  # the round's own period
            elif preset == "standard":
                # A löfte's report covers the löfte itself: an ended löfte is never reported
                # on an empty current half-year.
                data["resolved"] = periods.preset_period(
                    "hela" if pledge else "halvar", today=self.today, pledge=pledge
                )
            else:
                data["resolved"] = periods.preset_period(preset, today=self.today, pledge=pledge)
        except periods.PeriodError as error:
            raise forms.ValidationError(str(error)) from None
        return data

    def target_url(self):
        data = self.cleaned_data
        period = data["resolved"]
        query = {"format": data["format"]}
        if period is not None:
            query.update(fran=period.start.isoformat(), till=period.end.isoformat())
        level, _sep, ident = data["scope"].partition(":")
        if level == "uppfoljning":
            follow_up = self.rounds[int(ident)]
            query["uppfoljning"] = follow_up.pk
            return reverse("reports:pledge", args=[follow_up.pledge_id]) + "?" + urlencode(query)
        if level == "lofte":
            return reverse("reports:pledge", args=[int(ident)]) + "?" + urlencode(query)
        if data["format"] == "docx":
            query["format"] = "html"  # Word is written for one löfte's report only
        query = {"niva": level, **({"id": ident} if ident else {}), **query}
        return reverse("reports:overview") + "?" + urlencode(query)
